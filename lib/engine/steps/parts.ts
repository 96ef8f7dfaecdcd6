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
import { measureRun, segmentRuns } from '@/lib/plan/segment-runs';
import type { ParallelJoin } from '@/lib/plan/parallel';
import type { PartsStep } from '@/lib/plan/steps';
import type { FfmpegPlan, PlanTrack } from '@/lib/plan/types';
import { mergeSegments, spliceSegments, type SegmentPlan } from '@/lib/segments';
import type { StepEngine, StepExecutor } from './context';

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

/** The samples a track decodes to, when its decode check has counted them. */
function decodedSamples(track: PlanTrack): number | undefined {
  const info = track.info;
  if (!info.decoded) return undefined;
  return info.samples ?? Math.round(info.durationSec * info.sampleRate);
}

async function runParallel(o: ParallelRunOptions): Promise<ParallelRunResult> {
  const { plan, tracks, output, parallel, blobs, engines, mime } = o;
  // One segment failing stops the others; Cancel stops them all.
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  o.signal?.addEventListener('abort', onAbort);
  const signal = stopAll.signal;
  let heapPeakBytes = 0;
  try {
    if (o.signal?.aborted) throw new JoinCanceledError();
    const target = output.normalize ? planLoudnessTarget(plan.args) : undefined;
    const measureShare = target === undefined ? 0 : MEASURE_SHARE;
    let gainDb: number | undefined;
    if (target !== undefined) {
      const measure = measureRun(plan, tracks, {
        rate: parallel.rate,
        channels: parallel.channels,
        target,
      });
      const log = await asStep(text('steps.loudness'), () =>
        engines[0]!.analyse(
          measure,
          tracks,
          blobs,
          (f) => o.onProgress(f * measureShare, 'joining'),
          signal,
        ),
      );
      const measured = parseLoudness(log);
      if (!measured) throw new JoinFailedError(text('engine.noLoudness'));
      gainDb = loudnessGain(measured, target);
    }

    let segPlan: SegmentPlan = parallel.segments;
    let outputs: (Bytes | undefined)[] = segPlan.segments.map(() => undefined);
    let writtenSec: number | undefined;
    for (;;) {
      const runs = segmentRuns(plan, tracks, output, segPlan.segments, {
        rate: parallel.rate,
        channels: parallel.channels,
        decodedSamples: (i) => decodedSamples(tracks[i]!),
        gainDb,
      });
      const todo = runs.filter((r) => outputs[r.segment] === undefined);
      const weight = todo.reduce((sum, r) => sum + r.totalSec, 0);
      const done = new Map<number, number>();
      const report = () => {
        let sec = 0;
        for (const r of todo) sec += (done.get(r.segment) ?? 0) * r.totalSec;
        o.onProgress(measureShare + (1 - measureShare) * (sec / Math.max(weight, 1e-9)), 'joining');
      };
      let reading = todo.length;
      const results = await Promise.all(
        todo.map(async (run, i) => {
          try {
            const res = await engines[i % engines.length]!.run(
              run,
              tracks,
              blobs,
              (f, phase) => {
                if (phase === 'reading') {
                  // Each part says when it has opened all it reads; reading ends with the last.
                  if (f === 1 && --reading === 0) o.onProgress(1, 'reading');
                  return;
                }
                done.set(run.segment, f);
                report();
              },
              mime,
              signal,
            );
            heapPeakBytes = Math.max(heapPeakBytes, res.heapPeakBytes);
            return {
              run,
              bytes: new Uint8Array(await res.blob.arrayBuffer()),
              sec: res.writtenSec,
            };
          } catch (err) {
            stopAll.abort();
            throw inStep(err, text('steps.part', run.segment + 1, segPlan.segments.length));
          }
        }),
      );
      outputs = [...outputs];
      for (const r of results) {
        outputs[r.run.segment] = r.bytes;
        if (r.run.segment === segPlan.segments.length - 1 && r.sec !== undefined) {
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
        return {
          blob: new Blob([res.blob], { type: mime }),
          heapPeakBytes,
          parts: segPlan.segments.length,
        };
      }
      // MP3 splice points whose reservoir bytes fit nowhere: their two segments are encoded again
      // as one (latest first, so earlier indexes stay put), and the splice is tried again.
      for (const later of [...res.failed].sort((a, b) => b - a)) {
        segPlan = mergeSegments(segPlan, later);
        outputs = [...outputs.slice(0, later - 1), undefined, ...outputs.slice(later + 1)];
      }
    }
  } catch (err) {
    if (o.signal?.aborted) throw new JoinCanceledError();
    throw err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
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
