/**
 * Numbers in fields the person's way (issue 22, item 6): German shows and takes a decimal comma
 * and still takes a typed dot; every language reads its own grouping; odd input is refused.
 */
import { describe, expect, it } from 'vitest';
import { formatNumberInput, parseNumber } from '@/lib/core/number-input';

const value = (input: string, locale: string) => {
  const p = parseNumber(input, locale);
  return p.ok ? p.value : 'not a number';
};

describe('parseNumber', () => {
  it.each([
    ['39,49', 'de', 39.49],
    ['39.49', 'de', 39.49],
    ['2,5', 'de', 2.5],
    ['  2,5 ', 'de', 2.5],
    ['1.234,5', 'de', 1234.5],
    ['1.234', 'de', 1234],
    ['1.234.567', 'de', 1234567],
    ['2,', 'de', 2],
    [',5', 'de', 0.5],
    ['39.49', 'en', 39.49],
    ['39,49', 'en', 39.49],
    ['1,234.5', 'en', 1234.5],
    ['1.234,5', 'en', 1234.5],
    ['1,234', 'en', 1234],
    ['2.5', 'fr', 2.5],
    ['2,5', 'fr', 2.5],
    ['1\u202f234,5', 'fr', 1234.5],
    ['1 234,5', 'fr', 1234.5],
    ['12,5', 'es', 12.5],
    ['3.5', 'ja', 3.5],
    ['-1,5', 'de', -1.5],
    ['0', 'de', 0],
    ['', 'de', undefined],
    ['   ', 'en', undefined],
  ])('"%s" in %s is %s', (input, locale, expected) => {
    expect(value(input, locale)).toBe(expected);
  });

  it.each([
    ['abc', 'de'],
    ['2,5s', 'de'],
    ['1,2,3', 'en'],
    ['1.2.3', 'de'],
    ['1,23.4', 'en'],
    ['.', 'en'],
    [',', 'de'],
    ['2..5', 'en'],
    ['--1', 'en'],
    ['1e3', 'en'],
  ])('"%s" in %s is not a number, and says what was typed', (input, locale) => {
    expect(parseNumber(input, locale)).toEqual({ ok: false, text: input.trim() });
  });
});

describe('formatNumberInput', () => {
  it.each([
    [39.49, 2, 'de', '39,49'],
    [39.49, 2, 'en', '39.49'],
    [39.49, 2, 'fr', '39,49'],
    [2.5, 1, 'de', '2,5'],
    [2, 1, 'de', '2'],
    [1234.5, 2, 'de', '1234,5'],
    [1234.5, 2, 'en', '1234.5'],
    [0.125, 2, 'en', '0.13'],
  ])('%s to %s places in %s is "%s"', (n, decimals, locale, text) => {
    expect(formatNumberInput(n, decimals, locale)).toBe(text);
  });

  it('reads back what it writes, in every language', () => {
    for (const locale of ['de', 'en', 'fr', 'es', 'ja']) {
      for (const n of [0, 0.5, 2.5, 39.49, 1234.56]) {
        expect(value(formatNumberInput(n, 2, locale), locale), `${n} in ${locale}`).toBe(n);
      }
    }
  });
});
