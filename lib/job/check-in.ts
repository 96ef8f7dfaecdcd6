import { requestFetch } from './fetches';
import { listTracks } from '@/lib/store/tracks';
import { recoverJob } from './controller';
import { engineLink } from './link';

/**
 * The engine's work on queued tracks, from the background: probing what was added, and taking up
 * again what an engine that closed left half done. Service worker (Chrome), background page
 * (Firefox).
 */

/** Asks the engine to probe these tracks; results land on the tracks in the store. */
export async function requestProbe(trackIds: string[]): Promise<void> {
  if (trackIds.length === 0) return;
  await engineLink().probe(trackIds);
}

/**
 * A page opened: the engines warm up; a join cut off from outside (its engine vanished, the
 * browser closed) is told as such, and tracks left "probing" or "fetching" by an engine that
 * closed are taken up again, so nothing stays wedged.
 */
export async function checkIn(): Promise<void> {
  await recoverJob();
  const tracks = await listTracks();
  if (!(await engineLink().active())) {
    await requestProbe(tracks.filter((t) => t.status === 'probing').map((t) => t.id));
    await requestFetch(tracks.filter((t) => t.status === 'fetching').map((t) => t.id));
  }
  // The page is open: the engines load and warm up now, so Join starts work at once.
  await engineLink().warm(undefined);
}
