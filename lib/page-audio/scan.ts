/**
 * The page scanner behind "Collect audio from the current page".
 *
 * `scanPage` is injected into the tab with `chrome.scripting.executeScript({ func: scanPage })`,
 * which sends only the function's source text to the page. So the function must be
 * self-contained: every helper and constant lives inside its body, and it may reference nothing
 * from this module or any import (types are fine: they are erased). Keep it that way; the unit
 * test re-creates it from `scanPage.toString()` in an empty scope to catch a slip.
 *
 * Decisions (the issue left these open):
 * - Audio file extensions: mp3 m4a m4b m4r aac wav wave flac ogg oga opus weba mka aif aiff aifc
 *   caf amr wma mp2 ac3 (the same list as `AUDIO_EXTENSIONS` in `page-audio.ts`). `.webm` and
 *   `.mp4` are usually video, so such links count only when `type="audio/..."` says so.
 *   Playlists (`.m3u`, `.m3u8`, `.pls`) are not audio files and are not listed.
 * - Only the URL path's extension counts: `/play?file=x.mp3` is a player page far more often
 *   than the file itself, so it is not listed. Query strings stay in `url` (signed CDN links).
 * - A link counts as audio when its `type` is audio, its path has an audio extension, or its
 *   `download` attribute names an audio file (`<a download="ep1.mp3" href="/dl?id=1">`).
 * - `<audio>` and `<video>` sources are listed whatever their extension: the page says they
 *   are media. Order within one element: `currentSrc` (what is playing), the `src` attribute,
 *   the first `<source>` whose type the browser plays, then the other `<source>`s.
 * - `blob:` URLs and `srcObject` streams are listed but disabled (`STREAMED_REASON`): the
 *   user sees the player, so silently leaving it out would look like a bug. A `srcObject`
 *   stream has no URL at all; its item has `url: ''` and is never merged with another.
 * - `data:audio/...` (and `data:video/...` on media elements) are listed disabled too
 *   (`EMBEDDED_REASON`): only http(s) links are fetched by the extension.
 * - `og:audio` whose `og:audio:type` is not audio (old Flash players, HTML embeds) is skipped.
 * - Other schemes (`javascript:`, `mailto:`, `file:`, `ftp:` ...) are never listed.
 * - `url` drops the fragment: it never changes what is fetched, and duplicates are found by it.
 */

export type PageAudioKind = 'audio-element' | 'video-element' | 'link' | 'og-audio' | 'enclosure';

export interface PageAudioItem {
  /** Absolute URL without its fragment; '' only for a `srcObject` stream (it has no URL). */
  url: string;
  /** Link text, title, aria-label, img alt, og:title for og:audio, else the decoded file name. */
  name: string;
  /** URL host with port; '' for blob:, data: and streams. */
  host: string;
  kind: PageAudioKind;
  /** MIME essence (lowercase, no parameters) from a `type` attribute or `og:audio:type`. */
  mime?: string;
  /** Set when the item is shown but cannot be added. */
  disabledReason?: string;
  /** URL of the same-origin frame the item was found in (absent for the top document). */
  frame?: string;
}

export interface ScanOptions {
  /** Levels of nested same-origin frames to enter; 0 scans the top document only. Default 3. */
  maxFrameDepth?: number;
  /** Stop after this many distinct items so a huge page cannot flood the reply. Default 5000. */
  maxItems?: number;
}

/** Reasons `scanPage` gives; repeated as literals inside it, which cannot import them. */
export const STREAMED_REASON = 'streamed or protected audio cannot be saved';
export const EMBEDDED_REASON = 'embedded audio cannot be saved';

