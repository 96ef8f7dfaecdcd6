/**
 * Each segment's ffmpeg command, from a re-encode plan: the plan's own filter graph on the tracks
 * the segment needs, then an atrim to its samples. Pure.
 *
 * How a segment gets its audio: the tracks before it are left out when their lengths at the
 * output rate are known to the sample (the source rate is the output rate and the caller knows
 * the decoded length); the graph then starts at the first track the segment needs, and the atrim
 * counts from that track's place in the timeline. A track that is resampled, or whose decoded
 * length is not known, stays in (so do all before it): the engine decodes it and the atrim
 * throws it away, which costs time but never a sample. Tracks after the segment are left out.
 * A crossfade into the first track kept brings the track before it in too, unless the segment
 * starts after the fade. Fades are applied with their absolute places in the timeline (the
 * planner keeps every encoder's start out of them). Loudness is not measured per segment: a
 * first pass measures the whole timeline (./loudness.ts) and each segment applies that gain.
 */
import type { OutputSettings } from '@/lib/core/settings';
import type { Transition } from '@/lib/core/track';
import { filterGraph, num, type GraphTrack } from './graph';
import { trimSpan, type TrimSpan } from './timeline';
import type { FfmpegPlan, PlanInput, PlanTrack } from './types';
import type { ChannelTarget } from './layout';
import type { Segment } from '@/lib/segments/plan';
import { measureFilter } from './loudness';
import { exactGain } from './match-loudness';

export interface SegmentRun {
  segment: number;
  inputs: PlanInput[];
  files: { path: string; text: string }[];
  args: string[];
  outputPath: string;
  /** Seconds of audio this run writes (its progress is ffmpeg's time against it). */
  totalSec: number;
  /** The first track in its graph (tracks before it were left out). */
  firstTrack: number;
}

export interface SegmentArgsOptions {
  /** Output sample rate and channel count (the plan's target). */
  rate: number;
  channels: ChannelTarget;
  /**
   * Samples each track decodes to at its own rate, when known exactly (the decode check's
   * length); undefined keeps the track, and every track before it, in each segment's graph.
   */
  decodedSamples: (index: number) => number | undefined;
  /** The whole timeline's loudness gain, dB, from ./loudness.ts; required when normalizing. */
  gainDb?: number | undefined;
}

/** Samples at `rate` in `sec` seconds as ffmpeg's filters count them (µs, rounded to nearest). */
export function samplesAt(sec: number, rate: number): number {
  const us = Math.round(sec * 1e6);
  return Math.floor((us * rate + 500_000) / 1e6);
}

/**
 * Samples a track adds to the timeline (its kept part and the gap after it), exactly as the
 * planner's graph makes them, or undefined when that cannot be known without decoding.
 */
function trackSamples(
  track: PlanTrack,
  span: TrimSpan,
  after: Transition | undefined,
  rate: number,
  decoded: number | undefined,
): number | undefined {
  if (decoded === undefined || track.info.sampleRate !== rate) return undefined;
  const start = span.startCut ? samplesAt(span.startSec, rate) : 0;
  const end = span.endCut ? Math.min(decoded, samplesAt(span.endSec, rate)) : decoded;
  const gap = after?.kind === 'gap' ? samplesAt(after.seconds, rate) : 0;
  return Math.max(0, end - start) + gap;
}

/**
 * Where each track's audio starts in the timeline, in samples, as far as lengths are known:
 * starts[i] is undefined once a track before i has an unknown length.
 */
function trackStarts(
  tracks: readonly PlanTrack[],
  transitions: readonly Transition[],
  rate: number,
  decodedSamples: (index: number) => number | undefined,
): (number | undefined)[] {
  const starts: (number | undefined)[] = [];
  let at: number | undefined = 0;
  tracks.forEach((t, i) => {
    starts.push(at);
    const after = i < tracks.length - 1 ? transitions[i] : undefined;
    const n = trackSamples(t, trimSpan(t), after, rate, decodedSamples(i));
    const fade = after?.kind === 'crossfade' ? samplesAt(after.seconds, rate) : 0;
    at = at === undefined || n === undefined ? undefined : at + n - fade;
  });
  return starts;
}

interface ParsedPlan {
  head: string[];
  inputs: { opts: string[]; path: string }[];
  output: string[];
}

/** Splits a re-encode plan's args into global options, inputs and the options after the graph. */
function parsePlanArgs(plan: FfmpegPlan): ParsedPlan {
  const args = plan.args;
  const fc = args.indexOf('-filter_complex');
  if (fc < 0 || args[fc + 2] !== '-map' || args[fc + 3] !== '[out]') {
    throw new Error('segments need a re-encode plan (one filter graph to [out])');
  }
  const firstInput = args.indexOf('-i');
  const inputs: ParsedPlan['inputs'] = [];
  let pending: string[] = [];
  for (let i = firstInput; i < fc; i++) {
    if (args[i] === '-i') {
      inputs.push({ opts: pending, path: args[++i]! });
      pending = [];
    } else pending.push(args[i]!);
  }
  return { head: args.slice(0, firstInput), inputs, output: args.slice(fc + 4) };
}

