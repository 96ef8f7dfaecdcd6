/**
 * Growth tests for parsers of outside text and bytes (issue 18): the work must grow no faster
 * than the input. A parser is timed at a base size and at 2, 4 and 8 times that size; each
 * time is the fastest of several trials (the least disturbed by other work on a shared machine)
 * of enough repeats to last a few milliseconds. A linear parser takes about 8 times as long at 8
 * times the input; the test allows 2.5 per doubling (15.6 over three), while a quadratic one
 * takes 64 times and an exponential one far more. Never an absolute time; a case is measured
 * again (up to five times, each size keeping its fastest time) before it is called
 * superlinear, since a busy machine can disturb one measurement but not turn a linear parser
 * quadratic.
 */
import { expect } from 'vitest';

/** Allowed growth of the time per doubling of the input. */
export const PER_DOUBLING = 2.5;

export interface GrowthCase<T> {
  /** The input at size `n` (n = base, 2 base, 4 base, 8 base). */
  make: (n: number) => T;
  /** The work measured (its result is kept from being optimized away). */
  run: (input: T) => unknown;
  base: number;
  /** Doublings measured; 3 by default. */
  doublings?: number;
}

/** Milliseconds one `run` of `input` takes: the fastest of `trials`, each repeated to last ≥ 4 ms. */
export function timeOf<T>(run: (input: T) => unknown, input: T, trials = 5): number {
  let sink: unknown;
  let repeats = 1;
  // Calibrate: repeat until one trial lasts long enough for the clock to resolve it.
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) sink = run(input);
    const took = performance.now() - t0;
    if (took >= 4 || repeats >= 1 << 16) break;
    repeats *= took < 0.5 ? 8 : 2;
  }
  let best = Infinity;
  for (let t = 0; t < trials; t++) {
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) sink = run(input);
    best = Math.min(best, (performance.now() - t0) / repeats);
  }
  void sink;
  return best;
}

/** Time at each size, base first. */
export function growth<T>(c: GrowthCase<T>): { n: number; ms: number }[] {
  const doublings = c.doublings ?? 3;
  const out: { n: number; ms: number }[] = [];
  // A first run warms the code up (JIT) so the base size is not measured cold.
  c.run(c.make(c.base));
  for (let d = 0; d <= doublings; d++) {
    const n = c.base * 2 ** d;
    out.push({ n, ms: timeOf(c.run, c.make(n)) });
    // Already past what the whole run allows: larger sizes would only take longer (an
    // exponential parser would never finish them).
    if (out[d]!.ms / out[0]!.ms > PER_DOUBLING ** doublings) break;
  }
  return out;
}

/**
 * Measurements of one case before it is called superlinear. A busy machine (another process
 * taking the core, a garbage collection landing on one size) can make one measurement look
 * superlinear; a parser that really is quadratic (64x for 8x the input) or worse fails every
 * one. Each size keeps its fastest time over all the measurements (load only ever adds time),
 * and the case passes as soon as those stay within the allowance.
 */
const ATTEMPTS = 5;

/** Asserts the time grew at most PER_DOUBLING times per doubling of the input, end to end. */
export function expectLinear<T>(c: GrowthCase<T>): void {
  const allowed = PER_DOUBLING ** (c.doublings ?? 3);
  const best = new Map<number, number>();
  let times: { n: number; ms: number }[] = [];
  let ratio = Infinity;
  for (let attempt = 0; attempt < ATTEMPTS && ratio > allowed; attempt++) {
    for (const t of growth(c)) best.set(t.n, Math.min(best.get(t.n) ?? Infinity, t.ms));
    times = [...best].sort((a, b) => a[0] - b[0]).map(([n, ms]) => ({ n, ms }));
    ratio = times[times.length - 1]!.ms / times[0]!.ms;
  }
  if (ratio > allowed && stepThenLinear(c)) return;
  const first = times[0]!;
  const last = times[times.length - 1]!;
  expect(
    ratio,
    `time grew ${ratio.toFixed(1)}x for ${last.n / first.n}x the input (allowed ${allowed.toFixed(1)}x): ${times
      .map((t) => `${t.n}: ${t.ms.toFixed(3)} ms`)
      .join(', ')}`,
  ).toBeLessThanOrEqual(allowed);
}

/**
 * A linear parser's time can jump once between two sizes, when its strings or arrays move to a
 * slower tier of V8's memory (a cue sheet's 1,000 to 2,000 tokens took 5x, each doubling after
 * 2x; an MP4's 8,000 to 16,000 samples 5.6x): one step, then linear again. So a case over its
 * allowance is measured above its largest size, over two doublings at a time: linear there
 * (at most PER_DOUBLING per doubling, in one of three windows, so a window clear of that one
 * step is found) passes; a quadratic parser grows 16x in every window and still fails.
 */
function stepThenLinear<T>(c: GrowthCase<T>): boolean {
  const top = c.base * 2 ** (c.doublings ?? 3);
  const time = new Map<number, number>();
  const at = (n: number) => {
    let ms = time.get(n);
    if (ms === undefined) time.set(n, (ms = timeOf(c.run, c.make(n))));
    return ms;
  };
  for (let w = 0; w < 3; w++) {
    const from = top * 2 ** w;
    if (at(from * 4) / at(from) <= PER_DOUBLING ** 2) return true;
  }
  return false;
}
