/**
 * Which files are audio, and the files inside dropped or picked folders, in the order they go
 * into the queue. Extension pages (a drop's FileSystemEntry API).
 */
import { naturalSort } from '@/lib/editor/sort';
import { isCueSheet } from '@/lib/media/cue';

/** Extensions Seam offers in the file picker and takes from folders. */
const AUDIO_EXTENSIONS = [
  'mp3',
  'm4a',
  'm4b',
  'm4r',
  'aac',
  'wav',
  'flac',
  'ogg',
  'oga',
  'opus',
  'weba',
  'webm',
  'mka',
  'mp4',
  'mov',
  'aif',
  'aiff',
  'wma',
  'amr',
  'mp2',
];

/** The picker's accept list: audio, audio-bearing video, and the extensions above. */
export const AUDIO_ACCEPT = [
  'audio/*',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'video/x-matroska',
  AUDIO_EXTENSIONS.map((e) => `.${e}`).join(','),
  // A cue sheet picked with the files it names puts them in its order, with its titles.
  '.cue',
].join(',');

/**
 * Whether a file in a folder is audio Seam should take: an audio type or a known extension,
 * and not a hidden file (".DS_Store", macOS's "._name.mp3" shadows).
 */
export function isAudioFile(f: { name: string; type: string }): boolean {
  if (f.name.startsWith('.')) return false;
  if (f.type.startsWith('audio/')) return true;
  const ext = /\.([a-z0-9]+)$/i.exec(f.name)?.[1]?.toLowerCase();
  return ext !== undefined && AUDIO_EXTENSIONS.includes(ext);
}

/** A file with the path it had in what was dropped or picked ("Album/CD1/01.mp3"). */
export interface PathedFile {
  file: File;
  path: string;
}

/** What a batch of files came to. */
export interface Batch {
  files: File[];
  /** Folders it came from (0 for loose files). */
  folders: string[];
  /** Files inside folders that were left out because they are not audio (nor cue sheets). */
  skipped: number;
  /** Cue sheets among them (loose or in the folders), which say the order and the titles. */
  cues: File[];
}

/**
 * Puts a batch in queue order: each folder's audio by path ("Part 2" before "Part 10", CD1
 * before CD2), and the whole batch by path when `byName` (the "Sort files added together by
 * name" setting), else in the order given.
 */
export function orderBatch(
  loose: readonly PathedFile[],
  folders: readonly { name: string; files: PathedFile[] }[],
  byName: boolean,
  order: readonly string[] = [...loose.map((l) => l.path), ...folders.map((f) => f.name)],
): Batch {
  let skipped = 0;
  const cues: File[] = [];
  const groups = new Map<string, PathedFile[]>();
  for (const l of loose) {
    if (isCueSheet(l.file)) cues.push(l.file);
    else groups.set(l.path, [l]);
  }
  for (const f of folders) {
    const audio = f.files.filter((x) => isAudioFile(x.file));
    const sheets = f.files.filter((x) => isCueSheet(x.file) && !x.file.name.startsWith('.'));
    cues.push(...sheets.map((x) => x.file));
    skipped += f.files.length - audio.length - sheets.length;
    groups.set(
      f.name,
      naturalSort(audio, (x) => x.path),
    );
  }
  const all = order.flatMap((key) => groups.get(key) ?? []);
  const sorted = byName ? naturalSort(all, (x) => x.path) : all;
  return {
    files: sorted.map((x) => x.file),
    folders: folders.map((f) => f.name),
    skipped,
    cues,
  };
}

/**
 * Files picked with "Add folder" (an input with `webkitdirectory`): grouped by their top
 * folder, as `orderBatch` wants them.
 */
export function pickedFolder(files: readonly File[], byName: boolean): Batch {
  const folders = new Map<string, PathedFile[]>();
  for (const file of files) {
    const path = file.webkitRelativePath || file.name;
    const top = path.includes('/') ? path.slice(0, path.indexOf('/')) : '';
    folders.set(top, [...(folders.get(top) ?? []), { file, path }]);
  }
  return orderBatch(
    [],
    [...folders].map(([name, list]) => ({ name, files: list })),
    byName,
  );
}

/**
 * A drop's items as entries, taken at once: the browser empties a DataTransfer when the drop
 * event ends, so this runs inside the handler and the folders are read afterwards.
 */
export function takeDrop(dt: DataTransfer): { entries: FileSystemEntry[]; files: File[] } {
  const entries: FileSystemEntry[] = [];
  const files: File[] = [];
  for (const item of [...dt.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) files.push(f);
    }
  }
  // A browser without entries still gives the loose files.
  if (entries.length === 0 && files.length === 0) files.push(...dt.files);
  return { entries, files };
}

/** The files of a drop taken by `takeDrop`: loose files and every file in dropped folders. */
export async function readDrop(
  taken: { entries: FileSystemEntry[]; files: File[] },
  byName: boolean,
): Promise<Batch> {
  const loose: PathedFile[] = taken.files.map((file) => ({ file, path: file.name }));
  const folders: { name: string; files: PathedFile[] }[] = [];
  const order: string[] = loose.map((l) => l.path);
  for (const entry of taken.entries) {
    if (entry.isDirectory) {
      folders.push({
        name: entry.name,
        files: await walk(entry as FileSystemDirectoryEntry, entry.name),
      });
    } else {
      const file = await entryFile(entry as FileSystemFileEntry);
      loose.push({ file, path: file.name });
    }
    order.push(entry.name);
  }
  return orderBatch(loose, folders, byName, order);
}

/** Every file under a folder, with its path from the dropped folder down. */
async function walk(dir: FileSystemDirectoryEntry, path: string): Promise<PathedFile[]> {
  const out: PathedFile[] = [];
  for (const entry of await readAll(dir)) {
    const p = `${path}/${entry.name}`;
    if (entry.isDirectory) out.push(...(await walk(entry as FileSystemDirectoryEntry, p)));
    else out.push({ file: await entryFile(entry as FileSystemFileEntry), path: p });
  }
  return out;
}

/** readEntries gives at most 100 entries a call (Chrome): call it until it gives none. */
async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((ok, fail) => entry.file(ok, fail));
}
