/**
 * The five measures of issue 13 over the page corpus (tests/fixtures/pages/expected.json), shared
 * by the unit corpus test (happy-dom) and the e2e corpus test (Chromium, the real popup).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PAGES_DIR = join(import.meta.dirname, '../fixtures/pages');

export interface ExpectedRecording {
  title: string;
  /** Other names the page shows for the same recording (a card heading and the page's h1). */
  altTitles?: string[];
  urls: string[];
  preview?: boolean;
}

export interface ExpectedPage {
  slug: string;
  file: string;
  url: string;
  kind: 'podcast-episode' | 'news' | 'radio' | 'wikipedia' | 'feed' | 'store' | 'other';
  recordings: ExpectedRecording[];
  /** Pages added for issue 21 (expected-issue-21.json): measured apart from the first corpus. */
  batch?: 'issue-21';
  /** Expectations written, never looked at while tuning the scanner: reported apart. */
  heldOut?: boolean;
  source?: { repo: string; path: string; commit: string; licence: string };
  interfaceSounds?: string[];
  notAudio?: string[];
  liveStreams?: string[];
}

const read = (file: string) =>
  JSON.parse(readFileSync(join(PAGES_DIR, file), 'utf8')) as ExpectedPage[];

/** The first corpus (issue 13). */
export const FIRST_PAGES: ExpectedPage[] = read('expected.json');
/** Pages from other sources, expectations written before the scanner ran on them (issue 21). */
export const NEW_PAGES: ExpectedPage[] = read('expected-issue-21.json');
/** The whole corpus. */
export const CORPUS: ExpectedPage[] = [...FIRST_PAGES, ...NEW_PAGES];

/** One row of "On this page" (the main list; not the collapsed "Other sounds"). */
export interface ListedItem {
  name: string;
  /** Every URL the row stands for (its formats). */
  urls: string[];
}

export interface PageResult {
  slug: string;
  feed: boolean;
  batch?: 'issue-21';
  heldOut?: boolean;
  items: number;
  wanted: number;
  distinct: number;
  recordings: number;
  found: number;
  named: number;
  /** Rows matching no recording, and recordings no row matched, for reading failures. */
  unwanted: string[];
  missed: string[];
  misnamed: string[];
}

