import { formatSpec } from '@/lib/core/formats';
import type { FfmpegStep } from '@/lib/plan/steps';
import type { StepExecutor } from './context';

/** The plan's ffmpeg command in the join's engine: a stream copy, or decode, mix and encode. */
export const ffmpeg: StepExecutor<FfmpegStep> = async (_step, ctx) => {
  if (ctx.plan.kind !== 'ffmpeg') throw new Error('an ffmpeg step needs an ffmpeg plan');
  const run = await ctx.engine.run(
    ctx.plan,
    ctx.state.tracks,
    ctx.blobs,
    (f, phase) => ctx.progress(f, phase),
    formatSpec(ctx.output.format).mime,
    ctx.signal,
  );
  ctx.state.result = run.blob;
  ctx.state.heapPeakBytes = run.heapPeakBytes;
};
