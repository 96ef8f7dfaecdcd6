/**
 * Closes the joins of a stream copy of AAC-in-MP4 files exactly: the few frames around each
 * join are encoded again from the decoded neighbourhood, every other frame is copied. Pure
 * (Blobs, and a coder the caller supplies: ffmpeg.wasm in the extension, native ffmpeg in tests).
 *
 * The rule is ./seam-plan.ts's, as for MP3 (./mp3/seams.ts): B is placed on the output's frame
 * grid r samples early (0 <= r < 1024), A's last r samples and B's first r overlap in an
 * equal-power crossfade, and the output frames from MARGINS.before samples before the overlap
 * to MARGINS.after after it are encoded again (ffmpeg's native `aac`, the inputs' rate, channels
 * and average bitrate) from A's and B's decoded audio; only A's last frames and B's first are
 * decoded (as ADTS), with WARM_DECODE frames before for the decoder's overlap. The new encode
 * starts PREROLL frames early on the output's grid and those are dropped (lib/segments/aac.ts's
 * technique: AAC carries nothing across frames but the MDCT overlap, which the margins cover).
 *
 * The joined file (ffmpeg's stream copy, with the tags, cover and chapter track ffmpeg wrote)
 * keeps every byte it had; the new frames go in an `mdat` added before its `moov`, and the
 * audio track's sample tables list the output's frames in order, with one edit that skips the
 * first input's priming and ends where the last input's audio ends.
 *
 * HE-AAC (SBR, PS) is not closed this way (its SBR data has its own delay and state): the
 * caller keeps the whole-frame join (./mp4.ts) for it.
 */
import { concat, type Bytes } from '@/lib/core/bytes';
import { throwIfAborted } from '@/lib/core/bytes';
import {
  aacConfig,
  child,
  findTrack,
  leaf,
  mustChild,
  readBoxes,
  readMoov,
  readSamples,
  view,
  writeBox,
  type AacConfig,
  type Box,
} from '@/lib/containers/mp4';
import { SpliceError } from '@/lib/containers/errors';
import type { FrameTiming } from './junctions';
import { inputTiming, readJoinedAudio, rewriteMoov, type PlacedSample } from './mp4';
import {
  junctionAudio,
  placeJoin,
  seamFrameRange,
  type JoinPlace,
  type JunctionCoder,
  type SeamMargins,
} from './seam-plan';
import { shiftChapters, type JoinOverlap } from './types';

/** How the junction frames are encoded: as the inputs were. */
export interface AacEncoding {
  sampleRate: number;
  channels: number;
  /** Average bits per second of the inputs' audio (the most of them). */
  bitrate: number;
  /** The AudioSpecificConfig's sampling frequency index (ADTS headers carry it). */
  frequencyIndex: number;
}

export type AacJunctionCoder = JunctionCoder<AacEncoding>;

const FRAME = 1024;
/** ffmpeg's AAC encoder puts 1024 samples of priming before its input. */
const AAC_ENCODER_LEAD = 1024;
/** Frames decoded before the first one used: one for the MDCT overlap, one to spare. */
const WARM_DECODE = 2;
/** Frames the new encode starts before the first one kept (dropped): its model warms up. */
const PREROLL = 4;
/**
 * A copied frame's MDCT reaches a frame past its own start: the decoded frame after A's last
 * copy is half A's data, so it must still be A's audio (1024), and a short-block switch the
 * two encodes decide differently is kept off the overlap (512 more); after the overlap, the
 * first copied frame of B is half the last new frame's data (the same 1024 + 512 the other way
 * would be safe; 512 is what the measured noise needs).
 */
const AAC_MARGINS: SeamMargins = { before: 1024 + 512, after: 512 };
/** The frames encoded again at each join, fewest and most: what the plan says. */
export const AAC_SEAM_FRAMES = seamFrameRange(FRAME, AAC_MARGINS);
/** The fewest samples an input needs for its joins to be closed here (plan: same number). */
export const AAC_SEAM_MIN_SAMPLES = 16 * FRAME;

/** Why a join cannot be closed this way; the caller joins by whole frames instead. */
export class AacSeamNotPossibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AacSeamNotPossibleError';
  }
}

