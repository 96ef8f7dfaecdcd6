import { JoinFailedError, OutputTooShortError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { trackRef } from '@/lib/core/track';
import { INTERMEDIATE_SAMPLE_BYTES, intermediateInfo, intermediateKey } from '@/lib/plan/predecode';
import type { PredecodeStep } from '@/lib/plan/steps';
import type { StepExecutor } from './context';

/**
 * Decodes a track that changes format midway into its intermediate (lib/plan/predecode.ts), in
 * an ffmpeg run of its own; the Blob joins the others under its own key, and the join reads the
 * track from it, at its exact length. Cancel stops the run.
 */
export const predecode: StepExecutor<PredecodeStep> = async ({ run }, ctx) => {
  const track = ctx.state.tracks[run.track]!;
  let blob: Blob;
  try {
    ({ blob } = await ctx.engine.run(
      run,
      ctx.ready,
      ctx.blobs,
      (f, phase) => phase === 'joining' && ctx.progress(f),
      'application/octet-stream',
      ctx.signal,
    ));
  } catch (err) {
    if (!(err instanceof OutputTooShortError)) throw err;
    throw new JoinFailedError(
      text('engine.predecodeShort', err.text ?? err.message),
      trackRef(track),
    );
  }
  const bytes = INTERMEDIATE_SAMPLE_BYTES * run.target.channels.count;
  ctx.blobs.set(intermediateKey(run.trackId), blob);
  ctx.state.tracks[run.track] = {
    ...track,
    info: intermediateInfo(track.info, run.target, Math.floor(blob.size / bytes)),
  };
};
