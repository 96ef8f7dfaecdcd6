/**
 * The growth test itself (tests/unit/support/growth.ts): a linear parser passes, one whose time
 * steps once and is linear again passes, a quadratic one fails.
 */
import { describe, expect, it } from 'vitest';
import { expectLinear } from './support/growth';

/** Work proportional to `n` (a sum over an array of n numbers). */
const linear = (n: number) => {
  let s = 0;
  for (let r = 0; r < 20; r++) for (let i = 0; i < n; i++) s += (i * r) % 7;
  return s;
};

describe('expectLinear', () => {
  it('passes a linear parser', () => {
    expectLinear({ make: (n) => n, run: linear, base: 20_000 });
  });

  it('passes one whose time steps once between two sizes, then grows linearly', () => {
    // Six times the work from 8x the base on, as a slower memory tier would cost.
    const base = 20_000;
    expectLinear({ make: (n) => n, run: (n) => linear(n >= 8 * base ? 6 * n : n), base });
  });

  it('fails a quadratic parser', () => {
    const quadratic = (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += (i ^ j) & 1;
      return s;
    };
    expect(() => expectLinear({ make: (n) => n, run: quadratic, base: 200 })).toThrow(/grew/);
  });
});
