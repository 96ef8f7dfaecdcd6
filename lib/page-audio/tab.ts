import { t } from '@/lib/core/i18n';
import { browser } from '#imports';
import { groupHits, type PageRecording } from './group';
import {
  scanPage,
  SCAN_BUDGET_MS,
  type ScanOptions,
  UNSAVABLE_REASON,
  UNSAVABLE_REASONS,
  type FeedLink,
  type HitVia,
  type PageScanResult,
  type ScanHit,
  type ScanLeftOut,
} from './scan';
import { SCAN_OPTIONS_GLOBAL } from './scan/options';

/**
 * Scanning a tab from an extension page: the scanner runs in every frame Seam may reach, and what
 * comes back is page data, so each field is checked (types, lengths, schemes) and anything odd is
 * dropped before the grouping (./group.ts) makes rows of it.
 */

export type PageScan =
  | {
      ok: true;
      recordings: PageRecording[];
      feeds: FeedLink[];
      /** The page's title, or the feed's. */
      title: string;
      isFeed: boolean;
      pageUrl: string;
      /** What the scan left out, in words, when it stopped early (time budget, hit cap). */
      leftOut?: string;
    }
  | { ok: false; reason: string };

/** More than this many places pointing at audio is a page flooding the list. */
export const MAX_HITS = 5000;
/** Feeds a page lists at most. */
const MAX_FEEDS = 20;

/**
 * How long Seam waits for the page to answer a scan. The scan stops itself after
 * SCAN_BUDGET_MS; a page busy with its own scripts (or frozen) may never run it at all, and the
 * popup must not wait for it.
 */
export const SCAN_TIMEOUT_MS = 5000;

class ScanTimeout extends Error {
  override name = 'ScanTimeout';
}

/** `promise`, or a ScanTimeout after SCAN_TIMEOUT_MS, whichever comes first. */
function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScanTimeout()), SCAN_TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export async function scanTab(tabId: number): Promise<PageScan> {
  let pageUrl = '';
  try {
    pageUrl = (await browser.tabs.get(tabId)).url ?? '';
  } catch {
    return { ok: false, reason: t('page.tabGone') };
  }
  if (/^(chrome|edge|about|chrome-extension|moz-extension|view-source|devtools):/.test(pageUrl)) {
    return { ok: false, reason: t('page.cannotScan') };
  }
  let results: { result?: unknown }[];
  const timedOut = { ok: false, reason: t('page.scanTimeout', SCAN_TIMEOUT_MS / 1000) } as const;
  try {
    results = await withTimeout(injectScanner({ tabId, allFrames: true }));
  } catch (err) {
    if (err instanceof ScanTimeout) return timedOut;
    try {
      results = await withTimeout(injectScanner({ tabId }));
    } catch (err2) {
      if (err2 instanceof ScanTimeout) return timedOut;
      return {
        ok: false,
        reason: t('page.cannotRead'),
      };
    }
  }
  const merged = mergeResults(results.map((r) => r.result));
  const leftOut = leftOutWords(merged.leftOut);
  return { ok: true, pageUrl, ...merged, ...(leftOut ? { leftOut } : {}) };
}

/** The scan's options, the same in every frame. */
const SCAN_OPTIONS: ScanOptions = { budgetMs: SCAN_BUDGET_MS, maxHits: MAX_HITS };

/**
 * Runs the scanner (/page-scan.js, built from entrypoints/page-scan.ts) in the tab's frames, in
 * the isolated world (the default), where the page's scripts cannot reach: its options first, set
 * on that world's global object, then the script, whose main's return value is each frame's
 * result.
 */
async function injectScanner(target: {
  tabId: number;
  allFrames?: boolean;
}): Promise<{ result?: unknown }[]> {
  await browser.scripting.executeScript({
    target,
    func: (name: string, options: ScanOptions) => {
      (globalThis as Record<string, unknown>)[name] = options;
    },
    args: [SCAN_OPTIONS_GLOBAL, SCAN_OPTIONS],
  });
  return browser.scripting.executeScript({ target, files: ['/page-scan.js'] });
}

/** What a scan that stopped early left out, in words. */
function leftOutWords(why: ScanLeftOut | undefined): string | undefined {
  if (why === 'time') return t('page.leftOutTime', SCAN_BUDGET_MS / 1000);
  if (why === 'hits') return t('page.leftOutHits', MAX_HITS);
  return undefined;
}

/** The rows of a feed's text (a feed the page links, fetched by the extension). */
export function feedRecordings(
  text: string,
  url: string,
): { recordings: PageRecording[]; leftOut?: string } {
  const scan = scanPage(document, { feedText: text, baseUrl: url, maxHits: MAX_HITS });
  const { recordings, leftOut } = mergeResults([scan]);
  const words = leftOutWords(leftOut);
  return { recordings, ...(words ? { leftOut: words } : {}) };
}

