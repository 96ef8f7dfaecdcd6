/**
 * The output section's choices and the notes beside them: which fields a format uses, what the
 * selects offer, what the tags are prefilled with, where chapters and covers go, and what the
 * next file will be called.
 */
import { stripExtension, outputFileName } from '@/lib/core/naming';
import { FORMATS, formatSpec, RINGTONE_MAX_SEC, VBR_KBPS, type FormatId } from '@/lib/core/formats';
import type {
  ChapterMode,
  ChapterTitleSource,
  OutputSettings,
  OutputTags,
} from '@/lib/core/settings';
import type { Track } from '@/lib/core/track';
import { resolveChapterMode, type ChapterTrack } from '@/lib/plan/chapters';

/** Which of the quality fields apply to the chosen format and mode. */
export function qualityFields(output: Pick<OutputSettings, 'format' | 'mp3Mode'>): {
  mode: boolean;
  bitrate: boolean;
  vbrQuality: boolean;
} {
  const spec = formatSpec(output.format);
  const mp3 = output.format === 'mp3';
  const vbr = mp3 && output.mp3Mode === 'vbr';
  return { mode: mp3, bitrate: spec.lossy && !vbr, vbrQuality: vbr };
}

/**
 * LAME's VBR scale (-q:a / -V), with the average bitrate of each step from LAME's own table,
 * so the number means something.
 */
export const VBR_CHOICES: readonly { value: number; label: string }[] = VBR_KBPS.map((kbps, q) => ({
  value: q,
  label: `${q}${q === 0 ? ' (best)' : q === 9 ? ' (smallest)' : ''}, about ${kbps} kb/s`,
}));

export const SAMPLE_RATES: readonly { value: OutputSettings['sampleRate']; label: string }[] = [
  { value: 'source', label: 'As source' },
  { value: 44100, label: '44.1 kHz' },
  { value: 48000, label: '48 kHz' },
];

export const CHANNEL_CHOICES: readonly { value: OutputSettings['channels']; label: string }[] = [
  { value: 'source', label: 'As source' },
  { value: 1, label: 'Mono' },
  { value: 2, label: 'Stereo' },
];

/** The Chapters select's options: what "auto" resolves to is one of them. */
export const CHAPTER_CHOICES: readonly { value: Exclude<ChapterMode, 'auto'>; label: string }[] = [
  { value: 'per-track', label: 'One chapter per track' },
  { value: 'keep', label: 'Keep the tracks’ chapters' },
  { value: 'none', label: 'No chapters' },
];

/** The "Chapter titles from" select's options (the preference `chapterTitles`). */
export const CHAPTER_TITLE_CHOICES: readonly { value: ChapterTitleSource; label: string }[] = [
  { value: 'tag', label: 'Title tag, then file name' },
  { value: 'file', label: 'File name' },
];

/**
 * What the Chapters select shows for the stored mode: "auto" shows what it does for these
 * tracks (keep their own chapters when any has some, else one per track).
 */
export function shownChapterMode(
  mode: ChapterMode,
  tracks: readonly ChapterTrack[],
): Exclude<ChapterMode, 'auto'> {
  return resolveChapterMode(mode, tracks);
}

/**
 * The mode stored for a choice: the choice "auto" would make for these tracks stays "auto", so
 * the default keeps following the queue (a book with chapters added later is kept); any other
 * choice is stored as it is.
 */
export function chapterModeFromChoice(
  choice: Exclude<ChapterMode, 'auto'>,
  tracks: readonly ChapterTrack[],
): ChapterMode {
  return choice === resolveChapterMode('auto', tracks) ? 'auto' : choice;
}

/** Whether any track has chapters of its own (an M4B's, an MP3's ID3 CHAP, a cue sheet's). */
export function anyOwnChapters(tracks: readonly ChapterTrack[]): boolean {
  return tracks.some((t) => (t.info?.chapters?.length ?? 0) > 0);
}

/** Reads a select's string value back into a setting's value. */
export function parseChoice<T extends string | number>(
  choices: readonly { value: T }[],
  text: string,
): T | undefined {
  return choices.find((c) => String(c.value) === text)?.value;
}

/** The ringtone length warning, when an M4R would be longer than a phone takes. */
export function m4rWarning(format: FormatId, totalSec: number | undefined): string | undefined {
  if (format !== 'm4r' || totalSec === undefined || totalSec <= RINGTONE_MAX_SEC) return undefined;
  return `Ringtones are limited to ${RINGTONE_MAX_SEC} s; this one would be ${Math.round(totalSec)} s. Trim the tracks, or the phone may refuse it.`;
}

