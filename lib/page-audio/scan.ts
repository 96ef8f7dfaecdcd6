/**
 * The page scanner behind "On this page".
 *
 * `scanPage` runs in the tab: entrypoints/page-scan.ts wraps it as an unlisted script that wxt
 * bundles with the modules of ./scan/ into /page-scan.js, and `tab.ts` injects that file with
 * `scripting.executeScript({ files })` into the isolated world of each frame (the script's
 * options set there first: ./scan/options.ts). The same function reads feeds the extension
 * fetched (`opts.feedText`) and is unit-tested with happy-dom. Its parts, each plain DOM and
 * text code: ./scan/addresses.ts (what an audio address is, audio URLs in any text),
 * ./scan/text.ts (bounded reading of labels and subtrees), ./scan/decoys.ts (interface sounds,
 * control labels, dates, keys that are not audio), ./scan/scripts.ts (patterns for inline
 * scripts and JSON), ./scan/feed-text.ts (feeds read from their text), ./scan/hits.ts (the hits
 * found, the time budget and the hit cap), ./scan/titles.ts (the words beside a player or link).
 *
 * It reports every place the page points at audio as a **hit**, with what the page says around
 * it (its own label, schema.org data, data-* titles, the heading or caption it sits under,
 * og:title). It does not decide what a person sees: `group.ts` (pure, extension side) joins hits
 * that point at one recording, picks the title, and sets interface sounds apart. The reply is
 * untrusted page data: `tab.ts` validates it.
 *
 * Where audio is found:
 * - `<audio>` (and `<video>` whose type says audio): `src`, `currentSrc`, every `<source>`
 *   inside it at any depth, and links in its fallback content; all one recording (`owner`).
 * - links (`<a>`, `<area>`) whose path ends in an audio extension, whose `type` is audio, or
 *   whose `download` names an audio file. MediaWiki file description pages (`/wiki/File:x.ogg`)
 *   are HTML, not audio, and are left out.
 * - `og:audio` groups (with `:url`, `:secure_url`, `:type`), `twitter:player:stream`,
 *   `music:preview_url:*`, `<link rel=enclosure>`, schema.org `contentUrl` (microdata and
 *   JSON-LD).
 * - data attributes: known names (`data-src`, `data-audio`, `data-url`, `data-file`, `data-mp3`,
 *   `data-asset-source`...) holding an audio URL (relative ones too), any `data-*` or `jsdata`
 *   value with an absolute audio URL inside it, and JSON values (`data-audio='{"audioUrl":…}'`).
 *   Attributes named for live streams (`data-url-live-aac`) are not recordings.
 * - feeds: when the document is an RSS 2.0 or Atom feed, shown as XML or as plain text, each item
 *   with an enclosure is a hit (title, date, duration, size). `opts.feedText` parses a feed the
 *   extension fetched itself. Feeds the page links (`<link rel=alternate>`) are listed in `feeds`.
 *
 * `blob:` and `srcObject` players are listed but disabled (`STREAMED_REASON`), `data:audio/…`
 * too (`embedded`); only http(s) audio is fetched. URLs drop their fragment.
 */

import { TEXT_MAX, JSON_VISITS, clean, textOf, elementsUnder, up } from './scan/text';
import {
  AUDIO_EXT,
  URL_ATTRS,
  SKIP_ATTRS,
  AUDIO_ATTR,
  SCHEMA_AUDIO,
  essence,
  isAudioType,
  resolve,
  lastSegment,
  extension,
  isWebUrl,
  hasAudioExt,
  audioUrlsAt,
  audioUrlsIn,
} from './scan/addresses';
import { UI_SOUND, DATE_WORDS, NOT_AUDIO_KEY, PAGE_KEY } from './scan/decoys';
import {
  AUDIO_KEY,
  KEYED_URL,
  TITLE_KEY,
  SCRIPT_MAX,
  SCRIPTS_TOTAL_MAX,
  PAIR,
} from './scan/scripts';
import { HitList } from './scan/hits';
import { TitleReader } from './scan/titles';
import {
  ITEM_TEXTS,
  ITEM_NAME,
  TAG_NAME,
  type FeedItem,
  decodeEntities,
  attrs,
  seconds,
  feedTextOf,
} from './scan/feed-text';

export type HitVia =
  'media' | 'link' | 'og' | 'meta' | 'enclosure' | 'data' | 'schema' | 'feed' | 'script';

