import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { DiskFullError, isQuotaError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { fileNames } from '@/lib/core/text';
import type { Track, TrackSource } from '@/lib/core/track';

/**
 * The queue: track metadata and audio Blobs in IndexedDB, shared by the popup, the options page,
 * the service worker and the offscreen document. Every write announces itself on a
 * BroadcastChannel so open pages redraw and the badge follows.
 */
interface SeamDB extends DBSchema {
  tracks: { key: string; value: Track };
  audio: { key: string; value: Blob };
}

const DB_NAME = 'seam';
const CHANNEL = 'seam-tracks';

let dbPromise: Promise<IDBPDatabase<SeamDB>> | undefined;
function db(): Promise<IDBPDatabase<SeamDB>> {
  dbPromise ??= openDB<SeamDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('tracks', { keyPath: 'id' });
      d.createObjectStore('audio');
    },
  });
  return dbPromise;
}

function announce(): void {
  const ch = new BroadcastChannel(CHANNEL);
  ch.postMessage('changed');
  ch.close();
}

/** Calls `cb` whenever any context changes the queue. Returns the unsubscribe function. */
export function onTracksChanged(cb: () => void): () => void {
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = () => cb();
  return () => ch.close();
}

function newTrackId(): string {
  return crypto.randomUUID();
}

export async function listTracks(): Promise<Track[]> {
  const all = await (await db()).getAll('tracks');
  return all.sort((a, b) => a.position - b.position || a.addedAt - b.addedAt);
}

export async function getTrack(id: string): Promise<Track | undefined> {
  return (await db()).get('tracks', id);
}

export async function getAudio(id: string): Promise<Blob | undefined> {
  return (await db()).get('audio', id);
}

async function nextPosition(d: IDBPDatabase<SeamDB>): Promise<number> {
  const all = await d.getAll('tracks');
  return all.reduce((max, t) => Math.max(max, t.position), -1) + 1;
}

export interface NewTrack {
  name: string;
  mime: string;
  source: TrackSource;
  /** The audio, or undefined while it is still being fetched. */
  blob?: Blob;
  status: Track['status'];
  error?: Track['error'];
  /** A local file's last modification time. */
  modifiedAt?: number;
  header?: Track['header'];
}

/** Appends tracks to the end of the queue, in the given order. */
export async function addTracks(items: NewTrack[]): Promise<Track[]> {
  const d = await db();
  let position = await nextPosition(d);
  const now = Date.now();
  const tx = d.transaction(['tracks', 'audio'], 'readwrite');
  const added: Track[] = [];
  for (const item of items) {
    const track: Track = {
      id: newTrackId(),
      name: item.name,
      size: item.blob?.size ?? 0,
      mime: item.mime,
      addedAt: now,
      position: position++,
      source: item.source,
      status: item.status,
      ...(item.error ? { error: item.error } : {}),
      ...(item.modifiedAt !== undefined ? { modifiedAt: item.modifiedAt } : {}),
      ...(item.header ? { header: item.header } : {}),
    };
    void tx.objectStore('tracks').put(track);
    if (item.blob) void tx.objectStore('audio').put(item.blob, track.id);
    added.push(track);
  }
  try {
    await tx.done;
  } catch (err) {
    // The whole transaction is undone: nothing of this batch was stored.
    if (!isQuotaError(err)) throw err;
    throw new DiskFullError(text('errors.diskFullAdd', fileNames(items.map((i) => i.name))));
  }
  announce();
  return added;
}

/** Local files from the picker or a drop, with what their headers say (by index), if known. */
export function addFiles(
  files: readonly File[],
  headers: readonly (Track['header'] | undefined)[] = [],
): Promise<Track[]> {
  return addTracks(
    files.map((f, i) => ({
      name: f.name,
      mime: f.type,
      source: { kind: 'file' as const },
      blob: f,
      status: 'probing' as const,
      modifiedAt: f.lastModified,
      header: headers[i],
    })),
  );
}

