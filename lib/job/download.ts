import { browser } from '#imports';
import { JoinFailedError, toErrorData } from '@/lib/core/errors';
import { chapterFileName, type ChapterFileKind } from '@/lib/plan/chapter-files';
import { engineLink } from './link';
import { text } from '@/lib/core/i18n';
import { sanitizeFileName } from '@/lib/core/naming';

/**
 * Saving a result through the browser's downloads, and releasing its blob: URL (and with it the
 * engine's memory) when the download ends. Service worker (Chrome), background page (Firefox).
 */

/** The blob: URL of each started download, so it can be released when the download ends. */
const downloadUrls = new Map<number, string>();

/** Starts the download of `url` as `fileName`; on failure releases it and throws a named error. */
export async function saveResult(url: string, fileName: string, saveAs: boolean): Promise<number> {
  try {
    // The one cleaner every name passes on its way to the downloads API (a job recovered from
    // an older version may hold a name made before a rule was added).
    const id = await browser.downloads.download({
      url,
      filename: sanitizeFileName(fileName),
      saveAs,
    });
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
  releaseChapterFile(delta.id);
  const url = downloadUrls.get(delta.id) ?? (await fallback(delta.id));
  if (!url) return;
  downloadUrls.delete(delta.id);
  await engineLink().release(url);
}

/** blob: URLs of chapter files being saved (Firefox), released when their download ends. */
const textUrls = new Map<number, string>();

/**
 * A text file's URL for the downloads API: a blob: URL where this context can make one
 * (Firefox's background page; Firefox refuses data: URLs there), else a data: URL (Chrome's
 * service worker has no URL.createObjectURL).
 */
function textUrl(text: string, mime: string): { url: string; blob: boolean } {
  if (typeof URL.createObjectURL === 'function') {
    return { url: URL.createObjectURL(new Blob([text], { type: mime })), blob: true };
  }
  return { url: `data:${mime};charset=utf-8,${encodeURIComponent(text)}`, blob: false };
}

/**
 * Saves the joined file's chapters beside it (`fileName`): a .cue sheet, a .chapters.txt and
 * Podcasting 2.0 JSON. Into the downloads folder without asking (three "Save as" dialogs for
 * one join would be too many). Returns the names saved; throws a named error naming the file
 * that could not be.
 */
export async function saveChapterFiles(
  fileName: string,
  files: readonly { kind: ChapterFileKind; text: string }[],
): Promise<string[]> {
  const saved: string[] = [];
  for (const f of files) {
    const name = sanitizeFileName(chapterFileName(fileName, f.kind));
    const { url, blob } = textUrl(f.text, CHAPTER_FILE_MIME[f.kind]);
    try {
      const id = await browser.downloads.download({ url, filename: name, saveAs: false });
      if (blob) textUrls.set(id, url);
      saved.push(name);
    } catch (err) {
      if (blob) URL.revokeObjectURL(url);
      throw new JoinFailedError(text('errors.chapterFileNotSaved', name, toErrorData(err).message));
    }
  }
  return saved;
}

const CHAPTER_FILE_MIME: Record<ChapterFileKind, string> = {
  cue: 'application/x-cue',
  txt: 'text/plain',
  json: 'application/json',
};

/** A chapter file's download ended: its blob: URL (if it had one) is released. */
function releaseChapterFile(downloadId: number): void {
  const url = textUrls.get(downloadId);
  if (!url) return;
  textUrls.delete(downloadId);
  URL.revokeObjectURL(url);
}