export interface ScanHit {
  /** Absolute URL without its fragment; '' only for a `srcObject` stream. */
  url: string;
  via: HitVia;
  /** Hits with the same owner are one recording (one player, one og:audio group, one item). */
  owner: string;
  /** MIME essence from a `type` attribute or `og:audio:type`. */
  mime?: string;
  /** The element's own accessible name (may be generic: "Download"; group.ts decides). */
  own?: string;
  /** A schema.org name for this URL (JSON-LD or microdata). */
  schema?: string;
  /** A title from data attributes (`data-title`, `data-asset-title`, JSON `title`...). */
  data?: string;
  /** The caption or nearest heading the element sits under. */
  heading?: string;
  /** og:title, for hits in the page's head. */
  og?: string;
  /** A media element the person can see and use (it has controls). */
  controls?: boolean;
  /** A media element without controls (not shown by the browser). */
  hidden?: boolean;
  /** Its path or id looks like an interface sound (chimes, clicks, notifications). */
  uiSound?: boolean;
  /** Seconds, when the page says (a feed's itunes:duration, a player's duration hint). */
  duration?: number;
  /** Bytes, when the page says (a feed enclosure's length). */
  size?: number;
  /** ISO date (a feed item's pubDate). */
  date?: string;
  disabledReason?: UnsavableReason;
  /** URL of the same-origin frame the hit was found in (absent for the top document). */
  frame?: string;
}

export interface FeedLink {
  url: string;
  title: string;
}

export interface PageScanResult {
  hits: ScanHit[];
  /** Feeds the page links with `<link rel=alternate type=application/rss+xml|atom+xml>`. */
  feeds: FeedLink[];
  /** The page's own title (og:title, else h1, else <title>); a feed's channel title. */
  title: string;
  /** The document is a feed (its hits are episodes). */
  isFeed: boolean;
  /** The name of the one schema.org episode or audio object the page describes, if only one. */
  schemaTitle?: string;
  /**
   * The scan stopped before the end of the page: at its time budget (`time`) or its hit cap
   * (`hits`), so recordings further down may be missing.
   */
  leftOut?: ScanLeftOut;
}

export type ScanLeftOut = 'time' | 'hits';

export interface ScanOptions {
  /** Levels of nested same-origin frames to enter; 0 scans the top document only. Default 3. */
  maxFrameDepth?: number;
  /** Stop after this many hits so a huge page cannot flood the reply. Default 5000. */
  maxHits?: number;
  /**
   * Stop after this many milliseconds (SCAN_BUDGET_MS by default), so a huge or hostile page
   * cannot hold the scan, nor the popup waiting for it.
   */
  budgetMs?: number;
  /** Parse this feed text (fetched by the extension) instead of the document. */
  feedText?: string;
  /** Base URL for `feedText`. */
  baseUrl?: string;
}

/** The scan's time budget. */
export const SCAN_BUDGET_MS = 1500;

/**
 * Why a row cannot be added, as a code (the popup says it in the person's language):
 * `streamed` (a `blob:` or MediaSource player, a live `srcObject`, an HLS or DASH playlist),
 * `embedded` (a `data:` URL), `unsavable` (any other address that is not http(s)).
 */
export type UnsavableReason = 'streamed' | 'embedded' | 'unsavable';
export const UNSAVABLE_REASONS: readonly UnsavableReason[] = ['streamed', 'embedded', 'unsavable'];
/** The codes `scanPage` gives. */
export const STREAMED_REASON: UnsavableReason = 'streamed';
/** What `tab.ts` says of a hit that the page marked but gave no valid reason for. */
export const UNSAVABLE_REASON: UnsavableReason = 'unsavable';

/* eslint-disable max-lines-per-function -- scanPage is injected whole by
   scripting.executeScript({ func }), which serialises one function: every helper it uses must
   be inside it (see the header comment), so it and its inner functions are as long as the
   scanner is. */
