/**
 * Extension-side helpers for audio found on web pages: the context-menu link check, names,
 * the popup's filter box and host permissions. The in-page scanner is `scan.ts`; it cannot
 * import from here, so it carries its own copy of the extension list, and the unit tests check
 * that both agree.
 */

import { t } from '@/lib/core/i18n';
import { isFetchable } from '@/lib/fetch/origins';
export { coveredBy, isFetchable } from '@/lib/fetch/origins';
import { untrack } from '@/lib/fetch/tracking';
import type { UnsavableReason } from './scan';

export { STREAMED_REASON } from './scan';
export type { UnsavableReason } from './scan';

/**
 * Why a page's audio cannot be added, in the person's language. The scanner runs inside the
 * page (no `browser.i18n`), so its reasons travel as codes.
 */
export function disabledWords(reason: UnsavableReason): string {
  switch (reason) {
    case 'streamed':
      return t('refusals.pageStreamed');
    case 'embedded':
      return t('refusals.pageEmbedded');
    case 'unsavable':
      return t('refusals.pageUnsavable');
  }
}

/**
 * File extensions taken as audio. `.webm` and `.mp4` are left out: they are mostly video, and
 * the scanner lists them only when a `type="audio/..."` attribute says so (a bare URL has none).
 */
// prettier-ignore
export const AUDIO_EXTENSIONS: readonly string[] = [
  'mp3', 'm4a', 'm4b', 'm4r', 'aac', 'wav', 'wave', 'flac', 'ogg', 'oga', 'opus', 'weba',
  'mka', 'aif', 'aiff', 'aifc', 'caf', 'amr', 'wma', 'mp2', 'ac3',
];

const AUDIO_EXT_SET = new Set(AUDIO_EXTENSIONS);

// Only used to parse relative input; never shown or fetched.
const PARSE_BASE = 'https://seam.invalid/';

function parse(url: string): URL | null {
  try {
    return new URL(url.trim(), PARSE_BASE);
  } catch {
    return null;
  }
}

/** Last path segment without `;params`, still percent-encoded. */
function lastSegment(path: string): string {
  const seg = path.slice(path.lastIndexOf('/') + 1);
  const semi = seg.indexOf(';');
  return semi >= 0 ? seg.slice(0, semi) : seg;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Whether a link URL points at an audio file, by the same rules as the scanner minus `type`
 * attributes (a context-menu click gives only the URL): the path's extension decides and the
 * query string is ignored, so `/play?file=x.mp3` is not audio. `data:audio/...` is audio;
 * `blob:` is not (nothing in it says so), nor are schemes the scanner never lists (`file:`...).
 */
export function looksLikeAudioUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'data:') return /^data:audio\//i.test(u.href);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const name = lastSegment(u.pathname);
  const dot = name.lastIndexOf('.');
  return dot > 0 && AUDIO_EXT_SET.has(name.slice(dot + 1).toLowerCase());
}

/** The decoded file name of a URL (`My%20Song.mp3` → `My Song.mp3`), or 'audio'. */
export function nameFromUrl(url: string): string {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'file:')) {
    return 'audio';
  }
  return decode(lastSegment(u.pathname)).replace(/\s+/g, ' ').trim() || 'audio';
}

/**
 * Items whose name or host contains every word of the query, ignoring case. An empty query
 * keeps everything. Returns a new array; the items themselves are not copied.
 */
export function filterItems<T extends { name: string; host: string }>(
  items: readonly T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items.slice();
  return items.filter((item) => {
    const haystack = `${item.name}\n${item.host}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * Whether a listed page item can be added: it has a URL Seam can download and the scanner gave
 * no reason against it (streamed, embedded). The one rule for the list's checkboxes, "Add all
 * audio on this page" and the picks a page sends.
 */
export function canAdd(item: { url: string; disabledReason?: string | undefined }): boolean {
  return !item.disabledReason && isFetchable(item.url);
}

/**
 * The `permissions.request({ origins })` pattern for a URL's origin, e.g.
 * 'https://example.com/*'. The port is left out: Firefox match patterns reject ports, and a
 * pattern without one matches every port in both browsers. Throws for non-http(s) URLs, which
 * no host permission can cover; check `isFetchable` first.
 */
export function originPattern(url: string): string {
  if (!isFetchable(url)) throw new TypeError(`no host permission can cover ${url}`);
  // The file's own host: Seam fetches a tracked podcast link without its tracking prefix.
  const u = new URL(untrack(url).finalUrl);
  return `${u.protocol}//${u.hostname}/*`;
}
