import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, parseMessagesText } from '@wxt-dev/i18n/build';
import { LOCALES_DIR, readerFor, shippedLocales } from '@/tests/support/language';

/** Each locale's messages as @wxt-dev/i18n reads them: key, and text or plural forms. */
function parsed(locale: string) {
  const text = readFileSync(join(LOCALES_DIR, `${locale}.yml`), 'utf8');
  const out = new Map<string, { plural?: Record<string, string>; message?: string }>();
  for (const m of parseMessagesText(text, 'YAML')) {
    const key = m.key.join('.');
    if (key.startsWith('@@')) continue;
    out.set(key, m.type === 'plural' ? { plural: m.plurals } : { message: m.message });
  }
  return out;
}

const subsIn = (s: string) => new Set([...s.matchAll(/(?<!\$)\$([1-9])/g)].map((m) => m[1]));
const english = parsed('en');
const others = shippedLocales().filter((l) => l !== 'en');

describe('locales', () => {
  it('ships English, German, Spanish, French and Japanese, all locales browsers know', () => {
    expect(shippedLocales()).toEqual(['de', 'en', 'es', 'fr', 'ja']);
    for (const l of shippedLocales()) expect(SUPPORTED_LOCALES.has(l)).toBe(true);
  });

  it.each(others)('%s has every English message and no other', (locale) => {
    const keys = [...parsed(locale).keys()].sort();
    expect(keys).toEqual([...english.keys()].sort());
  });

  it.each(shippedLocales())('%s: plural forms are "n", "1 | n" or "0 | 1 | n"', (locale) => {
    for (const [key, m] of parsed(locale)) {
      if (!m.plural) {
        expect(english.get(key)?.plural, `${key} is plural in English`).toBeUndefined();
        continue;
      }
      expect(english.get(key)?.plural, `${key} is not plural in English`).toBeDefined();
      expect([['n'], ['1', 'n'], ['0', '1', 'n']], `${locale} ${key}`).toContainEqual(
        Object.keys(m.plural),
      );
    }
  });

  it.each(others)('%s fills in the same substitutions as English', (locale) => {
    for (const [key, m] of parsed(locale)) {
      const en = english.get(key)!;
      if (m.message !== undefined) {
        expect(subsIn(m.message), `${locale} ${key}`).toEqual(subsIn(en.message ?? ''));
      } else {
        // A form may leave the count out ("1 Aufnahme"), but never uses what English lacks,
        // and the "n" form says every substitution.
        const all = subsIn(Object.values(en.plural!).join(' '));
        for (const form of Object.values(m.plural!)) {
          for (const s of subsIn(form)) expect(all, `${locale} ${key}`).toContain(s);
        }
        expect(subsIn(m.plural!.n!), `${locale} ${key} n`).toEqual(subsIn(en.plural!.n!));
      }
    }
  });

  it.each(shippedLocales())(
    '%s: no message breaks the plural split or named substitutions',
    (l) => {
      for (const [key, m] of parsed(l)) {
        for (const text of m.message !== undefined ? [m.message] : Object.values(m.plural!)) {
          expect(text, `${l} ${key}`).not.toContain(' | ');
          expect(text, `${l} ${key}`).not.toMatch(/\{[A-Za-z0-9_]+\}/);
          expect(text.trim(), `${l} ${key}`).not.toBe('');
        }
      }
    },
  );

  it.each(shippedLocales())('%s reads out every message, plurals by count', (locale) => {
    const read = readerFor(locale);
    for (const [key, m] of parsed(locale)) {
      const subs = ['X1', 'X2', 'X3', 'X4'];
      if (m.plural) {
        for (const n of [0, 1, 2, 5])
          expect(read(key, n, [String(n), ...subs.slice(1)])).not.toBe('');
      } else {
        expect(read(key, undefined, subs)).not.toMatch(/\$[1-9]/);
      }
    }
  });

  it('picks plural forms as each language counts', () => {
    expect(readerFor('en')('tracks.count', 1, ['1'])).toBe('1 track');
    expect(readerFor('en')('tracks.count', 0, ['0'])).toBe('0 tracks');
    expect(readerFor('fr')('tracks.count', 0, ['0'])).toBe('0 piste');
    expect(readerFor('fr')('tracks.count', 2, ['2'])).toBe('2 pistes');
    expect(readerFor('de')('audio.channels', 6, ['6'])).toBe('6 Kanäle');
    expect(readerFor('ja')('tracks.count', 3, ['3'])).toBe('3 トラック');
  });
});
