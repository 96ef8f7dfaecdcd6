/**
 * Closes the gaps a stream copy of AAC-in-MP4 files leaves at each join. Pure (Blob only).
 *
 * Every M4A holds its encoder's priming before its audio (1024 samples from ffmpeg, 2112 from
 * Apple's encoders) and padding after it, and says so in its edit list; ffmpeg's concat demuxer
 * copies every frame and writes an edit list that skips nothing, so each join plays one input's
 * padding and the next one's priming (about 2048 samples), and the start plays the first one's
 * priming. This pass rewrites only the `moov` of the joined file: the audio track's sample tables
 * leave out the whole frames ./junctions.ts picks at each join, and one edit skips the first
 * input's priming and ends where the inputs' audio ends. The audio bytes stay where ffmpeg wrote
 * them (a dropped frame's bytes stay in `mdat`, unreferenced).
 */
import type { Bytes } from '@/lib/core/bytes';
import {
  child,
  findTrack,
  firstEdit,
  leaf,
  movieScale,
  mustChild,
  readMoov,
  readSamples,
  u32s,
  view,
  withMovieDuration,
  writeBox,
  type Box,
  type TopBox,
} from '@/lib/containers/mp4';
import { SpliceError } from '@/lib/containers/errors';
import { planJunctions, type FrameTiming } from './junctions';

/**
 * A stream copy's `moov`, where it sits and its audio track's samples, checked to be what the
 * join-closing passes assume: the moov after the audio, and every frame of the inputs in it.
 */
export async function readJoinedAudio(
  joined: Blob,
  inputs: readonly { frames: number }[],
): Promise<{ moov: Box; at: TopBox; audio: Box; table: ReturnType<typeof readSamples> }> {
  const { moov, at, tops } = await readMoov(joined);
  // ffmpeg's mov muxer writes moov after mdat; a moov in front would move every chunk.
  if (tops.some((b) => b.type === 'mdat' && b.start > at.start)) {
    throw new SpliceError('the joined MP4 has its moov before its audio');
  }
  const audio = findTrack(moov, 'soun');
  const table = readSamples(audio, joined.size);
  if (table.sizes.length !== inputs.reduce((s, t) => s + t.frames, 0)) {
    throw new SpliceError('the joined MP4 does not hold every frame of its inputs');
  }
  return { moov, at, audio, table };
}

/**
 * The samples each AAC frame of a track decodes to, from its sample durations: every frame decodes
 * to a whole frame, though ffmpeg's muxer shortens the last one's duration to where the audio
 * ends, and some muxers lump a gap into the first one's (2964 ticks where the rest last 1024: no
 * decoder plays the gap, native ffmpeg decodes that frame to 1024 samples). So the frame is what
 * the samples between the first and the last say; a track whose middle samples disagree is not
 * one this pass can rewrite (SpliceError: the copy is kept as it is).
 */
function decodedFrame(durations: readonly number[]): number {
  const middle = durations.slice(1, -1);
  const frame = middle[0] ?? durations[0] ?? 1024;
  if (middle.some((d) => d !== frame)) {
    throw new SpliceError('the audio track’s samples have different durations');
  }
  return frame;
}

/** What a decoder skips of one input: its edit list's priming and what follows its audio. */
export async function inputTiming(blob: Blob): Promise<FrameTiming & { frame: number }> {
  const { moov } = await readMoov(blob);
  const audio = findTrack(moov, 'soun');
  const table = readSamples(audio, blob.size);
  const frame = decodedFrame(table.durations);
  const total = table.sizes.length * frame;
  const edit = firstEdit(audio);
  const lead = edit && edit.mediaTime > 0 ? edit.mediaTime : 0;
  const plays = edit
    ? Math.round((edit.duration * table.timescale) / movieScale(moov))
    : total - lead;
  return {
    frames: table.sizes.length,
    lead,
    tail: Math.max(0, total - lead - plays),
    frame,
  };
}

/**
 * The joined MP4 `joined` (a stream copy of `inputs`, every frame of each in order) with its
 * audio track's joins closed. Throws SpliceError when the files are not what that assumes.
 */
export async function closeMp4Joins(joined: Blob, inputs: readonly Blob[]): Promise<Blob> {
  const timings = await Promise.all(inputs.map(inputTiming));
  const { moov, at, audio, table } = await readJoinedAudio(joined, timings);
  const frame = timings[0]!.frame;
  if (timings.some((t) => t.frame !== frame)) throw new SpliceError('the inputs’ frames differ');
  const plan = planJunctions(timings, frame);

  // Kept samples, in order.
  const kept: number[] = [];
  let base = 0;
  timings.forEach((t, k) => {
    const from = k > 0 ? plan.cuts[k - 1]!.dropHead : 0;
    const to = t.frames - (plan.cuts[k]?.dropTail ?? 0);
    for (let i = from; i < to; i++) kept.push(base + i);
    base += t.frames;
  });
  const samples = kept.map((i) => ({ offset: table.offsets[i]!, size: table.sizes[i]! }));
  const moovBytes = writeBox(rewriteMoov(moov, audio, samples, frame, plan));
  return new Blob([joined.slice(0, at.start), moovBytes, joined.slice(at.start + at.size)], {
    type: joined.type || 'audio/mp4',
  });
}

/** A sample of the rewritten audio track: where its bytes are in the file. */
export interface PlacedSample {
  offset: number;
  size: number;
}

