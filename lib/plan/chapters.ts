/**
 * The joined file's chapters, as a pure function of the tracks, their edits and the applied
 * transitions. Rules (tests/unit/chapters.test.ts):
 * - A track's part of the output starts where its audio starts (./timeline.ts trackOffsets): at
 *   the start of a crossfade into it, after a gap before it. So jumping to a chapter plays all
 *   of its track, fade-in included; the silence of a gap belongs to the chapter before.
 * - "One chapter per track": each track is one chapter, titled by its own chapter title, else
 *   (when chosen) its title tag, else its name without the extension.
 * - "Keep the tracks' chapters": a track that has chapters of its own (an M4B's chapter track,
 *   an MP3's ID3 CHAP frames) brings them, shifted to where the track starts and cut by its trim
 *   (a chapter the trim cuts into starts where the kept audio starts; one left with less than
 *   MIN_KEPT_CHAPTER_SEC is dropped, unless it is all that is left); lead-in before its first
 *   chapter of at least that length becomes a chapter named after the track. A track without
 *   chapters of its own gets one, as above. Nested chapters (a part and the chapters inside it)
 *   are flattened: at each start the innermost, shortest one names the span.
 * - Every chapter ends where the next begins; the last ends with the output.
 */
import { trackTitle } from '@/lib/core/naming';
import type { ChapterMode, ChapterTitleSource } from '@/lib/core/settings';
import type { SourceChapter, Transition } from '@/lib/core/track';
import { trackOffsets, trimSpan, type EditedTrack } from './timeline';

export interface ChapterTime {
  title: string;
  startSec: number;
  endSec: number;
  /**
   * Nested chapters (a book's episode and its own chapters): the part this chapter belongs to
   * and its title inside it. A format of one level writes `title` ("Episode 2: Opening"); ID3
   * writes a table of contents per part (lib/containers/id3.ts).
   */
  part?: string;
  inner?: string;
  /** Its image (lib/store/chapter-images.ts): written where the format holds one (ID3 CHAP). */
  imageId?: string;
}

/** A track as chapters need it: its name, edit, length, title tag and own chapters. */
export interface ChapterTrack extends EditedTrack {
  info?:
    | { durationSec: number; tags?: Record<string, string>; chapters?: readonly SourceChapter[] }
    | undefined;
}

/** A chapter a trim leaves shorter than this is dropped (half a second of a chapter is noise). */
const MIN_KEPT_CHAPTER_SEC = 1;

export interface ChapterOptions {
  mode: ChapterMode;
  /** Where a track's own title comes from when it has no chapter title of its own. */
  titleFrom: ChapterTitleSource;
}

const DEFAULT_CHAPTER_OPTIONS: ChapterOptions = { mode: 'per-track', titleFrom: 'file' };

/** The mode "auto" resolves to: keep the tracks' chapters when any has some, else per track. */
export function resolveChapterMode(
  mode: ChapterMode,
  tracks: readonly ChapterTrack[],
): Exclude<ChapterMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return tracks.some((t) => ownChapters(t).length > 0) ? 'keep' : 'per-track';
}

/**
 * A track's own chapters: those the person marked in it ("Find chapters"), else the file's
 * (an M4B's chapter track, ID3 CHAP, a cue sheet).
 */
export function ownChapters(track: ChapterTrack): readonly SourceChapter[] {
  const marked = track.edit?.chapters;
  if (!marked || marked.length === 0) return track.info?.chapters ?? [];
  const end = track.info?.durationSec ?? 0;
  return marked.map((c, i) => ({
    title: c.title,
    startSec: c.startSec,
    endSec: marked[i + 1]?.startSec ?? end,
    ...(c.inner ? { inner: c.inner } : {}),
    ...(c.imageId ? { imageId: c.imageId } : {}),
  }));
}

/** A track's chapter title: its edit's, else its title tag (when chosen), else its file name. */
export function chapterTitle(track: ChapterTrack, titleFrom: ChapterTitleSource = 'file'): string {
  const own = track.edit?.chapterTitle?.trim();
  if (own) return own;
  const tag = titleFrom === 'tag' ? track.info?.tags?.['title']?.trim() : undefined;
  return tag ? tag : trackTitle(track.name);
}

