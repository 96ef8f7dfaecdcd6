/**
 * Lossless "fast path" joins: the output is a Blob made of slices of the input Blobs plus a fresh
 * header, so no audio byte is copied or decoded. Used instead of an ffmpeg stream copy when every
 * input already has the output's codec and parameters.
 */
import { formatSpec } from '@/lib/core/formats';
import { joinMp3 } from './mp3/join';
import { joinWav } from './wav';
import { closeMp4Joins } from './mp4';
import { closeOpusJoins } from './ogg-opus';
import type { LosslessInput, LosslessKind, LosslessOptions } from './types';

export type { JoinOverlap, LosslessInput, LosslessKind, LosslessOptions } from './types';
export { shiftChapters } from './types';
export { joinMp3 } from './mp3/join';
export { scanMp3, type Mp3Scan } from './mp3/scan';
export { lameTagCrc } from './mp3/xing';
export { SEAM_MIN_SAMPLES, type Mp3Encoding, type Mp3JunctionCoder } from './mp3/seams';
export { retagMp3 } from './mp3/retag';
export { joinWav, parseWav, rifxInput } from './wav';
export type { WavFormat, WavInfo } from './wav';
export { checkFastPath, type FastPathCheck, type FastPathExpected } from './check';
export { planJunctions, type FrameTiming, type JunctionPlan } from './junctions';
export { closeMp4Joins } from './mp4';
export { closeOpusJoins } from './ogg-opus';

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

/** Runs the join-closing pass `kind` names over a stream copy `joined` of `inputs`. */
export function closeJoins(
  kind: CopyJoinKind,
  joined: Blob,
  inputs: readonly Blob[],
): Promise<Blob> {
  return kind === 'mp4' ? closeMp4Joins(joined, inputs) : closeOpusJoins(joined, inputs);
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
