/**
 * Time left while a join runs, from how fast its percentage has been moving in the current
 * phase (reading, joining): the job reports a percentage per phase, not a clock. Pure.
 */

export interface ProgressSample {
  /** ms, any clock. */
  at: number;
  percent: number;
}

/** A rate needs this much of a phase behind it before it says anything (ms, percent). */
const MIN_ELAPSED_MS = 1500;
const MIN_PERCENT = 3;

/**
 * Seconds left in the phase the samples come from (oldest first), or undefined while too
 * little has happened to tell.
 */
export function secondsLeft(samples: readonly ProgressSample[]): number | undefined {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.percent >= 100) return undefined;
  const done = last.percent - first.percent;
  const elapsed = last.at - first.at;
  if (elapsed < MIN_ELAPSED_MS || done < MIN_PERCENT) return undefined;
  return ((100 - last.percent) * elapsed) / done / 1000;
}
