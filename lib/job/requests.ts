import { failOrphanedJob } from './controller';
import { engineLink } from './link';
import { coveredBy } from '@/lib/page-audio/picks';
import { preferences } from '@/lib/store/settings';
import { listTracks, updateTrack } from '@/lib/store/tracks';

/** Asks the engine to probe these tracks; results land on the tracks in the store. */
export async function requestProbe(trackIds: string[]): Promise<void> {
  if (trackIds.length === 0) return;
  await engineLink().probe(trackIds);
}

/** Asks the engine's host to download page-audio tracks (then it probes them). */
export async function requestFetch(trackIds: string[]): Promise<void> {
  if (trackIds.length === 0) return;
  const { fetchLimitMB } = await preferences.getValue();
  await engineLink().fetch({ trackIds, limitBytes: fetchLimitMB * 1024 * 1024 });
}

/**
 * A page opened: a job whose engine vanished is marked failed, and tracks left "probing" or
 * "fetching" by an engine that closed are taken up again, so nothing stays wedged.
 */
export async function checkIn(): Promise<void> {
  await failOrphanedJob();
  const tracks = await listTracks();
  if (await engineLink().active()) return;
  await requestProbe(tracks.filter((t) => t.status === 'probing').map((t) => t.id));
  await requestFetch(tracks.filter((t) => t.status === 'fetching').map((t) => t.id));
}

/**
 * Site access was just granted (the person answered Chrome's prompt, perhaps after the popup
 * closed): downloads that were refused, or are still waiting, for those sites go again.
 */
export async function retryForOrigins(origins: readonly string[]): Promise<void> {
  const retry = (await listTracks()).filter(
    (t) =>
      t.source.kind === 'url' &&
      coveredBy(t.source.url, origins) &&
      (t.status === 'fetching' || (t.status === 'error' && t.error?.code === 'fetch-refused')),
  );
  for (const t of retry) await updateTrack(t.id, { status: 'fetching', error: undefined });
  await requestFetch(retry.map((t) => t.id));
}