/**
 * The output options with input indexes renumbered by `remap` (undefined = that input is gone,
 * so its mapping goes and metadata maps become -1), cover options dropped when no picture is
 * mapped, and the output path replaced.
 */
function remapOutput(
  output: readonly string[],
  remap: (index: number) => number | undefined,
  outputPath: string,
): string[] {
  const out: string[] = [];
  let picture = false;
  for (let i = 0; i < output.length - 1; i++) {
    const opt = output[i]!;
    const value = output[i + 1]!;
    if (opt === '-map' && /^\d+:/.test(value)) {
      const n = remap(Number(value.split(':')[0]));
      i++;
      if (n === undefined) continue;
      out.push(opt, value.replace(/^\d+/, String(n)));
      picture = true;
      continue;
    }
    if ((opt === '-map_metadata' || opt === '-map_chapters') && /^\d+$/.test(value)) {
      out.push(opt, String(remap(Number(value)) ?? -1));
      i++;
      continue;
    }
    if ((opt === '-c:v' || opt === '-disposition:v:0') && !picture) {
      i++;
      continue;
    }
    out.push(opt);
  }
  out.push(outputPath);
  return out;
}

/**
 * The ffmpeg run of each segment. Segment 0 writes the plan's tags, chapters and cover (the
 * splicer keeps its header); the others write audio only.
 */
export function segmentRuns(
  plan: FfmpegPlan,
  tracks: readonly PlanTrack[],
  output: OutputSettings,
  segments: readonly Segment[],
  opts: SegmentArgsOptions,
): SegmentRun[] {
  const parsed = parsePlanArgs(plan);
  const { rate } = opts;
  const transitions = plan.transitions;
  const starts = trackStarts(tracks, transitions, rate, opts.decodedSamples);
  // Where each track's audio starts, to the second, to leave out tracks after a segment.
  const roughStarts = roughTrackStarts(tracks, transitions);
  const last = segments.length - 1;
  if (output.normalize && opts.gainDb === undefined) {
    throw new Error('a normalized join in segments needs the measured loudness gain');
  }
  return segments.map((seg, k) => {
    const first = firstTrack(seg.encodeStart, starts, transitions, rate);
    const through = lastTrack(seg.encodeEnd, roughStarts, rate, first);
    const offset = starts[first]!;
    const graphTracks: GraphTrack[] = [];
    for (let i = first; i <= through; i++) {
      graphTracks.push({
        channels: tracks[i]!.info.channels,
        span: trimSpan(tracks[i]!),
        gainDb: exactGain(plan.loudness, i),
      });
    }
    const graph = filterGraph(graphTracks, transitions.slice(first, through), {
      rate,
      channels: opts.channels,
      totalSec: plan.totalSec,
      fadeInSec: 0,
      fadeOutSec: 0,
    });
    const post = postFilters(plan, output, seg, k === last, offset, rate, opts.gainDb);
    const segGraph = `${graph};[out]${post.join(',')}[seg]`;

    // Inputs: the tracks in the graph; for segment 0, then the plan's other inputs (metadata,
    // the person's cover image, a cover from a track outside the graph), renumbered. The
    // tracks are the plan's first inputs, one each.
    const trackInputs = tracks.length;
    const kept: number[] = [];
    for (let i = first; i <= through; i++) kept.push(i);
    if (k === 0) {
      for (let i = trackInputs; i < parsed.inputs.length; i++) kept.push(i);
      const cover = plan.coverTrack;
      if (cover !== undefined && (cover < first || cover > through)) kept.push(cover);
    }
    const remap = (old: number) => {
      const n = kept.indexOf(old);
      return n < 0 ? undefined : n;
    };
    const ext = plan.outputPath.slice(plan.outputPath.lastIndexOf('.'));
    const outputPath = `/out/part-${k}${ext}`;
    const args = [
      ...parsed.head,
      ...kept.flatMap((i) => [...parsed.inputs[i]!.opts, '-i', parsed.inputs[i]!.path]),
      ...['-filter_complex', segGraph, '-map', '[seg]'],
      ...remapOutput(parsed.output, remap, outputPath),
    ];
    const usedFiles = new Set(kept.map((i) => parsed.inputs[i]!.path));
    // Every file the command reads that the engine mounts (not the plan's text files).
    const inputs = plan.inputs.filter((input) => usedFiles.has(input.path));
    return {
      segment: k,
      inputs,
      files: plan.files.filter((f) => usedFiles.has(f.path)),
      args,
      outputPath,
      totalSec: (seg.encodeEnd - seg.encodeStart) / rate,
      firstTrack: first,
    };
  });
}

