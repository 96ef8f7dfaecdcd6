import { browser } from '#imports';
import { FetchRefusedError } from '@/lib/core/errors';
import { originPattern, type PageAudioItem } from './urls';
import { queuePageAudio } from './picks';
import { scanTab, type PageScan } from './tab';
import { background } from '@/lib/protocol';

/**
 * Page audio from an extension page (popup, options): which tab it is about, its scan, and
 * "Add selected".
 */

/**
 * The tab whose audio the page lists: `?tab=ID` (automation, and the options page opened from
 * the popup), else the popup's active tab. The options page opened on its own lists nothing.
 */
export async function targetTabId(compact: boolean): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  if (!compact) return undefined;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export type PageAudioState =
  { status: 'none' } | { status: 'scanning' } | (PageScan & { status: 'done'; tabId: number });

/** Scans the tab the page is about (see targetTabId); `none` when it is about no tab. */
export async function scanTarget(compact: boolean): Promise<PageAudioState> {
  const tabId = await targetTabId(compact);
  if (tabId === undefined) return { status: 'none' };
  return { status: 'done', tabId, ...(await scanTab(tabId)) };
}

/**
 * "Add selected": asks host access for the audio's sites (a site already granted is not asked
 * again), queues the tracks and has the background download them. The request must be the first
 * thing the click does (after an await the user gesture is gone), and the tracks are queued at
 * once without waiting for the answer: Chrome's prompt can close the popup. When access is
 * granted later, the background retries the downloads that were refused.
 */
export function addSelected(items: readonly PageAudioItem[], pageUrl: string): Promise<void> {
  const origins = [...new Set(items.map((i) => originPattern(i.url)))];
  const asked = browser.permissions.request({ origins }).catch(() => false);
  return (async () => {
    const added = await queuePageAudio(items.map((i) => ({ url: i.url, name: i.name, pageUrl })));
    await background.sendMessage(
      'bg:fetchTracks',
      added.map((t) => t.id),
    );
    if (await asked) return;
    const hosts = [...new Set(items.map((i) => new URL(i.url).host))].join(', ');
    throw new FetchRefusedError(
      `Seam was not allowed to download from ${hosts}. Allow it (Add selected again) or remove those tracks.`,
    );
  })();
}
