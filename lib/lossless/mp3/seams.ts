/**
 * Closes the joins of a lossless MP3 join exactly: the few frames around each join are encoded
 * again from the decoded neighbourhood, every other frame is copied. Pure (Blobs, and a coder
 * the caller supplies: ffmpeg.wasm in the extension, native ffmpeg in tests).
 *
 * Why re-encode at all: input A ends `tail` samples of padding into its last frame, input B's
 * audio starts `lead` samples (encoder delay + the decoder's 529) into its first. B's frames can
 * be copied only on the output's frame grid, so B's audio lands right after A's only when
 * (A's end + B's lead) is a multiple of the frame; dropping whole frames (../junctions.ts) leaves
 * up to half a frame of padding, or cuts as much audio, at every join. Here, at each join:
 *
 * - B is placed on the grid `r` samples early (0 <= r < frame: the least move that never leaves
 *   a gap), and A's last r samples and B's first r are overlapped in an equal-power crossfade;
 * - the output's frames from a little before that overlap to a little after it are encoded again
 *   (LAME, the inputs' own rate, mode and bitrate or VBR quality) from A's and B's decoded
 *   audio: only A's last frames and B's first are read and decoded, with frames before them for
 *   the decoder to warm up;
 * - the new encode starts `PREROLL` frames early, on the output's grid, and those frames are
 *   dropped (the segment splicer's technique, lib/segments/mp3.ts): bit-reservoir bytes the first
 *   kept new frame reads are written into the unused tail of A's last copied frame, and those B's
 *   first copied frame reads into the tail of the last new frame (made larger when they do not
 *   fit, or one more frame is encoded again);
 * - the output's LAME tag keeps the first input's delay and the last one's padding.
 *
 * The output then decodes to the inputs, one after the other, less r samples per join, and
 * differs from them only within the new frames, by about the codec's own noise.
 */
import type { Bytes } from '@/lib/core/bytes';
import { throwIfAborted } from '@/lib/core/bytes';
import type { FrameHeader } from '@/lib/containers/mp3';
import {
  carryReservoir,
  frameCopy,
  readMp3Frames,
  type Mp3Frames,
} from '@/lib/containers/mp3-frames';
import { SpliceError } from '@/lib/containers/errors';
import type { Mp3Scan } from './scan';
import { junctionAudio, placeJoin, type JunctionCoder, type SeamMargins } from '../seam-plan';

/** How the junction frames are encoded: as the inputs were, as far as their headers tell. */
export interface Mp3Encoding {
  sampleRate: number;
  channels: 1 | 2;
  /** Joint stereo (LAME's default) unless the inputs are plain stereo or dual channel. */
  jointStereo: boolean;
  /** Constant bitrate in kb/s; undefined for VBR. */
  bitrate?: number;
  /** LAME's VBR quality (0 best .. 9), when `bitrate` is undefined. */
  vbrQuality?: number;
}

/**
 * Decodes and encodes the few frames around a join (../seam-plan.ts): MP3 frames (no tag, maybe
 * starting mid-stream) to float PCM, nothing skipped; PCM to an MP3 file (libmp3lame, with its
 * LAME tag).
 */
export type Mp3JunctionCoder = JunctionCoder<Mp3Encoding>;

/** The samples libmp3lame puts before its input: its encoder delay (576) + the decoder's 529. */
const ENCODER_LEAD = 576 + 529;
/** Frames decoded before the first one used: the decoder needs its reservoir and overlap. */
const WARM_DECODE = 3;
/** Frames the new encode starts before the first one kept (dropped, as the splicer does). */
const PREROLL = 8;
/**
 * Samples between the last copied frame of A and the overlap: a frame's data shapes decoded
 * audio up to about 1,100 samples past its own end (the MDCT overlap and the synthesis filter),
 * which must still be A's own there.
 */
const MARGIN_BEFORE = 1152 + 576;
/** The same after the overlap, before B's first copied frame. */
const MARGIN_AFTER = 1152 + 576;
const MARGINS: SeamMargins = { before: MARGIN_BEFORE, after: MARGIN_AFTER };
/** More frames tried either side when reservoir bytes fit nowhere. */
const SPARE = 2;

/**
 * The fewest samples of audio each input must have for its joins to be closed here (the frames
 * around a join, a spare frame or two either side, and some copied frames between two joins),
 * with room to spare; the plan (lib/plan/words.ts) says so by the same number.
 */
export const SEAM_MIN_SAMPLES = 16 * 1152;

export interface SeamInput {
  scan: Mp3Scan;
  blob: Blob;
  /** Where each audio frame starts in the Blob. */
  starts: Float64Array;
  /** Samples before the audio (LAME delay + 529) and after it (padding - 529). */
  lead: number;
  tail: number;
}

interface Seam {
  /** Frames of A copied (from the kept start) up to here, exclusive; B copied from `bFrom`. */
  aEnd: number;
  bFrom: number;
  /** The frames encoded again, in order (the output's frames between A's and B's copies). */
  frames: Bytes[];
  /**
   * A's last copied frames that took reservoir bytes into their unused tails, by frame index:
   * copies whose audio data is the input's.
   */
  aPatched: Map<number, Bytes>;
  /** Samples of A and B overlapped in the crossfade. */
  overlap: number;
}

