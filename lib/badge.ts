import { browser } from '#imports';

/** Seam's colour behind the badge text: the track count, a percentage, or a mark. */
const COLORS = { idle: '#4b5563', running: '#2563eb', done: '#15803d', failed: '#b91c1c' };

/** The queue's length; red when a track needs attention (a failed download, a bad file). */
export async function showCount(count: number, problem = false): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ color: problem ? COLORS.failed : COLORS.idle });
  await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
}

export async function showProgress(percent: number): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ color: COLORS.running });
  await browser.action.setBadgeText({ text: `${Math.max(0, Math.min(99, Math.floor(percent)))}%` });
}

export async function showFailed(): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ color: COLORS.failed });
  await browser.action.setBadgeText({ text: '!' });
}
