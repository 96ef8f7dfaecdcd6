/**
 * Chrome's offscreen document has no `browser.i18n`, yet a few sentences made there are plain
 * strings that reach the UI inside others (a fast-path reason such as "changes sample rate from
 * 44.1 kHz to 48 kHz at 0:01", a decode check's format change). Sentences meant to be shown
 * travel as data (`Text`, lib/core/i18n.ts) and are put into words where shown; for the rest,
 * this reader gives the offscreen document Seam's English words, read from the built
 * `_locales/en/messages.json`, so no key ever stands in for a sentence.
 */
import { browser } from '#imports';
import { setLanguage, type MessageReader } from '@/lib/core/i18n';
import { englishReader } from '@/lib/core/i18n-english';

export async function installEnglish(): Promise<void> {
  // Built by @wxt-dev/i18n from locales/en.yml, so not among wxt's typed public paths.
  const url = (browser.runtime.getURL as (path: string) => string)('/_locales/en/messages.json');
  const messages = (await (await fetch(url)).json()) as Record<string, { message?: string }>;
  const read: MessageReader = englishReader(messages);
  setLanguage(read, 'en');
}
