import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The person's own cover image (Output → Cover → "Image file…"), kept in a small IndexedDB
 * database of its own so clearing the queue keeps it, and read by the engine when a join's
 * cover is COVER_IMAGE_ID (lib/core/settings.ts). Any extension context.
 */
export interface CoverImage {
  blob: Blob;
  /** The file's name, to show beside the Cover select. */
  name: string;
}

interface CoverDB extends DBSchema {
  images: { key: string; value: CoverImage };
}

const KEY = 'cover';
const CHANNEL = 'seam-cover';
let dbPromise: Promise<IDBPDatabase<CoverDB>> | undefined;

function db(): Promise<IDBPDatabase<CoverDB>> {
  dbPromise ??= openDB<CoverDB>('seam-cover', 1, {
    upgrade(d) {
      d.createObjectStore('images');
    },
  });
  return dbPromise;
}

function announce(): void {
  const ch = new BroadcastChannel(CHANNEL);
  ch.postMessage('changed');
  ch.close();
}

export async function getCoverImage(): Promise<CoverImage | undefined> {
  return (await db()).get('images', KEY);
}

export async function putCoverImage(image: CoverImage): Promise<void> {
  await (await db()).put('images', image, KEY);
  announce();
}

export async function clearCoverImage(): Promise<void> {
  await (await db()).delete('images', KEY);
  announce();
}

/** Calls `cb` when any page changes the cover image. Returns the unsubscribe function. */
export function onCoverImageChanged(cb: () => void): () => void {
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = () => cb();
  return () => ch.close();
}
