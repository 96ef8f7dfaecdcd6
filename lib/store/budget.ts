import { DiskFullError } from '@/lib/core/errors';
import { bytesText } from '@/lib/core/text';
import { text, type Sub } from '@/lib/core/i18n';

/**
 * Room for audio: page downloads and added local files land in IndexedDB, so what the browser
 * says is free (`navigator.storage.estimate()`: quota minus usage) bounds what may be queued,
 * fetched or added.
 * Any extension context with `navigator.storage` (pages, the offscreen document).
 */

/** Bytes the browser will still store for Seam; Infinity when it does not say. */
export async function freeBytes(): Promise<number> {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    if (typeof quota !== 'number' || typeof usage !== 'number') return Infinity;
    return Math.max(0, quota - usage);
  } catch {
    return Infinity;
  }
}

/** Throws DiskFullError when `bytes` more would not fit. `what` names them in the sentence. */
export async function ensureRoom(bytes: number, what: Sub): Promise<void> {
  if (!(bytes > 0)) return;
  const free = await freeBytes();
  if (bytes > free) {
    throw new DiskFullError(text('errors.noRoomFor', what, bytesText(bytes), bytesText(free)));
  }
}
