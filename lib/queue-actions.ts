import { browser } from '#imports';
import { toErrorData, type SeamErrorData } from './errors';
import { background } from './protocol';
import { addFiles, moveTrack, removeTrack } from './track-store';

/**
 * What the popup and options page do, in one place: store first (so nothing is lost if the
 * popup closes), then tell the background. Failures come back as data for an alert.
 */
export async function addLocalFiles(files: readonly File[]): Promise<SeamErrorData | undefined> {
  const audio = files.filter((f) => f.size >= 0);
  if (audio.length === 0) return undefined;
  try {
    const added = await addFiles(audio);
    await background.sendMessage(
      'bg:tracksAdded',
      added.map((t) => t.id),
    );
    return undefined;
  } catch (err) {
    return toErrorData(err, 'unsupported-audio');
  }
}

export const moveUp = (id: string) => moveTrack(id, -1);
export const moveDown = (id: string) => moveTrack(id, +1);
export const remove = (id: string) => removeTrack(id);

export async function join(): Promise<SeamErrorData | undefined> {
  try {
    await background.sendMessage('bg:startJoin', undefined);
    return undefined;
  } catch (err) {
    return toErrorData(err, 'engine-failed');
  }
}

export async function cancel(jobId: string): Promise<void> {
  await background.sendMessage('bg:cancelJoin', jobId);
}

export function checkIn(): void {
  void background.sendMessage('bg:checkIn', undefined).catch(() => undefined);
}

export async function showInFolder(downloadId: number): Promise<void> {
  await browser.downloads.show(downloadId);
}

export async function openInTab(): Promise<void> {
  await browser.runtime.openOptionsPage();
}
