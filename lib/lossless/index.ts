/**
 * Lossless "fast path" joins: the output is a Blob made of slices of the input Blobs plus a fresh
 * header, so no audio byte is copied or decoded. Used instead of an ffmpeg stream copy when every
 * input already has the output's codec and parameters.
 */
import { formatSpec } from '@/lib/core/formats';
import { joinMp3 } from './mp3/join';
import { joinWav } from './wav';
import { closeMp4Joins } from './mp4';
import {
  AacSeamNotPossibleError,
  AAC_SEAM_FRAMES,
  AAC_SEAM_MIN_SAMPLES,
  closeMp4Seams,
} from './mp4-seams';
import type { AacJunctionCoder } from './mp4-seams';
import { closeOpusJoins } from './ogg-opus';
import { mp3SeamFrames, SEAM_MIN_SAMPLES } from './mp3/seams';
import { fallsBackToWholeFrames } from './seam-plan';
import type { JoinOverlap } from './types';
import type { LosslessInput, LosslessKind, LosslessOptions } from './types';

export type { JoinOverlap, LosslessInput, LosslessKind, LosslessOptions } from './types';
export { shiftChapters } from './types';
export { joinMp3 } from './mp3/join';
export { scanMp3 } from './mp3/scan';
export { lameTagCrc } from '@/lib/containers/mp3-xing';
export { retagMp3 } from './mp3/retag';
export { joinWav } from './wav';
export { parseWav, rifxInput } from '@/lib/containers/wav';
export type { WavInfo } from '@/lib/containers/wav';
export {
  checkFastPath,
  lengthHeld,
  type FastPathCheck,
  type FastPathExpected,
  type HeldLength,
} from './check';
/** Stream copies whose joins a pass in JS closes: AAC in MP4, Opus in Ogg. */
export type CopyJoinKind = 'mp4' | 'opus';

/** Which join-closing pass applies to a stream copy of these inputs to this format, if any. */
export function copyJoinKind(format: string, inputs: ProbedInput[]): CopyJoinKind | undefined {
  const mp4 = (c: string) => c.includes('mp4') || c.includes('mov');
  if (
    ['m4a', 'm4b', 'm4r'].includes(format) &&
    inputs.every((i) => i.codec === 'aac' && mp4(i.container))
  ) {
    return 'mp4';
  }
  if (format === 'opus' && inputs.every((i) => i.codec === 'opus' && i.container === 'ogg')) {
    return 'opus';
  }
  return undefined;
}

/** The junction coders of the exact joins after a stream copy, by kind (absent: whole frames). */
export interface CopyJoinCoders {
  mp4?: AacJunctionCoder;
  signal?: AbortSignal;
  /** Called when the joins were closed exactly: where each is and how far the next track moved. */
  onOverlaps?: (joins: JoinOverlap[]) => void;
  /** As LosslessOptions.onWholeFrames: the AAC joins were closed by whole frames instead. */
  onWholeFrames?: LosslessOptions['onWholeFrames'];
}

/**
 * Runs the join-closing pass `kind` names over a stream copy `joined` of `inputs`: exactly
 * (./mp4-seams.ts) when a coder for it is given and the inputs allow it, else by whole frames.
 */
export async function closeJoins(
  kind: CopyJoinKind,
  joined: Blob,
  inputs: readonly Blob[],
  coders: CopyJoinCoders = {},
): Promise<Blob> {
  if (kind === 'mp4' && coders.mp4 && inputs.length > 1) {
    try {
      const res = await closeMp4Seams(joined, inputs, coders.mp4, coders.signal);
      coders.onOverlaps?.(res.overlaps);
      return res.blob;
    } catch (e) {
      const refused = (x: unknown) => x instanceof AacSeamNotPossibleError;
      if (!fallsBackToWholeFrames(e, refused, coders.signal)) throw e;
      const why = (e as Error).message;
      console.warn(`Seam: the joins are closed by whole frames (${why})`);
      coders.onWholeFrames?.(why);
    }
  }
  return kind === 'mp4' ? closeMp4Joins(joined, inputs) : closeOpusJoins(joined, inputs);
}

/** Exact joins a lossless plan can promise, by what closes them. */
export type ExactJoinKind = 'mp3' | 'mp4';

/**
 * Which exact join (the few frames at each join encoded again) applies to these tracks, if any:
 * MP3 (./mp3/seams.ts) and AAC-LC in MP4 (./mp4-seams.ts), every track long enough.
 */
export function exactJoinKind(
  fast: LosslessKind | undefined,
  copy: CopyJoinKind | undefined,
  tracks: readonly {
    durationSec: number;
    sampleRate: number;
    channels: number;
    profile?: string;
  }[],
): ExactJoinKind | undefined {
  if (tracks.length < 2) return undefined;
  const samples = (t: (typeof tracks)[number]) => t.durationSec * t.sampleRate;
  if (fast === 'mp3' && tracks.every((t) => samples(t) >= SEAM_MIN_SAMPLES)) return 'mp3';
  // HE-AAC (SBR, PS) keeps whole frames: the probe names the profile, "LC" for plain AAC;
  // mono and stereo only (what mp4-seams.ts encodes).
  if (
    copy === 'mp4' &&
    tracks.every(
      (t) =>
        t.profile === 'LC' &&
        t.channels >= 1 &&
        t.channels <= 2 &&
        samples(t) >= AAC_SEAM_MIN_SAMPLES,
    )
  ) {
    return 'mp4';
  }
  return undefined;
}

/** The fewest and most frames an exact join encodes again at each join (the plan says so). */
export function seamFrames(kind: ExactJoinKind, sampleRate: number): [number, number] {
  return kind === 'mp3' ? mp3SeamFrames(sampleRate) : AAC_SEAM_FRAMES;
}

/** PCM codecs (ffprobe names) whose WAV data can be joined by byte concatenation: every PCM a WAV holds. */
const WAV_CODECS: ReadonlySet<string> = new Set(formatSpec('wav').copyCodecs);

interface ProbedInput {
  codec: string;
  sampleRate: number;
  channels: number;
  container: string;
}

/** Which fast path applies for this output format and these probed inputs, or undefined. */
export function losslessKind(format: string, inputs: ProbedInput[]): LosslessKind | undefined {
  const first = inputs[0];
  if (!first) return undefined;
  const sameParams = inputs.every(
    (i) => i.sampleRate === first.sampleRate && i.channels === first.channels,
  );
  if (!sameParams || !(first.sampleRate > 0) || !(first.channels > 0)) return undefined;
  if (format === 'mp3' && inputs.every((i) => i.codec === 'mp3' && i.container === 'mp3')) {
    return 'mp3';
  }
  if (
    format === 'wav' &&
    WAV_CODECS.has(first.codec) &&
    inputs.every((i) => i.container === 'wav' && i.codec === first.codec)
  ) {
    return 'wav';
  }
  return undefined;
}

/** True when `losslessKind` finds a fast path. */
export function canJoinLosslessly(format: string, inputs: ProbedInput[]): boolean {
  return losslessKind(format, inputs) !== undefined;
}

/** Runs the fast path `kind` names. */
export function joinLosslessly(
  kind: LosslessKind,
  inputs: LosslessInput[],
  opts?: LosslessOptions,
): Promise<Blob> {
  return kind === 'mp3' ? joinMp3(inputs, opts) : joinWav(inputs, opts);
}
