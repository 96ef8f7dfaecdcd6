/**
 * Whether a join is encoded in parallel, and in which segments: the rule that makes a plan's
 * main step "parts" (./commands.ts), which the plan summary states. Pure.
 */
import { formatSpec } from '@/lib/core/formats';
import type { OutputSettings } from '@/lib/core/settings';
import { targetSampleRate } from './decide';
import { targetChannels, type ChannelTarget } from './layout';
import type { JoinPlan, PlanTrack } from './types';
import { samplesAt } from './segment-runs';
import { segmentCodec } from '@/lib/segments/codecs';
import { planSegments, type SegmentPlan } from '@/lib/segments/plan';

export interface ParallelJoin {
  segments: SegmentPlan;
  rate: number;
  channels: ChannelTarget;
}

/**
 * The segments of a re-encode on `cores` engines, or undefined when it runs in one engine: a
 * lossless join, a format without a splicer (Vorbis, WAV), a single core, or a job too short to
 * be worth a second engine (segments/plan.ts MIN_SEGMENT_SEC).
 */
export function parallelJoin(
  plan: JoinPlan,
  tracks: readonly PlanTrack[],
  output: OutputSettings,
  cores: number,
): ParallelJoin | undefined {
  if (plan.kind !== 'ffmpeg' || !plan.args.includes('-filter_complex')) return undefined;
  // A cover taken from the file of a track read from its intermediate is an input the
  // segments' commands do not place (lib/plan/predecode.ts): such a join runs in one engine.
  if (plan.inputs.length > tracks.length + (plan.coverImage ? 1 : 0)) return undefined;
  const rate = targetSampleRate(tracks, formatSpec(output.format), output.sampleRate);
  const codec = segmentCodec(output.format, rate);
  if (!codec) return undefined;
  const segments = planSegments(codec, {
    totalSamples: samplesAt(plan.totalSec, rate),
    rate,
    cores,
    fadeInSamples: samplesAt(Math.max(0, output.fadeInSec), rate),
    fadeOutSamples: samplesAt(Math.max(0, output.fadeOutSec), rate),
  });
  if (segments.segments.length < 2) return undefined;
  return {
    segments,
    rate,
    channels: targetChannels(
      tracks.map((t) => t.info),
      output.format,
      output.channels,
    ),
  };
}