/** One 7-byte ADTS header (no CRC) for a raw AAC-LC frame of `size` bytes. */
function adtsHeader(size: number, enc: AacEncoding): Bytes {
  const len = size + 7;
  const h = new Uint8Array(7);
  h[0] = 0xff;
  h[1] = 0xf1;
  h[2] = (1 << 6) | (enc.frequencyIndex << 2) | (enc.channels >> 2);
  h[3] = ((enc.channels & 3) << 6) | (len >> 11);
  h[4] = (len >> 3) & 0xff;
  h[5] = ((len & 7) << 5) | 0x1f;
  h[6] = 0xfc;
  return h;
}

interface InputAudio extends FrameTiming {
  /** Index of the input's frame 0 in the joined file's audio track. */
  base: number;
  bytes: number;
  seconds: number;
  config: AacConfig;
}

async function inputAudio(blob: Blob): Promise<Omit<InputAudio, 'base'> & { frame: number }> {
  const timing = await inputTiming(blob);
  const { moov } = await readMoov(blob);
  const audio = findTrack(moov, 'soun');
  const config = aacConfig(mustChild(audio, 'mdia/minf/stbl/stsd').payload);
  if (!config) throw new AacSeamNotPossibleError('an input’s AAC configuration cannot be read');
  const table = readSamples(audio, blob.size);
  const bytes = table.sizes.reduce((s, n) => s + n, 0);
  return {
    ...timing,
    bytes,
    seconds: (timing.frames * timing.frame) / table.timescale,
    config,
  };
}

/** What the inputs' configurations say about encoding like them; throws when they cannot be. */
function aacEncodingOf(inputs: readonly Omit<InputAudio, 'base'>[]): AacEncoding {
  const c = inputs[0]!.config;
  for (const i of inputs) {
    const k = i.config;
    // AAC-LC only: HE-AAC's SBR and PS have their own delay and state.
    if (k.objectType !== 2) throw new AacSeamNotPossibleError('an input is not AAC-LC');
    if (k.sampleRate !== c.sampleRate || k.channelConfig !== c.channelConfig) {
      throw new AacSeamNotPossibleError('the inputs’ rates or channels differ');
    }
  }
  if (c.channelConfig < 1 || c.channelConfig > 2 || c.frequencyIndex > 12) {
    throw new AacSeamNotPossibleError('the inputs are not mono or stereo at a standard rate');
  }
  const rate = (i: Omit<InputAudio, 'base'>) =>
    i.config.avgBitrate > 0 ? i.config.avgBitrate : (i.bytes * 8) / Math.max(1e-3, i.seconds);
  return {
    sampleRate: c.sampleRate,
    channels: c.channelConfig,
    frequencyIndex: c.frequencyIndex,
    bitrate: Math.round(Math.max(...inputs.map(rate)) / 1000) * 1000,
  };
}

export interface AacSeamsResult {
  blob: Blob;
  /** Each join's place in the tracks' own time and the seconds the next track moved earlier. */
  overlaps: JoinOverlap[];
  /** Frames encoded again at each join. */
  newFrames: number[];
}

/**
 * The joined MP4 `joined` (a stream copy of `inputs`, every frame of each in order) with its
 * joins closed exactly. Throws AacSeamNotPossibleError when the inputs cannot be joined so
 * (HE-AAC, too short) and SpliceError when a file is not what that assumes: the caller then
 * joins by whole frames (./mp4.ts).
 */
