/**
 * One join, from its request to its result: the plan (lib/plan), the Blobs it reads, the steps
 * run in turn (./pipeline.ts), and the result's blob: URL. The engines come from the pool
 * (./pool.ts) through the host (./host.ts). Offscreen document (Chrome), background page
 * (Firefox).
 */
import { asStep, JoinCanceledError, JoinFailedError, TrackMissingError } from '@/lib/core/errors';
import { formatSpec } from '@/lib/core/formats';
import { text } from '@/lib/core/i18n';
import type { JobPhase } from '@/lib/core/job';
import { COVER_IMAGE_ID } from '@/lib/core/settings';
import { trackRef } from '@/lib/core/track';
import { planJoin } from '@/lib/plan/planner';
import type { JoinPlan, PlanTrack } from '@/lib/plan/types';
import type { JobResult, JoinRequest } from '@/lib/protocol/contract';
import { getCoverImage } from '@/lib/store/cover';
import { getAudio } from '@/lib/store/tracks';
import { runSteps } from './pipeline';
import { checkMemory, deviceMemory } from './preflight';
import type { StepContext, StepEngine } from './steps/context';

export interface JoinEngines {
  engine: StepEngine;
  lease: StepContext['lease'];
  /** The engines the machine may use at once: a long re-encode runs in as many parts. */
  cores: number;
  report(phase: JobPhase, percent: number, lossless: boolean): void;
}

/** Plans and runs the join of `ready` (probed and checked tracks, in order). */
export async function runJoin(
  req: JoinRequest,
  ready: PlanTrack[],
  signal: AbortSignal,
  on: JoinEngines,
): Promise<Omit<JobResult, 'jobId'>> {
  if (signal.aborted) throw new JoinCanceledError();
  on.report('loading', 0, false);
  const plan = planJoin(ready, req.output, { ...req.options, cores: on.cores });
  const blobs = await joinBlobs(ready, plan);
  if (plan.kind === 'ffmpeg') {
    // Refused by name before starting what cannot fit (./preflight.ts).
    checkMemory(plan, ready, deviceMemory());
    on.report('reading', 0, plan.lossless);
  }
  const state = await runSteps(plan.steps, {
    plan,
    output: req.output,
    ready,
    blobs,
    engine: on.engine,
    lease: on.lease,
    signal,
    report: (phase, percent) => on.report(phase, percent, plan.lossless),
  });
  on.report('saving', 100, plan.lossless);
  const spec = formatSpec(req.output.format);
  const result = state.result;
  if (!result) throw new JoinFailedError(text('engine.noOutput'));
  const typed = result.type ? result : new Blob([result], { type: spec.mime });
  return {
    url: URL.createObjectURL(typed),
    bytes: typed.size,
    lossless: plan.lossless,
    ...(state.heapPeakBytes !== undefined ? { heapPeakBytes: state.heapPeakBytes } : {}),
    ...(state.parts !== undefined ? { parts: state.parts } : {}),
    ...(state.note ? { note: state.note } : {}),
    ...(state.chapterFiles ? { chapterFiles: state.chapterFiles } : {}),
  };
}

/** The tracks' audio by track id, and the person's own cover image when the plan writes it. */
async function joinBlobs(ready: readonly PlanTrack[], plan: JoinPlan): Promise<Map<string, Blob>> {
  const blobs = new Map<string, Blob>();
  await asStep(text('steps.read'), async () => {
    for (const t of ready) {
      const blob = await getAudio(t.id);
      if (!blob) throw new TrackMissingError(trackRef(t));
      blobs.set(t.id, blob);
    }
  });
  if (plan.coverImage) {
    // The person's own cover image, an input like the tracks' audio.
    const image = await asStep(text('steps.cover'), getCoverImage);
    if (!image) throw new JoinFailedError(text('engine.coverGone'));
    blobs.set(COVER_IMAGE_ID, image.blob);
  }
  return blobs;
}
