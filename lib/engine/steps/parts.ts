/**
 * A re-encode in parts: the joined timeline's segments (lib/segments) each encoded by an
 * engine of its own at the same time, then spliced into one gapless file. Loudness, when the
 * join normalizes, is measured once over the whole timeline first (one engine), and every
 * segment applies the same gain. Offscreen document (Chrome), background page (Firefox).
 *
 * Each engine is dropped after its segment (Engine.run resets it), so their memory goes back
 * when the join ends. Cancel (the signal) stops every engine at once; a segment that fails
 * stops the others and its error is the join's.
 */
import { JoinCanceledError, JoinFailedError, asStep, inStep } from '@/lib/core/errors';
import { formatSpec } from '@/lib/core/formats';
import { text } from '@/lib/core/i18n';
import type { OutputSettings } from '@/lib/core/settings';
import type { Bytes } from '@/lib/core/bytes';
import { checkOutputLength } from '@/lib/plan/output-check';
import { loudnessGain, parseLoudness, planLoudnessTarget } from '@/lib/plan/loudness';
import { measureRun, segmentRuns, type SegmentRun } from '@/lib/plan/segment-runs';
import type { ParallelJoin } from '@/lib/plan/parallel';
import type { PartsStep } from '@/lib/plan/steps';
import type { FfmpegPlan, PlanTrack } from '@/lib/plan/types';
import { mergeSegments, spliceSegments, type SegmentPlan } from '@/lib/segments';
import type { StepEngine, StepExecutor, StepPhase } from './context';

/**
 * Share of the progress bar the loudness pass takes in a normalized join: it decodes the whole
 * timeline once without encoding (about a quarter of an encode's time for MP3 here), on one
 * engine, before the segments start.
 */
const MEASURE_SHARE = 0.2;

interface ParallelRunResult {
  blob: Blob;
  /** The largest any one engine's wasm heap grew. */
  heapPeakBytes: number;
  /** Segments encoded (after any merged for a splice point that would not splice). */
  parts: number;
}

interface ParallelRunOptions {
  plan: FfmpegPlan;
  tracks: readonly PlanTrack[];
  output: OutputSettings;
  parallel: ParallelJoin;
  blobs: ReadonlyMap<string, Blob>;
  /** At least as many engines as segments; each runs one segment at a time. */
  engines: readonly StepEngine[];
  onProgress: (fraction: number, phase: 'reading' | 'joining') => void;
  mime: string;
  signal?: AbortSignal | undefined;
}

/**
 * The samples a track decodes to, when its decode check has counted them or its tables say
 * exactly (`heldSamples`, before the check).
 */
function decodedSamples(track: PlanTrack): number | undefined {
  const info = track.info;
  if (!info.decoded) return info.lengthHeld ? info.heldSamples : undefined;
  return info.samples ?? Math.round(info.durationSec * info.sampleRate);
}

