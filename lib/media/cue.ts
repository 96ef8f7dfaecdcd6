/**
 * Cue sheets: the text files CD rippers (EAC, XLD, foobar2000) and audiobook tools write beside
 * audio, naming each FILE and the TRACKs inside it with their TITLE, PERFORMER and INDEX times.
 * `decodeCue` reads the bytes in whatever encoding they came (UTF-8 with or without a BOM,
 * UTF-16 with a BOM, else Windows-1252/Latin-1), `parseCue` reads the text, and `cueChapters`
 * turns one FILE's tracks into chapters. Pure.
 */

interface CueTrack {
  number: number;
  title?: string;
  performer?: string;
  /**
   * INDEX 00 (the pregap's start), seconds; absent when there is none. With "gaps appended" it
   * lies in the FILE before this track's.
   */
  pregapSec?: number;
  /** INDEX 01: where the track itself starts, seconds in its FILE. */
  startSec: number;
}

export interface CueFile {
  /** The FILE line's name as written (may carry a folder, or another extension). */
  name: string;
  /** WAVE, MP3, AIFF, BINARY, ... as written. */
  type: string;
  tracks: CueTrack[];
}

export interface CueSheet {
  title?: string;
  performer?: string;
  /** REM lines as key/value pairs with the key upper-cased: GENRE, DATE, COMMENT, DISCID, ... */
  rem: Record<string, string>;
  files: CueFile[];
}

/** Frames per second of a cue time (mm:ss:ff, from the CD's 75 sectors a second). */
const FRAMES_PER_SEC = 75;

/**
 * Bytes of a cue sheet read at most: a CD's 99 tracks take about 10 KB, an audiobook's few
 * hundred chapters a few tens of KB. The rest of a larger file is not read.
 */
export const MAX_CUE_BYTES = 1024 * 1024;
/** FILE and TRACK entries kept at most: more than any disc or book has. */
const MAX_CUE_ENTRIES = 10_000;

/** The text of a cue sheet's bytes (at most MAX_CUE_BYTES of them). */
export function decodeCue(whole: Uint8Array): string {
  const bytes = whole.subarray(0, MAX_CUE_BYTES);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: older rippers wrote the system's code page, Windows-1252 in the West.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** "04:32:15" (minutes:seconds:frames) as seconds; undefined when malformed. */
export function cueTime(text: string): number | undefined {
  const m = /^(\d{1,4}):(\d{1,2}):(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const [mm, ss, ff] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ss >= 60 || ff >= FRAMES_PER_SEC) return undefined;
  return mm * 60 + ss + ff / FRAMES_PER_SEC;
}

/**
 * Reads a cue sheet. Unknown commands (CATALOG, FLAGS, ISRC, SONGWRITER, POSTGAP, CDTEXTFILE)
 * are skipped; a TRACK without INDEX 01 is left out. Never throws: a text that is no cue sheet
 * gives one with no files.
 */
export function parseCue(text: string): CueSheet {
  const sheet: CueSheet = { rem: {}, files: [] };
  let file: CueFile | undefined;
  let track: (Partial<CueTrack> & { number: number }) | undefined;
  let entries = 0;
  const closeTrack = () => {
    if (file && track && track.startSec !== undefined) file.tracks.push(track as CueTrack);
    track = undefined;
  };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const [command = '', ...rest] = splitWords(line);
    const arg = rest[0] ?? '';
    switch (command.toUpperCase()) {
      case 'REM':
        if (rest.length >= 2 && !track) sheet.rem[arg.toUpperCase()] = rest.slice(1).join(' ');
        break;
      case 'TITLE':
        if (track) track.title = arg;
        else if (!file || file.tracks.length === 0) sheet.title ??= arg;
        break;
      case 'PERFORMER':
        if (track) track.performer = arg;
        else if (!file || file.tracks.length === 0) sheet.performer ??= arg;
        break;
      case 'FILE':
        if (++entries > MAX_CUE_ENTRIES) break;
        // A track whose INDEX 01 has not come yet (its pregap ends the file before, as EAC
        // writes "gaps appended") belongs to the file where its INDEX 01 is.
        if (track?.startSec !== undefined) closeTrack();
        file = { name: arg, type: (rest[1] ?? '').toUpperCase(), tracks: [] };
        sheet.files.push(file);
        break;
      case 'TRACK': {
        closeTrack();
        if (++entries > MAX_CUE_ENTRIES) break;
        const number = Number.parseInt(arg, 10);
        if (file && Number.isFinite(number)) track = { number };
        break;
      }
      case 'INDEX': {
        const n = Number.parseInt(arg, 10);
        const at = cueTime(rest[1] ?? '');
        if (!track || at === undefined) break;
        if (n === 0) track.pregapSec = at;
        else if (n === 1) track.startSec = at;
        break;
      }
    }
  }
  closeTrack();
  return sheet;
}

/** A line's words, with "quoted strings" as one word (quotes removed). */
function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? '');
  return words;
}

/**
 * One FILE's tracks as chapters, in seconds of that file: each starts at its INDEX 01 (the
 * pregap belongs to the track before, as players play it) and ends where the next starts, the
 * last at `durationSec` (or open-ended: Infinity). Untitled tracks are "Track N".
 */