/** "MP3, M4A and M4B": the labels of the formats with `has`, in the Format list's order. */
function formatsWith(has: (f: (typeof FORMATS)[number]) => boolean): string {
  const labels = FORMATS.filter(has).map((f) => f.label);
  return labels.length > 1
    ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
    : (labels[0] ?? '');
}

export function chaptersNote(format: FormatId): string {
  const base = `One chapter per track, named by its Chapter title. ${formatsWith((f) => f.chapters)} hold chapters`;
  const spec = formatSpec(format);
  return spec.chapters ? `${base}.` : `${base}; ${spec.label} does not, so none are written.`;
}

export function coverNote(format: FormatId): string | undefined {
  const spec = formatSpec(format);
  return spec.cover ? undefined : `${spec.label} files get no cover.`;
}

/** Said under the tag fields when the format keeps no tags at all. */
export function tagsNote(format: FormatId): string | undefined {
  const spec = formatSpec(format);
  return spec.tags ? undefined : `${spec.label} files are written without tags.`;
}

/**
 * The Cover select's options: the first track's (only when it has one), each other track's that
 * has one, the person's image file (when one was chosen, `imageName`), or none.
 */
export function coverChoices(
  tracks: readonly Pick<Track, 'id' | 'name' | 'info'>[],
  imageName?: string,
): { value: string; label: string }[] {
  const [first, ...rest] = tracks;
  return [
    ...(first?.info?.hasCover ? [{ value: 'first', label: "First track's cover" }] : []),
    ...rest
      .filter((t) => t.info?.hasCover)
      .map((t) => ({ value: `track:${t.id}`, label: `Cover of ${stripExtension(t.name)}` })),
    ...(imageName ? [{ value: 'image', label: `Image: ${imageName}` }] : []),
    { value: 'none', label: 'None' },
  ];
}

export function coverToValue(cover: OutputSettings['cover']): string {
  return typeof cover === 'string' ? cover : `track:${cover.trackId}`;
}

export function coverFromValue(value: string): OutputSettings['cover'] {
  if (value === 'first' || value === 'none' || value === 'image') return value;
  return { trackId: value.replace(/^track:/, '') };
}

/**
 * What the Cover select shows for the stored choice: that choice when it is on offer, else
 * "None", which is what the join will do (the first track has no cover, the track whose cover
 * was chosen was removed, the image file is gone).
 */
export function shownCover(
  choices: readonly { value: string }[],
  cover: OutputSettings['cover'],
): string {
  const value = coverToValue(cover);
  return choices.some((c) => c.value === value) ? value : 'none';
}

/**
 * Why an output control does nothing for `format`, to show beside it while it is disabled;
 * undefined for the controls that apply.
 */
export function unavailable(format: FormatId): {
  chapters?: string;
  cover?: string;
  tags?: string;
  sampleRate?: string;
} {
  const spec = formatSpec(format);
  return {
    ...(spec.chapters
      ? {}
      : {
          chapters: `${spec.label} holds no chapters; ${formatsWith((f) => f.chapters)} do.`,
        }),
    ...(spec.cover ? {} : { cover: `${spec.label} files hold no cover picture.` }),
    ...(spec.tags ? {} : { tags: `${spec.label} files are written without tags.` }),
    ...(spec.sampleRates?.length === 1
      ? { sampleRate: `${spec.label} is always ${Number(spec.sampleRates[0]) / 1000} kHz.` }
      : {}),
  };
}

/**
 * What the tag fields show when left empty: the first track's own tags (which the join keeps).
 * The year comes from a "date" tag ("2019-04-01") or a "year" one. Track number and comment
 * are the joined file's own: nothing is taken from the first track.
 */
export function tagPlaceholders(first: Pick<Track, 'info'> | undefined): OutputTags {
  const tags = first?.info?.tags ?? {};
  const date = tags['date'] ?? tags['year'] ?? tags['tyer'] ?? '';
  return {
    title: tags['title'] ?? '',
    artist: tags['artist'] ?? tags['album_artist'] ?? '',
    album: tags['album'] ?? '',
    year: /\d{4}/.exec(date)?.[0] ?? '',
    albumArtist: tags['album_artist'] ?? '',
    genre: tags['genre'] ?? '',
    track: '',
    comment: '',
  };
}

/** The name the next join's file will have, for the output section's preview. */
export function fileNamePreview(
  template: string,
  tracks: readonly Pick<Track, 'name'>[],
  format: FormatId,
  date = new Date(),
  title = '',
): string {
  const first = tracks[0]?.name ?? 'First track.mp3';
  const count = tracks.length > 0 ? tracks.length : 3;
  return outputFileName(
    first,
    count,
    formatSpec(format).extension,
    template || undefined,
    date,
    title,
  );
}