export interface SeamPlan {
  seams: Seam[];
  /** Samples the joined stream skips at its end: the last input's tail. */
  tail: number;
}

/** Why a join cannot be closed this way (an input too short for the frames around its joins). */
export class SeamNotPossibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeamNotPossibleError';
  }
}

/**
 * The fewest and most frames encoded again at a join, as the plan says (lib/plan/words.ts):
 * the margins keep 1,728 samples either side of the crossfade: 3 to 6 frames of 1152 samples
 * (MPEG-1, 32 kHz and up; one more where reservoir bytes fit nowhere) or 6 to 8 of 576 (MPEG-2
 * and 2.5).
 */
export function mp3SeamFrames(sampleRate: number): [number, number] {
  return sampleRate >= 32000 ? [3, 6] : [6, 8];
}

/** What the inputs' headers say about how to encode like them. */
function encodingOf(scans: readonly Mp3Scan[]): Mp3Encoding {
  const first = scans[0]!;
  const h: FrameHeader = first.header;
  const channels = h.channelMode === 3 ? 1 : 2;
  const cbr = scans.every((s) => s.uniformBitrate > 0 && s.vbrTag?.kind !== 'Xing');
  return {
    sampleRate: h.sampleRate,
    channels,
    jointStereo: h.channelMode === 1,
    ...(cbr
      ? { bitrate: Math.max(...scans.map((s) => s.uniformBitrate)) }
      : { vbrQuality: vbrQuality(first) }),
  };
}

/**
 * The VBR quality of an input: from its Xing quality field when LAME wrote one (100 - 10 x V -
 * q). ffmpeg writes 0 there, and the average bitrate says little (it follows the music), so
 * then V0: the few frames come out a little larger, never worse than the input's.
 */
function vbrQuality(scan: Mp3Scan): number {
  const q = scan.vbrTag?.quality;
  if (q !== undefined && q > 0 && q <= 100) return Math.min(9, Math.floor((100 - q) / 10));
  return 0;
}

/** Throws SeamNotPossibleError when an input plays fewer samples than a join's frames need. */
function refuseShort(inputs: readonly SeamInput[], frame: number): void {
  const short = inputs.findIndex(
    (i) => i.scan.frameCount * frame - i.lead - i.tail < SEAM_MIN_SAMPLES,
  );
  if (short >= 0) throw new SeamNotPossibleError(`input ${short + 1} is too short`);
}

/**
 * Plans and encodes every join of `inputs` (in order). Throws SeamNotPossibleError when an input
 * is too short for its joins' frames, and SpliceError when the coder's output is not what it
 * should be; the caller then joins by whole frames instead.
 */
export async function closeMp3Seams(
  inputs: readonly SeamInput[],
  coder: Mp3JunctionCoder,
  signal?: AbortSignal,
  onSeam?: (closed: number, of: number) => void,
): Promise<SeamPlan> {
  const frame = inputs[0]!.scan.header.samplesPerFrame;
  const enc = encodingOf(inputs.map((i) => i.scan));
  refuseShort(inputs, frame);
  const seams: Seam[] = [];
  /** Output frame index of the current input's frame 0 (negative once its head is dropped). */
  let g = 0;
  let from = 0;
  for (let k = 0; k + 1 < inputs.length; k++) {
    throwIfAborted(signal);
    const a = inputs[k]!;
    const b = inputs[k + 1]!;
    const nA = a.scan.frameCount;
    // Output sample where A's audio ends, and where B's must start: on B's grid, r early
    // (../seam-plan.ts). Output frames [aOut, bOut) are encoded again at first; SPARE more
    // either side may be.
    const end = (g + nA) * frame - a.tail;
    const place = placeJoin(end, b.lead, frame, MARGINS);
    const { overlap, gB, aOut, bOut } = place;
    const encFrom = aOut - SPARE - PREROLL;
    const encTo = bOut + SPARE + 1;
    const aFirstUsed = encFrom - g - WARM_DECODE;
    if (aOut - SPARE - g - 1 < from) {
      throw new SeamNotPossibleError(`input ${k + 1} is too short for the frames at its joins`);
    }
    if (encTo - gB + 3 > b.scan.frameCount) {
      throw new SeamNotPossibleError(`input ${k + 2} is too short for the frames at its joins`);
    }

    // A's decoded audio from its frame aDec on, and B's from its start.
    const aDec = Math.max(0, aFirstUsed);
    const aFrames = await readFrames(a, aDec, nA);
    const bFrames = await readFrames(b, 0, encTo - gB + 3);
    const aPcm = await coder.decode(framesBlob(aFrames), enc);
    const bPcm = await coder.decode(framesBlob(bFrames), enc);
    throwIfAborted(signal);

    // The output's audio from sample y0 (so the encode's frame 0 is output frame encFrom).
    const y0 = encFrom * frame + ENCODER_LEAD;
    const y1 = encTo * frame + ENCODER_LEAD + frame;
    const ch = enc.channels;
    const pcm = junctionAudio(aPcm, (g + aDec) * frame, bPcm, gB * frame, place, y0, y1, ch);
    const encoded = readMp3Frames({ bytes: toBytes(await coder.encode(pcm, enc)), firstFrame: 0 });
    if (encoded.vbr?.delay !== undefined && encoded.vbr.delay + 529 !== ENCODER_LEAD) {
      throw new SpliceError(`the junction encoder's delay is ${encoded.vbr.delay}, not 576`);
    }
    if (encoded.offsets.length < encTo - encFrom)
      throw new SpliceError('the junction encode is short');

    const { aEndOut, aPatched } = await endOfA(a, { aOut, g, from }, encoded, encFrom);
    const { bFromOut, newFrames } = startOfB(bFrames, { bOut, gB }, encoded, encFrom, aEndOut);

    seams.push({
      aEnd: aEndOut - g,
      bFrom: bFromOut - gB,
      frames: newFrames,
      aPatched,
      overlap,
    });
    g = gB;
    from = bFromOut - gB;
    onSeam?.(seams.length, inputs.length - 1);
  }
  return { seams, tail: inputs[inputs.length - 1]!.tail };
}

