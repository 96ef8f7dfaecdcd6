/**
 * The queue as stored: IndexedDB "seam" (stores "tracks" and "audio"), read and written from
 * inside an extension page the way lib/store/tracks.ts does, then announced on the
 * BroadcastChannel "seam-tracks" so open pages redraw.
 */
import type { Track } from '@/lib/core/track';
import type { Evaluate } from './extension';
import { until } from './wait';

export type StoredTrack = Track;

type Op =
  | { kind: 'list' }
  | { kind: 'put'; tracks: StoredTrack[] }
  | { kind: 'edit'; edits: Record<string, Partial<NonNullable<StoredTrack['edit']>>> }
  | { kind: 'clear' };

/**
 * Runs inside an extension page (so it must stand alone): lists the tracks in queue order, puts
 * whole track records, or empties the queue. Writes tell open pages to redraw.
 */
async function inPage(op: Op): Promise<StoredTrack[]> {
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const req = indexedDB.open('seam');
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  try {
    const names = ['tracks', 'audio'].filter((n) => db.objectStoreNames.contains(n));
    if (names.length === 0) return [];
    const done = (tx: IDBTransaction) =>
      new Promise<void>((ok, fail) => {
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(tx.error);
      });
    if (op.kind === 'list') {
      const all = await new Promise<StoredTrack[]>((ok, fail) => {
        const req = db.transaction('tracks').objectStore('tracks').getAll();
        req.onsuccess = () => ok(req.result as StoredTrack[]);
        req.onerror = () => fail(req.error);
      });
      return all.sort((a, b) => a.position - b.position || a.addedAt - b.addedAt);
    }
    if (op.kind === 'put') {
      const tx = db.transaction('tracks', 'readwrite');
      for (const t of op.tracks) tx.objectStore('tracks').put(t);
      await done(tx);
    } else if (op.kind === 'edit') {
      // Read and write in one transaction, changing only `edit`: a check that finishes meanwhile
      // writes its own fields, which a separate read and put would overwrite with stale ones.
      const tx = db.transaction('tracks', 'readwrite');
      const store = tx.objectStore('tracks');
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        const t = c.value as StoredTrack;
        const edit = op.edits[t.name];
        if (edit)
          c.update({ ...t, edit: { startSec: 0, transitionAfter: { kind: 'none' }, ...edit } });
        c.continue();
      };
      await done(tx);
    } else {
      const tx = db.transaction(names, 'readwrite');
      for (const n of names) tx.objectStore(n).clear();
      await done(tx);
    }
    const ch = new BroadcastChannel('seam-tracks');
    ch.postMessage('changed');
    ch.close();
    return [];
  } finally {
    db.close();
  }
}

/** The queue's tracks as stored, in queue order. `evaluate` runs in an extension page. */
export function storedTracks(evaluate: Evaluate): Promise<StoredTrack[]> {
  return evaluate(inPage, { kind: 'list' });
}

/** Writes whole track records (read them with `storedTracks`, change, put back). */
export async function putStoredTracks(evaluate: Evaluate, tracks: StoredTrack[]): Promise<void> {
  await evaluate(inPage, { kind: 'put', tracks });
}

/** Empties the queue. */
export async function clearQueue(evaluate: Evaluate): Promise<void> {
  await evaluate(inPage, { kind: 'clear' });
}

/** Sets each named track's edit (over "no edit"), as the editor stores it. */
export async function setEdits(
  evaluate: Evaluate,
  edits: Record<string, Partial<NonNullable<StoredTrack['edit']>>>,
): Promise<void> {
  await evaluate(inPage, { kind: 'edit', edits });
}

/**
 * Waits until `count` tracks are stored and every one is probed and ready (the store's view,
 * not the page's); throws at once when a track failed.
 */
export async function waitForStoredReady(
  evaluate: Evaluate,
  count: number,
  timeout = 60_000,
): Promise<void> {
  let failed: StoredTrack | undefined;
  await until(
    async () => {
      const tracks = await storedTracks(evaluate);
      failed ??= tracks.find((t) => t.status === 'error');
      if (failed) return;
      if (tracks.length !== count || !tracks.every((t) => t.status === 'ready')) {
        throw new Error(
          `waiting for ${count} ready tracks, have ${JSON.stringify(tracks.map((t) => [t.name, t.status]))}`,
        );
      }
    },
    timeout,
    50,
  );
  if (failed) throw new Error(`track ${failed.name} failed: ${failed.error?.message}`);
}
