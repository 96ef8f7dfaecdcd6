/**
 * Shrinking a failing scenario, as property-testing tools do: try it with one thing less (an
 * input, an edit, a tag, an option back at its default) and keep each removal after which it
 * still fails the same way, until nothing more can go or the run budget is spent.
 */
import type { Scenario } from './scenario';

/** Every scenario one step simpler than `s`, simplest-making first. */
export function simpler(s: Scenario): Scenario[] {
  const out: Scenario[] = [];
  const clone = (): Scenario => JSON.parse(JSON.stringify(s)) as Scenario;
  // One input less (with its edit); the cover that named a later track follows it.
  for (let i = 0; s.inputs.length > 1 && i < s.inputs.length; i++) {
    const c = clone();
    c.inputs.splice(i, 1);
    c.edits.splice(i, 1);
    // The transition into it would join other neighbours, which its length was not drawn for.
    if (i > 0) delete c.edits[i - 1]!.after;
    const cover = c.output.cover;
    if (typeof cover === 'object') {
      if (cover.track === i) c.output.cover = 'none';
      else if (cover.track > i) c.output.cover = { track: cover.track - 1 };
    }
    out.push(c);
  }
  const option = (change: (c: Scenario) => void) => {
    const c = clone();
    change(c);
    if (JSON.stringify(c) !== JSON.stringify(s)) out.push(c);
  };
  option((c) => {
    c.silenceTrim = false;
  });
  option((c) => {
    c.output.normalize = false;
  });
  option((c) => {
    c.output.fadeInSec = 0;
    c.output.fadeOutSec = 0;
  });
  option((c) => {
    c.output.chapterFiles = false;
  });
  option((c) => {
    c.output.cover = 'none';
  });
  option((c) => {
    c.output.sampleRate = 'source';
  });
  option((c) => {
    c.output.channels = 'source';
  });
  option((c) => {
    c.output.chapters = 'none';
  });
  option((c) => {
    c.tags = {};
  });
  s.edits.forEach((e, i) => {
    for (const key of ['after', 'startSec', 'endSec'] as const) {
      if (e[key] !== undefined) {
        option((c) => {
          delete c.edits[i]![key];
        });
      }
    }
  });
  s.inputs.forEach((input, i) => {
    for (const key of ['chapters', 'cover', 'tags', 'lead', 'trail'] as const) {
      if (input[key] !== undefined) {
        option((c) => {
          delete c.inputs[i]![key];
        });
      }
    }
  });
  return out;
}

/** A failure's kind: its words without the numbers in them. */
export const failureKind = (failure: string): string =>
  failure.replace(/-?\d+(\.\d+)?/g, '#').slice(0, 60);

/**
 * Shrinks `s`, which fails with `failures`: `fails(candidate)` runs a candidate and returns its
 * failures. Stops after `budget` runs. Returns the smallest scenario found and its failures.
 */
export async function shrink(
  s: Scenario,
  failures: string[],
  fails: (candidate: Scenario) => Promise<string[]>,
  budget = 30,
): Promise<{ scenario: Scenario; failures: string[]; runs: number }> {
  const kinds = new Set(failures.map(failureKind));
  let best = { scenario: s, failures };
  let runs = 0;
  for (let progress = true; progress && runs < budget;) {
    progress = false;
    for (const candidate of simpler(best.scenario)) {
      if (runs >= budget) break;
      runs++;
      const got = await fails(candidate);
      if (got.some((f) => kinds.has(failureKind(f)))) {
        best = { scenario: candidate, failures: got };
        progress = true;
        break;
      }
    }
  }
  return { ...best, runs };
}