/** Volume, fades (where this segment reaches them) and the atrim to the segment's samples. */
function postFilters(
  plan: FfmpegPlan,
  output: OutputSettings,
  seg: Segment,
  isLast: boolean,
  offset: number,
  rate: number,
  gainDb: number | undefined,
): string[] {
  const post: string[] = [];
  if (output.normalize && gainDb !== undefined) post.push(`volume=${num(gainDb)}dB`);
  // As the planner's graph clamps them.
  const fadeIn = Math.min(Math.max(0, output.fadeInSec), plan.totalSec);
  const fadeOut = Math.min(Math.max(0, output.fadeOutSec), plan.totalSec);
  if (fadeIn > 0 && offset === 0) post.push(`afade=t=in:st=0:d=${num(fadeIn)}`);
  if (fadeOut > 0) {
    const start = samplesAt(plan.totalSec - fadeOut, rate) - offset;
    if (start < seg.encodeEnd - offset) {
      post.push(`afade=t=out:ss=${start}:ns=${samplesAt(fadeOut, rate)}`);
    }
  }
  const from = seg.encodeStart - offset;
  const to = seg.encodeEnd - offset;
  post.push(
    isLast ? `atrim=start_sample=${from}` : `atrim=start_sample=${from}:end_sample=${to}`,
    'asetpts=PTS-STARTPTS',
  );
  return post;
}

/**
 * The latest track a segment starting at `sample` can begin its graph with: its start is known,
 * not after `sample`, and no crossfade into it reaches `sample`.
 */
function firstTrack(
  sample: number,
  starts: readonly (number | undefined)[],
  transitions: readonly Transition[],
  rate: number,
): number {
  let best = 0;
  for (let i = 1; i < starts.length; i++) {
    const s = starts[i];
    if (s === undefined || s > sample) break;
    const into = transitions[i - 1];
    const fade = into?.kind === 'crossfade' ? samplesAt(into.seconds, rate) : 0;
    if (s + fade <= sample) best = i;
  }
  return best;
}

/** Seconds where each track's audio starts (the timeline's own reckoning, before decoding). */
function roughTrackStarts(tracks: readonly PlanTrack[], transitions: readonly Transition[]) {
  const starts: number[] = [];
  let at = 0;
  tracks.forEach((t, i) => {
    starts.push(at);
    const after = transitions[i];
    at += trimSpan(t).lengthSec;
    if (after?.kind === 'gap') at += after.seconds;
    else if (after?.kind === 'crossfade') at -= after.seconds;
  });
  return starts;
}

/** Container durations can be off by a frame or two: a track starting this near is kept. */
const END_MARGIN_SEC = 1;

function lastTrack(sample: number, roughStarts: readonly number[], rate: number, from: number) {
  let last = from;
  for (let i = from + 1; i < roughStarts.length; i++) {
    if (roughStarts[i]! * rate < sample + END_MARGIN_SEC * rate) last = i;
  }
  return last;
}

/**
 * The loudness pass of a normalized join in segments: the whole timeline through the plan's
 * graph (before its fades, as the single pass normalizes before fading) into loudnorm's
 * analysis, written nowhere. Its log holds the JSON ./loudness.ts reads.
 */
export function measureRun(
  plan: FfmpegPlan,
  tracks: readonly PlanTrack[],
  opts: { rate: number; channels: ChannelTarget; target: number },
): Omit<SegmentRun, 'segment' | 'firstTrack'> {
  const parsed = parsePlanArgs(plan);
  const graph = filterGraph(
    tracks.map((t, i) => ({
      channels: t.info.channels,
      span: trimSpan(t),
      gainDb: exactGain(plan.loudness, i),
    })),
    plan.transitions,
    {
      rate: opts.rate,
      channels: opts.channels,
      totalSec: plan.totalSec,
      fadeInSec: 0,
      fadeOutSec: 0,
    },
  );
  return {
    inputs: plan.inputs,
    files: [],
    args: [
      ...parsed.head,
      ...plan.inputs.flatMap((i) => ['-i', i.path]),
      // loudnorm gets 100 ms frames, as in the single pass (lib/plan/graph.ts): fed a crossfade's
      // whole overlap as one frame it needs memory out of all proportion (ffmpeg 5.1).
      ...[
        '-filter_complex',
        `${graph};[out]asetnsamples=n=${Math.round(opts.rate / 10)}:p=0,${measureFilter(opts.target)}[seg]`,
        '-map',
        '[seg]',
      ],
      ...['-f', 'null', '-'],
    ],
    outputPath: '-',
    totalSec: plan.totalSec,
  };
}
