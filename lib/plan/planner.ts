/**
 * The join planner: tracks and settings in, a JoinPlan out: its steps (./steps.ts), the command
 * its main step runs, the tags, chapters and cover it writes, and the plan in words. Three parts
 * in one direction: ./decide.ts chooses, ./commands.ts builds the commands and steps,
 * ./describe.ts says it. Pure.
 */
import type { OutputSettings } from '@/lib/core/settings';
import { decideJoin } from './decide';
import { copyCommand, encodeCommand, joinSteps } from './commands';
import { describeJoin } from './describe';
import type { FfmpegPlan, JoinPlan, PlanCommon, PlanOptions, PlanTrack } from './types';

export type { JoinPlan, PlanInput, PlanOptions, PlanTrack } from './types';
export { targetSampleRate } from './decide';
export { targetChannels } from './layout';
export { checkOutputLength } from './output-check';
/**
 * Chooses how to join (./decide.ts): lossless (the zero-copy fast path for MP3 and WAV, else an
 * ffmpeg stream copy) when the tracks can go in unchanged, otherwise a re-encode through one
 * filter graph and the format's encoder, in parts on `opts.cores` engines when it is long
 * enough. Tags, cover and chapters are written either way where the format holds them.
 * Throws JoinFailedError (naming the track) when a trim leaves nothing of a track.
 */
export function planJoin(
  tracks: readonly PlanTrack[],
  stored: OutputSettings,
  opts: PlanOptions = {},
): JoinPlan {
  const d = decideJoin(tracks, stored, opts);
  const common: Omit<PlanCommon, 'lossless' | 'steps'> = {
    totalSec: d.totalSec,
    clamped: d.clamped,
    transitions: d.transitions,
    chapters: d.chapters,
    chapterList: d.chapterList,
    tags: d.tags,
    coverTrack: d.coverTrack,
    coverImage: d.coverImage,
    loudness: d.loudness,
    ...describeJoin(d),
  };
  const placeholder = { pre: [], main: { kind: 'ffmpeg' as const }, post: [] };
  if (d.route === 'copy' && d.fast) {
    const plan: JoinPlan = { kind: 'fast', lossless: true, ...common, steps: placeholder };
    return { ...plan, steps: joinSteps(d, plan) };
  }
  if (d.route === 'copy') {
    const plan: FfmpegPlan = {
      kind: 'ffmpeg',
      lossless: true,
      ...common,
      ...copyCommand(d),
      steps: placeholder,
    };
    return { ...plan, steps: joinSteps(d, plan) };
  }
  const { pre, ...command } = encodeCommand(d);
  const plan: FfmpegPlan = {
    kind: 'ffmpeg',
    lossless: d.route !== 'encode',
    ...common,
    ...command,
    steps: placeholder,
  };
  return { ...plan, steps: joinSteps(d, plan, pre) };
}