export function scanPage(doc: Document = document, opts: ScanOptions = {}): PageScanResult {
  const list = new HitList(opts.maxHits ?? 5000, opts.budgetMs ?? SCAN_BUDGET_MS);
  const { hits, feeds, maxHits } = list;
  const maxDepth = opts.maxFrameDepth ?? 3;
  const outOfTime = (): boolean => list.outOfTime();
  const newOwner = (prefix: string): string => list.newOwner(prefix);
  const add = (u: URL, hit: Omit<ScanHit, 'url'>): void => list.add(u, hit);
  let schemaTitle: string | undefined;
  let schemaCount = 0;

  const titles = new TitleReader();
  const { ownName, dataTitle, headingText, captionOf } = titles;

  function scanDoc(d: Document, depth: number, parentBase: string, frame: string): string {
    let base = d.baseURI || d.URL;
    if (!base || base.startsWith('about:')) base = parentBase;
    const metaContent = (sel: string) => clean(d.querySelector(sel)?.getAttribute('content'));
    const ogTitle =
      metaContent('meta[property="og:title"], meta[name="og:title"]') ||
      metaContent('meta[name="twitter:title"], meta[property="twitter:title"]');
    const h1 = clean(textOf(d.querySelector('h1')));
    // og:title is often the headline plus the site ("… | NZZ"): the headline the page shows.
    const ogIsH1 =
      !!h1 && ogTitle.startsWith(h1) && /^\s*[-–—|·:]\s+\S/.test(ogTitle.slice(h1.length));
    const pageTitle = (ogIsH1 ? h1 : ogTitle) || h1 || clean(d.title);
    const pagePath = (() => {
      try {
        return new URL(d.URL || base).pathname;
      } catch {
        return '';
      }
    })();
    const fr = frame ? { frame } : {};

    // schema.org JSON-LD: names by content URL, and the one episode the page is about.
    const schemaByUrl = new Map<string, string>();
    const schemaNames: string[] = [];
    let visits = 0;
    const walk = (v: unknown, depthLeft: number): void => {
      if (!v || typeof v !== 'object' || depthLeft <= 0 || ++visits > JSON_VISITS) return;
      if (Array.isArray(v)) {
        for (const x of v) {
          if (visits > JSON_VISITS) break;
          walk(x, depthLeft - 1);
        }
        return;
      }
      const o = v as Record<string, unknown>;
      // `"audio": {"@id": X}` refers to an AudioObject described elsewhere; X is often its URL.
      for (const k of ['audio', 'associatedMedia', 'encoding']) {
        for (const m of ([] as unknown[]).concat(o[k] ?? [])) {
          if (
            m &&
            typeof m === 'object' &&
            typeof (m as Record<string, unknown>)['@id'] === 'string'
          ) {
            const id = (m as Record<string, unknown>)['@id'] as string;
            const u = resolve(id, base);
            if (u && isWebUrl(u) && hasAudioExt(u)) {
              add(u, { via: 'schema', owner: newOwner('s'), og: pageTitle, ...fr });
            }
          }
        }
      }
      const types = ([] as unknown[]).concat(o['@type'] ?? []).map(String);
      const name = clean(typeof o.name === 'string' ? o.name : '');
      if (types.some((t) => SCHEMA_AUDIO.test(t))) {
        if (name) schemaNames.push(name);
        const urls: unknown[] = [o.contentUrl];
        for (const k of ['audio', 'associatedMedia', 'encoding']) {
          for (const m of ([] as unknown[]).concat(o[k] ?? [])) {
            if (typeof m === 'string') urls.push(m);
            else if (m && typeof m === 'object')
              urls.push((m as Record<string, unknown>).contentUrl);
          }
        }
        for (const raw of urls.slice(0, 100)) {
          if (typeof raw !== 'string') continue;
          const u = resolve(raw, base);
          if (!u || !isWebUrl(u)) continue;
          if (name) schemaByUrl.set(u.href, name);
          add(u, { via: 'schema', owner: newOwner('s'), schema: name, og: pageTitle, ...fr });
        }
      }
      for (const [k, x] of Object.entries(o)) {
        if (visits > JSON_VISITS) break;
        if (k !== '@context') walk(x, depthLeft - 1);
      }
    };
    for (const s of Array.from(d.querySelectorAll('script[type="application/ld+json"]'))) {
      if (visits > JSON_VISITS || outOfTime()) break;
      try {
        // JSON-LD in any wrapping: `<![CDATA[ … ]]>`, HTML comments, a leading `//`.
        const raw = (s.textContent ?? '')
          .trim()
          .replace(/^(\/\/\s*)?(<!\[CDATA\[|<!--)/, '')
          .replace(/(\/\/\s*)?(\]\]>|-->)$/, '')
          .trim();
        walk(JSON.parse(raw), 12);
      } catch {
        // Broken JSON-LD is common; it says nothing then.
      }
    }
    schemaCount += schemaNames.length;
    if (schemaNames.length > 0) schemaTitle ??= schemaNames[0];

    // Open Graph structured properties: og:audio starts a group, og:audio:url/secure_url add to
    // it and og:audio:type describes it. Other meta tags naming one audio stream are their own.
    let og: { urls: string[]; type: string; owner: string } | null = null;
    const flushOg = (): void => {
      if (!og) return;
      const group = og;
      og = null;
      if (group.type && !isAudioType(group.type)) return;
      for (const raw of group.urls) {
        const u = resolve(raw, base);
        if (u) add(u, { via: 'og', owner: group.owner, mime: group.type, og: pageTitle, ...fr });
      }
    };
    let musicOwner = '';

    let lastHeading = '';
    const all = d.querySelectorAll('*');
    for (let i = 0; i < all.length; i++) {
      if (hits.length >= maxHits) {
        list.leftOut ??= 'hits';
        break;
      }
      if (outOfTime()) break;
      const el = all[i]!;
      const tag = el.localName;
      if (/^h[1-6]$/.test(tag)) {
        const text = headingText(el);
        if (text && !DATE_WORDS.test(text)) lastHeading = text;
        continue;
      }
      if (tag === 'meta') {
        const prop = (el.getAttribute('property') || el.getAttribute('name') || '').toLowerCase();
        const content = el.getAttribute('content');
        if (prop === 'og:audio') {
          flushOg();
          og = { urls: content ? [content] : [], type: '', owner: newOwner('o') };
        } else if (prop === 'og:audio:url' || prop === 'og:audio:secure_url') {
          if (og && og.type) flushOg();
          if (!og) og = { urls: [], type: '', owner: newOwner('o') };
          if (content) og.urls.push(content);
        } else if (prop === 'og:audio:type') {
          if (og) og.type = essence(content);
        } else if (prop === 'twitter:player:stream' || prop.startsWith('music:preview_url')) {
          flushOg();
          const u = resolve(content, base);
          if (prop.startsWith('music:')) musicOwner ||= newOwner('p');
          if (u && (hasAudioExt(u) || prop.startsWith('music:'))) {
            const owner = prop.startsWith('music:') ? musicOwner : newOwner('t');
            add(u, { via: 'meta', owner, og: pageTitle, ...fr });
          }
        }
      } else if (og) flushOg();

      if (tag === 'script') {
        scanScript(el, base, frame, pageTitle, pagePath);
        continue;
      }
      if (tag === 'a' || tag === 'area') scanLink(el, base, frame, lastHeading);
      else if (tag === 'link') scanLinkTag(el, base, frame);
      else if (tag === 'audio' || tag === 'video') {
        scanMedia(el as HTMLMediaElement, base, frame, lastHeading, d);
      } else if ((tag === 'iframe' || tag === 'frame') && depth < maxDepth) {
        let inner: Document | null = null;
        try {
          // Cross-origin frames give null or throw; either way they are out of reach.
          inner = (el as HTMLIFrameElement).contentDocument;
        } catch {
          inner = null;
        }
        if (inner) scanDoc(inner, depth + 1, base, inner.URL || frame);
      }
      if (el.hasAttribute('itemprop')) scanMicrodata(el, base, frame);
      if (tag !== 'audio' && tag !== 'video' && tag !== 'source' && tag !== 'meta') {
        scanDataAttributes(el, base, frame, lastHeading, d);
      }
    }
    flushOg();
    if (depth === 0 && !outOfTime()) scanLoaded(d, base, pageTitle);
    // Apply schema.org names found by URL to the hits of the same URL.
    if (schemaByUrl.size > 0) {
      for (const h of hits) {
        const name = schemaByUrl.get(h.url);
        if (name && !h.schema) h.schema = name;
      }
    }
    return pageTitle;

    function scanMicrodata(el: Element, b: string, f: string): void {
      if ((el.getAttribute('itemprop') ?? '').toLowerCase() !== 'contenturl') return;
      const raw = el.getAttribute('content') || el.getAttribute('href') || el.getAttribute('src');
      const u = resolve(raw, b);
      if (!u) return;
      const scope = up(el, (x) => x.hasAttribute('itemscope'));
      const type = (scope?.getAttribute('itemtype') ?? '').slice(0, TEXT_MAX);
      if (!SCHEMA_AUDIO.test(type.replace(/\/$/, '')) && !hasAudioExt(u)) return;
      const nameEl = scope
        ? (elementsUnder(scope) ?? []).find((x) => x.getAttribute('itemprop') === 'name')
        : undefined;
      const name = clean(nameEl?.getAttribute('content') || textOf(nameEl));
      add(u, {
        via: 'schema',
        owner: newOwner('i'),
        schema: name,
        heading: captionOf(el) || lastHeading,
        og: pageTitle,
        ...(f ? { frame: f } : {}),
      });
    }
  }

  function scanLink(a: Element, base: string, frame: string, heading: string): void {
    const u = resolve(a.getAttribute('href'), base);
    if (!u) return;
    const type = essence(a.getAttribute('type'));
    const download = a.getAttribute('download');
    const downloadName = download ? lastSegment(download.replace(/\\/g, '/')) : '';
    let audio = isAudioType(type) || AUDIO_EXT.has(extension(downloadName));
    if (u.protocol === 'data:') audio = /^data:audio\//i.test(u.href);
    else if (isWebUrl(u) && !audio) audio = hasAudioExt(u);
    if (!audio) return;
    const media = up(a, (x) => x.localName === 'audio' || x.localName === 'video');
    const d = a.ownerDocument;
    add(u, {
      via: 'link',
      owner: media ? `m:${mediaIndex(media)}` : newOwner('a'),
      mime: type,
      own: ownName(a, d),
      data: dataTitle(a),
      heading: captionOf(a) || heading,
      ...(frame ? { frame } : {}),
    });
  }

  let scriptChars = 0;
  const scriptUrls = new Set<string>();

  /** The path of a page address, without a trailing slash ('' when it is none). */
  function pathOf(raw: string, base: string): string {
    const u = resolve(raw, base);
    return u && isWebUrl(u) ? u.pathname.replace(/\/+$/, '') : '';
  }

  /**
   * Audio addresses in an inline script or JSON block (page state, a player's playlist), with
   * their slashes escaped any way (`\u002F`, `\/`): absolute URLs ending in an audio extension
   * anywhere, and addresses without one under a key that names audio (`"mp3-128"`, `audioUrl`).
   * Decoys are left out: an address beside a key naming another page (`canonical_url`) is that
   * page's audio; under a `/video/` path, a video's sound track; under a picture's or a video's
   * key, not audio. HLS and DASH manifests under an audio key are listed as streams that cannot
   * be saved. Each pattern is one linear pass over at most SCRIPT_MAX characters.
   */
  function scanScript(
    el: Element,
    base: string,
    frame: string,
    pageTitle: string,
    pagePath: string,
  ): void {
    if (el.hasAttribute('src') || outOfTime()) return;
    const type = essence(el.getAttribute('type'));
    // JSON-LD is read as schema.org above; templates and other types hold no page state.
    if (type === 'application/ld+json') return;
    if (type && !/javascript|ecmascript|json|module/.test(type)) return;
    if (scriptChars >= SCRIPTS_TOTAL_MAX) return;
    const raw = (el.textContent ?? '').slice(
      0,
      Math.min(SCRIPT_MAX, SCRIPTS_TOTAL_MAX - scriptChars),
    );
    scriptChars += raw.length;
    if (raw.indexOf('http') < 0) return;
    const text = raw
      .replace(/\\u002[fF]/g, '/')
      .replace(/\\\//g, '/')
      .replace(/\\u0026/g, '&')
      .replace(/\\"/g, '"')
      .replace(/&amp;/g, '&');
    const found: { url: string; at: number; key: string }[] = [];
    for (const m of text.matchAll(KEYED_URL)) found.push({ url: m[2]!, at: m.index!, key: m[1]! });
    for (const { url, at } of audioUrlsAt(text)) found.push({ url, at, key: '' });
    const here = pagePath.replace(/\/+$/, '');
    for (const f of found) {
      if (outOfTime()) return;
      const u = resolve(f.url, base);
      if (!u || !isWebUrl(u) || scriptUrls.has(u.href)) continue;
      const keyAudio = !!f.key && AUDIO_KEY.test(f.key) && !NOT_AUDIO_KEY.test(f.key);
      if (f.key && NOT_AUDIO_KEY.test(f.key)) continue;
      const stream = /\.(m3u8|mpd)$/i.test(u.pathname);
      if (stream ? !keyAudio : !hasAudioExt(u) && !keyAudio) continue;
      if (/(^|\/)videos?(\/|$)/i.test(u.pathname)) continue;
      // The nearest key naming a page: another page's object holds another page's audio.
      const from = Math.max(0, f.at - 300);
      const around = text.slice(from, f.at + f.url.length + 300);
      let nearest = -1;
      let other = false;
      for (const p of around.matchAll(PAIR)) {
        if (!PAGE_KEY.test(p[1]!)) continue;
        const dist = Math.abs(from + p.index! - f.at);
        if (nearest >= 0 && dist >= nearest) continue;
        nearest = dist;
        const path = pathOf(p[2]!, base);
        other = !!path && !!here && path !== here;
      }
      if (other) continue;
      scriptUrls.add(u.href);
      // A title in the same object: before the address with no object closed between them (a
      // `"file": {…}` may open), or after it with none opened or closed.
      let title = '';
      const before = text.slice(Math.max(0, f.at - 300), f.at);
      for (const t of before.matchAll(TITLE_KEY)) {
        const between = before.slice(t.index! + t[0].length);
        if (!between.includes('}') && between.split('{').length <= 2) title = clean(t[2]);
      }
      if (!title) {
        const after = text.slice(f.at + f.url.length, f.at + f.url.length + 200);
        const t = TITLE_KEY.exec(after);
        TITLE_KEY.lastIndex = 0;
        if (t && !/[{}]/.test(after.slice(0, t.index))) title = clean(t[2]);
      }
      const ui = UI_SOUND.test(u.pathname) || /intro|jingle|sfx|notification|ringtone/i.test(f.key);
      add(u, {
        via: 'script',
        owner: newOwner('j'),
        data: title,
        og: pageTitle,
        ...(ui ? { uiSound: true } : {}),
        ...(frame ? { frame } : {}),
      });
    }
  }

  /**
   * What the page's players have actually loaded (the page's resource timing entries of audio and
   * video elements, and files with an audio extension), for players whose source a script set.
   */
  function scanLoaded(d: Document, base: string, pageTitle: string): void {
    const perf = d.defaultView?.performance;
    if (!perf || typeof perf.getEntriesByType !== 'function') return;
    let entries: PerformanceEntry[] = [];
    try {
      entries = perf.getEntriesByType('resource').slice(0, 2000);
    } catch {
      return;
    }
    const known = new Set(hits.map((h) => h.url));
    for (const e of entries) {
      const kind = (e as PerformanceResourceTiming).initiatorType;
      const u = resolve(e.name, base);
      if (!u || !isWebUrl(u) || known.has(u.href.split('#')[0]!)) continue;
      if (!hasAudioExt(u) && kind !== 'audio') continue;
      if (/(^|\/)videos?(\/|$)/i.test(u.pathname)) continue;
      known.add(u.href);
      add(u, {
        via: 'media',
        owner: newOwner('r'),
        hidden: true,
        og: pageTitle,
        ...(UI_SOUND.test(u.pathname) ? { uiSound: true } : {}),
      });
    }
  }

  const mediaIds = new Map<Element, number>();
  function mediaIndex(el: Element): number {
    let i = mediaIds.get(el);
    if (i === undefined) {
      i = mediaIds.size + 1;
      mediaIds.set(el, i);
    }
    return i;
  }

  function scanLinkTag(link: Element, base: string, frame: string): void {
    const rel = ` ${(link.getAttribute('rel') ?? '').toLowerCase().replace(/\s+/g, ' ')} `;
    const type = essence(link.getAttribute('type'));
    const u = resolve(link.getAttribute('href'), base);
    if (!u) return;
    if (rel.includes(' alternate ') && /^application\/(rss|atom)\+xml$/.test(type)) {
      if (isWebUrl(u) && !feeds.some((f) => f.url === u.href)) {
        feeds.push({ url: u.href, title: clean(link.getAttribute('title')) });
      }
      return;
    }
    if (!rel.includes(' enclosure ')) return;
    let audio = isAudioType(type);
    if (u.protocol === 'data:') audio = /^data:audio\//i.test(u.href);
    else if (isWebUrl(u) && !audio) audio = hasAudioExt(u);
    if (audio) {
      add(u, {
        via: 'enclosure',
        owner: newOwner('e'),
        mime: type,
        own: clean(link.getAttribute('title')),
        ...(frame ? { frame } : {}),
      });
    }
  }

  function scanMedia(
    el: HTMLMediaElement,
    base: string,
    frame: string,
    heading: string,
    d: Document,
  ): void {
    const owner = `m:${mediaIndex(el)}`;
    const controls = el.hasAttribute('controls');
    const own = ownName(el, d);
    const hint = Number(el.getAttribute('data-durationhint') ?? el.getAttribute('data-duration'));
    const duration = Number.isFinite(el.duration) && el.duration > 0 ? el.duration : hint;
    const idAndPath = `${el.id} ${el.getAttribute('class') ?? ''}`;
    const common: Omit<ScanHit, 'url' | 'via'> = {
      owner,
      own,
      data: dataTitle(el),
      heading: captionOf(el) || heading,
      controls,
      hidden: !controls,
      ...(duration > 0 ? { duration } : {}),
      ...(frame ? { frame } : {}),
    };
    const isVideo = el.localName === 'video';
    // A muted player that loops or plays by itself without controls is page decoration (a
    // background video, a widget's ambience), not a recording anyone asked for.
    const muted = el.hasAttribute('muted') || el.muted === true;
    if (!controls && muted && (el.hasAttribute('loop') || el.hasAttribute('autoplay'))) return;
    // `in` first: not every DOM (or test double) implements srcObject.
    if ('srcObject' in el && el.srcObject) {
      if (isVideo || hits.length >= maxHits) return;
      hits.push({ ...common, url: '', via: 'media', disabledReason: STREAMED_REASON });
      return;
    }
    const pageUrl = d.URL.split('#')[0];
    const candidates: { raw: string | null; type: string }[] = [];
    // currentSrc is already absolute; an empty src makes some browsers report the page itself.
    if (el.currentSrc && el.currentSrc.split('#')[0] !== pageUrl) {
      candidates.push({ raw: el.currentSrc, type: '' });
    }
    candidates.push({ raw: el.getAttribute('src'), type: essence(el.getAttribute('type')) });
    for (const s of (elementsUnder(el) ?? []).filter((x) => x.localName === 'source')) {
      candidates.push({ raw: s.getAttribute('src'), type: essence(s.getAttribute('type')) });
    }
    for (const c of candidates) {
      const u = resolve(c.raw, base);
      if (!u) continue;
      // Video sources count only when their type or extension says audio: Seam lists audio.
      if (isVideo && !isAudioType(c.type) && !(isWebUrl(u) && hasAudioExt(u))) continue;
      const ui = UI_SOUND.test(u.pathname) || UI_SOUND.test(idAndPath);
      add(u, { ...common, via: 'media', mime: c.type, ...(ui ? { uiSound: true } : {}) });
    }
  }

  /** Audio URLs kept in data attributes (and Google's `jsdata`), with a title beside them. */
  function scanDataAttributes(
    el: Element,
    base: string,
    frame: string,
    heading: string,
    d: Document,
  ): void {
    let found: { u: URL; title: string }[] | null = null;
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length && i < 64; i++) {
      const a = attrs[i]!;
      const n = a.name.toLowerCase();
      // Any attribute may hold an audio address (`audio-preview-url`, a Flash `value`): all but
      // those that are read elsewhere or never hold one.
      if (SKIP_ATTRS.has(n) || n.startsWith('on') || n.startsWith('aria-')) continue;
      if (n === 'src' && el.localName !== 'embed') continue;
      // A live stream is audio, but not a recording that can be saved and joined.
      if (/live|(^|-)ts(-|$)|timeshift|hls/.test(n)) continue;
      const v = a.value.trim();
      if (!v) continue;
      const push = (u: URL | null, title = '') => {
        if (!u || !isWebUrl(u)) return;
        (found ??= []).push({ u, title });
      };
      if (v.startsWith('{') || v.startsWith('[')) {
        try {
          const json = JSON.parse(v) as unknown;
          let visits = 0;
          const visit = (x: unknown, depthLeft: number): void => {
            if (!x || typeof x !== 'object' || depthLeft <= 0 || ++visits > JSON_VISITS) return;
            if (Array.isArray(x)) {
              for (const y of x) {
                if (visits > JSON_VISITS) break;
                visit(y, depthLeft - 1);
              }
              return;
            }
            const o = x as Record<string, unknown>;
            const title = typeof o.title === 'string' ? clean(o.title) : '';
            for (const [key, val] of Object.entries(o)) {
              if (visits > JSON_VISITS) return;
              if (typeof val === 'string') {
                visits++;
                const u = resolve(val, base);
                if (!u || !isWebUrl(u) || !/^https?:|^\//.test(val) || NOT_AUDIO_KEY.test(key))
                  continue;
                // Without an extension, the key says it is audio (`"mp3-128"`, `audioUrl`).
                if (hasAudioExt(u) || (/^https?:/.test(val) && AUDIO_KEY.test(key))) push(u, title);
              } else visit(val, depthLeft - 1);
            }
          };
          visit(json, 6);
          continue;
        } catch {
          // Not JSON after all: read it as text below.
        }
      }
      if ((URL_ATTRS.has(n) || AUDIO_ATTR.test(n)) && !/\s/.test(v)) {
        const u = resolve(v, base);
        if (u && isWebUrl(u) && hasAudioExt(u)) {
          push(u);
          continue;
        }
      }
      if (v.length < 10 || !/https?:\/\//i.test(v)) continue;
      for (const m of audioUrlsIn(v)) {
        const u = resolve(m.replace(/&amp;/g, '&'), base);
        if (u && hasAudioExt(u)) push(u);
      }
    }
    if (!found) return;
    const owner = newOwner('d');
    const own = ownName(el, d);
    const data = dataTitle(el);
    const hint = Number(el.getAttribute('data-duration'));
    for (const f of found as { u: URL; title: string }[]) {
      if (/^(icecast|shoutcast|direct|live|stream)\./i.test(f.u.hostname)) continue;
      add(f.u, {
        via: 'data',
        owner,
        own:
          el.localName === 'button' || el.localName === 'a' || el.getAttribute('role') === 'button'
            ? own
            : '',
        data: f.title || data,
        heading: captionOf(el) || heading,
        ...(hint > 0 ? { duration: hint } : {}),
        ...(frame ? { frame } : {}),
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Feeds: RSS 2.0 and Atom, read from their text with a tolerant reader (real feeds are often
  // not well-formed XML: a blank line before `<?xml`, stray entities), the same in every browser
  // and in any context (a service worker has no DOMParser). One pass over the text: each
  // character is looked at a bounded number of times, however the markup is nested, unclosed
  // or repeated (patterns with lazy bodies retried from every `<item>` or `<title>` took
  // seconds on 200 KB, issue 18), and the text kept of an element is capped.

  function parseFeed(text: string, base: string): string {
    let channelTitle: string | undefined;
    let seenItem = false;
    let item: FeedItem | null = null;
    let capture: { name: string; text: string } | null = null;
    const append = (s: string): void => {
      if (capture && capture.text.length < TEXT_MAX) capture.text += s.slice(0, TEXT_MAX);
    };
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (hits.length >= maxHits) {
        list.leftOut ??= 'hits';
        break;
      }
      if (outOfTime()) break;
      const lt = text.indexOf('<', i);
      const stop = lt < 0 ? n : lt;
      // Entities shrink text at most twelvefold: this much raw text fills what is kept.
      if (capture && stop > i)
        append(decodeEntities(text.slice(i, Math.min(stop, i + 12 * TEXT_MAX))));
      if (lt < 0) break;
      const skipTo = (end: string, from: number): number => {
        const at = text.indexOf(end, from);
        return at < 0 ? n : at + end.length;
      };
      if (text.startsWith('<!--', lt)) {
        i = skipTo('-->', lt + 4);
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (capture) append(text.slice(lt + 9, Math.min(end < 0 ? n : end, lt + 9 + TEXT_MAX)));
        i = end < 0 ? n : end + 3;
        continue;
      }
      if (text.startsWith('<?', lt)) {
        i = skipTo('?>', lt + 2);
        continue;
      }
      if (text.startsWith('<!', lt)) {
        // A DOCTYPE, with its internal subset in brackets: its entities are never expanded.
        let j = lt + 2;
        while (j < n && text[j] !== '>' && text[j] !== '[') j++;
        i = text[j] === '[' ? skipTo(']>', j) : j + 1;
        continue;
      }
      const closing = text[lt + 1] === '/';
      TAG_NAME.lastIndex = lt + (closing ? 2 : 1);
      const nameMatch = TAG_NAME.exec(text);
      if (!nameMatch) {
        append('<');
        i = lt + 1;
        continue;
      }
      const gt = text.indexOf('>', TAG_NAME.lastIndex);
      // A tag that never ends: nothing after it can be read as markup.
      if (gt < 0) break;
      i = gt + 1;
      const name = nameMatch[0].toLowerCase();
      if (closing) {
        if (capture && capture.name === name) {
          if (item) {
            if (!item.texts.has(name)) item.texts.set(name, capture.text);
          } else channelTitle ??= capture.text;
          capture = null;
        } else append(' ');
        if (item && name === item.name) {
          addItem(item, base);
          item = null;
          capture = null;
        }
        continue;
      }
      const selfClosing = text[gt - 1] === '/';
      if (!item && ITEM_NAME.test(name)) {
        item = { name, texts: new Map(), links: [] };
        seenItem = true;
        capture = null;
        if (selfClosing) item = null;
        continue;
      }
      if (item && (name === 'enclosure' || name === 'media:content' || name === 'link')) {
        if (item.links.length < 16) {
          item.links.push({ tag: name, attrs: attrs(text.slice(TAG_NAME.lastIndex, gt)) });
        }
      }
      if (capture) append(' ');
      else if (!selfClosing && item && ITEM_TEXTS.has(name) && !item.texts.has(name)) {
        capture = { name, text: '' };
      } else if (
        !selfClosing &&
        !item &&
        !seenItem &&
        name === 'title' &&
        channelTitle === undefined
      ) {
        capture = { name, text: '' };
      }
    }
    return clean(channelTitle ?? '');
  }

  function addItem(item: FeedItem, base: string): void {
    const texts = item.texts;
    const get = (name: string): string | undefined => {
      const v = texts.get(name);
      return v === undefined ? undefined : clean(v);
    };
    const title = get('title') ?? '';
    const owner = newOwner('f');
    const dateText = get('pubdate') ?? get('published') ?? get('updated') ?? get('dc:date');
    const time = dateText ? Date.parse(dateText) : NaN;
    const duration = seconds(get('itunes:duration') ?? get('duration'));
    const common = {
      via: 'feed' as const,
      owner,
      own: title,
      ...(Number.isFinite(time) ? { date: new Date(time).toISOString() } : {}),
      ...(duration ? { duration } : {}),
    };
    const urls: { url: string; type: string; length: number }[] = [];
    for (const { tag, attrs: a } of item.links) {
      if (tag === 'link' && (a.rel ?? '').toLowerCase() !== 'enclosure') continue;
      const raw = a.url ?? a.href;
      const type = essence(a.type);
      const u = resolve(raw, base);
      if (!u || !isWebUrl(u)) continue;
      if (type && !isAudioType(type) && !(tag === 'media:content' && a.medium === 'audio')) {
        if (!hasAudioExt(u)) continue;
      }
      if (!type && !hasAudioExt(u) && tag !== 'enclosure') continue;
      urls.push({ url: u.href, type, length: Number(a.length ?? a.filesize) || 0 });
    }
    const guid = get('guid');
    const gu = guid && /^https?:\/\//.test(guid) ? resolve(guid, base) : null;
    if (gu && hasAudioExt(gu) && urls.length > 0) urls.push({ url: gu.href, type: '', length: 0 });
    for (const x of urls) {
      const u = resolve(x.url, base)!;
      add(u, { ...common, mime: x.type, ...(x.length > 0 ? { size: x.length } : {}) });
    }
  }

  const stopped = () => (list.leftOut ? { leftOut: list.leftOut } : {});
  if (opts.feedText !== undefined) {
    const title = parseFeed(opts.feedText.trimStart(), opts.baseUrl ?? doc.URL);
    return { hits, feeds, title, isFeed: true, ...stopped() };
  }
  const feedText = feedTextOf(doc);
  if (feedText !== undefined) {
    const title = parseFeed(feedText, doc.URL);
    return { hits, feeds, title, isFeed: true, ...stopped() };
  }
  const title = scanDoc(doc, 0, doc.URL, '');
  return {
    hits,
    feeds,
    title,
    isFeed: false,
    ...(schemaCount === 1 && schemaTitle ? { schemaTitle } : {}),
    ...stopped(),
  };
}
/* eslint-enable max-lines-per-function */
