/**
 * How a join's steps move its progress bar, in the stages a person sees (issue 22): reading the
 * tracks (ffmpeg opens its inputs one by one before the first second is written, 8 s for 40
 * tracks), joining (the pre steps and the join, weighed by the seconds of audio each reads), and
 * finishing the file (the post steps: joins closed, header or tags written again, chapters handed
 * on; an equal share each, each moving as it goes). Every stage runs from 0 to 99 of its own and
 * never says 100 while work is left in it: the next stage, or Saving, takes over. Pure.
 */
import type { JoinStep } from './steps';

export type StagePhase = 'joining' | 'finishing';

/** A step's stage and its weight there. */
export interface Stage {
  phase: StagePhase;
  weight: number;
}

/** Percent of a stage done, from its fraction: 99 at most, so the bar never rests at 100. */
export function stagePercent(fraction: number): number {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return Math.min(99, Math.floor(f * 100));
}

/**
 * Each step's stage and weight: a post step finishes the file (an equal share); the others join,
 * by the seconds of audio they read (`totalSec`: the whole join's).
 */
export function progressStages(steps: readonly JoinStep[], totalSec: number): Stage[] {
  return steps.map((step) => {
    switch (step.kind) {
      case 'predecode':
        return { phase: 'joining', weight: step.run.totalSec };
      case 'gain-mp3':
      case 'gain-aac':
        return { phase: 'joining', weight: 0 };
      case 'fast-mp3':
      case 'fast-wav':
      case 'ffmpeg':
      case 'parts':
        return { phase: 'joining', weight: totalSec };
      case 'close-joins':
      case 'wav-header':
      case 'retag-mp3':
      case 'chapter-files':
      case 'opus-gain':
        return { phase: 'finishing', weight: 1 };
    }
  });
}

/** Where the bar stands while step `index` of `stages` is `fraction` done: its stage, percent. */
export function stepProgress(
  stages: readonly Stage[],
  index: number,
  fraction: number,
): { phase: StagePhase; percent: number } {
  const stage = stages[index]!;
  let before = 0;
  let whole = 0;
  for (const [i, s] of stages.entries()) {
    if (s.phase !== stage.phase) continue;
    if (i < index) before += s.weight;
    whole += s.weight;
  }
  const f = whole > 0 ? (before + fraction * stage.weight) / whole : fraction;
  return { phase: stage.phase, percent: stagePercent(f) };
}

/** How many files an ffmpeg command opens before it writes (each `-i`): reading's steps. */
export function inputCount(args: readonly string[]): number {
  return args.filter((a) => a === '-i').length;
}
