/**
 * The output section's choices and the notes beside them: which fields a format uses, what the
 * selects offer, what the tags are prefilled with, where chapters and covers go, and what the
 * next file will be called.
 */
import { stripExtension, outputFileName, untitledTemplate } from '@/lib/core/naming';
import { FORMATS, formatSpec, RINGTONE_MAX_SEC, VBR_KBPS, type FormatId } from '@/lib/core/formats';
import type {
  ChapterMode,
  ChapterTitleSource,
  OutputSettings,
  OutputTags,
} from '@/lib/core/settings';
import type { Track } from '@/lib/core/track';
import { ownChapters, resolveChapterMode, type ChapterTrack } from '@/lib/plan/chapters';
import { t } from '@/lib/core/i18n';
import { formatSeconds, khz, listOf } from '@/lib/core/text';

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
export const VBR_CHOICES: readonly { value: number; readonly label: string }[] = VBR_KBPS.map(
  (kbps, q) => ({
    value: q,
    // Labels are read when shown: the language is installed after this module loads.
    get label() {
      const about = t('units.kbps', kbps);
      return q === 0
        ? t('output.vbrBest', q, about)
        : q === 9
          ? t('output.vbrSmallest', q, about)
          : t('output.vbrStep', q, about);
    },
  }),
);

export const SAMPLE_RATES: readonly {
  value: OutputSettings['sampleRate'];
  readonly label: string;
}[] = [
  {
    value: 'source',
    get label() {
      return t('output.asSource');
    },
  },
  {
    value: 44100,
    get label() {
      return khz(44100);
    },
  },
  {
    value: 48000,
    get label() {
      return khz(48000);
    },
  },
];

export const CHANNEL_CHOICES: readonly {
  value: OutputSettings['channels'];
  readonly label: string;
}[] = [
  {
    value: 'source',
    get label() {
      return t('output.asSource');
    },
  },
  {
    value: 1,
    get label() {
      return t('output.mono');
    },
  },
  {
    value: 2,
    get label() {
      return t('output.stereo');
    },
  },
];

/** The Chapters select's options: what "auto" resolves to is one of them. */
export const CHAPTER_CHOICES: readonly {
  value: Exclude<ChapterMode, 'auto'>;
  readonly label: string;
}[] = [
  {
    value: 'per-track',
    get label() {
      return t('output.chapterPerTrack');
    },
  },
  {
    value: 'keep',
    get label() {
      return t('output.chapterKeep');
    },
  },
  {
    value: 'none',
    get label() {
      return t('output.chapterNone');
    },
  },
];

/** The "Chapter titles from" select's options (the preference `chapterTitles`). */
export const CHAPTER_TITLE_CHOICES: readonly {
  value: ChapterTitleSource;
  readonly label: string;
}[] = [
  {
    value: 'tag',
    get label() {
      return t('output.titlesFromTag');
    },
  },
  {
    value: 'file',
    get label() {
      return t('output.titlesFromFile');
    },
  },
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
  return tracks.some((t) => ownChapters(t).length > 0);
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
  return t(
    'output.ringtoneLimit',
    formatSeconds(RINGTONE_MAX_SEC),
    formatSeconds(Math.round(totalSec)),
  );
}

/** "MP3, M4A and M4B": the labels of the formats with `has`, in the Format list's order. */
function formatsWith(has: (f: (typeof FORMATS)[number]) => boolean): string {
  return listOf(FORMATS.filter(has).map((f) => f.label));
}

export function chaptersNote(format: FormatId): string {
  const spec = formatSpec(format);
  const holders = formatsWith((f) => f.chapters);
  return spec.chapters
    ? t('output.chaptersNote', holders)
    : t('output.chaptersNoteNone', holders, spec.label);
}

export function coverNote(format: FormatId): string | undefined {
  const spec = formatSpec(format);
  return spec.cover ? undefined : t('output.noCover', spec.label);
}

/** Said under the tag fields when the format keeps no tags at all. */
export function tagsNote(format: FormatId): string | undefined {
  const spec = formatSpec(format);
  return spec.tags ? undefined : t('output.noTags', spec.label);
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
    ...(first?.info?.hasCover ? [{ value: 'first', label: t('output.firstCover') }] : []),
    ...rest
      .filter((r) => r.info?.hasCover)
      .map((r) => ({ value: `track:${r.id}`, label: t('output.coverOf', stripExtension(r.name)) })),
    ...(imageName ? [{ value: 'image', label: t('output.imageCover', imageName) }] : []),
    { value: 'none', label: t('output.coverNone') },
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
          chapters: t(
            'output.noChaptersIn',
            spec.label,
            formatsWith((f) => f.chapters),
          ),
        }),
    ...(spec.cover ? {} : { cover: t('output.noCoverIn', spec.label) }),
    ...(spec.tags ? {} : { tags: t('output.noTags', spec.label) }),
    ...(spec.sampleRates?.length === 1
      ? { sampleRate: t('output.alwaysRate', spec.label, khz(Number(spec.sampleRates[0]))) }
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
  const first = tracks[0]?.name ?? t('output.sampleFileName');
  const count = tracks.length > 0 ? tracks.length : 3;
  return outputFileName(
    first,
    count,
    formatSpec(format).extension,
    template || undefined,
    date,
    title,
    untitledTemplate(),
  );
}
