import { browser } from '#imports';
import { engineLink } from './link';
import { preferences } from '@/lib/store/settings';
import { listTracks, updateTrack } from '@/lib/store/tracks';
import { untrack } from '@/lib/fetch/tracking';
import { coveredBy } from '@/lib/fetch/origins';

/**
 * Downloading page audio that was queued: asking the engine's host to fetch it, and trying again
 * when site access is granted. Service worker (Chrome), background page (Firefox).
 */

/** Asks the engine's host to download page-audio tracks (then it probes them). */
export async function requestFetch(trackIds: string[]): Promise<void> {
  if (trackIds.length === 0) return;
  const { fetchLimitMB } = await preferences.getValue();
  // The engine's host (an offscreen document) has no permissions API: it gets the grants.
  const granted = (await browser.permissions.getAll()).origins ?? [];
  await engineLink().fetch({ trackIds, limitBytes: fetchLimitMB * 1024 * 1024, granted });
}

/** Tracks left the queue (Remove, Clear): their downloads and decode checks stop. */
export async function tracksRemoved(trackIds: string[]): Promise<void> {
  if (trackIds.length > 0) await engineLink().removed(trackIds);
}

/**
 * Site access was just granted (the person answered Chrome's prompt, perhaps after the popup
 * closed): downloads that were refused, or are still waiting, for those sites go again.
 */
export async function retryForOrigins(origins: readonly string[]): Promise<void> {
  const retry = (await listTracks()).filter(
    (t) =>
      t.source.kind === 'url' &&
      (coveredBy(untrack(t.source.url).finalUrl, origins) ||
        (t.source.finalUrl !== undefined && coveredBy(t.source.finalUrl, origins))) &&
      (t.status === 'fetching' || (t.status === 'error' && t.error?.code === 'fetch-refused')),
  );
  for (const t of retry) await updateTrack(t.id, { status: 'fetching', error: undefined });
  await requestFetch(retry.map((t) => t.id));
}
