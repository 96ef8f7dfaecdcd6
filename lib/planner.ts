import type { AudioInfo } from './audio-info';
import { formatSpec, type FormatId, type FormatSpec } from './formats';
import { losslessKind, type LosslessKind } from './lossless';
import type { OutputSettings } from './settings';

/** A track as the planner sees it: probed, in queue order. */
export interface PlanTrack {
  id: string;
  name: string;
  info: AudioInfo;
}

/** A file the engine writes into ffmpeg's file system before running. */
export interface PlanInput {
  trackId: string;
  path: string;
}

export type JoinPlan =
  /** Zero-copy join in JS: slices of the input Blobs plus a fresh header. */
  | { kind: 'fast'; lossless: true; fast: LosslessKind; totalSec: number; summary: string }
  /** ffmpeg.wasm run: stream copy (lossless) or decode, resample, remix, concatenate, encode. */
  | {
      kind: 'ffmpeg';
      lossless: boolean;
      inputs: PlanInput[];
      /** Extra text files to write (the concat demuxer's list). */
      files: { path: string; text: string }[];
      args: string[];
      outputPath: string;
      totalSec: number;
      summary: string;
    };

/** The first (in queue order) parameters that differ, in words; empty when all match. */
export function mismatchReasons(tracks: readonly PlanTrack[], spec: FormatSpec): string[] {
  const reasons: string[] = [];
  const codecs = unique(tracks.map((t) => t.info.codec));
  if (codecs.length > 1) reasons.push(`the tracks use different codecs (${codecs.join(', ')})`);
  else if (codecs[0] !== undefined && !spec.copyCodecs.includes(codecs[0]))
    reasons.push(`${codecs[0]} audio cannot go into ${spec.label} unchanged`);
  const rates = unique(tracks.map((t) => t.info.sampleRate));
  if (rates.length > 1) reasons.push(`sample rates differ (${rates.map(khz).join(', ')})`);
  const channels = unique(tracks.map((t) => t.info.channels));
  if (channels.length > 1)
    reasons.push(`channel counts differ (${channels.map(channelWord).join(', ')})`);
  return reasons;
}

/**
 * Chooses how to join. Lossless when every track has the same codec, sample rate and channel
 * count and the output format holds that codec; otherwise a re-encode to common parameters.
 */
export function planJoin(tracks: readonly PlanTrack[], output: OutputSettings): JoinPlan {
  if (tracks.length === 0) throw new Error('planJoin needs at least one track');
  const spec = formatSpec(output.format);
  const totalSec = tracks.reduce((s, t) => s + t.info.durationSec, 0);
  const reasons = mismatchReasons(tracks, spec);
  const inputs = tracks.map((t, i) => ({
    trackId: t.id,
    path: `/in/${i}.${inputExtension(t.info)}`,
  }));
  const outputPath = `/out/joined.${spec.extension}`;

  if (reasons.length === 0) {
    const fast = losslessKind(
      output.format,
      tracks.map((t) => t.info),
    );
    if (fast) {
      return { kind: 'fast', lossless: true, fast, totalSec, summary: losslessSummary(tracks) };
    }
    const list = inputs.map((i) => `file '${i.path}'`).join('\n') + '\n';
    return {
      kind: 'ffmpeg',
      lossless: true,
      inputs,
      files: [{ path: '/in/list.txt', text: list }],
      args: [
        ...LOG_ARGS,
        ...['-f', 'concat', '-safe', '0', '-i', '/in/list.txt'],
        ...['-map', '0:a', '-c', 'copy', '-f', spec.muxer, outputPath],
      ],
      outputPath,
      totalSec,
      summary: losslessSummary(tracks),
    };
  }

  const rate = targetSampleRate(tracks, spec);
  const layout = tracks.some((t) => t.info.channels >= 2) ? 'stereo' : 'mono';
  const chains = tracks.map((t, i) => {
    const remix =
      layout === 'stereo' && t.info.channels === 1
        ? // A mono voice belongs in both speakers at full level, not -3 dB as the default upmix.
          'pan=stereo|c0=c0|c1=c0,'
        : '';
    return `[${i}:a:0]${remix}aresample=${rate},aformat=sample_rates=${rate}:channel_layouts=${layout}[a${i}]`;
  });
  const labels = tracks.map((_, i) => `[a${i}]`).join('');
  const graph = `${chains.join(';')};${labels}concat=n=${tracks.length}:v=0:a=1[out]`;
  return {
    kind: 'ffmpeg',
    lossless: false,
    inputs,
    files: [],
    args: [
      ...LOG_ARGS,
      ...inputs.flatMap((i) => ['-i', i.path]),
      ...['-filter_complex', graph, '-map', '[out]'],
      ...encoderArgs(output.format, output.bitrate),
      ...['-f', spec.muxer, outputPath],
    ],
    outputPath,
    totalSec,
    summary: `Re-encoding to ${spec.label}${spec.lossy ? ` ${output.bitrate} kb/s` : ''}, ${khz(rate)} ${layout}: ${reasons.join('; ')}.`,
  };
}

/** ffmpeg.wasm keeps the previous command's log level; `info` keeps the `time=` progress lines. */
const LOG_ARGS = ['-hide_banner', '-loglevel', 'info', '-stats'];

export function encoderArgs(format: FormatId, bitrate: number): string[] {
  const b = ['-b:a', `${bitrate}k`];
  switch (format) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', ...b];
    case 'm4a':
    case 'm4b':
    case 'm4r':
      return ['-c:a', 'aac', ...b];
    case 'ogg':
      return ['-c:a', 'libvorbis', ...b];
    case 'opus':
      return ['-c:a', 'libopus', ...b];
    case 'flac':
      return ['-c:a', 'flac'];
    case 'wav':
      return ['-c:a', 'pcm_s16le'];
  }
}

/** The highest source rate (nothing is thrown away), moved to one the encoder accepts. */
export function targetSampleRate(tracks: readonly PlanTrack[], spec: FormatSpec): number {
  const highest = Math.max(...tracks.map((t) => t.info.sampleRate));
  const allowed = spec.sampleRates;
  if (!allowed) return highest;
  return allowed.find((r) => r >= highest) ?? allowed[allowed.length - 1] ?? highest;
}

function losslessSummary(tracks: readonly PlanTrack[]): string {
  const first = tracks[0]!.info;
  return `Lossless: all tracks are ${first.codec.toUpperCase()}, ${khz(first.sampleRate)} ${channelWord(first.channels)}, so they are joined without re-encoding.`;
}

/** The extension ffmpeg's demuxer probing likes best for this input. */
function inputExtension(info: AudioInfo): string {
  const c = info.container;
  if (c.includes('mp4') || c.includes('mov')) return 'mp4';
  if (c === 'matroska,webm') return 'webm';
  return c.split(',')[0] ?? 'bin';
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

export function khz(rate: number): string {
  return `${Number((rate / 1000).toFixed(2))} kHz`;
}

export function channelWord(n: number): string {
  return n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} channels`;
}
