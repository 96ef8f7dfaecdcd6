/**
 * Seam's messages in Node, read as the browser reads them: `locales/<locale>.yml` through
 * @wxt-dev/i18n's own build step (the `_locales/<locale>/messages.json` text it writes), then
 * `browser.i18n.getMessage`'s "$1" substitution and @wxt-dev/i18n's plural pick ("1 | n" or
 * "0 | 1 | n"). The unit tests install English this way; the locale tests read every language.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateChromeMessages, parseMessagesText } from '@wxt-dev/i18n/build';
import { setLanguage, type MessageReader } from '@/lib/core/i18n';
import { ROOT } from './paths';

export const LOCALES_DIR = join(ROOT, 'locales');

/** The locales Seam ships: "en", "de", ... (file names in locales/). */
export function shippedLocales(): string[] {
  return readdirSync(LOCALES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.replace(/\.yml$/, ''))
    .sort();
}

/** A locale's messages as they land in `_locales/<locale>/messages.json`. */
export function messagesOf(locale: string): Record<string, { message: string }> {
  const text = readFileSync(join(LOCALES_DIR, `${locale}.yml`), 'utf8');
  return generateChromeMessages(parseMessagesText(text, 'YAML')) as Record<
    string,
    { message: string }
  >;
}

/** `browser.i18n.getMessage`: "$1".."$9" substituted, "$$" a dollar sign, "" when unknown. */
export function getMessage(
  messages: Record<string, { message: string }>,
  key: string,
  subs: string[],
): string {
  const m = messages[key.replaceAll('.', '_')]?.message;
  if (m === undefined) return '';
  return m.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : (subs[+d - 1] ?? '')));
}

/** A reader over one locale's messages, picking plural forms as @wxt-dev/i18n's `t` does. */
export function readerFor(locale: string): MessageReader {
  const messages = messagesOf(locale);
  return (key, n, subs) => {
    const message = getMessage(messages, key, subs);
    if (message === '') throw new Error(`No message "${key}" in locales/${locale}.yml`);
    if (n === undefined) return message;
    const forms = message.split(' | ');
    if (forms.length === 1) return forms[0]!;
    if (forms.length === 2) return forms[n === 1 ? 0 : 1]!;
    return forms[n === 0 || n === 1 ? n : 2]!;
  };
}

/** Makes lib/ speak `locale` (English unless told): the unit tests' setup file calls it. */
export function installLanguage(locale = 'en'): void {
  setLanguage(readerFor(locale), locale);
}
