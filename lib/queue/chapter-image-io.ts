import { fetchGated, type GateOptions } from '@/lib/fetch/gate';
import type { ChapterImageIo } from '@/lib/page-audio/chapter-images';
import { putChapterImage } from '@/lib/store/chapter-images';

/**
 * Chapter pictures fetched through the fetch gate as the book's artwork is (the site access the
 * book was given, its budgets of time; the picture's own size cap) and kept in IndexedDB.
 */
export function gatedChapterImageIo(gate: Omit<GateOptions, 'kind'>): ChapterImageIo {
  return {
    fetch: async (url, limitBytes) =>
      (await fetchGated(url, { ...gate, kind: 'artwork', budget: { limitBytes } })).bytes,
    keep: putChapterImage,
  };
}