/**
 * A's side of a join: the latest output frame, from aOut back SPARE frames, at which A's copied
 * frames can end, the first new frame kept reading reservoir bytes from the dropped ones before
 * it. Those bytes go into the unused tail of A's last copied frame (or two, where that frame's
 * own data ends in the one before it): their audio data stays as it was. `from`: A's first
 * copied frame (none before it may change).
 */
async function endOfA(
  a: SeamInput,
  { aOut, g, from }: { aOut: number; g: number; from: number },
  encoded: Mp3Frames,
  encFrom: number,
): Promise<{ aEndOut: number; aPatched: Map<number, Bytes> }> {
  const aTail = await readFrames(a, Math.max(from, aOut - SPARE - g - 8), aOut - g);
  for (let o = aOut; o >= aOut - SPARE; o--) {
    const moved = carryReservoir(aTail.frames, o - g - aTail.first, encoded, o - encFrom);
    if (!moved || [...moved.keys()].some((i) => i + aTail.first < from)) continue;
    const aPatched = new Map<number, Bytes>();
    for (const [i, f] of moved) aPatched.set(i + aTail.first, f);
    return { aEndOut: o, aPatched };
  }
  throw new SpliceError('reservoir bytes fit nowhere before a join');
}

/**
 * B's side of a join: the earliest output frame, from bOut on SPARE frames, at which B's copied
 * frames can start, its first copied frame reading reservoir bytes from the frames encoded
 * again; and those new frames (from A's end on), with the bytes moved into them. Bytes spread
 * into frames that are dropped would be lost: one more frame, then.
 */
function startOfB(
  bFrames: ReadFrames,
  { bOut, gB }: { bOut: number; gB: number },
  encoded: Mp3Frames,
  encFrom: number,
  aEndOut: number,
): { bFromOut: number; newFrames: Bytes[] } {
  for (let o = bOut; o <= bOut + SPARE; o++) {
    const moved = carryReservoir(encoded, o - encFrom, bFrames.frames, o - gB);
    if (!moved || [...moved.keys()].some((i) => i < aEndOut - encFrom)) continue;
    const newFrames: Bytes[] = [];
    for (let i = aEndOut - encFrom; i < o - encFrom; i++) {
      newFrames.push(moved.get(i) ?? frameCopy(encoded, i));
    }
    return { bFromOut: o, newFrames };
  }
  throw new SpliceError('reservoir bytes fit nowhere after a join');
}

function toBytes(u: Uint8Array): Bytes {
  return u.buffer instanceof ArrayBuffer ? (u as Bytes) : new Uint8Array(u);
}

interface ReadFrames {
  first: number;
  frames: Mp3Frames;
}

function framesBlob(r: ReadFrames): Blob {
  return new Blob([r.frames.bytes]);
}

/** Frames [from, to) of an input, read into memory as one run (gaps between ranges left out). */
async function readFrames(input: SeamInput, from: number, to: number): Promise<ReadFrames> {
  const { scan, starts, blob } = input;
  const lo = Math.max(0, from);
  const hi = Math.min(scan.frameCount, to);
  const parts: Blob[] = [];
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (let i = lo; i < hi; i++) {
    const len = scan.frameSizes[i]!;
    const cut = scan.cutFrame && starts[i] === scan.cutFrame.start ? scan.cutFrame : undefined;
    parts.push(
      cut
        ? new Blob([blob.slice(cut.start, cut.end), new Uint8Array(cut.missing)])
        : blob.slice(starts[i]!, starts[i]! + len),
    );
    offsets.push(at);
    lengths.push(len);
    at += len;
  }
  const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
  return { first: lo, frames: { bytes, offsets, lengths } };
}
