/**
 * Parsers of text that strangers write grow linearly with their input (issue 18, "What to build"
 * 1): the reproductions of the issue and a generator of its own per parser (nested, unclosed,
 * repeated, very long tokens), timed at 1, 2, 4 and 8 times a base size (support/growth.ts).
 */
import { describe, expect, it } from 'vitest';
import { isGenericLabel } from '@/lib/page-audio/titles';
import { expectLinear } from './support/growth';

describe('title rules', () => {
  it("a label of 'deson' repeated (2^k splits tried before) is decided in linear time", () => {
    expectLinear({
      make: (k) => 'deson'.repeat(k) + 'x',
      run: isGenericLabel,
      base: 4,
    });
    // The worst case: k = 39 fits the scanner's 200-character cap.
    expect(isGenericLabel('deson'.repeat(39) + 'x')).toBe(false);
    expect(isGenericLabel('deson'.repeat(39))).toBe(true);
  });

  it.each<[string, (n: number) => string]>([
    ['generic words run together', (n) => 'downloadmp3'.repeat(n) + 'q'],
    ['two-letter words', (n) => 'dlanonto'.repeat(n) + 'z'],
    ['many words', (n) => 'download the mp3 '.repeat(n) + 'zzz'],
    ['durations and sizes', (n) => '12:34 5 MB 128 kbps '.repeat(n) + 'x'],
    ['digits', (n) => '1'.repeat(n * 50) + 'b'],
  ])('%s', (_name, make) => {
    expectLinear({ make, run: isGenericLabel, base: 8 });
  });
});
