import { joinLosslessly } from '@/lib/lossless';
import type { FastMp3Step, FastWavStep } from '@/lib/plan/steps';
import { text } from '@/lib/core/i18n';
import { engineMp3Coder } from '../junction-coder';
import type { StepContext, StepExecutor } from './context';

function inputs(ctx: StepContext) {
  return ctx.state.tracks.map((t) => ({ id: t.id, name: t.name, blob: ctx.blobs.get(t.id)! }));
}

/**
 * The zero-copy MP3 join (lib/lossless/mp3): frames copied as slices of the inputs; the few at
 * each join decoded and encoded again in the engine so the tracks meet exactly
 * (lib/lossless/mp3/seams.ts), or whole frames of padding left out where that cannot be done.
 */
export const fastMp3: StepExecutor<FastMp3Step> = async (step, ctx) => {
  ctx.state.result = await joinLosslessly('mp3', inputs(ctx), {
    signal: ctx.signal,
    onProgress: (f) => ctx.progress(f),
    mp3Coder: engineMp3Coder(ctx.engine),
    onOverlaps: (o) => (ctx.state.overlaps = o),
    onWholeFrames: () => {
      if (step.exact) ctx.state.note ??= text('join.wholeFrames');
    },
  });
};

/** The zero-copy WAV join (lib/lossless/wav.ts): the data chunks as slices, a fresh header. */
export const fastWav: StepExecutor<FastWavStep> = async (_step, ctx) => {
  ctx.state.result = await joinLosslessly('wav', inputs(ctx), {
    signal: ctx.signal,
    onProgress: (f) => ctx.progress(f),
  });
};
