import { fileIdentity } from './group';
import { isFetchable, nameFromUrl } from './urls';
import { addTracks, listTracks } from '@/lib/store/tracks';
import type { Track } from '@/lib/core/track';

/** One piece of page audio someone chose to add. Comes from a page: never trusted as is. */
export interface PageAudioPick {
  url: string;
  name?: string;
  pageUrl?: string;
}

/** More than this in one go is not a person's choice but a page flooding the queue. */
export const MAX_PICKS = 500;
/** "Add all" asks first above this many recordings... */
export const ASK_ABOVE_COUNT = 20;
/** ...or when the sizes the page gives add up to more than this (500 MB, issue 21). */
export const ASK_ABOVE_BYTES = 500 * 1024 ** 2;
const MAX_NAME = 120;

/**
 * Validates picks (http/https only, names as plain short text, no duplicates, bounded count).
 * `dropped` counts the picks left out past MAX_PICKS, so the person can be told.
 */
export function cleanPicks(input: unknown): PageAudioPick[] {
  return cleanPicksCounted(input).picks;
}

export function cleanPicksCounted(input: unknown): { picks: PageAudioPick[]; dropped: number } {
  if (!Array.isArray(input)) return { picks: [], dropped: 0 };
  const seen = new Set<string>();
  const out: PageAudioPick[] = [];
  let dropped = 0;
  for (const raw of input) {
    if (!raw || typeof raw !== 'object') continue;
    const { url, name, pageUrl } = raw as Record<string, unknown>;
    if (typeof url !== 'string' || url.length > 4096 || !isFetchable(url)) continue;
    const href = new URL(url).href;
    if (seen.has(href)) continue;
    seen.add(href);
    if (out.length >= MAX_PICKS) {
      dropped++;
      continue;
    }
    out.push({
      url: href,
      name: cleanName(typeof name === 'string' ? name : '') || nameFromUrl(href),
      ...(typeof pageUrl === 'string' && isFetchable(pageUrl) ? { pageUrl } : {}),
    });
  }
  return { picks: out, dropped };
}

function cleanName(name: string): string {
  // Control and bidi-override characters can disguise a name; keep plain text only.
  // Only the start of a long text is read: at most MAX_NAME characters of it are kept.
  const plain = name
    .slice(0, 4 * MAX_NAME + 16)
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...plain].slice(0, MAX_NAME).join('');
}

export interface QueuedPicks {
  added: Track[];
  /** Picks already in the queue (the same file), not added again. */
  duplicates: PageAudioPick[];
  /** Picks left out past MAX_PICKS. */
  dropped: number;
}

/** Queues picks as tracks waiting to be fetched, each under the page's title for it. */
export async function queuePageAudio(input: unknown): Promise<QueuedPicks> {
  const { picks, dropped } = cleanPicksCounted(input);
  if (picks.length === 0) return { added: [], duplicates: [], dropped };
  const queued = new Set(
    (await listTracks()).flatMap((t) =>
      t.source.kind === 'url' ? [fileIdentity(t.source.url)] : [],
    ),
  );
  const fresh = picks.filter((p) => !queued.has(fileIdentity(p.url)));
  const duplicates = picks.filter((p) => queued.has(fileIdentity(p.url)));
  const added =
    fresh.length === 0
      ? []
      : await addTracks(
          fresh.map((p) => ({
            name: p.name ?? nameFromUrl(p.url),
            mime: '',
            source: {
              kind: 'url' as const,
              url: p.url,
              ...(p.pageUrl ? { pageUrl: p.pageUrl } : {}),
            },
            status: 'fetching' as const,
          })),
        );
  return { added, duplicates, dropped };
}

/** Whether adding these needs the person's yes first: many, or large by the page's own sizes. */
export function needsConfirmation(picks: readonly { size?: number }[]): boolean {
  const total = picks.reduce((n, p) => n + (p.size ?? 0), 0);
  return picks.length > ASK_ABOVE_COUNT || total > ASK_ABOVE_BYTES;
}

/**
 * Feed episodes in the order they were published (oldest first, so a join plays them in order),
 * or newest first when the person asks. Undated ones keep their order, after the dated ones.
 */
export function publicationOrder<T extends { date?: string | undefined }>(
  items: readonly T[],
  newestFirst = false,
): T[] {
  const dir = newestFirst ? -1 : 1;
  return items
    .map((item, i) => ({ item, i, t: item.date ? Date.parse(item.date) : NaN }))
    .sort((a, b) => {
      const na = Number.isNaN(a.t);
      const nb = Number.isNaN(b.t);
      if (na || nb) return na === nb ? a.i - b.i : na ? 1 : -1;
      return dir * (a.t - b.t) || a.i - b.i;
    })
    .map((x) => x.item);
}

/**
 * The host most rows share (more than half of those that name one), which the list then need
 * not repeat on every row; undefined when there is none.
 */
export function commonHost(hosts: readonly string[]): string | undefined {
  const named = hosts.filter(Boolean);
  const counts = new Map<string, number>();
  for (const h of named) counts.set(h, (counts.get(h) ?? 0) + 1);
  let best: string | undefined;
  let most = 0;
  for (const [h, n] of counts) {
    if (n > most) [best, most] = [h, n];
  }
  return most * 2 > named.length ? best : undefined;
}

/** How many "Select the newest N" may offer: never more than there are. */
export function rangeSize(wanted: number, available: number): number {
  return Math.max(1, Math.min(Math.floor(wanted) || 1, available));
}
