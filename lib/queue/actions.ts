import { browser } from '#imports';
import { targetTabId } from '@/lib/page-audio/actions';
import { background } from '@/lib/protocol';
import { effectiveEdit, patchEdit } from '@/lib/editor/edit';
import type { TrackEdit, Transition } from '@/lib/core/track';
import {
  addFiles,
  clearTracks,
  getTrack,
  listTracks,
  moveTrack,
  removeTrack,
  setOrder,
  updateTrack,
} from '@/lib/store/tracks';

/**
 * What the popup and options page do, in one place: store first (so nothing is lost if the
 * popup closes), then tell the background. Extension pages. Each action throws a named error
 * on failure; pages call them through `run` (./alerts.ts), which shows it.
 */
export async function addLocalFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const added = await addFiles(files);
  await background.sendMessage(
    'bg:tracksAdded',
    added.map((t) => t.id),
  );
}

export const moveUp = (id: string) => moveTrack(id, -1);
export const moveDown = (id: string) => moveTrack(id, +1);
/** Removes a track; a download still running for it stops (its connection closes). */
export async function remove(id: string): Promise<void> {
  await removeTrack(id);
  await background.sendMessage('bg:tracksRemoved', [id]);
}

/** Empties the queue; downloads still running stop. */
export async function clearQueue(): Promise<void> {
  const ids = (await listTracks()).map((t) => t.id);
  await clearTracks();
  await background.sendMessage('bg:tracksRemoved', ids);
}
/** Puts the queue in this order (drag and drop, keyboard reorder). */
export const reorder = (ids: readonly string[]) => setOrder(ids);
/** Edits of this page, one after another, so quick changes never overwrite each other. */
let edits: Promise<unknown> = Promise.resolve();

/**
 * Changes part of a track's edit (trims, transition, chapter title), merged into what is stored
 * at that moment (a function patch sees that stored edit). An unedited track's first edit writes
 * down the default transition it had.
 */
export function editTrack(
  id: string,
  patch: Partial<TrackEdit> | ((current: TrackEdit) => Partial<TrackEdit>),
  defaultTransition: Transition,
): Promise<void> {
  const run = edits.then(async () => {
    const track = await getTrack(id);
    if (!track) return;
    const p = typeof patch === 'function' ? patch(effectiveEdit(track, defaultTransition)) : patch;
    await updateTrack(id, { edit: patchEdit(track, p, defaultTransition) });
  });
  edits = run.catch(() => undefined);
  return run;
}

export async function join(): Promise<void> {
  await background.sendMessage('bg:startJoin', undefined);
}

export async function cancel(jobId: string): Promise<void> {
  await background.sendMessage('bg:cancelJoin', jobId);
}

export async function checkIn(): Promise<void> {
  await background.sendMessage('bg:checkIn', undefined);
}

export async function showInFolder(downloadId: number): Promise<void> {
  await browser.downloads.show(downloadId);
}

/**
 * The full-page view, next to the tab the popup was opened on and still listing that tab's
 * audio (`?tab=ID`): the activeTab grant belongs to the tab, not to the popup.
 */
export async function openInTab(): Promise<void> {
  const tabId = await targetTabId(true);
  const tab =
    tabId === undefined ? undefined : await browser.tabs.get(tabId).catch(() => undefined);
  const isPage = tab?.id !== undefined && /^https?:/.test(tab.url ?? '');
  await browser.tabs.create({
    url: browser.runtime.getURL(`/options.html${isPage ? `?tab=${tab.id}` : ''}`),
    ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}),
  });
}
