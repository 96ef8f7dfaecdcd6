import { readHeader } from '@/lib/media/headers';
import { browser } from '#imports';
import { targetTabId } from '@/lib/page-audio/actions';
import { t, text, tn } from '@/lib/core/i18n';
import { ensureRoom } from '@/lib/store/budget';
import { background } from '@/lib/protocol';
import { effectiveEdit, patchEdit } from '@/lib/editor/edit';
import { keepWhatPlays } from '@/lib/editor/keep';
import { moveSelection, type SelectionMove } from '@/lib/editor/reorder';
import { naturalSort, reverseOrder, sortTracks, type SortKey } from '@/lib/editor/sort';
import { NotAllAddedError, SeamError } from '@/lib/core/errors';
import { defaultOutput, defaultTags, type OutputTags } from '@/lib/core/settings';
import { MAX_CUE_BYTES, cueBatch, decodeCue, isCueSheet, parseCue } from '@/lib/media/cue';
import { countTracks, fileNames } from '@/lib/core/text';
import { MAX_COVER_IMAGE_MB } from '@/lib/core/limits';
import { NO_TRANSITION, type TrackEdit, type Transition } from '@/lib/core/track';
import { clearCoverImage, putCoverImage } from '@/lib/store/cover';
import { outputSettings, outputTags, preferences } from '@/lib/store/settings';
import {
  addFiles,
  getTrack,
  listTracks,
  moveTrack,
  removeTracks,
  restoreTracks,
  setOrder,
  updateTrack,
} from '@/lib/store/tracks';
import { pickedFolder, readDrop, type Batch, type takeDrop } from './files';
import { notify } from './notices';

/**
 * What the popup and options page do, in one place: store first (so nothing is lost if the
 * popup closes), then tell the background. Extension pages. Each action throws a named error
 * on failure; pages call them through `run` (./alerts.ts), which shows it.
 */
export async function addLocalFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const { sortAddedByName } = await preferences.getValue();
  const audio = files.filter((f) => !isCueSheet(f));
  await addBatch(
    sortAddedByName ? naturalSort(audio, (f) => f.name) : audio,
    files.filter(isCueSheet),
  );
}

/** Files dropped on the page: loose files and the audio inside dropped folders. */
export async function addDropped(taken: ReturnType<typeof takeDrop>): Promise<void> {
  const { sortAddedByName } = await preferences.getValue();
  await addFolderBatch(await readDrop(taken, sortAddedByName));
}

/** Files picked with "Add folder": the audio inside, in name order. */
export async function addPickedFolder(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const { sortAddedByName } = await preferences.getValue();
  await addFolderBatch(pickedFolder(files, sortAddedByName));
}

async function addFolderBatch(batch: Batch): Promise<void> {
  await addBatch(batch.files, batch.cues);
  if (batch.folders.length === 0) return;
  const from =
    batch.folders.length === 1
      ? t('page.quoted', batch.folders[0]!)
      : tn('notices.folders', batch.folders.length);
  notify({
    text:
      batch.skipped > 0
        ? tn('notices.addedSkipped', batch.skipped, countTracks(batch.files.length), from)
        : tn('notices.added', batch.files.length, from),
  });
}

/**
 * Stores a batch and has it probed. With cue sheets, the files they name go first, in their
 * order, with their titles (a chapter title per file, or a file's chapters) and the sheet's
 * tags in the tag fields left empty; a FILE the batch lacks is named in an alert.
 */
