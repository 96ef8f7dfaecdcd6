import { failOrphanedJob } from './job-controller';
import { ensureOffscreen, hasDocument } from './offscreen-lifecycle';
import { offscreen } from './protocol';
import { listTracks } from './track-store';

/** Asks the engine to probe these tracks; results land on the tracks in the store. */
export async function requestProbe(trackIds: string[]): Promise<void> {
  if (trackIds.length === 0) return;
  await ensureOffscreen();
  await offscreen.sendMessage('off:probe', trackIds);
}

/**
 * A page opened: a job whose engine vanished is marked failed, and tracks left "probing" by an
 * engine that closed are probed again, so nothing stays wedged.
 */
export async function checkIn(): Promise<void> {
  await failOrphanedJob();
  const stuck = (await listTracks()).filter((t) => t.status === 'probing').map((t) => t.id);
  if (stuck.length > 0 && !(await hasDocument())) await requestProbe(stuck);
}
