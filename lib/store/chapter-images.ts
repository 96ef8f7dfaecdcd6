import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * Chapter images (a Podcasting 2.0 chapter's `img`, fetched by "Make a book"), kept in a small
 * IndexedDB database of their own under the SHA-256 of their bytes (the same image twice is kept
 * once), and read by the engine when it writes the chapters (ID3 CHAP). Any extension context.
 */
interface ChapterImageDB extends DBSchema {
  images: { key: string; value: Blob };
}

let dbPromise: Promise<IDBPDatabase<ChapterImageDB>> | undefined;

function db(): Promise<IDBPDatabase<ChapterImageDB>> {
  dbPromise ??= openDB<ChapterImageDB>('seam-chapter-images', 1, {
    upgrade(d) {
      d.createObjectStore('images');
    },
  });
  return dbPromise;
}

/** Keeps `bytes` (a JPEG or PNG of `type`); returns its key. */
export async function putChapterImage(bytes: Uint8Array, type: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  const key = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  await (await db()).put('images', new Blob([bytes.slice()], { type }), key);
  return key;
}

/** The images of these keys that are kept, as bytes (a key no longer kept is left out). */
export async function getChapterImages(keys: readonly string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const d = await db();
  for (const key of new Set(keys)) {
    const blob = await d.get('images', key);
    if (blob) out.set(key, new Uint8Array(await blob.arrayBuffer()));
  }
  return out;
}
