/**
 * Closes the gaps a stream copy of Ogg Opus files leaves at each join. Pure (Blob only).
 *
 * Every Opus file starts with pre-skip (312 samples from libopus) that a decoder drops only at
 * the start of a stream, and its last page's granule position ends it before the end of its last
 * packet. ffmpeg's concat demuxer copies every packet into one stream, so each join plays one
 * input's end padding and the next one's pre-skip. This pass pages the joined packets anew
 * without the whole packets ./junctions.ts picks at each join, and with a last granule position
 * that ends the stream where the inputs' audio ends.
 */
import { SpliceError } from '@/lib/containers/errors';
import { readOgg } from '@/lib/containers/ogg';
import { opusPacketSamples, pageOpus } from '@/lib/containers/ogg-opus';
import { planJunctions, type FrameTiming } from './junctions';

/** Bytes read from an input's end to find its last page: more than any Ogg page. */
const TAIL_BYTES = 65_536 + 282;

/** An input's pre-skip (OpusHead) and last granule position (its last page's). */
export async function inputEnds(blob: Blob): Promise<{ preSkip: number; endGranule: number }> {
  const head = new Uint8Array(await blob.slice(0, 4096).arrayBuffer());
  const at = findOpusHead(head);
  if (at < 0) throw new SpliceError('an input is not Ogg Opus');
  const preSkip = head[at + 10]! | (head[at + 11]! << 8);
  const start = Math.max(0, blob.size - TAIL_BYTES);
  const tail = new Uint8Array(await blob.slice(start).arrayBuffer());
  const view = new DataView(tail.buffer);
  for (let p = tail.length - 27; p >= 0; p--) {
    if (view.getUint32(p) !== 0x4f676753) continue;
    const count = tail[p + 26]!;
    let size = 27 + count;
    for (let i = 0; i < count; i++) size += tail[p + 27 + i]!;
    // The last whole page: it ends where the file ends.
    if (p + size === tail.length)
      return { preSkip, endGranule: Number(view.getBigInt64(p + 6, true)) };
  }
  throw new SpliceError('an input’s last Ogg page is cut short');
}

function findOpusHead(b: Uint8Array): number {
  outer: for (let p = 0; p + 19 <= b.length; p++) {
    for (let i = 0; i < 8; i++) if (b[p + i] !== 'OpusHead'.charCodeAt(i)) continue outer;
    return p;
  }
  return -1;
}

/**
 * The joined Ogg Opus file `joined` (a stream copy of `inputs`, every packet of each in order)
 * with its joins closed. Throws SpliceError when the files are not what that assumes.
 */
export async function closeOpusJoins(joined: Blob, inputs: readonly Blob[]): Promise<Blob> {
  const ends = await Promise.all(inputs.map(inputEnds));
  const ogg = readOgg(new Uint8Array(await joined.arrayBuffer()));
  const [head, tags, ...audio] = ogg.packets;
  if (!head || !tags) throw new SpliceError('the joined file is not Ogg Opus');
  const samples = audio.map((p) => opusPacketSamples(p.data));
  const frame = samples[0] ?? 960;
  if (samples.some((n) => n !== frame)) throw new SpliceError('the packets’ lengths differ');

  // Each input's packets: as many as decode to its last granule position.
  const timings: FrameTiming[] = [];
  let at = 0;
  for (const { preSkip, endGranule } of ends) {
    const frames = Math.ceil(endGranule / frame);
    if (frames < 1 || at + frames > audio.length) {
      throw new SpliceError('the joined file does not hold every packet of its inputs');
    }
    timings.push({ frames, lead: preSkip, tail: frames * frame - endGranule });
    at += frames;
  }
  if (at !== audio.length) throw new SpliceError('the joined file holds packets of no input');
  const plan = planJunctions(timings, frame);

  const kept: Uint8Array<ArrayBuffer>[] = [];
  let base = 0;
  timings.forEach((t, k) => {
    const from = k > 0 ? plan.cuts[k - 1]!.dropHead : 0;
    const to = t.frames - (plan.cuts[k]?.dropTail ?? 0);
    for (let i = from; i < to; i++) kept.push(audio[base + i]!.data);
    base += t.frames;
  });
  const endGranule = kept.length * frame - plan.tail;
  return pageOpus(head.data, tags.data, ogg.serial, kept, endGranule);
}
