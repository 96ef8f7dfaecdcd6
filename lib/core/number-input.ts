/**
 * Numbers typed into Seam's fields (trims, transitions, fades, thresholds), read and written the
 * person's way (issue 22: "0:39,49 beside a field showing 39.49"). A German field shows "39,49"
 * and takes "39,49" as well as a typed "39.49"; "1.234,5" and "1 234,5" are read with their
 * grouping. Pure: the locale is an argument (lib/core/i18n.ts `locale()` in the UI).
 */

/** What a field's text says: a number, nothing (the field emptied), or not a number. */
export type ParsedNumber = { ok: true; value: number | undefined } | { ok: false; text: string };

/** The locale's decimal and grouping signs ("," and "." in German). */
function signs(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

/** Spaces a number may be grouped by: the plain one, no-break and narrow no-break (French). */
const SPACES = /[\s\u00a0\u202f\u2009']/g;

/** Digits grouped by `sep` in threes after the first group ("1.234.567"), or undefined. */
function ungroup(digits: string, sep: string): string | undefined {
  const groups = digits.split(sep);
  if (groups.length < 2) return undefined;
  const [head, ...rest] = groups;
  if (!/^\d{1,3}$/.test(head!) || !rest.every((g) => /^\d{3}$/.test(g))) return undefined;
  return groups.join('');
}

/**
 * Reads a field's text in `locale`: either "." or "," is a decimal sign ("2,5" and "2.5" are 2.5
 * in every language), except that the locale's own grouping sign before exactly three digits
 * groups ("1,234" is 1234 in English, "1.234" in German); with both, the last is the decimal
 * sign ("1.234,5"). Empty (or spaces) is no value; anything else is not a number.
 */
export function parseNumber(input: string, locale: string): ParsedNumber {
  const typed = input.trim();
  if (typed === '') return { ok: true, value: undefined };
  const bad = { ok: false as const, text: typed };
  let s = typed.replace(SPACES, '').replace(/^[-\u2212]/, '-');
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return bad;
  const { group } = signs(locale);
  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  let plain: string | undefined;
  if (dots === 0 && commas === 0) {
    plain = s;
  } else if (dots > 0 && commas > 0) {
    // Both: the last one is the decimal sign, the other groups the whole part.
    const decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    const other = decimal === '.' ? ',' : '.';
    const at = s.lastIndexOf(decimal);
    const whole = ungroup(s.slice(0, at), other);
    const frac = s.slice(at + 1);
    if (whole !== undefined && /^\d+$/.test(frac)) plain = `${whole}.${frac}`;
  } else {
    const sep = dots > 0 ? '.' : ',';
    const count = dots + commas;
    const grouped = ungroup(s, sep);
    if (count > 1) plain = grouped;
    else if (sep === group && grouped !== undefined) plain = grouped;
    else {
      const [whole, frac] = s.split(sep);
      if (/^\d*$/.test(whole!) && /^\d+$/.test(frac!)) plain = `${whole || '0'}.${frac}`;
      else if (/^\d+$/.test(whole!) && frac === '') plain = whole;
    }
  }
  if (plain === undefined) return bad;
  const value = Number(plain) * (negative ? -1 : 1);
  return Number.isFinite(value) ? { ok: true, value } : bad;
}

/** A field's number in `locale`, to `decimals` places at most, ungrouped: "39,49", "2.5", "10". */
export function formatNumberInput(n: number, decimals: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: decimals,
    useGrouping: false,
  }).format(n);
}
