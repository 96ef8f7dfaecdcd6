import { browser } from '#imports';

/** MV3's action; Firefox's MV2 build has the older browserAction with the same badge calls. */
const action = () => browser.action ?? browser.browserAction;

/** Seam's colour behind the badge text: the track count, a percentage, or a mark. */
const COLORS = { idle: '#4b5563', running: '#2563eb', done: '#15803d', failed: '#b91c1c' };

/** The queue's length; red when a track needs attention (a failed download, a bad file). */
async function showCount(count: number, problem = false): Promise<void> {
  await action().setBadgeBackgroundColor({ color: problem ? COLORS.failed : COLORS.idle });
  await action().setBadgeText({ text: count > 0 ? String(count) : '' });
}

export async function showProgress(percent: number): Promise<void> {
  await action().setBadgeBackgroundColor({ color: COLORS.running });
  await action().setBadgeText({ text: `${Math.max(0, Math.min(99, Math.floor(percent)))}%` });
}

export async function showFailed(): Promise<void> {
  await action().setBadgeBackgroundColor({ color: COLORS.failed });
  await action().setBadgeText({ text: '!' });
}

/** The badge when no join runs: the queue's length, red when a track has a problem. */
export async function showQueue(tracks: readonly { status: string }[]): Promise<void> {
  await showCount(
    tracks.length,
    tracks.some((t) => t.status === 'error'),
  );
}