async function addBatch(files: readonly File[], cues: readonly File[] = []): Promise<void> {
  // News about the queue before these files ("Removed 40 tracks. Undo") is about a queue that
  // is gone once they arrive: its Undo would mix two queues.
  notify(null);
  const sheets = await Promise.all(
    cues.map(async (f) => ({
      name: f.name,
      sheet: parseCue(decodeCue(new Uint8Array(await f.slice(0, MAX_CUE_BYTES).arrayBuffer()))),
    })),
  );
  const plan = cueBatch(
    sheets,
    files.map((f) => f.name),
  );
  if (files.length > 0) {
    // The files are copied into the queue's storage: refuse at once what cannot fit.
    await ensureRoom(
      files.reduce((n, f) => n + f.size, 0),
      fileNames(files.map((f) => f.name)),
    );
    const ordered = plan.order.map((i) => files[i]!);
    // Each file's header, read here in JavaScript: the queue shows its length and format at
    // once, before the engine's ffprobe confirms them.
    const added = await addFiles(ordered, await Promise.all(ordered.map(readHeader)));
    if (plan.perFile.size > 0) {
      const { defaultTransition } = await preferences.getValue();
      for (const [n, track] of added.entries()) {
        const cue = plan.perFile.get(plan.order[n]!);
        if (!cue) continue;
        await updateTrack(track.id, {
          ...(cue.chapterTitle
            ? { edit: patchEdit(track, { chapterTitle: cue.chapterTitle }, defaultTransition) }
            : {}),
          ...(cue.chapters ? { cueChapters: cue.chapters } : {}),
        });
      }
    }
    await background.sendMessage(
      'bg:tracksAdded',
      added.map((t) => t.id),
    );
  }
  await fillEmptyTags(plan.tags);
  if (plan.missing.length > 0) {
    throw new NotAllAddedError(
      plan.missing.map((m) => t('errors.cueMissing', m.cue, m.file)).join(' '),
    );
  }
}

/** Tag fields the person left empty take these values (a cue sheet's title, performer…). */
async function fillEmptyTags(values: Partial<OutputTags>): Promise<void> {
  const tags = await outputTags.getValue();
  const next = { ...tags };
  let changed = false;
  for (const [k, v] of Object.entries(values) as [keyof OutputTags, string | undefined][]) {
    if (v && !tags[k].trim()) {
      next[k] = v;
      changed = true;
    }
  }
  if (changed) await outputTags.setValue(next);
}

export const moveUp = (id: string) => moveTrack(id, -1);
export const moveDown = (id: string) => moveTrack(id, +1);
/** Removes one track; the notice offers Undo. */
export const remove = (id: string) => removeMany([id]);
/** Puts the queue in this order (drag and drop, keyboard reorder). */
export const reorder = (ids: readonly string[]) => setOrder(ids);

/** Sorts the queue by name, by track number or by date; the notice offers Undo. */
export async function sortQueue(key: SortKey): Promise<void> {
  const tracks = await listTracks();
  await reorderUndoably(tracks, sortTracks(tracks, key), t('notices.sorted'));
}

/** Reverses the queue's order; the notice offers Undo. */
export async function reverseQueue(): Promise<void> {
  const tracks = await listTracks();
  await reorderUndoably(tracks, reverseOrder(tracks), t('notices.reversed'));
}

/**
 * Puts the queue in a new order and offers the order before it back, as Clear all does: a sort
 * must not silently replace a hand-made order.
 */
async function reorderUndoably(
  before: readonly { id: string }[],
  order: readonly string[],
  text: string,
): Promise<void> {
  const previous = before.map((x) => x.id);
  await setOrder(order);
  if (order.every((id, i) => previous[i] === id)) return;
  notify({ text, undo: () => setOrder(previous) });
}

/** Moves the selected tracks together: to the top or bottom, or one place up or down. */
export async function moveSelected(ids: ReadonlySet<string>, where: SelectionMove): Promise<void> {
  const order = (await listTracks()).map((t) => t.id);
  await setOrder(moveSelection(order, ids, where));
}

/**
 * Removes several tracks at once (Clear all, the selected ones, the failed ones) and offers to
 * put them back: the notice's Undo restores them with their audio, where they were.
 */
