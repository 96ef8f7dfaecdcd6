/**
 * Tracks that change format midway (AudioInfo.formatChange: an MP3 made with `cat`, a FLAC
 * whose channel count grows) are decoded first, each in an ffmpeg run of its own, into one
 * format at the join's rate and layout; the join then reads that instead of the file. Pure.
 *
 * Why: ffmpeg 5.1 sets a filter graph up again when an input's frames change format. A simple
 * graph (one input, `-af`) comes through that whole; the join's complex graph (concat) lost
 * audio and timestamps in ffmpeg.wasm, and the join came out short (OutputTooShortError).
 *
 * The intermediate is raw 32-bit float PCM (f32le), not FLAC:
 * - it holds every decoded sample exactly (lossy decoders give floats; 24-bit integers fit a
 *   float's mantissa), where FLAC would round an MP3's floats to integers;
 * - it costs no encoder time: the step is a decode and a resample, and the join reads it with
 *   no decoder either; FLAC's encoder and decoder would run on the one wasm thread;
 * - it needs no header (a WAV header is written last, by seeking back, and tops out at 4 GiB):
 *   the engine writes it out in chunks into a Blob, as any output, and the join mounts that
 *   Blob read-only (WORKERFS), so the track is never a whole copy in memory, let alone two.
 * Its cost is size: 4 bytes a sample, 1.4 GB for an hour of 48 kHz stereo, held by the Blob
 * (which the browser keeps on disk when it is large), for as long as the join runs.
 */
import type { AudioInfo, FormatChange } from '@/lib/core/track';
import type { ChannelTarget } from './layout';
import { LOG_ARGS } from './args';

/** A file the engine mounts: the track's (or its intermediate's) audio at `path`. */
export interface StepInput {
  trackId: string;
  path: string;
  /** True: the track's intermediate (./predecode.ts), not its file. */
  intermediate?: boolean;
}

/** One track's decode into the intermediate: an ffmpeg run before the join. */
export interface PredecodeRun {
  /** The track's index in the queue. */
  track: number;
  trackId: string;
  inputs: StepInput[];
  files: { path: string; text: string }[];
  args: string[];
  outputPath: string;
  /** The track's length, seconds: progress, and the output check of this run. */
  totalSec: number;
  /** What it decodes to (the join's rate and layout). */
  target: JoinTarget;
}

/** What the join decodes to: its sample rate and channel layout. */
export interface JoinTarget {
  rate: number;
  channels: ChannelTarget;
}

/** Bytes a sample of one channel takes in the intermediate (f32le). */
export const INTERMEDIATE_SAMPLE_BYTES = 4;

/** The key of a track's intermediate among the Blobs an engine run mounts. */
export function intermediateKey(trackId: string): string {
  return `${trackId}#decoded`;
}

/** The intermediate's path in the join's inputs. */
export function intermediatePath(index: number): string {
  return `/in/${index}.f32`;
}

/** How the intermediate's raw samples are read: rate and layout, as the run wrote them. */
function intermediateInputArgs(target: JoinTarget): string[] {
  return ['-f', 'f32le', '-ar', String(target.rate), '-ch_layout', target.channels.layout];
}

/**
 * The track as the join reads it once decoded: raw float at the join's rate and layout. Its
 * length is the file's (the decode check's); the engine sets the exact sample count once the
 * run has written it (`samples`).
 */
export function intermediateInfo(info: AudioInfo, target: JoinTarget, samples?: number): AudioInfo {
  const rest: AudioInfo = { ...info };
  // Properties of the file, not of the raw samples the join reads.
  delete rest.formatChange;
  delete rest.fastPath;
  delete rest.statedSec;
  return {
    ...rest,
    container: 'f32le',
    codec: 'pcm_f32le',
    sampleRate: target.rate,
    channels: target.channels.count,
    channelLayout: target.channels.layout,
    sampleFormat: 'flt',
    inputArgs: intermediateInputArgs(target),
    audioStreamIndex: 0,
    hasVideo: false,
    hasCover: false,
    ...(samples !== undefined
      ? { samples, durationSec: samples / target.rate, decoded: true }
      : { decoded: false }),
  };
}

/**
 * The filters of the decode: to the join's rate and layout, in float. A stream that is mono
 * for a while goes into stereo at full level in both speakers, as the join's graph puts a mono
 * track (./graph.ts); `pan` with named channels leaves the stereo parts as they are. Streams
 * with more channels than two somewhere are mixed down by ffmpeg's own rules.
 */
export function predecodeFilters(change: FormatChange | undefined, target: JoinTarget): string {
  const layout = target.channels.layout;
  const monoInStereo =
    target.channels.count === 2 &&
    !!change?.channels.includes(1) &&
    change.channels.every((c) => c <= 2);
  return [
    ...(monoInStereo ? ['pan=stereo|FL=FL+FC|FR=FR+FC'] : []),
    `aresample=${target.rate}`,
    `aformat=sample_fmts=flt:sample_rates=${target.rate}:channel_layouts=${layout}`,
  ].join(',');
}

/**
 * The run that decodes track `index` (its file at `input`) into its intermediate: a simple
 * filter graph, which ffmpeg sets up again safely at each change.
 */
export function predecodeRun(
  index: number,
  trackId: string,
  info: AudioInfo,
  inputPath: string,
  target: JoinTarget,
): PredecodeRun {
  const outputPath = `/out/decoded-${index}.f32`;
  return {
    track: index,
    trackId,
    inputs: [{ trackId, path: inputPath }],
    files: [],
    args: [
      ...LOG_ARGS,
      ...(info.inputArgs ?? []),
      ...['-i', inputPath, '-map', '0:a:0'],
      ...['-af', predecodeFilters(info.formatChange, target)],
      ...['-c:a', 'pcm_f32le', '-f', 'f32le', outputPath],
    ],
    outputPath,
    totalSec: info.durationSec,
    target,
  };
}