export async function closeMp4Seams(
  joined: Blob,
  inputs: readonly Blob[],
  coder: AacJunctionCoder,
  signal?: AbortSignal,
): Promise<AacSeamsResult> {
  const infos = await Promise.all(inputs.map(inputAudio));
  const enc = seamEncoding(infos);
  const { moov, at, audio, table } = await readJoinedAudio(joined, infos);
  const src = new JoinedFrames(joined, table, enc);
  // The output's frames, in order: runs of inputs' frames and the new ones between.
  const out: PlacedSample[] = [];
  const added = new AddedFrames(at.start + 8);
  const overlaps: JoinOverlap[] = [];
  const newFrames: number[] = [];
  let base = 0;
  /** Output frame index of the current input's frame 0; its first copied frame. */
  let g = 0;
  let from = 0;
  let trackTime = 0;
  for (let k = 0; k + 1 < infos.length; k++) {
    throwIfAborted(signal);
    const a = infos[k]!;
    const b = infos[k + 1]!;
    const place = placeJoin((g + a.frames) * FRAME - a.tail, b.lead, FRAME, AAC_MARGINS);
    const { gB, aOut, bOut } = place;
    const encoded = await encodeJoin(src, coder, { k, a, b, base, g, from, place }, signal);
    const encFrom = aOut - PREROLL;
    for (let i = from; i < aOut - g; i++) out.push(src.sample(base + i));
    for (let i = aOut - encFrom; i < bOut - encFrom; i++) out.push(added.add(encoded[i]!));
    newFrames.push(bOut - aOut);
    trackTime += (a.frames * FRAME - a.lead - a.tail) / enc.sampleRate;
    overlaps.push({ atSec: trackTime, overlapSec: place.overlap / enc.sampleRate });
    base += a.frames;
    g = gB;
    from = bOut - gB;
  }
  const last = infos[infos.length - 1]!;
  for (let i = from; i < last.frames; i++) out.push(src.sample(base + i));
  const mdat = added.mdat();
  // Nothing before the moov moves: the new mdat takes the moov's place and the moov follows.
  const newMoov = shiftMp4Chapters(
    rewriteMoov(moov, audio, out, FRAME, { lead: infos[0]!.lead, tail: last.tail }),
    overlaps,
  );
  const blob = new Blob(
    [joined.slice(0, at.start), ...mdat, writeBox(newMoov), joined.slice(at.start + at.size)],
    { type: joined.type || 'audio/mp4' },
  );
  return { blob, overlaps, newFrames };
}

type SeamInputAudio = Awaited<ReturnType<typeof inputAudio>>;

/** The encoding of the joins' new frames; refuses inputs whose joins cannot be closed so. */
function seamEncoding(infos: readonly SeamInputAudio[]): AacEncoding {
  if (infos.some((t) => t.frame !== FRAME)) throw new AacSeamNotPossibleError('frames of 960');
  const enc = aacEncodingOf(infos);
  if (infos.some((t) => t.frames * FRAME - t.lead - t.tail < AAC_SEAM_MIN_SAMPLES)) {
    throw new AacSeamNotPossibleError('an input is too short');
  }
  return enc;
}

/** The joined file's audio frames: where each is, and runs of them as ADTS for the decoder. */
class JoinedFrames {
  constructor(
    readonly joined: Blob,
    readonly table: { offsets: ArrayLike<number>; sizes: ArrayLike<number> },
    readonly enc: AacEncoding,
  ) {}

  sample(i: number): PlacedSample {
    return { offset: this.table.offsets[i]!, size: this.table.sizes[i]! };
  }

  /** Frames [from, to) of the input whose frame 0 is the file's frame `base`, as ADTS. */
  adts(base: number, from: number, to: number): Blob {
    const parts: BlobPart[] = [];
    for (let i = from; i < to; i++) {
      const s = this.sample(base + i);
      parts.push(adtsHeader(s.size, this.enc), this.joined.slice(s.offset, s.offset + s.size));
    }
    return new Blob(parts);
  }
}

/** The joins' new frames, placed one after another in a new mdat starting at `anchor`. */
class AddedFrames {
  readonly #frames: Bytes[] = [];
  #bytes = 0;

  constructor(readonly anchor: number) {}

