import type { WavHeaderStep } from '@/lib/plan/steps';
import { rewriteWavHeader } from '@/lib/containers/wav';
import { joined, type StepExecutor } from './context';

/** A WAV written by ffmpeg gets a header that names its speakers, and RF64 past 4 GiB. */
export const wavHeader: StepExecutor<WavHeaderStep> = async (_step, ctx) => {
  ctx.state.result = await rewriteWavHeader(joined(ctx));
};
