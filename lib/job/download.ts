import { browser } from '#imports';
import { JoinFailedError, toErrorData } from '@/lib/core/errors';
import { engineLink } from './link';
import { text } from '@/lib/core/i18n';

/**
 * Saving a result through the browser's downloads, and releasing its blob: URL (and with it the
 * engine's memory) when the download ends. Service worker (Chrome), background page (Firefox).
 */

/** The blob: URL of each started download, so it can be released when the download ends. */
const downloadUrls = new Map<number, string>();

/** Starts the download of `url` as `fileName`; on failure releases it and throws a named error. */
export async function saveResult(url: string, fileName: string, saveAs: boolean): Promise<number> {
  try {
    const id = await browser.downloads.download({ url, filename: fileName, saveAs });
    downloadUrls.set(id, url);
    return id;
  } catch (err) {
    await engineLink().release(url);
    throw new JoinFailedError(text('errors.notSaved', toErrorData(err).message));
  }
}

/**
 * A download changed. When it ended (complete or interrupted), its blob: URL is released;
 * `fallback` is the URL the job record remembers, for when the service worker restarted and
 * the map above is gone.
 */
export async function onDownloadChanged(
  delta: { id: number; state?: { current?: string } },
  fallback: (downloadId: number) => Promise<string | undefined>,
): Promise<void> {
  const state = delta.state?.current;
  if (state !== 'complete' && state !== 'interrupted') return;
  const url = downloadUrls.get(delta.id) ?? (await fallback(delta.id));
  if (!url) return;
  downloadUrls.delete(delta.id);
  await engineLink().release(url);
}