/** Chunks: runs of kept samples that follow each other in the file, and their stsc entries. */
function chunksOf(samples: readonly PlacedSample[]): { chunkOffsets: number[]; stsc: number[] } {
  const chunkOffsets: number[] = [];
  const perChunk: number[] = [];
  let end = -1;
  for (const { offset: o, size } of samples) {
    if (o === end) perChunk[perChunk.length - 1]!++;
    else {
      chunkOffsets.push(o);
      perChunk.push(1);
    }
    end = o + size;
  }
  const stsc: number[] = [];
  perChunk.forEach((n, c) => {
    if (stsc.length === 0 || stsc[stsc.length - 2] !== n) stsc.push(c + 1, n, 1);
  });
  return { chunkOffsets, stsc };
}

/** The chunk offsets as stco, or as co64 (`big`) when one is past 4 GiB. */
function chunkOffsetTable(chunkOffsets: readonly number[]): { big: boolean; co: Bytes } {
  const big = chunkOffsets.some((o) => o >= 2 ** 32);
  if (!big) return { big, co: u32s(0, chunkOffsets.length, chunkOffsets) };
  const co = new Uint8Array(8 + 8 * chunkOffsets.length);
  view(co).setUint32(4, chunkOffsets.length);
  chunkOffsets.forEach((o, i) => view(co).setBigUint64(8 + 8 * i, BigInt(o)));
  return { big, co };
}

/** Each AAC frame is a sync sample with the same roll group: sbgp as one run, `n` samples long. */
function oneRollRun(sbgp: Box, n: number): Bytes {
  const p = sbgp.payload;
  const entries = view(p).getUint32(p[0] === 1 ? 12 : 8);
  if (entries !== 1) throw new SpliceError('the audio track has more than one sample group run');
  const copy = p.slice();
  view(copy).setUint32(copy.length - 8, n);
  return copy;
}

/** Gives the audio track of the new tree `out` an edit list (edts) holding `elst`, after tkhd. */
function addEdit(out: Box, audio: Box, elst: Bytes): void {
  const trak = out.children!.find(
    (c) => c.type === 'trak' && child(c, 'mdia/hdlr') === child(audio, 'mdia/hdlr'),
  )!;
  const at = trak.children!.findIndex((c) => c.type === 'tkhd') + 1;
  const edts: Box = {
    type: 'edts',
    payload: new Uint8Array(0),
    children: [leaf('elst', elst)],
    start: -1,
    size: 0,
  };
  trak.children = [...trak.children!.slice(0, at), edts, ...trak.children!.slice(at)];
}

/**
 * `moov` with the audio track's sample tables listing `samples` (each `frame` long) and one edit
 * that skips `lead` and ends `tail` before the media's end (a new tree).
 */
export function rewriteMoov(
  moov: Box,
  audio: Box,
  samples: readonly PlacedSample[],
  frame: number,
  { lead, tail }: { lead: number; tail: number },
): Box {
  const { chunkOffsets, stsc } = chunksOf(samples);
  // Whole frames, as they decode; the edit list says where the audio ends.
  const durations = samples.map(() => frame);
  const runs: number[] = [];
  for (const d of durations) {
    if (runs.length > 0 && runs[runs.length - 1] === d) runs[runs.length - 2]!++;
    else runs.push(1, d);
  }
  const { big, co } = chunkOffsetTable(chunkOffsets);
  const n = samples.length;
  const tables: Record<string, Bytes> = {
    stts: u32s(0, runs.length / 2, runs),
    stsz: u32s(
      0,
      0,
      samples.length,
      samples.map((x) => x.size),
    ),
    stsc: u32s(0, stsc.length / 3, stsc),
  };
  const stbl = mustChild(audio, 'mdia/minf/stbl');
  const sbgp = child(stbl, 'sbgp');
  if (sbgp) tables.sbgp = oneRollRun(sbgp, n);
  if (child(stbl, 'stss')) throw new SpliceError('the audio track lists sync samples');
  const newStbl: Box = {
    ...stbl,
    children: [
      ...stbl
        .children!.filter((c) => c.type !== 'co64' && c.type !== 'stco')
        .map((c) => (tables[c.type] ? leaf(c.type, tables[c.type]!) : c)),
      leaf(big ? 'co64' : 'stco', co),
    ],
  };

  const media = durations.reduce((s, d) => s + d, 0);
  const mdhd = mustChild(audio, 'mdia/mdhd').payload.slice();
  const v1 = mdhd[0] === 1;
  const timescale = view(mdhd).getUint32(v1 ? 20 : 12);
  if (v1) view(mdhd).setBigUint64(24, BigInt(media));
  else view(mdhd).setUint32(16, media);
  const mvhd = mustChild(moov, 'mvhd').payload.slice();
  const scale = movieScale(moov);
  const plays = Math.max(0, media - lead - tail);
  const movieDuration = Math.round((plays * scale) / timescale);
  const elst = u32s(0, 1, movieDuration, lead, 0x10000);
  const tkhd = mustChild(audio, 'tkhd').payload.slice();
  if (tkhd[0] === 1) view(tkhd).setBigUint64(28, BigInt(movieDuration));
  else view(tkhd).setUint32(20, movieDuration);

  const replace = (box: Box): Box => {
    if (box === stbl) return newStbl;
    if (box === child(audio, 'mdia/mdhd')) return leaf('mdhd', mdhd);
    if (box === child(audio, 'tkhd')) return leaf('tkhd', tkhd);
    if (box === child(audio, 'edts/elst')) return leaf('elst', elst);
    return box.children ? { ...box, children: box.children.map(replace) } : box;
  };
  const out = replace(moov);
  if (!child(audio, 'edts/elst')) addEdit(out, audio, elst);
  return withMovieDuration(moov, out, audio, mvhd, movieDuration);
}
