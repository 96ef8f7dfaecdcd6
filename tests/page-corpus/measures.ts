/**
 * The five measures of issue 13 over the page corpus (tests/fixtures/pages/expected.json), shared
 * by the unit corpus test (happy-dom) and the e2e corpus test (Chromium, the real popup).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PAGES_DIR = join(import.meta.dirname, '../fixtures/pages');

export interface ExpectedRecording {
  title: string;
  urls: string[];
  preview?: boolean;
}

export interface ExpectedPage {
  slug: string;
  file: string;
  url: string;
  kind: 'podcast-episode' | 'news' | 'radio' | 'wikipedia' | 'feed' | 'other';
  recordings: ExpectedRecording[];
  interfaceSounds?: string[];
  notAudio?: string[];
  liveStreams?: string[];
}

export const CORPUS: ExpectedPage[] = JSON.parse(
  readFileSync(join(PAGES_DIR, 'expected.json'), 'utf8'),
) as ExpectedPage[];

/** One row of "On this page" (the main list; not the collapsed "Other sounds"). */
export interface ListedItem {
  name: string;
  /** Every URL the row stands for (its formats). */
  urls: string[];
}

export interface PageResult {
  slug: string;
  feed: boolean;
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

export function measurePage(page: ExpectedPage, items: readonly ListedItem[]): PageResult {
  const recs = page.recordings.map((r) => new Set(r.urls.map(normUrl)));
  const matched = new Set<number>();
  const res: PageResult = {
    slug: page.slug,
    feed: page.kind === 'feed',
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
    const sameTitle = (i: number) => normTitle(item.name) === normTitle(page.recordings[i]!.title);
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
    if (normTitle(item.name) === normTitle(page.recordings[idx]!.title)) res.named++;
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
}

export function summarize(results: readonly PageResult[], only?: 'html'): Measures {
  const rs = only === 'html' ? results.filter((r) => !r.feed) : results;
  const sum = (list: readonly PageResult[], f: (r: PageResult) => number) =>
    list.reduce((n, r) => n + f(r), 0);
  const html = results.filter((r) => !r.feed);
  return {
    wanted: [sum(rs, (r) => r.wanted), sum(rs, (r) => r.items)],
    distinct: [sum(rs, (r) => r.distinct), sum(rs, (r) => r.items)],
    foundHtml: [sum(html, (r) => r.found), sum(html, (r) => r.recordings)],
    foundAll: [sum(results, (r) => r.found), sum(results, (r) => r.recordings)],
    named: [sum(rs, (r) => r.named), sum(rs, (r) => r.wanted)],
  };
}

const pct = ([a, b]: [number, number]) => (b === 0 ? 100 : (100 * a) / b);

export function ratio(m: [number, number]): number {
  return pct(m);
}

/** The table of the issue, as text. */
export function report(title: string, m: Measures): string {
  const row = (label: string, v: [number, number], goal: number) =>
    `| ${label} | ${v[0]} of ${v[1]} (${pct(v).toFixed(1)}%) | >= ${goal}% |`;
  return [
    `${title}`,
    '| measure | result | goal |',
    '| --- | --- | --- |',
    row('listed items that are audio a person could want', m.wanted, 95),
    row('listed items that are distinct recordings', m.distinct, 90),
    row('recordings found, HTML pages', m.foundHtml, 90),
    row('recordings found, with the feeds', m.foundAll, 90),
    row('items named by the title the page shows', m.named, 70),
  ].join('\n');
}

export const GOALS = { wanted: 95, distinct: 90, foundHtml: 90, foundAll: 90, named: 70 } as const;
