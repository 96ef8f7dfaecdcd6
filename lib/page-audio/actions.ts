import { t, text, textN, tn } from '@/lib/core/i18n';
import { browser } from '#imports';
import { NotAllAddedError, FetchRefusedError } from '@/lib/core/errors';
import { fetchGatedText } from '@/lib/fetch/gate';
import { background } from '@/lib/protocol';
import { ensureRoom } from '@/lib/store/budget';
import type { PageRecording } from './group';
import { MAX_PICKS, queuePageAudio } from './picks';
import { scanTab, feedRecordings, type PageScan } from './tab';
import { originPattern } from './urls';
import { parseFeedBook, type FeedBook } from './feed-book';

/**
 * Page audio from an extension page (popup, options): which tab it is about, its scan, a feed
 * the page links, and "Add selected".
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

/** `?addAll=1`: the page was opened by "Add all audio on this page" to ask before adding. */
export function askedToAddAll(): boolean {
  return new URLSearchParams(location.search).get('addAll') === '1';
}

export type PageAudioState =
  { status: 'none' } | { status: 'scanning' } | (PageScan & { status: 'done'; tabId: number });

/** Scans the tab the page is about (see targetTabId); `none` when it is about no tab. */
export async function scanTarget(compact: boolean): Promise<PageAudioState> {
  const tabId = await targetTabId(compact);
  if (tabId === undefined) return { status: 'none' };
  return { status: 'done', tabId, ...(await scanTab(tabId)) };
}

/** A feed's episodes, and what its reading left out when it stopped early (in words). */
export interface FeedScan {
  recordings: PageRecording[];
  leftOut?: string;
  /** The show and its episodes as "Make a book" needs them (./feed-book.ts). */
  book?: FeedBook;
}

/**
 * The episodes of a feed the page links. Asks for access to the feed's site first (the click's
 * user gesture is lost after an await), then fetches it through the fetch gate: no cookies, the
 * size read as a stream against the feed's limit, a deadline and a minimum speed, and every
 * redirect checked before it is followed.
 */
export function loadFeed(url: string, pageUrl?: string): Promise<FeedScan> {
  const asked = browser.permissions.request({ origins: [originPattern(url)] }).catch(() => false);
  return (async () => {
    const host = new URL(url).host;
    if (!(await asked)) {
      throw new FetchRefusedError(text('feed.notAllowed', host));
    }
    const granted = (await browser.permissions.getAll()).origins ?? [];
    const feed = await fetchGatedText(url, { kind: 'feed', granted, pageUrl });
    return { ...feedRecordings(feed.text, feed.url), book: parseFeedBook(feed.text, feed.url) };
  })();
}

export interface Pick {
  url: string;
  name: string;
  /** Bytes, when the page says. */
  size?: number;
}

/**
 * "Add selected": asks host access for the audio's sites (a site already granted is not asked
 * again), checks the sizes the page gives against the free space, queues the tracks (each under
 * the page's title for it) and has the background download them. The request must be the first
 * thing the click does (after an await the user gesture is gone), and the tracks are queued at
 * once without waiting for the answer: Chrome's prompt can close the popup. When access is
 * granted later, the background retries the downloads that were refused. Recordings already in
 * the queue are not added twice, and the person is told, as of those left out past the cap.
 */
export function addSelected(picks: readonly Pick[], pageUrl: string): Promise<void> {
  const origins = [...new Set(picks.map((p) => originPattern(p.url)))];
  const asked = browser.permissions.request({ origins }).catch(() => false);
  return (async () => {
    const known = picks.reduce((n, p) => n + (p.size ?? 0), 0);
    await ensureRoom(known, textN('page.theseRecordings', picks.length));
    const { added, duplicates, dropped } = await queuePageAudio(
      picks.map((p) => ({ url: p.url, name: p.name, pageUrl })),
    );
    if (added.length > 0) {
      await background.sendMessage(
        'bg:fetchTracks',
        added.map((t) => t.id),
      );
    }
    const notes: string[] = [];
    if (duplicates.length === 1) {
      notes.push(t('page.duplicate', duplicates[0]!.name ?? ''));
    } else if (duplicates.length > 1) {
      notes.push(tn('page.duplicates', duplicates.length));
    }
    if (dropped > 0) {
      notes.push(tn('page.dropped', dropped, MAX_PICKS));
    }
    if (added.length > 0 && !(await asked)) {
      const hosts = [
        ...new Set(added.map((t) => (t.source.kind === 'url' ? new URL(t.source.url).host : ''))),
      ]
        .filter(Boolean)
        .join(', ');
      throw new FetchRefusedError([t('page.notAllowed', hosts), ...notes].join(' '));
    }
    if (notes.length > 0) throw new NotAllAddedError(notes.join(' '));
  })();
}
