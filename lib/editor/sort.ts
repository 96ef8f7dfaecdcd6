/**
 * Putting the queue in order: by name as people count ("Part 2" before "Part 10"), by the
 * track and disc numbers in the files' tags, by date, or reversed. Each returns the track ids
 * in their new order, for the store to follow. Pure.
 */
import type { Track } from '@/lib/core/track';

export type SortKey = 'name' | 'number' | 'date';

/** Numbers inside names compare as numbers; case and accents do not decide before letters do. */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares two names the way a person sorts them: "Part 2" < "Part 10", "a" = "A". */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `items` sorted by `key` naturally (a new array; equal keys keep their order). */
export function naturalSort<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((x, y) => naturalCompare(x.k, y.k) || x.i - y.i)
    .map((x) => x.item);
}

type SortableTrack = Pick<Track, 'id' | 'name' | 'addedAt' | 'info'> & { modifiedAt?: number };

/** "3", "3/12", "03 of 12": the leading whole number, or undefined. */
function leadingNumber(text: string | undefined): number | undefined {
  const m = /^\s*(\d+)/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

/** A track's disc and track number from its tags (ffprobe's lower-cased keys). */
export function trackNumber(t: Pick<Track, 'info'>): { disc: number; track: number } | undefined {
  const tags = t.info?.tags ?? {};
  const track = leadingNumber(tags['track'] ?? tags['tracknumber'] ?? tags['trck']);
  if (track === undefined) return undefined;
  const disc = leadingNumber(tags['disc'] ?? tags['discnumber'] ?? tags['tpos']) ?? 1;
  return { disc, track };
}

/**
 * When a track was made, in ms since 1970: the recording date in its tags (date,
 * creation_time; a bare year counts as 1 January), else the file's modification time, else
 * when it was added.
 */
export function trackDate(t: SortableTrack): number {
  const tags = t.info?.tags ?? {};
  for (const key of ['creation_time', 'date', 'year', 'tdrc', 'tyer']) {
    const v = tags[key]?.trim();
    if (!v) continue;
    const ms = /^\d{4}$/.test(v) ? Date.UTC(Number(v), 0, 1) : Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  return t.modifiedAt ?? t.addedAt;
}

/**
 * The ids in the order `key` gives: names naturally; disc then track number (tracks without a
 * number after those with one, by name); date, oldest first (ties by name).
 */
export function sortTracks(tracks: readonly SortableTrack[], key: SortKey): string[] {
  const byName = naturalSort(tracks, (t) => t.name);
  if (key === 'name') return byName.map((t) => t.id);
  if (key === 'number') {
    const rank = (t: SortableTrack) => {
      const n = trackNumber(t);
      return n ? n.disc * 100_000 + n.track : Number.POSITIVE_INFINITY;
    };
    return [...byName].sort((a, b) => compareNumbers(rank(a), rank(b))).map((t) => t.id);
  }
  return [...byName].sort((a, b) => trackDate(a) - trackDate(b)).map((t) => t.id);
}

/** The ids in reverse order. */
export function reverseOrder(tracks: readonly Pick<Track, 'id'>[]): string[] {
  return tracks.map((t) => t.id).reverse();
}

/** Whether any track has a track number in its tags (else sorting by number would do nothing). */
export function hasTrackNumbers(tracks: readonly Pick<Track, 'info'>[]): boolean {
  return tracks.some((t) => trackNumber(t) !== undefined);
}

function compareNumbers(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