  add(frame: Bytes): PlacedSample {
    const placed = { offset: this.anchor + this.#bytes, size: frame.length };
    this.#frames.push(frame);
    this.#bytes += frame.length;
    return placed;
  }

  /** The new mdat box: its header and the frames. */
  mdat(): BlobPart[] {
    if (this.anchor + this.#bytes >= 2 ** 32) throw new SpliceError('the joined file is too large');
    const head = new Uint8Array(8);
    view(head).setUint32(0, 8 + this.#bytes);
    head.set([0x6d, 0x64, 0x61, 0x74], 4);
    return [head, ...this.#frames];
  }
}

/** One join of closeMp4Seams: its inputs, where they sit, and where it falls. */
interface JoinAt {
  k: number;
  a: SeamInputAudio;
  b: SeamInputAudio;
  /** The joined file's frame that is A's frame 0. */
  base: number;
  /** Output frame index of A's frame 0, and A's first copied frame. */
  g: number;
  from: number;
  place: JoinPlace;
}

/**
 * Decodes the audio either side of a join and encodes it again across the join: the new frames,
 * the first one output frame aOut - PREROLL. Refuses an input too short for its join's frames.
 */
async function encodeJoin(
  src: JoinedFrames,
  coder: AacJunctionCoder,
  { k, a, b, base, g, from, place }: JoinAt,
  signal: AbortSignal | undefined,
): Promise<Bytes[]> {
  const { enc } = src;
  const { gB, aOut, bOut } = place;
  const encFrom = aOut - PREROLL;
  const encTo = bOut;
  if (aOut - g <= from) throw new AacSeamNotPossibleError(`input ${k + 1} is too short`);
  const bNeed = encTo - gB + 2;
  if (bNeed > b.frames) throw new AacSeamNotPossibleError(`input ${k + 2} is too short`);

  const aDec = Math.max(0, encFrom - g - WARM_DECODE);
  const aPcm = await coder.decode(src.adts(base, aDec, a.frames), enc);
  const bPcm = await coder.decode(src.adts(base + a.frames, 0, bNeed), enc);
  throwIfAborted(signal);
  const y0 = encFrom * FRAME + AAC_ENCODER_LEAD;
  const y1 = (encTo + 2) * FRAME;
  const pcm = junctionAudio(
    aPcm,
    (g + aDec) * FRAME,
    bPcm,
    gB * FRAME,
    place,
    y0,
    y1,
    enc.channels,
  );
  const encoded = encodedFrames(await coder.encode(pcm, enc));
  if (encoded.length < encTo - encFrom) throw new SpliceError('the junction encode is short');
  return encoded;
}

/** The AAC frames of the junction coder's MP4, after checking its priming is the expected. */
function encodedFrames(file: Uint8Array): Bytes[] {
  const bytes = file.buffer instanceof ArrayBuffer ? (file as Bytes) : new Uint8Array(file);
  const moov = readBoxes(bytes).find((b) => b.type === 'moov');
  if (!moov) throw new SpliceError('the junction encode has no moov');
  const audio = findTrack(moov, 'soun');
  const elst = child(audio, 'edts/elst')?.payload;
  const priming = elst
    ? elst[0] === 1
      ? Number(view(elst).getBigInt64(16))
      : view(elst).getInt32(12)
    : 0;
  if (priming !== AAC_ENCODER_LEAD) {
    throw new SpliceError(`the junction encoder's priming is ${priming}, not 1024`);
  }
  const t = readSamples(audio);
  return t.offsets.map((o, i) => bytes.slice(o, o + t.sizes[i]!));
}

/**
 * `moov` (a new tree) with its chapters where the audio now is: each chapter at or after a join
 * starts that join's overlap earlier (shiftChapters), in the chapter (text) track's sample
 * durations and in the Nero `chpl` list ffmpeg writes in `udta`.
 */
function shiftMp4Chapters(moov: Box, overlaps: readonly JoinOverlap[]): Box {
  if (overlaps.length === 0) return moov;
  const shiftMs = (ms: number) => shiftChapters([{ start: ms, end: ms }], overlaps)[0]!.start;
  const mvhd = mustChild(moov, 'mvhd').payload.slice();
  const movieScale = view(mvhd).getUint32(mvhd[0] === 1 ? 20 : 12);
  const children = moov.children!.map((c) => {
    if (c.type === 'trak' && handlerOf(c) === 'text') return shiftTextTrack(c, shiftMs, movieScale);
    if (c.type === 'udta') return shiftChpl(c, shiftMs);
    return c;
  });
  // The movie lasts as long as its longest track, now.
  const longest = Math.max(
    ...children
      .filter((t) => t.type === 'trak')
      .map((t) => {
        const p = mustChild(t, 'tkhd').payload;
        return p[0] === 1 ? Number(view(p).getBigUint64(28)) : view(p).getUint32(20);
      }),
  );
  if (mvhd[0] === 1) view(mvhd).setBigUint64(24, BigInt(longest));
  else view(mvhd).setUint32(16, longest);
  return {
    ...moov,
    children: children.map((c) => (c.type === 'mvhd' ? leaf('mvhd', mvhd) : c)),
  };
}

function handlerOf(trak: Box): string {
  const hdlr = child(trak, 'mdia/hdlr')?.payload;
  return hdlr ? String.fromCharCode(...hdlr.subarray(8, 12)) : '';
}

/** A chapter track with each sample's start moved (its durations, in its own timescale). */
function shiftTextTrack(trak: Box, shiftMs: (ms: number) => number, movieScale: number): Box {
  const stbl = child(trak, 'mdia/minf/stbl');
  const stts = child(stbl, 'stts');
  const mdhdBox = child(trak, 'mdia/mdhd');
  if (!stbl || !stts || !mdhdBox) return trak;
  const mdhd = mdhdBox.payload.slice();
  const v1 = mdhd[0] === 1;
  const scale = view(mdhd).getUint32(v1 ? 20 : 12);
  const st = view(stts.payload);
  const durations: number[] = [];
  for (let i = 0, n = st.getUint32(4); i < n; i++) {
    for (let k = 0; k < st.getUint32(8 + 8 * i); k++) durations.push(st.getUint32(12 + 8 * i));
  }
  // Starts and the end, in ms, moved; then back to durations in the track's timescale.
  const edges: number[] = [0];
  for (const d of durations) edges.push(edges[edges.length - 1]! + d);
  const moved = edges.map((e, i) =>
    i === 0 ? 0 : Math.round((shiftMs((e * 1000) / scale) * scale) / 1000),
  );
  const newDurations = durations.map((_, i) => Math.max(0, moved[i + 1]! - moved[i]!));
  const total = newDurations.reduce((a, b) => a + b, 0);
  const runs: number[] = [];
  for (const d of newDurations) {
    if (runs.length > 0 && runs[runs.length - 1] === d) runs[runs.length - 2]!++;
    else runs.push(1, d);
  }
  const sttsNew = new Uint8Array(8 + 4 * runs.length);
  view(sttsNew).setUint32(4, runs.length / 2);
  runs.forEach((v, i) => view(sttsNew).setUint32(8 + 4 * i, v));
  if (v1) view(mdhd).setBigUint64(24, BigInt(total));
  else view(mdhd).setUint32(16, total);
  const movieTotal = Math.round((total * movieScale) / scale);
  const tkhdBox = mustChild(trak, 'tkhd');
  const tkhd = tkhdBox.payload.slice();
  if (tkhd[0] === 1) view(tkhd).setBigUint64(28, BigInt(movieTotal));
  else view(tkhd).setUint32(20, movieTotal);
  // One edit over the whole track (what ffmpeg writes): its duration follows.
  const elstBox = child(trak, 'edts/elst');
  const elst = elstBox?.payload.slice();
  if (elst && view(elst).getUint32(4) === 1) {
    if (elst[0] === 1) view(elst).setBigUint64(8, BigInt(movieTotal));
    else view(elst).setUint32(8, movieTotal);
  }
  const replace = (box: Box): Box => {
    if (box === stts) return leaf('stts', sttsNew);
    if (box === mdhdBox) return leaf('mdhd', mdhd);
    if (box === tkhdBox) return leaf('tkhd', tkhd);
    if (elst && box === elstBox) return leaf('elst', elst);
    return box.children ? { ...box, children: box.children.map(replace) } : box;
  };
  return replace(trak);
}

/** `udta` with its `chpl` (Nero chapters: starts in 100 ns units) moved, if it has one. */
function shiftChpl(udta: Box, shiftMs: (ms: number) => number): Box {
  const inner = readBoxes(udta.payload);
  const chpl = inner.find((b) => b.type === 'chpl');
  if (!chpl || chpl.payload[0] !== 1) return udta;
  const p = chpl.payload.slice();
  const count = p[8]!;
  let at = 9;
  for (let i = 0; i < count && at + 9 <= p.length; i++) {
    const start = Number(view(p).getBigUint64(at)) / 10_000;
    view(p).setBigUint64(at, BigInt(Math.round(shiftMs(start) * 10_000)));
    at += 9 + p[at + 8]!;
  }
  const payload = concat(inner.map((b) => writeBox(b === chpl ? leaf('chpl', p) : b)));
  return leaf('udta', payload);
}