export function scanPage(doc: Document = document, opts: ScanOptions = {}): PageAudioItem[] {
  // Everything below is inside the function on purpose: see the header comment.
  const REASON_STREAMED = 'streamed or protected audio cannot be saved';
  const REASON_EMBEDDED = 'embedded audio cannot be saved';
  // prettier-ignore
  const AUDIO_EXT = new Set([
    'mp3', 'm4a', 'm4b', 'm4r', 'aac', 'wav', 'wave', 'flac', 'ogg', 'oga', 'opus', 'weba',
    'mka', 'aif', 'aiff', 'aifc', 'caf', 'amr', 'wma', 'mp2', 'ac3',
  ]);
  // Types Chromium and Firefox play, used to pick the `<source>` the browser would choose.
  // A fixed list rather than canPlayType() so the result does not depend on codec builds.
  // prettier-ignore
  const PLAYABLE = new Set([
    'audio/mpeg', 'audio/mp3', 'audio/mp4', 'audio/aac', 'audio/x-m4a', 'audio/m4a',
    'audio/wav', 'audio/wave', 'audio/x-wav', 'audio/flac', 'audio/x-flac', 'audio/ogg',
    'audio/opus', 'audio/webm', 'video/mp4', 'video/webm', 'video/ogg',
  ]);
  const NAME_MAX = 80;
  const maxDepth = opts.maxFrameDepth ?? 3;
  const maxItems = opts.maxItems ?? 5000;

  const items: PageAudioItem[] = [];
  // Whether the stored name came from the page (text, title...) rather than the file name,
  // so a later duplicate with real text can replace a file-name fallback.
  const byKey = new Map<string, { item: PageAudioItem; explicit: boolean }>();

  function clean(text: string | null | undefined): string {
    const s = (text ?? '').replace(/\s+/g, ' ').trim();
    if (s.length <= NAME_MAX) return s;
    // Array.from so the cut never splits a surrogate pair.
    return (
      Array.from(s)
        .slice(0, NAME_MAX - 1)
        .join('')
        .trimEnd() + '…'
    );
  }

  function essence(type: string | null): string {
    return (type ?? '').split(';')[0]!.trim().toLowerCase();
  }

  function isAudioType(type: string): boolean {
    return type.startsWith('audio/') || type === 'application/ogg';
  }

  function resolve(raw: string | null, base: string): URL | null {
    const s = (raw ?? '').trim();
    if (!s) return null;
    try {
      return new URL(s, base);
    } catch {
      return null;
    }
  }

  function lastSegment(path: string): string {
    const seg = path.slice(path.lastIndexOf('/') + 1);
    // Drop path parameters (`ep1.mp3;jsessionid=...`) that would hide the extension.
    const semi = seg.indexOf(';');
    return semi >= 0 ? seg.slice(0, semi) : seg;
  }

  function extension(fileName: string): string {
    const dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  }

  function decode(s: string): string {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  }

  function isWebUrl(u: URL): boolean {
    return u.protocol === 'http:' || u.protocol === 'https:';
  }

  function fileName(u: URL): string {
    if (u.protocol === 'blob:') return 'streamed audio';
    if (u.protocol === 'data:') return 'embedded audio';
    return clean(decode(lastSegment(u.pathname))) || 'audio';
  }

  function add(
    u: URL,
    kind: PageAudioKind,
    explicitName: string,
    fallbackName: string,
    mime: string,
    frame: string,
  ): void {
    let disabledReason: string | undefined;
    if (u.protocol === 'blob:') disabledReason = REASON_STREAMED;
    else if (u.protocol === 'data:') {
      if (!/^data:(audio|video)\//i.test(u.href)) return;
      disabledReason = REASON_EMBEDDED;
    } else if (!isWebUrl(u)) return;

    const hash = u.href.indexOf('#');
    const url = hash >= 0 ? u.href.slice(0, hash) : u.href;
    const known = byKey.get(url);
    if (known) {
      if (!known.explicit && explicitName) {
        known.item.name = explicitName;
        known.explicit = true;
      }
      if (!known.item.mime && mime) known.item.mime = mime;
      return;
    }
    if (items.length >= maxItems) return;
    const item: PageAudioItem = {
      url,
      name: explicitName || fallbackName || fileName(u),
      host: isWebUrl(u) ? u.host : '',
      kind,
    };
    if (mime) item.mime = mime;
    if (disabledReason) item.disabledReason = disabledReason;
    if (frame) item.frame = frame;
    items.push(item);
    byKey.set(url, { item, explicit: !!explicitName });
  }

  function scanMedia(el: HTMLMediaElement, base: string, frame: string): void {
    const kind: PageAudioKind = el.localName === 'video' ? 'video-element' : 'audio-element';
    const explicit = clean(el.getAttribute('title') || el.getAttribute('aria-label'));
    // `in` first: not every DOM (or test double) implements srcObject.
    if ('srcObject' in el && el.srcObject) {
      if (items.length >= maxItems) return;
      const item: PageAudioItem = {
        url: '',
        name: explicit || 'streamed audio',
        host: '',
        kind,
        disabledReason: REASON_STREAMED,
      };
      if (frame) item.frame = frame;
      items.push(item);
      return;
    }
    type Candidate = { raw: string | null; type: string; title: string };
    const candidates: Candidate[] = [];
    // currentSrc is already absolute; it is what the browser chose, so it leads.
    candidates.push({ raw: el.currentSrc || null, type: '', title: '' });
    candidates.push({ raw: el.getAttribute('src'), type: '', title: '' });
    const sources: Candidate[] = [];
    let preferred = -1;
    for (const child of Array.from(el.children)) {
      if (child.localName !== 'source') continue;
      const type = essence(child.getAttribute('type'));
      if (preferred < 0 && PLAYABLE.has(type)) preferred = sources.length;
      sources.push({
        raw: child.getAttribute('src'),
        type,
        title: clean(child.getAttribute('title')),
      });
    }
    if (preferred >= 0) candidates.push(...sources.splice(preferred, 1));
    candidates.push(...sources);
    for (const c of candidates) {
      const u = resolve(c.raw, base);
      if (u) add(u, kind, c.title || explicit, '', c.type, frame);
    }
  }

  function scanLink(a: Element, base: string, frame: string): void {
    const u = resolve(a.getAttribute('href'), base);
    if (!u) return;
    const type = essence(a.getAttribute('type'));
    const download = a.getAttribute('download');
    const downloadName = download ? clean(lastSegment(download.replace(/\\/g, '/'))) : '';
    let audio = isAudioType(type) || AUDIO_EXT.has(extension(downloadName));
    if (u.protocol === 'data:') audio = /^data:audio\//i.test(u.href);
    // A blob: path is a UUID, so only type/download can say it is audio.
    else if (isWebUrl(u) && !audio) audio = AUDIO_EXT.has(extension(lastSegment(u.pathname)));
    if (!audio) return;
    const img = a.querySelector('img[alt]');
    const explicit =
      clean(a.textContent) ||
      clean(a.getAttribute('title')) ||
      clean(a.getAttribute('aria-label')) ||
      // <area> carries its own alt; an image link names itself by the image's.
      clean(a.getAttribute('alt')) ||
      clean(img ? img.getAttribute('alt') : '');
    add(u, 'link', explicit, downloadName, type, frame);
  }

  function scanEnclosure(link: Element, base: string, frame: string): void {
    const rel = ` ${(link.getAttribute('rel') ?? '').toLowerCase().replace(/\s+/g, ' ')} `;
    if (!rel.includes(' enclosure ')) return;
    const u = resolve(link.getAttribute('href'), base);
    if (!u) return;
    const type = essence(link.getAttribute('type'));
    let audio = isAudioType(type);
    if (u.protocol === 'data:') audio = /^data:audio\//i.test(u.href);
    else if (isWebUrl(u) && !audio) audio = AUDIO_EXT.has(extension(lastSegment(u.pathname)));
    if (audio) add(u, 'enclosure', clean(link.getAttribute('title')), '', type, frame);
  }

  function scanDoc(d: Document, depth: number, parentBase: string, frame: string): void {
    // srcdoc and about:blank frames report an about: base; browsers resolve their links against
    // the parent's base, and so do we (happy-dom, too, reports about:srcdoc).
    let base = d.baseURI || d.URL;
    if (!base || base.startsWith('about:')) base = parentBase;

    let ogTitle: string | null = null;
    const getOgTitle = (): string => {
      if (ogTitle === null) {
        const meta = d.querySelector('meta[property="og:title"], meta[name="og:title"]');
        ogTitle = clean(meta ? meta.getAttribute('content') : '');
      }
      return ogTitle;
    };
    // Open Graph structured properties: og:audio starts a group, og:audio:url/secure_url add to
    // it and og:audio:type (which follows the URL) describes it. The group is held until it is
    // complete so a non-audio type can drop it.
    let og: { urls: string[]; type: string } | null = null;
    const flushOg = (): void => {
      if (!og) return;
      const group = og;
      og = null;
      if (group.type && !isAudioType(group.type)) return;
      for (const raw of group.urls) {
        const u = resolve(raw, base);
        if (u) add(u, 'og-audio', getOgTitle(), '', group.type, frame);
      }
    };

    const nodes = d.querySelectorAll(
      'a[href], area[href], link[href], audio, video, iframe, frame, ' +
        'meta[property^="og:audio"], meta[name^="og:audio"]',
    );
    for (const el of Array.from(nodes)) {
      const tag = el.localName;
      if (tag === 'meta') {
        const prop = (el.getAttribute('property') || el.getAttribute('name') || '').toLowerCase();
        const content = el.getAttribute('content');
        if (prop === 'og:audio') {
          flushOg();
          og = { urls: content ? [content] : [], type: '' };
        } else if (prop === 'og:audio:url' || prop === 'og:audio:secure_url') {
          // A URL after the group's type belongs to the next audio: pages that list several
          // often skip the bare og:audio and write url, type, url, type.
          if (og && og.type) flushOg();
          if (!og) og = { urls: [], type: '' };
          if (content) og.urls.push(content);
        } else if (prop === 'og:audio:type') {
          if (og) og.type = essence(content);
        }
        continue;
      }
      flushOg();
      if (tag === 'a' || tag === 'area') scanLink(el, base, frame);
      else if (tag === 'link') scanEnclosure(el, base, frame);
      else if (tag === 'audio' || tag === 'video') scanMedia(el as HTMLMediaElement, base, frame);
      else if ((tag === 'iframe' || tag === 'frame') && depth < maxDepth) {
        let inner: Document | null = null;
        try {
          // Cross-origin frames give null or throw; either way they are out of reach.
          inner = (el as HTMLIFrameElement).contentDocument;
        } catch {
          inner = null;
        }
        if (inner) scanDoc(inner, depth + 1, base, inner.URL || frame);
      }
    }
    flushOg();
  }

  scanDoc(doc, 0, doc.URL, '');
  return items;
}