export function cueChapters(
  file: CueFile,
  durationSec = Infinity,
): { title: string; startSec: number; endSec: number }[] {
  const tracks = [...file.tracks].sort((a, b) => a.startSec - b.startSec);
  return tracks.map((t, i) => ({
    title: t.title?.trim() || `Track ${t.number}`,
    // The first track's audio starts with the file, whatever its INDEX 01 says (a hidden
    // pregap track is part of it).
    startSec: i === 0 ? 0 : t.startSec,
    endSec: tracks[i + 1]?.startSec ?? durationSec,
  }));
}

/** A FILE line's name reduced for matching: no folder, lower case, and without its extension. */
function fileKey(name: string): { full: string; stem: string } {
  const base = name
    .replace(/^.*[\\/]/, '')
    .trim()
    .toLowerCase();
  const dot = base.lastIndexOf('.');
  return { full: base, stem: dot > 0 ? base.slice(0, dot) : base };
}

/**
 * Which of the `names` (files added with the cue sheet) each FILE entry means: the same name,
 * else the same name with another extension (a cue for WAV rips beside the FLACs made from them).
 * Returns, in the cue's order, the index into `names` or undefined for a missing file.
 */
export function matchCueFiles(sheet: CueSheet, names: readonly string[]): (number | undefined)[] {
  const keys = names.map(fileKey);
  const used = new Set<number>();
  return sheet.files.map((f) => {
    const k = fileKey(f.name);
    let i = keys.findIndex((n, j) => !used.has(j) && n.full === k.full);
    if (i < 0) i = keys.findIndex((n, j) => !used.has(j) && n.stem === k.stem);
    if (i < 0) return undefined;
    used.add(i);
    return i;
  });
}

/** A chapter start a cue sheet gives a file with several TRACKs in it, in that file's seconds. */
export interface CueStart {
  title: string;
  startSec: number;
}

/** What a batch of files added with cue sheets comes to (`cueBatch`). */
export interface CueBatch {
  /**
   * Indexes into the batch's names in queue order: the files the sheets name, in the sheets'
   * order, then the rest of the batch in the order given.
   */
  order: number[];
  /**
   * For a named file: the chapter title of its one TRACK, or the chapters of its several
   * (CD-image rips: one FILE, a TRACK per chapter).
   */
  perFile: Map<number, { chapterTitle?: string; chapters?: CueStart[] }>;
  /** Tags from the sheets' TITLE, PERFORMER and REM DATE/GENRE, for the joined file. */
  tags: { title?: string; album?: string; artist?: string; year?: string; genre?: string };
  /** FILE entries that name no file of the batch. */
  missing: { cue: string; file: string }[];
}

/**
 * Puts a batch of files in the order its cue sheets give, with their titles. A file named by
 * several sheets goes where the first one puts it.
 */
export function cueBatch(
  sheets: readonly { name: string; sheet: CueSheet }[],
  names: readonly string[],
): CueBatch {
  const order: number[] = [];
  const perFile: CueBatch['perFile'] = new Map();
  const missing: CueBatch['missing'] = [];
  const tags: CueBatch['tags'] = {};
  for (const { name, sheet } of sheets) {
    matchCueFiles(sheet, names).forEach((index, i) => {
      const file = sheet.files[i]!;
      if (index === undefined) {
        missing.push({ cue: name, file: file.name.replace(/^.*[\\/]/, '') });
        return;
      }
      if (order.includes(index)) return;
      order.push(index);
      if (file.tracks.length === 1) {
        const title = file.tracks[0]!.title?.trim();
        if (title) perFile.set(index, { chapterTitle: title });
      } else if (file.tracks.length > 1) {
        perFile.set(index, {
          chapters: cueChapters(file).map((c) => ({ title: c.title, startSec: c.startSec })),
        });
      }
    });
    const performer =
      sheet.performer?.trim() || sheet.files.flatMap((f) => f.tracks)[0]?.performer?.trim();
    const title = sheet.title?.trim();
    const year = /\d{4}/.exec(sheet.rem['DATE'] ?? '')?.[0];
    const genre = sheet.rem['GENRE']?.trim();
    if (title) {
      tags.title ??= title;
      tags.album ??= title;
    }
    if (performer) tags.artist ??= performer;
    if (year) tags.year ??= year;
    if (genre) tags.genre ??= genre;
  }
  names.forEach((_, i) => {
    if (!order.includes(i)) order.push(i);
  });
  return { order, perFile, tags, missing };
}

/** A cue sheet's chapter starts as the file's own chapters, each ending where the next starts. */
export function cueSourceChapters(
  starts: readonly CueStart[],
  durationSec: number,
): { title: string; startSec: number; endSec: number }[] {
  const sorted = [...starts].sort((a, b) => a.startSec - b.startSec);
  return sorted
    .filter((s) => s.startSec < durationSec || durationSec <= 0)
    .map((s, i) => ({
      title: s.title,
      startSec: s.startSec,
      endSec: Math.max(s.startSec, sorted[i + 1]?.startSec ?? durationSec),
    }));
}

/** Whether a file is a cue sheet (by its extension: browsers give cue sheets no type). */
export function isCueSheet(f: { name: string }): boolean {
  return /\.cue$/i.test(f.name);
}
