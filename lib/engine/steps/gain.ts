import { gainAac } from '@/lib/lossless/gain/aac-gain';
import { gainMp3 } from '@/lib/lossless/gain/mp3-gain';
import type { GainAacStep, GainMp3Step } from '@/lib/plan/steps';
import type { StepExecutor } from './context';

/**
 * "Match loudness" in a lossless MP3 join: each track's frames with their global_gain moved
 * (lib/lossless/gain/mp3-gain.ts), in place of its audio for the join that follows. No engine:
 * the bytes are copied once and changed in a few places per frame.
 */
export const gainMp3Step: StepExecutor<GainMp3Step> = async (step, ctx) => {
  for (const [k, { track, trackId, steps }] of step.tracks.entries()) {
    const t = ctx.state.tracks[track]!;
    const blob = ctx.blobs.get(trackId);
    if (!blob) continue;
    const gained = await gainMp3({ id: t.id, name: t.name, blob }, steps, { signal: ctx.signal });
    ctx.blobs.set(trackId, gained.blob);
    ctx.progress((k + 1) / step.tracks.length);
  }
};

/**
 * The same for AAC-LC in MP4, mono or stereo (lib/lossless/gain/aac-gain.ts), before the stream copy reads
 * the tracks; the exact joins after it decode the gained frames.
 */
export const gainAacStep: StepExecutor<GainAacStep> = async (step, ctx) => {
  for (const [k, { track, trackId, steps }] of step.tracks.entries()) {
    const t = ctx.state.tracks[track]!;
    const blob = ctx.blobs.get(trackId);
    if (!blob) continue;
    const gained = await gainAac({ id: t.id, name: t.name, blob }, steps);
    ctx.blobs.set(trackId, gained.blob);
    ctx.progress((k + 1) / step.tracks.length);
  }
};
