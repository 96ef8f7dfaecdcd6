import type { FeedLink, ScanHit, ScanLeftOut, UnsavableReason } from '../scan';
import { isDescriptionPage, isWebUrl } from './addresses';

const STREAMED: UnsavableReason = 'streamed';
const EMBEDDED: UnsavableReason = 'embedded';

/**
 * What one scan has found, and its budget: the hits (at most `maxHits`), the feeds a page links,
 * the time left, and why the scan stopped early (`leftOut`). `add` keeps only addresses Seam can
 * list (http(s), `blob:`, `data:` audio or video; no MediaWiki file description pages), marks
 * those it cannot save with a reason code, drops the fragment and lists each address once per
 * owner.
 */
export class HitList {
  readonly hits: ScanHit[] = [];
  readonly feeds: FeedLink[] = [];
  leftOut: ScanLeftOut | undefined;
  private readonly deadline: number;
  private readonly seenPairs = new Set<string>();
  private ownerSeq = 0;

  constructor(
    readonly maxHits: number,
    budgetMs: number,
  ) {
    this.deadline = Date.now() + budgetMs;
  }

  /** True once the time budget is spent (and says so in `leftOut`). */
  outOfTime(): boolean {
    if (this.leftOut === 'time') return true;
    if (Date.now() <= this.deadline) return false;
    this.leftOut = 'time';
    return true;
  }

  /** A new owner: hits with the same owner are one recording. */
  newOwner(prefix: string): string {
    this.ownerSeq++;
    return `${prefix}${this.ownerSeq}`;
  }

  add(u: URL, hit: Omit<ScanHit, 'url'>): void {
    if (this.hits.length >= this.maxHits) {
      this.leftOut ??= 'hits';
      return;
    }
    const h: ScanHit = { url: '', ...hit };
    if (u.protocol === 'blob:') h.disabledReason = STREAMED;
    else if (u.protocol === 'data:') {
      if (!/^data:(audio|video)\//i.test(u.href)) return;
      h.disabledReason = EMBEDDED;
    } else if (!isWebUrl(u)) return;
    else if (isDescriptionPage(u)) return;
    // HLS and DASH: a playlist of pieces, not a file that can be saved.
    if (isWebUrl(u) && /\.(m3u8|mpd)$/i.test(u.pathname)) h.disabledReason = STREAMED;
    const hash = u.href.indexOf('#');
    h.url = hash >= 0 ? u.href.slice(0, hash) : u.href;
    if (h.url.startsWith('data:')) h.url = h.url.slice(0, 4096);
    const pair = `${h.owner}\n${h.url}`;
    if (this.seenPairs.has(pair)) return;
    this.seenPairs.add(pair);
    for (const k of Object.keys(h) as (keyof ScanHit)[]) {
      if (h[k] === undefined || h[k] === '') delete h[k];
    }
    h.url = h.url || '';
    if (!h.owner) h.owner = this.newOwner('x');
    this.hits.push(h);
  }
}
