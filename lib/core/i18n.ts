/**
 * Seam's words in the person's language. Every sentence the UI shows comes from `locales/*.yml`
 * (built into `_locales/` by @wxt-dev/i18n, read through `browser.i18n`). Pure: the reader is
 * installed by each context that shows text (`setLanguage`, called by lib/core's callers in
 * entrypoints), so pure code can name sentences without touching a browser API.
 *
 * A sentence made where it cannot be read out (the offscreen document has no `browser.i18n`, and
 * errors cross contexts as data) travels as a `Text`: its key and substitutions, put into words
 * where it is shown (`render`).
 */
import type { GeneratedI18nStructure } from '#i18n';

type Structure = GeneratedI18nStructure;
/** Seam's own message keys (not Chrome's predefined "@@..." ones). */
export type MessageKey = Exclude<keyof Structure, `@@${string}`>;
type PluralKey = { [K in MessageKey]: Structure[K]['plural'] extends true ? K : never }[MessageKey];
type PlainKey = Exclude<MessageKey, PluralKey>;

/**
 * A substitution: a string, a number (written the person's way, to at most two decimals), a
 * number with a fixed count of decimals ("2.0 KB"), or a sentence of its own.
 */
export type Sub = string | number | Fixed | Text;

/** A number written with exactly `decimals` decimals where it is shown. */
interface Fixed {
  fixed: number;
  decimals: number;
}

/** A sentence as data: JSON-safe, so it crosses contexts; `render` puts it into words. */
export interface Text {
  key: MessageKey;
  subs?: Sub[];
  /** For plural messages: the count that picks the form (and is "$1"). */
  n?: number;
}

type Tuple<N, A extends Sub[] = []> = A['length'] extends N
  ? A
  : A['length'] extends 9
    ? A
    : Tuple<N, [...A, Sub]>;
type Rest<T extends unknown[]> = T extends [unknown, ...infer R] ? R : [];
type SubsOf<K extends MessageKey> = Tuple<Structure[K]['substitutions']>;

/**
 * Reads one message with its substitutions already written: @wxt-dev/i18n's `t` (untyped form),
 * which picks the plural form from `n`.
 */
export type MessageReader = (key: string, n: number | undefined, subs: string[]) => string;

let reader: MessageReader | undefined;
let uiLocale = 'en';

/**
 * Installs the reader and the person's locale (for Intl: numbers, sizes, dates). Each page,
 * the service worker and the unit tests call it once before any text is made.
 */
export function setLanguage(read: MessageReader, locale: string): void {
  reader = read;
  uiLocale = locale;
}

/** The person's locale as Intl wants it ("de", "en-US"); "en" until `setLanguage`. */
export function locale(): string {
  return uiLocale;
}

/** A number written the person's way: "1,234.5", "1.234,5", "1 234,5". */
export function formatNumber(n: number, maxDecimals = 0, minDecimals = 0): string {
  return new Intl.NumberFormat(uiLocale, {
    maximumFractionDigits: maxDecimals,
    minimumFractionDigits: minDecimals,
  }).format(n);
}

/** A message with its substitutions ("$1", "$2", ...). */
export function t<K extends PlainKey>(key: K, ...subs: SubsOf<K>): string {
  return read({ key, subs: subs as Sub[] });
}

/** A plural message: `n` picks the form and is written as "$1"; the rest are "$2", "$3", .... */
export function tn<K extends PluralKey>(key: K, n: number, ...subs: Rest<SubsOf<K>>): string {
  return read({ key, n, subs: subs as Sub[] });
}

/** The same sentence as data, to put into words later (`render`), maybe in another context. */
export function text<K extends PlainKey>(key: K, ...subs: SubsOf<K>): Text {
  return (subs as Sub[]).length > 0 ? { key, subs: subs as Sub[] } : { key };
}

/** A plural sentence as data. */
export function textN<K extends PluralKey>(key: K, n: number, ...subs: Rest<SubsOf<K>>): Text {
  return (subs as Sub[]).length > 0 ? { key, n, subs: subs as Sub[] } : { key, n };
}

/** Puts a `Text` into words in the person's language. */
export function render(x: Text): string {
  return read(x);
}

/** Whether a value is a `Text` (a sentence as data), e.g. one that came over a message. */
export function isText(x: unknown): x is Text {
  return typeof x === 'object' && x !== null && typeof (x as Text).key === 'string';
}

function read(x: Text): string {
  const subs = (x.subs ?? []).map(sub);
  if (x.n !== undefined) subs.unshift(formatNumber(x.n));
  // Where no reader is installed (the offscreen document), the key and its substitutions
  // stand in: such text is only logged there, and put into words where it is shown.
  if (!reader) return keyForm(x.key, subs);
  return reader(x.key, x.n, subs);
}

/** A message no reader can put into words, as its key and substitutions: "plan.x(a; b)". */
export function keyForm(key: string, subs: readonly string[]): string {
  return subs.length > 0 ? `${key}(${subs.join('; ')})` : key;
}

function sub(s: Sub): string {
  if (typeof s === 'number') return formatNumber(s, 2);
  if (typeof s === 'string') return s;
  if ('fixed' in s) return formatNumber(s.fixed, s.decimals, s.decimals);
  return read(s);
}