async function runParallel(o: ParallelRunOptions): Promise<ParallelRunResult> {
  // One segment failing stops the others; Cancel stops them all.
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  o.signal?.addEventListener('abort', onAbort);
  try {
    if (o.signal?.aborted) throw new JoinCanceledError();
    const target = o.output.normalize ? planLoudnessTarget(o.plan.args) : undefined;
    const measureShare = target === undefined ? 0 : MEASURE_SHARE;
    const gainDb = target === undefined ? undefined : await measureGain(o, target, stopAll.signal);
    return await encodeAndSplice(o, { gainDb, measureShare }, stopAll);
  } catch (err) {
    if (o.signal?.aborted) throw new JoinCanceledError();
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The loudness pass of a normalized join: the whole timeline measured once (one engine), and
 * the gain in dB every segment applies to reach the target.
 */
async function measureGain(
  o: ParallelRunOptions,
  target: number,
  signal: AbortSignal,
): Promise<number> {
  const { plan, tracks, parallel } = o;
  const measure = measureRun(plan, tracks, {
    rate: parallel.rate,
    channels: parallel.channels,
    target,
  });
  const log = await asStep(text('steps.loudness'), () =>
    o.engines[0]!.analyse(
      measure,
      tracks,
      o.blobs,
      (f) => o.onProgress(f * MEASURE_SHARE, 'joining'),
      signal,
    ),
  );
  const measured = parseLoudness(log);
  if (!measured) throw new JoinFailedError(text('engine.noLoudness'));
  return loudnessGain(measured, target);
}

interface PartsGain {
  /** The gain every segment applies (undefined: the join does not normalize). */
  gainDb: number | undefined;
  /** Share of the progress bar the loudness pass took. */
  measureShare: number;
}

/**
 * Encodes the segments not yet encoded, each on an engine of its own, and splices them. MP3
 * splice points whose reservoir bytes fit nowhere have their two segments encoded again as one
 * (latest first, so earlier indexes stay put), and the splice is tried again.
 */
async function encodeAndSplice(
  o: ParallelRunOptions,
  gain: PartsGain,
  stopAll: AbortController,
): Promise<ParallelRunResult> {
  const { plan, tracks, output, parallel } = o;
  let segPlan: SegmentPlan = parallel.segments;
  let outputs: (Bytes | undefined)[] = segPlan.segments.map(() => undefined);
  let writtenSec: number | undefined;
  let heapPeakBytes = 0;
  for (;;) {
    const runs = segmentRuns(plan, tracks, output, segPlan.segments, {
      rate: parallel.rate,
      channels: parallel.channels,
      decodedSamples: (i) => decodedSamples(tracks[i]!),
      gainDb: gain.gainDb,
    });
    const todo = runs.filter((r) => outputs[r.segment] === undefined);
    const count = segPlan.segments.length;
    const results = await encodeSegments(o, todo, count, gain.measureShare, stopAll);
    outputs = [...outputs];
    for (const r of results) {
      heapPeakBytes = Math.max(heapPeakBytes, r.heapPeakBytes);
      outputs[r.run.segment] = r.bytes;
      if (r.run.segment === count - 1 && r.sec !== undefined) {
        writtenSec = segPlan.segments[r.run.segment]!.encodeStart / parallel.rate + r.sec;
      }
    }
    const spliced = segPlan;
    const res = await asStep(text('steps.splice'), () =>
      Promise.resolve().then(() => spliceSegments(spliced, outputs as Bytes[])),
    );
    if (res.ok) {
      // The spliced file must hold the whole timeline: the last segment ends where it does.
      checkOutputLength(plan, writtenSec);
      return { blob: new Blob([res.blob], { type: o.mime }), heapPeakBytes, parts: count };
    }
    for (const later of [...res.failed].sort((a, b) => b - a)) {
      segPlan = mergeSegments(segPlan, later);
      outputs = [...outputs.slice(0, later - 1), undefined, ...outputs.slice(later + 1)];
    }
  }
}

interface EncodedSegment {
  run: SegmentRun;
  bytes: Bytes;
  /** Seconds the segment's encode wrote, when ffmpeg said. */
  sec: number | undefined;
  heapPeakBytes: number;
}

/**
 * Encodes these segments at once, one per engine; the first to fail stops the others, and its
 * error names its part (of `count`).
 */
function encodeSegments(
  o: ParallelRunOptions,
  todo: readonly SegmentRun[],
  count: number,
  measureShare: number,
  stopAll: AbortController,
): Promise<EncodedSegment[]> {
  const progress = partsProgress(todo, measureShare, o.onProgress);
  return Promise.all(
    todo.map(async (run, i) => {
      try {
        const res = await o.engines[i % o.engines.length]!.run(
          run,
          o.tracks,
          o.blobs,
          (f, phase) => progress(run, f, phase),
          o.mime,
          stopAll.signal,
        );
        const bytes = new Uint8Array(await res.blob.arrayBuffer());
        return { run, bytes, sec: res.writtenSec, heapPeakBytes: res.heapPeakBytes };
      } catch (err) {
        stopAll.abort();
        throw inStep(err, text('steps.part', run.segment + 1, count));
      }
    }),
  );
}

/**
 * The segments' progress as one: 'reading' once every one has read its input, then 'joining'
 * after the loudness pass's share, each segment weighed by the seconds it writes.
 */
function partsProgress(
  todo: readonly SegmentRun[],
  measureShare: number,
  onProgress: ParallelRunOptions['onProgress'],
): (run: SegmentRun, fraction: number, phase: StepPhase) => void {
  const weight = todo.reduce((sum, r) => sum + r.totalSec, 0);
  const done = new Map<number, number>();
  let reading = todo.length;
  return (run, fraction, phase) => {
    if (phase === 'reading') {
      // Each part says when it has opened all it reads; reading ends with the last.
      if (fraction === 1 && --reading === 0) onProgress(1, 'reading');
      return;
    }
    done.set(run.segment, fraction);
    let sec = 0;
    for (const r of todo) sec += (done.get(r.segment) ?? 0) * r.totalSec;
    onProgress(measureShare + (1 - measureShare) * (sec / Math.max(weight, 1e-9)), 'joining');
  };
}

/** The plan's re-encode in parts, on as many engines as it has segments. */
export const parts: StepExecutor<PartsStep> = async (step, ctx) => {
  const plan = ctx.plan;
  if (plan.kind !== 'ffmpeg') throw new Error('a parts step needs an ffmpeg plan');
  const run = await ctx.lease(step.segments.segments.length, (engines) =>
    runParallel({
      plan,
      tracks: ctx.state.tracks,
      output: ctx.output,
      parallel: step,
      blobs: ctx.blobs,
      engines,
      onProgress: (f, phase) => ctx.progress(f, phase),
      mime: formatSpec(ctx.output.format).mime,
      signal: ctx.signal,
    }),
  );
  ctx.state.result = run.blob;
  ctx.state.heapPeakBytes = run.heapPeakBytes;
  ctx.state.parts = run.parts;
};
