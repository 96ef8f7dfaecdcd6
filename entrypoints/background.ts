import { browser, defineBackground } from '#imports';
import {
  cancelJoin,
  localJobEvents,
  onDownloadChanged,
  onEngineIdle,
  onJobDone,
  onJobFailed,
  onJobProgress,
  recoverJob,
  refreshBadge,
  startJoin,
} from '@/lib/job/controller';
import { setEngineLink } from '@/lib/job/link';
import { localLink } from '@/lib/job/link-local';
import { offscreenLink } from '@/lib/job/link-offscreen';
import { checkIn, requestProbe } from '@/lib/job/check-in';
import { requestFetch, retryForOrigins, tracksRemoved } from '@/lib/job/fetches';
import { MENU_LINK, onMenuClicked, registerMenus } from '@/lib/page-audio/context-menu';
import { background } from '@/lib/protocol';
import { onTracksChanged } from '@/lib/store/tracks';
import { installLanguage } from '@/lib/i18n/install';

export default defineBackground(() => {
  installLanguage();
  // Firefox has no offscreen API: there the engine runs in this (persistent) background page.
  setEngineLink(import.meta.env.FIREFOX ? localLink(localJobEvents) : offscreenLink);
  // Each handler runs only for its senders (lib/protocol/index.ts): pages, or the engine.
  background.onMessage('bg:tracksAdded', ({ data }) => requestProbe(data));
  background.onMessage('bg:fetchTracks', ({ data }) => requestFetch(data));
  background.onMessage('bg:tracksRemoved', ({ data }) => tracksRemoved(data));
  background.onMessage('bg:startJoin', () => startJoin());
  background.onMessage('bg:cancelJoin', ({ data }) => cancelJoin(data));
  background.onMessage('bg:checkIn', () => checkIn());
  background.onMessage('bg:progress', ({ data }) => onJobProgress(data));
  background.onMessage('bg:done', ({ data }) => onJobDone(data));
  background.onMessage('bg:failed', ({ data }) => onJobFailed(data.jobId, data.error));
  background.onMessage('bg:idle', () => onEngineIdle());

  browser.permissions.onAdded.addListener((p) => void retryForOrigins(p.origins ?? []));
  browser.runtime.onInstalled.addListener(() => void registerMenus());
  browser.runtime.onStartup.addListener(() => void registerMenus());
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
  // A service worker restarted by an update may have missed both events above.
  void browser.contextMenus.update(MENU_LINK, {}).catch(() => registerMenus());

  // The e2e build lets tests call the menu handler with the data Chrome passes: a native menu
  // cannot be clicked from automation. The shipped build has no such hook.
  if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { seamMenuClick: onMenuClicked });

  browser.downloads.onChanged.addListener((delta) => void onDownloadChanged(delta));
  onTracksChanged(() => void refreshBadge());
  // A join cut off while this background was not running (a crash, a relaunch) is told now.
  void recoverJob().then(() => refreshBadge());
});