/** URL comparison: decoded percent-encoding, no fragment, host in lower case. */
export function normUrl(url: string): string {
  let s = url.split('#')[0]!;
  try {
    s = new URL(s).href;
  } catch {
    // keep as is
  }
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Title comparison: case, quotes, surrounding punctuation and spacing do not count. */
export function normTitle(title: string): string {
  return title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’‘´`]/g, "'")
    .replace(/[“”„«»]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'.,:;!?()[\]-]+|[\s"'.,:;!?()[\]-]+$/g, '');
}

/** Whether a row's name is a title the page shows for the recording. */
function titled(name: string, rec: ExpectedRecording): boolean {
  const n = normTitle(name);
  return [rec.title, ...(rec.altTitles ?? [])].some((t) => normTitle(t) === n);
}

export function measurePage(page: ExpectedPage, items: readonly ListedItem[]): PageResult {
  const recs = page.recordings.map((r) => new Set(r.urls.map(normUrl)));
  const matched = new Set<number>();
  const res: PageResult = {
    slug: page.slug,
    feed: page.kind === 'feed',
    ...(page.batch ? { batch: page.batch } : {}),
    ...(page.heldOut ? { heldOut: true } : {}),
    items: items.length,
    wanted: 0,
    distinct: 0,
    recordings: page.recordings.length,
    found: 0,
    named: 0,
    unwanted: [],
    missed: [],
    misnamed: [],
  };
  for (const item of items) {
    const urls = item.urls.map(normUrl);
    // A URL may stand for two recordings (a feed with one file under two items): prefer the
    // one of the same title not matched yet.
    const candidates = recs.flatMap((set, i) => (urls.some((u) => set.has(u)) ? [i] : []));
    const sameTitle = (i: number) => titled(item.name, page.recordings[i]!);
    const idx =
      candidates.find((i) => !matched.has(i) && sameTitle(i)) ??
      candidates.find((i) => !matched.has(i)) ??
      candidates[0] ??
      -1;
    if (idx < 0) {
      res.unwanted.push(`${item.name} <${item.urls[0]}>`);
      continue;
    }
    res.wanted++;
    if (!matched.has(idx)) {
      matched.add(idx);
      res.distinct++;
    }
    if (titled(item.name, page.recordings[idx]!)) res.named++;
    else res.misnamed.push(`${item.name} ≠ ${page.recordings[idx]!.title}`);
  }
  res.found = matched.size;
  page.recordings.forEach((r, i) => {
    if (!matched.has(i)) res.missed.push(`${r.title} <${r.urls[0]}>`);
  });
  return res;
}

export interface Measures {
  /** Listed items that are audio a person could want. */
  wanted: [number, number];
  /** Listed items that are distinct recordings. */
  distinct: [number, number];
  /** Recordings found on HTML pages. */
  foundHtml: [number, number];
  /** Recordings found, feeds included. */
  foundAll: [number, number];
  /** Items (that are wanted audio) named by the title the page shows. */
  named: [number, number];
  /** The same, on HTML pages only (feeds name every item by its own title). */
  namedHtml: [number, number];
}

/** Which pages a table is about. */
export type PageSet = 'all' | 'first' | 'new' | 'new-tuned' | 'held-out';

export function pagesOf(results: readonly PageResult[], set: PageSet): PageResult[] {
  switch (set) {
    case 'all':
      return [...results];
    case 'first':
      return results.filter((r) => !r.batch);
    case 'new':
      return results.filter((r) => r.batch === 'issue-21');
    case 'new-tuned':
      return results.filter((r) => r.batch === 'issue-21' && !r.heldOut);
    case 'held-out':
      return results.filter((r) => r.heldOut);
  }
}

export function summarize(
  results: readonly PageResult[],
  only?: 'html',
  set: PageSet = 'all',
): Measures {
  const inSet = pagesOf(results, set);
  const rs = only === 'html' ? inSet.filter((r) => !r.feed) : inSet;
  const sum = (list: readonly PageResult[], f: (r: PageResult) => number) =>
    list.reduce((n, r) => n + f(r), 0);
  const html = inSet.filter((r) => !r.feed);
  return {
    wanted: [sum(rs, (r) => r.wanted), sum(rs, (r) => r.items)],
    distinct: [sum(rs, (r) => r.distinct), sum(rs, (r) => r.items)],
    foundHtml: [sum(html, (r) => r.found), sum(html, (r) => r.recordings)],
    foundAll: [sum(inSet, (r) => r.found), sum(inSet, (r) => r.recordings)],
    named: [sum(rs, (r) => r.named), sum(rs, (r) => r.wanted)],
    namedHtml: [sum(html, (r) => r.named), sum(html, (r) => r.wanted)],
  };
}

const pct = ([a, b]: [number, number]) => (b === 0 ? 100 : (100 * a) / b);

export function ratio(m: [number, number]): number {
  return pct(m);
}

/** The table of the issue, as text. */
export function report(title: string, m: Measures, goals: Goals = GOALS): string {
  const row = (label: string, v: [number, number], goal: number) =>
    `| ${label} | ${v[0]} of ${v[1]} (${pct(v).toFixed(1)}%) | >= ${goal}% |`;
  return [
    `${title}`,
    '| measure | result | goal |',
    '| --- | --- | --- |',
    row('listed items that are audio a person could want', m.wanted, goals.wanted),
    row('listed items that are distinct recordings', m.distinct, goals.distinct),
    row('recordings found, HTML pages', m.foundHtml, goals.foundHtml),
    row('recordings found, with the feeds', m.foundAll, goals.foundAll),
    row('items named by the title the page shows', m.named, goals.named),
    row('items named by the title the page shows, HTML pages', m.namedHtml, goals.named),
  ].join('\n');
}

export interface Goals {
  wanted: number;
  distinct: number;
  foundHtml: number;
  foundAll: number;
  named: number;
}
/** Issue 13's goals, for the first corpus. */
export const GOALS: Goals = { wanted: 95, distinct: 90, foundHtml: 90, foundAll: 90, named: 70 };
/** Issue 21's goals, for the new pages and the whole corpus. */
export const GOALS_21: Goals = { wanted: 95, distinct: 95, foundHtml: 90, foundAll: 90, named: 85 };

/** The tables of issue 21: the first corpus, the new pages (tuned on, held out, both), all. */
export function reportAll(where: string, results: readonly PageResult[]): string {
  const sets: [PageSet, string, Goals][] = [
    ['first', 'first corpus (issue 13)', GOALS],
    ['new-tuned', 'new pages (issue 21), not held out', GOALS_21],
    ['held-out', 'new pages (issue 21), held out', GOALS_21],
    ['new', 'new pages (issue 21), all', GOALS_21],
    ['all', 'whole corpus', GOALS_21],
  ];
  return sets
    .map(([set, label, goals]) =>
      report(`${where}: ${label}`, summarize(results, undefined, set), goals),
    )
    .join('\n\n');
}