/** Validates per-frame scanner results (the top frame first) and groups them into rows. */
export function mergeResults(perFrame: readonly unknown[]): {
  recordings: PageRecording[];
  feeds: FeedLink[];
  title: string;
  isFeed: boolean;
  leftOut?: ScanLeftOut;
} {
  const hits: ScanHit[] = [];
  let leftOut: ScanLeftOut | undefined;
  const feeds: FeedLink[] = [];
  let title = '';
  let isFeed = false;
  let schemaTitle: string | undefined;
  perFrame.forEach((raw, frameIndex) => {
    if (!raw || typeof raw !== 'object') return;
    const r = raw as Partial<Record<keyof PageScanResult, unknown>>;
    if (frameIndex === 0) {
      title = str(r.title, 200) ?? '';
      isFeed = r.isFeed === true;
      schemaTitle = str(r.schemaTitle, 200);
    }
    if (r.leftOut === 'time' || r.leftOut === 'hits') leftOut ??= r.leftOut;
    if (Array.isArray(r.hits)) {
      for (const h of r.hits) {
        if (hits.length >= MAX_HITS) {
          leftOut ??= 'hits';
          break;
        }
        const hit = validHit(h, frameIndex);
        if (hit) hits.push(hit);
      }
    }
    if (Array.isArray(r.feeds)) {
      // At most MAX_FEEDS in all: a page of many frames each linking feeds gets no more.
      for (const f of r.feeds.slice(0, MAX_FEEDS)) {
        if (feeds.length >= MAX_FEEDS) break;
        const feed = validFeed(f);
        if (feed && !feeds.some((x) => x.url === feed.url)) feeds.push(feed);
      }
    }
  });
  const recordings = groupHits({
    hits,
    isFeed,
    ...(schemaTitle ? { schemaTitle } : {}),
    ...(title ? { title } : {}),
  });
  return { recordings, feeds, title, isFeed, ...(leftOut ? { leftOut } : {}) };
}

const VIAS = new Set<HitVia>([
  'media',
  'link',
  'og',
  'meta',
  'enclosure',
  'data',
  'schema',
  'feed',
  'script',
]);

function str(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  // Control and bidi-override characters can disguise a name; keep plain text only. Only the
  // start of a long text is read: what is kept is at most `max` characters of it.
  const plain = v
    .slice(0, 4 * max + 16)
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain ? [...plain].slice(0, max).join('') : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function allowedUrl(url: string): boolean {
  if (url === '') return true;
  if (url.length > 4096) return false;
  try {
    const { protocol } = new URL(url);
    return ['http:', 'https:', 'blob:', 'data:'].includes(protocol);
  } catch {
    return false;
  }
}

function validHit(raw: unknown, frameIndex: number): ScanHit | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.url !== 'string' || !allowedUrl(r.url)) return undefined;
  if (typeof r.via !== 'string' || !VIAS.has(r.via as HitVia)) return undefined;
  if (typeof r.owner !== 'string' || r.owner.length > 64) return undefined;
  const hit: ScanHit = { url: r.url, via: r.via as HitVia, owner: `${frameIndex}:${r.owner}` };
  for (const key of ['own', 'schema', 'data', 'heading', 'og'] as const) {
    const v = str(r[key], 200);
    if (v) hit[key] = v;
  }
  const mime = str(r.mime, 100);
  if (mime && /^[\w.+-]+\/[\w.+-]+$/.test(mime)) hit.mime = mime.toLowerCase();
  // A code from the union, never the page's words: anything else counts as "cannot be saved".
  const reason = UNSAVABLE_REASONS.find((x) => x === r.disabledReason);
  if (r.disabledReason !== undefined || !/^https?:/.test(hit.url)) {
    hit.disabledReason = reason ?? UNSAVABLE_REASON;
  }
  const frame = str(r.frame, 4096);
  if (frame) hit.frame = frame;
  for (const key of ['controls', 'hidden', 'uiSound'] as const) {
    if (r[key] === true) hit[key] = true;
  }
  const duration = num(r.duration);
  if (duration) hit.duration = duration;
  const size = num(r.size);
  if (size) hit.size = size;
  const date = str(r.date, 40);
  if (date && Number.isFinite(Date.parse(date))) hit.date = new Date(date).toISOString();
  return hit;
}

function validFeed(raw: unknown): FeedLink | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.url !== 'string' || !/^https?:/.test(r.url) || r.url.length > 4096) return undefined;
  return { url: r.url, title: str(r.title, 200) ?? '' };
}