/** The chapters to write, by the rules above. `transitions` are the applied ones. */
export function chapterTimes(
  tracks: readonly ChapterTrack[],
  transitions: readonly Transition[],
  opts: ChapterOptions = DEFAULT_CHAPTER_OPTIONS,
): ChapterTime[] {
  const mode = resolveChapterMode(opts.mode, tracks);
  if (mode === 'none' || tracks.length === 0) return [];
  const { startsSec, totalSec } = trackOffsets(tracks, transitions);
  const starts: Omit<ChapterTime, 'endSec'>[] = [];
  tracks.forEach((t, i) => {
    const at = startsSec[i]!;
    const own = mode === 'keep' ? keptChapters(t) : [];
    if (own.length === 0) starts.push({ title: chapterTitle(t, opts.titleFrom), startSec: at });
    // Chapters with titles inside the track's are its parts: nested where the format can.
    const part = own.some((c) => c.inner) ? chapterTitle(t, opts.titleFrom) : undefined;
    for (const c of own) {
      starts.push({
        title: c.title,
        startSec: at + c.offsetSec,
        ...(part ? { part, inner: c.inner ?? c.title } : {}),
        ...(c.imageId ? { imageId: c.imageId } : {}),
      });
    }
  });
  // Starts are in order by construction; a crossfade can make two coincide only if a track is
  // shorter than its fades, which the clamp prevents. Drop any that would be empty anyway.
  const out: ChapterTime[] = [];
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.startSec : totalSec;
    if (end > s.startSec || out.length === 0) {
      out.push({ ...s, endSec: Math.max(s.startSec, end) });
    }
  });
  return out;
}

/**
 * A track's own chapters as kept by its trim: titles and offsets from where its kept audio
 * starts. Empty when it has none (or none survive the trim).
 */
export function keptChapters(
  track: ChapterTrack,
): { title: string; offsetSec: number; inner?: string; imageId?: string }[] {
  const source = flatten(ownChapters(track));
  if (source.length === 0) return [];
  const span = trimSpan(track);
  const kept: {
    title: string;
    fromSec: number;
    toSec: number;
    inner?: string;
    imageId?: string;
  }[] = [];
  source.forEach((c, i) => {
    const next = source[i + 1]?.startSec ?? Infinity;
    const from = Math.max(c.startSec, span.startSec);
    const to = Math.min(next, span.endSec);
    if (to > from)
      kept.push({
        title: c.title,
        fromSec: from,
        toSec: to,
        ...(c.inner ? { inner: c.inner } : {}),
        ...(c.imageId ? { imageId: c.imageId } : {}),
      });
  });
  if (kept.length === 0) return [];
  // Lead-in before the first chapter: a chapter of its own if it is long enough.
  const leadIn = kept[0]!.fromSec - span.startSec;
  if (leadIn >= MIN_KEPT_CHAPTER_SEC) {
    kept.unshift({
      title: trackTitle(track.name),
      fromSec: span.startSec,
      toSec: kept[0]!.fromSec,
    });
  } else {
    kept[0]!.fromSec = span.startSec;
  }
  const long = kept.filter((c) => c.toSec - c.fromSec >= MIN_KEPT_CHAPTER_SEC);
  const chosen = long.length > 0 ? long : [kept[0]!];
  // A dropped sliver's time goes to the chapter before it; the first always starts at 0.
  return chosen.map((c, i) => ({
    title: c.title.trim() || trackTitle(track.name),
    offsetSec: i === 0 ? 0 : c.fromSec - span.startSec,
    ...(c.inner ? { inner: c.inner } : {}),
    ...(c.imageId ? { imageId: c.imageId } : {}),
  }));
}

/**
 * Chapters as a flat list of starts: sorted, and where several start at once (a part and its
 * first chapter), the innermost (shortest) names the span.
 */
function flatten(chapters: readonly SourceChapter[]): SourceChapter[] {
  const valid = chapters.filter(
    (c) => Number.isFinite(c.startSec) && c.startSec >= 0 && !(c.endSec < c.startSec),
  );
  const sorted = [...valid].sort(
    (a, b) => a.startSec - b.startSec || a.endSec - a.startSec - (b.endSec - b.startSec),
  );
  const out: SourceChapter[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.startSec - c.startSec) < 1e-6) continue;
    out.push(c);
  }
  return out;
}
