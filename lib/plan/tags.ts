/**
 * The joined file's tags and chapters, decided from the editor's fields and the first track:
 * - `resolveTags`: the output's tags (the editor's fields, an empty field = the first track's);
 * - `userTagChanges`: what a rewrite of the first track's ID3v2 tag must change;
 * - `ffmetadata`: an FFMETADATA1 file (tags and chapters) for ffmpeg's `-i meta.txt
 *   -map_metadata N -map_chapters N`, which its muxers turn into MP4 chapters and ID3 CHAP frames;
 * - `chapterMillis`: chapters in whole milliseconds, as both FFMETADATA1 and ID3 CHAP count them;
 * - `id3Edit`: the lossless MP3 path's rewrite of the first track's tag (tags, chapters, cover).
 * Pure.
 */
import type { ChapterTime } from './chapters';
import { COVER_IMAGE_ID, type OutputTags } from '@/lib/core/settings';
import type { Id3Edit } from '@/lib/containers/id3';
import type { PlanTrack } from './types';

/** The tags Seam writes: the editor's fields plus the few others worth keeping. */
export interface ResolvedTags {
  title?: string;
  artist?: string;
  album?: string;
  /** The year field (ffmpeg's generic key "date": ID3 TDRC/TYER, MP4 ©day). */
  date?: string;
  album_artist?: string;
  genre?: string;
  /** Track number, "3" or "3/12" (ID3 TRCK, MP4 trkn). */
  track?: string;
  /** ID3 COMM, MP4 ©cmt, Vorbis COMMENT. */
  comment?: string;
  composer?: string;
  copyright?: string;
}

/** First track tags carried over as they are (not track numbers, comments or encoder notes). */
const KEPT_KEYS = ['composer', 'copyright'] as const;

/**
 * The output's tags: each of title/artist/album/year/album artist/genre from the editor, or,
 * when that field is empty, from the first track (ffprobe's lower-cased keys); track number and
 * comment from the editor only (the first track's own belong to it, not to the joined file);
 * plus composer and copyright of the first track. No encoder or "made with" tag is added.
 */
export function resolveTags(
  first: Readonly<Record<string, string>>,
  user: Partial<OutputTags> = {},
): ResolvedTags {
  const pick = (own: string | undefined, ...keys: string[]) => {
    const v = own?.trim();
    if (v) return v;
    for (const k of keys) {
      const t = first[k]?.trim();
      if (t) return t;
    }
    return undefined;
  };
  const out: ResolvedTags = {};
  const set = (k: keyof ResolvedTags, v: string | undefined) => {
    if (v) out[k] = v;
  };
  set('title', pick(user.title, 'title'));
  set('artist', pick(user.artist, 'artist'));
  set('album', pick(user.album, 'album'));
  set('date', pick(user.year, 'date', 'year'));
  set('album_artist', pick(user.albumArtist, 'album_artist'));
  set('genre', pick(user.genre, 'genre'));
  set('track', pick(user.track));
  set('comment', pick(user.comment));
  for (const k of KEPT_KEYS) set(k, pick(undefined, k));
  return out;
}

/** The editor's text fields and the ffprobe key of the first track's each one would replace. */
const COMPARED = [
  ['title', 'title'],
  ['artist', 'artist'],
  ['album', 'album'],
  ['albumArtist', 'album_artist'],
  ['genre', 'genre'],
  ['track', 'track'],
  ['comment', 'comment'],
] as const;

/** The editor's fields that differ from the first track's (what a tag rewrite must change). */
export function userTagChanges(
  first: Readonly<Record<string, string>>,
  user: Partial<OutputTags> = {},
): Partial<OutputTags> {
  const changes: Partial<OutputTags> = {};
  for (const [k, key] of COMPARED) {
    const v = user[k]?.trim();
    if (v && v !== first[key]?.trim()) changes[k] = v;
  }
  const y = user.year?.trim();
  if (y && y !== (first.date ?? first.year)?.trim()) changes.year = y;
  return changes;
}

/** Escapes a key or value for an FFMETADATA1 file: `=`, `;`, `#`, `\` and newlines. */
export function escapeFfmetadata(s: string): string {
  return s.replace(/[=;#\\\n]/g, (c) => `\\${c}`).replace(/\r/g, '');
}

/**
 * An FFMETADATA1 file: global tags, then one [CHAPTER] per chapter in milliseconds. Chapter
 * times are rounded to the millisecond and made contiguous (each ends where the next starts).
 */
export function ffmetadata(tags: ResolvedTags, chapters: readonly ChapterTime[] = []): string {
  const lines = [';FFMETADATA1'];
  for (const [k, v] of Object.entries(tags) as [string, string | undefined][]) {
    if (v) lines.push(`${escapeFfmetadata(k)}=${escapeFfmetadata(v)}`);
  }
  for (const c of chapterMillis(chapters)) {
    lines.push(
      '',
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      `START=${c.start}`,
      `END=${c.end}`,
      `title=${escapeFfmetadata(c.title)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Chapters in whole milliseconds, contiguous, none empty. */
export function chapterMillis(chapters: readonly ChapterTime[]): {
  title: string;
  start: number;
  end: number;
  part?: string;
  inner?: string;
  imageId?: string;
}[] {
  const ms = chapters.map((c) => ({
    ...(c.part ? { part: c.part, inner: c.inner ?? c.title } : {}),
    ...(c.imageId ? { imageId: c.imageId } : {}),
    title: c.title,
    start: Math.max(0, Math.round(c.startSec * 1000)),
    end: Math.max(0, Math.round(c.endSec * 1000)),
  }));
  for (let i = 0; i < ms.length; i++) {
    const next = ms[i + 1];
    if (next) ms[i]!.end = next.start;
    ms[i]!.end = Math.max(ms[i]!.end, ms[i]!.start);
  }
  return ms;
}

/** The lossless MP3 path's tag rewrite, or undefined when the first input's tag can stay. */
export function id3Edit(
  tracks: readonly PlanTrack[],
  userTags: OutputTags,
  chapters: ChapterTime[],
  coverTrack: number | undefined,
  coverImage: boolean,
): Id3Edit | undefined {
  const first = tracks[0]!.info;
  const set = userTagChanges(first.tags, userTags);
  const cover: Id3Edit['cover'] = coverImage
    ? { trackId: COVER_IMAGE_ID }
    : coverTrack === 0
      ? 'keep'
      : coverTrack === undefined
        ? first.hasCover
          ? 'none'
          : 'keep'
        : { trackId: tracks[coverTrack]!.id };
  // The first file's own CHAP frames would stay in a kept tag: only when they are the output's.
  const ownChapters = (first.chapters?.length ?? 0) > 0;
  if (Object.keys(set).length === 0 && chapters.length === 0 && cover === 'keep' && !ownChapters)
    return undefined;
  return { set, chapters: chapterMillis(chapters), cover };
}
