import { t, text } from '@/lib/core/i18n';
import { browser, type Browser } from '#imports';
import { showFailed } from '@/lib/job/badge';
import { AUDIO_EXTENSIONS, canAdd, looksLikeAudioUrl, originPattern } from './urls';
import { needsConfirmation, queuePageAudio } from './picks';
import { scanTab } from './tab';
import { requestFetch } from '@/lib/job/fetches';
import { preferredFormat, queueFamily } from './group';
import { addTracks, listTracks } from '@/lib/store/tracks';

export const MENU_LINK = 'seam-add-link';
/** Longest link Seam queues (as `cleanPicks`). */
const MAX_URL_CHARS = 4096;
const MENU_MEDIA = 'seam-add-media';
const MENU_PAGE = 'seam-add-page';

/** Links whose path ends in an audio extension (the handler checks again, more strictly). */
const LINK_PATTERNS = AUDIO_EXTENSIONS.flatMap((ext) => [`*://*/*.${ext}`, `*://*/*.${ext}?*`]);

/** (Re)creates Seam's menu items; called on install and on browser start-up. */
export async function registerMenus(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({
    id: MENU_LINK,
    title: t('menu.add'),
    contexts: ['link'],
    targetUrlPatterns: LINK_PATTERNS,
  });
  browser.contextMenus.create({
    id: MENU_MEDIA,
    title: t('menu.add'),
    contexts: ['audio', 'video'],
  });
  browser.contextMenus.create({
    id: MENU_PAGE,
    title: t('menu.addPage'),
    contexts: ['page'],
  });
}

/**
 * A menu click. The click is a user gesture, so host access for the audio's site is asked for
 * first, synchronously (the gesture is lost after an await). A refusal still tries the download:
 * the server may allow it anyway, and otherwise the track shows why it failed.
 */
export function onMenuClicked(
  info: Browser.contextMenus.OnClickData,
  tab: Browser.tabs.Tab | undefined,
): Promise<void> {
  const pageUrl = info.pageUrl ?? tab?.url;
  if (info.menuItemId === MENU_PAGE) {
    return tab?.id !== undefined ? addWholePage(tab.id) : Promise.resolve();
  }
  const url = info.menuItemId === MENU_LINK ? info.linkUrl : info.srcUrl;
  if (!url) return Promise.resolve();
  const asked = askHostAccess(url);
  return (async () => {
    await asked;
    await addOne(url, pageUrl, info.menuItemId === MENU_MEDIA);
  })();
}

function askHostAccess(url: string): Promise<boolean> {
  // A link's URL is the page's text: one longer than any Seam keeps is not looked at further.
  if (url.length > MAX_URL_CHARS) return Promise.resolve(false);
  try {
    return browser.permissions.request({ origins: [originPattern(url)] }).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

async function addOne(url: string, pageUrl: string | undefined, fromMedia: boolean): Promise<void> {
  if (url.startsWith('blob:') || url.startsWith('data:') || url.startsWith('mediastream:')) {
    const name = t('menu.streamedAudio');
    await addTracks([
      {
        name,
        mime: '',
        source: { kind: 'url', url: url.slice(0, 200), ...(pageUrl ? { pageUrl } : {}) },
        status: 'error',
        error: {
          code: 'fetch-refused',
          message: t('refusals.streamed'),
          text: text('refusals.streamed'),
          trackName: name,
        },
      },
    ]);
    await showFailed();
    return;
  }
  if (url.length > MAX_URL_CHARS || (!fromMedia && !looksLikeAudioUrl(url))) return;
  const { added } = await queuePageAudio([{ url, pageUrl }]);
  await requestFetch(added.map((t) => t.id));
}

/**
 * "Add all audio on this page": every recording (interface sounds left out) in the format that
 * joins best with the queue. Many recordings, or large ones by the page's own sizes, are not
 * added from a menu click: Seam's page opens on the tab's list and asks first (`?addAll=1`).
 */
async function addWholePage(tabId: number): Promise<void> {
  const scan = await scanTab(tabId);
  if (!scan.ok) {
    await showFailed();
    return;
  }
  const families = (await listTracks()).flatMap((t) => {
    const f = t.info ? queueFamily(t.info.codec) : undefined;
    return f ? [f] : [];
  });
  const picks = scan.recordings
    .filter((r) => !r.other && !r.disabledReason)
    .map((r) => ({ ...preferredFormat(r.formats, families), name: r.name }))
    .filter(canAdd)
    .map((f) => ({ url: f.url, name: f.name, pageUrl: scan.pageUrl, size: f.size }));
  if (needsConfirmation(picks)) {
    await browser.tabs.create({
      url: browser.runtime.getURL(`/options.html?tab=${tabId}&addAll=1`),
    });
    return;
  }
  const { added } = await queuePageAudio(picks);
  await requestFetch(added.map((t) => t.id));
}
