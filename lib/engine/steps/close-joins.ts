import { SpliceError } from '@/lib/segments';
import { closeJoins as closeCopyJoins } from '@/lib/lossless';
import { text } from '@/lib/core/i18n';
import type { CloseJoinsStep } from '@/lib/plan/steps';
import type { JunctionCoder } from '@/lib/lossless/seam-plan';
import { engineAacCoder } from '../junction-coder';
import { joined, type StepExecutor } from './context';

/**
 * Closes a stream copy's joins (lib/lossless: the encoders' priming and padding left out at
 * each): the few AAC frames at each encoded again in the engine where the plan says so
 * (lib/lossless/mp4-seams.ts), else whole frames left out. A copy the pass cannot read (an odd
 * file: tables not as assumed, or shorter than they say) is still the whole audio: it is kept
 * as it is, and the saved line says so.
 */
export const closeJoins: StepExecutor<CloseJoinsStep> = async (step, ctx) => {
  const copied = joined(ctx);
  const inputs = ctx.ready.map((t) => ctx.blobs.get(t.id)!);
  const coders = step.exact
    ? {
        mp4: counted(engineAacCoder(ctx.engine), inputs.length - 1, ctx.progress),
        signal: ctx.signal,
        onWholeFrames: () => void (ctx.state.note ??= text('join.wholeFrames')),
      }
    : {};
  ctx.state.result = await closeCopyJoins(step.container, copied, inputs, coders).catch(
    (e: unknown) => {
      if (!(e instanceof SpliceError || e instanceof RangeError)) throw e;
      console.warn(`Seam: the joins stay as copied (${e.message})`);
      ctx.state.note = text('join.joinsAsCopied');
      return copied;
    },
  );
};

/** A coder that moves the step's progress by each join it encodes (one encode per join). */
function counted<E>(
  coder: JunctionCoder<E>,
  joins: number,
  progress: (fraction: number) => void,
): JunctionCoder<E> {
  let done = 0;
  return {
    decode: (frames, enc) => coder.decode(frames, enc),
    encode: async (pcm, enc) => {
      const out = await coder.encode(pcm, enc);
      progress(++done / Math.max(1, joins));
      return out;
    },
  };
}
