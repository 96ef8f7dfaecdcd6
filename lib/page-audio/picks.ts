import { isFetchable, nameFromUrl } from './urls';
import { addTracks } from '@/lib/store/tracks';
import type { Track } from '@/lib/core/track';

/** One piece of page audio someone chose to add. Comes from a page: never trusted as is. */
export interface PageAudioPick {
  url: string;
  name?: string;
  pageUrl?: string;
}

/** More than this in one go is not a person's choice but a page flooding the queue. */
export const MAX_PICKS = 500;
const MAX_NAME = 120;

/**
 * Validates picks (http/https only, names as plain short text, no duplicates, bounded count)
 * and queues them as tracks waiting to be fetched. Returns the tracks created.
 */
export function cleanPicks(input: unknown): PageAudioPick[] {
  if (!Array.isArray(input)) return [];
  const seen = new Set<string>();
  const out: PageAudioPick[] = [];
  for (const raw of input.slice(0, MAX_PICKS * 2)) {
    if (!raw || typeof raw !== 'object') continue;
    const { url, name, pageUrl } = raw as Record<string, unknown>;
    if (typeof url !== 'string' || !isFetchable(url)) continue;
    const href = new URL(url).href;
    if (seen.has(href)) continue;
    seen.add(href);
    out.push({
      url: href,
      name: cleanName(typeof name === 'string' ? name : '') || nameFromUrl(href),
      ...(typeof pageUrl === 'string' && isFetchable(pageUrl) ? { pageUrl } : {}),
    });
    if (out.length >= MAX_PICKS) break;
  }
  return out;
}

function cleanName(name: string): string {
  // Control and bidi-override characters can disguise a name; keep plain text only.
  const plain = name
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...plain].slice(0, MAX_NAME).join('');
}

export async function queuePageAudio(input: unknown): Promise<Track[]> {
  const picks = cleanPicks(input);
  if (picks.length === 0) return [];
  return addTracks(
    picks.map((p) => ({
      name: p.name ?? nameFromUrl(p.url),
      mime: '',
      source: { kind: 'url' as const, url: p.url, ...(p.pageUrl ? { pageUrl: p.pageUrl } : {}) },
      status: 'fetching' as const,
    })),
  );
}