/** Merges `patch` into a track; a no-op when the track was removed meanwhile. */
export async function updateTrack(id: string, patch: Partial<Omit<Track, 'id'>>): Promise<void> {
  const d = await db();
  const tx = d.transaction('tracks', 'readwrite');
  const current = await tx.store.get(id);
  if (current) await tx.store.put({ ...current, ...patch, id });
  await tx.done;
  if (current) announce();
}

/** Stores the audio of a track (after a fetch) and its size. */
export async function putAudio(id: string, blob: Blob): Promise<void> {
  const d = await db();
  const tx = d.transaction(['tracks', 'audio'], 'readwrite');
  const current = await tx.objectStore('tracks').get(id);
  if (current) {
    await tx.objectStore('audio').put(blob, id);
    await tx.objectStore('tracks').put({ ...current, size: blob.size });
  }
  await tx.done;
  announce();
}

export async function removeTrack(id: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['tracks', 'audio'], 'readwrite');
  await tx.objectStore('tracks').delete(id);
  await tx.objectStore('audio').delete(id);
  await tx.done;
  announce();
}

/** Tracks taken out of the queue with their audio, so they can be put back (Undo). */
export interface RemovedTracks {
  /** The queue's order before the removal. */
  order: string[];
  items: { track: Track; blob?: Blob }[];
}

/** Removes these tracks (one transaction) and returns them with their audio. */
export async function removeTracks(ids: readonly string[]): Promise<RemovedTracks> {
  const order = (await listTracks()).map((t) => t.id);
  const d = await db();
  const tx = d.transaction(['tracks', 'audio'], 'readwrite');
  const items: RemovedTracks['items'] = [];
  for (const id of ids) {
    const track = await tx.objectStore('tracks').get(id);
    if (!track) continue;
    const blob = await tx.objectStore('audio').get(id);
    items.push({ track, ...(blob ? { blob } : {}) });
    await tx.objectStore('tracks').delete(id);
    await tx.objectStore('audio').delete(id);
  }
  await tx.done;
  announce();
  return { order, items };
}

/**
 * Puts removed tracks back where they were: each at its old index among the tracks queued now
 * (whatever was added or moved meanwhile stays as it is).
 */
export async function restoreTracks(removed: RemovedTracks): Promise<void> {
  const d = await db();
  const tx = d.transaction(['tracks', 'audio'], 'readwrite');
  for (const { track, blob } of removed.items) {
    await tx.objectStore('tracks').put(track);
    if (blob) await tx.objectStore('audio').put(blob, track.id);
  }
  await tx.done;
  const back = new Set(removed.items.map((i) => i.track.id));
  const order = (await listTracks()).map((t) => t.id).filter((id) => !back.has(id));
  for (const id of removed.order) {
    if (back.has(id)) order.splice(Math.min(removed.order.indexOf(id), order.length), 0, id);
  }
  await setOrder(order);
}

export async function clearTracks(): Promise<void> {
  const d = await db();
  const tx = d.transaction(['tracks', 'audio'], 'readwrite');
  await tx.objectStore('tracks').clear();
  await tx.objectStore('audio').clear();
  await tx.done;
  announce();
}

/** Moves a track `delta` places (−1 up, +1 down), clamped to the ends of the queue. */
export async function moveTrack(id: string, delta: number): Promise<void> {
  const order = (await listTracks()).map((t) => t.id);
  const from = order.indexOf(id);
  if (from < 0) return;
  const to = Math.max(0, Math.min(order.length - 1, from + delta));
  if (to === from) return;
  order.splice(from, 1);
  order.splice(to, 0, id);
  await setOrder(order);
}

/** Rewrites positions so the queue follows `ids` (ids not listed keep their relative order after). */
export async function setOrder(ids: readonly string[]): Promise<void> {
  const d = await db();
  const tx = d.transaction('tracks', 'readwrite');
  const all = (await tx.store.getAll()).sort((a, b) => a.position - b.position);
  const rank = new Map(ids.map((id, i) => [id, i]));
  const ordered = [
    ...ids.flatMap((id) => all.filter((t) => t.id === id)),
    ...all.filter((t) => !rank.has(t.id)),
  ];
  await Promise.all(ordered.map((t, i) => tx.store.put({ ...t, position: i })));
  await tx.done;
  announce();
}
