/**
 * Connects lib/core/i18n.ts to the browser: messages from `_locales/` through @wxt-dev/i18n, and
 * the browser's UI language for Intl. Runs in any context that has `browser.i18n` (extension
 * pages, the service worker, Firefox's background page; not Chrome's offscreen document).
 */
import { browser } from '#imports';
import { i18n } from '#i18n';
import { setLanguage, type MessageReader } from '@/lib/core/i18n';

type UntypedT = (key: string, ...args: unknown[]) => string;

export function installLanguage(): void {
  const t = i18n.t as unknown as UntypedT;
  const read: MessageReader = (key, n, subs) => (n === undefined ? t(key, subs) : t(key, n, subs));
  // Numbers and dates follow the language the messages are in ("de" when Chrome picked
  // de/messages.json), in the person's regional variant when it is of that language (de-CH).
  // The browser's UI language alone can differ from it (headless Chromium says en-US).
  const lang = t('meta.locale');
  const nav = globalThis.navigator?.language ?? browser.i18n.getUILanguage();
  const locale = nav.toLowerCase().startsWith(lang.toLowerCase()) ? nav : lang;
  setLanguage(read, locale);
  // Pages say which language they are in (screen readers, hyphenation, the lang="en" default).
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