export async function removeMany(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const removed = await removeTracks(ids);
  // Downloads still running for them stop (their connections close).
  await background.sendMessage('bg:tracksRemoved', [...ids]);
  const n = removed.items.length;
  notify({
    text: tn('notices.removed', n),
    undo: () => restoreTracks(removed),
  });
}

export async function clearAll(): Promise<void> {
  await removeMany((await listTracks()).map((t) => t.id));
}

export async function removeFailed(): Promise<void> {
  await removeMany((await listTracks()).filter((t) => t.status === 'error').map((t) => t.id));
}

/**
 * Output settings, tags and the default transition back to Seam's defaults (the file-name
 * template, where to save and the other preferences stay: they are the person's habits, not
 * this join's).
 */
export async function resetOutput(): Promise<void> {
  // The person's own cover image goes too: Reset leaves nothing of the last join's choices.
  await clearCoverImage();
  await outputSettings.setValue(defaultOutput);
  await outputTags.setValue(defaultTags);
  const prefs = await preferences.getValue();
  await preferences.setValue({ ...prefs, defaultTransition: NO_TRANSITION });
}

/** JPEG and PNG: what MP3, M4A/M4B and FLAC players show as a cover. */
function imageKind(head: Uint8Array): 'jpeg' | 'png' | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png';
  return undefined;
}

/** Uses an image file of the person's own as the cover of the next joins. */
export async function setCoverImage(file: File): Promise<void> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const track = { id: `cover:${file.name}`, name: file.name };
  if (!imageKind(head)) {
    throw new SeamError('unsupported-audio', text('errors.coverImage'), track);
  }
  if (file.size > MAX_COVER_IMAGE_MB * 1024 * 1024) {
    throw new SeamError('too-large', text('refusals.coverTooLarge', MAX_COVER_IMAGE_MB), track);
  }
  await putCoverImage({ blob: file, name: file.name });
  const output = await outputSettings.getValue();
  await outputSettings.setValue({ ...output, cover: 'image' });
}

/** Forgets the person's cover image; the cover goes back to the first track's. */
export async function removeCoverImage(): Promise<void> {
  await clearCoverImage();
  const output = await outputSettings.getValue();
  if (output.cover === 'image') await outputSettings.setValue({ ...output, cover: 'first' });
}
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

/** Keeps what plays of a file cut short (lib/editor/keep.ts); nothing when it cannot be kept. */
export function keepPlayable(id: string, defaultTransition: Transition): Promise<void> {
  const run = edits.then(async () => {
    const track = await getTrack(id);
    const patch = track && keepWhatPlays(track, defaultTransition);
    if (patch) await updateTrack(id, patch);
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
 * audio (`?tab=ID`): the activeTab grant belongs to the tab, not to the popup. An editor tab
 * already open is brought to the front instead of opening a second one.
 */
export async function openInTab(): Promise<void> {
  const editor = browser.runtime.getURL('/options.html');
  const open = await openEditorTab(editor);
  if (open?.id !== undefined) {
    await browser.tabs.update(open.id, { active: true });
    if (open.windowId !== undefined) await browser.windows.update(open.windowId, { focused: true });
    return;
  }
  const tabId = await targetTabId(true);
  const tab =
    tabId === undefined ? undefined : await browser.tabs.get(tabId).catch(() => undefined);
  const isPage = tab?.id !== undefined && /^https?:/.test(tab.url ?? '');
  await browser.tabs.create({
    url: `${editor}${isPage ? `?tab=${tab.id}` : ''}`,
    ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}),
  });
}

/**
 * The extension's own editor tab, if one is open. An extension sees its own pages' URLs without
 * the "tabs" permission, so a query on the options page's URL finds it.
 */
async function openEditorTab(
  editor: string,
): Promise<{ id?: number; windowId?: number } | undefined> {
  const tabs = await browser.tabs.query({ url: `${editor}*` }).catch(() => []);
  return tabs.find((x) => x.url?.startsWith(editor));
}
