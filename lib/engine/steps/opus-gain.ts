import { firstPageLength, withOutputGain } from '@/lib/containers/opus-head-gain';
import type { OpusGainStep } from '@/lib/plan/steps';
import { joined, type StepExecutor } from './context';

/** The first page's bytes read to find the OpusHead (one page holds at most 65,307). */
const HEAD_BYTES = 65_307;

/**
 * "Match loudness" in a lossless Opus join: one output gain in the OpusHead (the plan chose one
 * that brings every track within 0.75 dB of the target), the audio pages untouched: the result
 * is the first page written again plus a slice of the joined file.
 */
export const opusGain: StepExecutor<OpusGainStep> = async (step, ctx) => {
  const blob = joined(ctx);
  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const len = firstPageLength(head);
  const page = withOutputGain(head.subarray(0, len), step.gainDb);
  ctx.state.result = new Blob([page, blob.slice(len)], { type: blob.type || 'audio/ogg' });
};
