import { BITRATES, FORMATS, type Bitrate, type FormatId } from './formats';
import {
  clampNumber,
  clampTenths,
  clampWhole,
  FETCH_LIMIT_MAX_MB,
  FETCH_LIMIT_MIN_MB,
  LOUDNESS_MAX_LUFS,
  LOUDNESS_MIN_LUFS,
  MAX_CROSSFADE_SEC,
  MAX_FADE_SEC,
  MAX_GAP_SEC,
  MAX_TEMPLATE_CHARS,
  MIN_CROSSFADE_SEC,
  SILENCE_MAX_DB,
  SILENCE_MAX_SEC,
  SILENCE_MIN_DB,
  SILENCE_MIN_SEC,
  VBR_QUALITY_BEST,
  VBR_QUALITY_SMALLEST,
} from './limits';
import { DEFAULT_TEMPLATE, UNTITLED_TEMPLATE } from './naming';
import { NO_TRANSITION, type Transition } from './track';

/**
 * Every setting's shape and default, defined once (the types derive from the defaults), and the
 * cleaners that make whatever storage holds (an older version's object, a hand-edited value)
 * into valid settings: merged with the defaults, clamped to lib/core/limits.ts. Pure; the
 * storage items are in lib/store/settings.ts.
 */

/**
 * The person's own cover image as the planner and the engine name it: an input like a track's
 * audio, which the engine reads from lib/store/cover.ts instead of the track store.
 */
export const COVER_IMAGE_ID = 'seam:cover-image';

/** The output choices: what the next join writes. */
export const defaultOutput = {
  format: 'mp3' as FormatId,
  /** kb/s for lossy formats in CBR mode. */
  bitrate: 192 as Bitrate,
  /** MP3 only: constant bitrate, or LAME's VBR quality scale. */
  mp3Mode: 'cbr' as 'cbr' | 'vbr',
  /** LAME -q:a, 0 (best) to 9 (smallest). 2 is about 190 kb/s. */
  vbrQuality: 2,
  sampleRate: 'source' as 'source' | 44100 | 48000,
  channels: 'source' as 'source' | 1 | 2,
  /** EBU R128 loudness normalization of the whole result. */
  normalize: false,
  /**
   * Each track brought to the loudness target on its own (lib/plan/match-loudness.ts): in a
   * lossless MP3 join by its frames' global gain, without re-encoding.
   */
  matchLoudness: false,
  fadeInSec: 0,
  fadeOutSec: 0,
  /**
   * Chapters, where the format holds them (M4B, M4A, MP3): the tracks' own chapters when any
   * has some, else one per track ("auto"); always one per track; the tracks' own; or none.
   */
  chapters: 'auto' as ChapterMode,
  /**
   * Save the chapters beside the joined file too: a .cue sheet, a .chapters.txt (m4b-tool,
   * tone) and Podcasting 2.0 JSON chapters (lib/plan/chapter-files.ts).
   */
  chapterFiles: false,
  /**
   * Cover art: the first track's, another track's (by id), an image file the person chose
   * (kept in lib/store/cover.ts), or none.
   */
  cover: 'first' as 'first' | 'none' | 'image' | { trackId: string },
};
export type OutputSettings = typeof defaultOutput;

export type ChapterMode = 'auto' | 'per-track' | 'keep' | 'none';
/** A track's chapter title when none is typed: its title tag, then its file name; or the name. */
export type ChapterTitleSource = 'tag' | 'file';

/** Preferences from the options page's settings section. */
export const defaultPreferences = {
  defaultTransition: NO_TRANSITION as Transition,
  /** Placeholders: {title} {first} {count} {total} {date} (lib/core/naming.ts). */
  fileNameTemplate: DEFAULT_TEMPLATE,
  askWhereToSave: false,
  /** Largest page audio Seam downloads, in MB. */
  fetchLimitMB: 1024,
  /** Keep the queue after a join (so a second format is one click away), or clear it. */
  keepQueueAfterJoin: true,
  /** EBU R128 integrated loudness target when normalizing, LUFS. -16 suits spoken word online. */
  loudnessTarget: -16,
  /** "Chapter titles from": the title tag, then the file name; or the file name only. */
  chapterTitles: 'tag' as ChapterTitleSource,
  /** Files added together (picked, dropped, a folder) go in by name, "Part 2" before "Part 10". */
  sortAddedByName: true,
  /** "Trim silence at start and end": below this level is silence, dBFS. */
  silenceThresholdDb: -50,
  /** "Trim silence at start and end": shorter silence is kept, seconds. */
  silenceMinSec: 0.5,
};
export type Preferences = typeof defaultPreferences;

/** Tags for the joined file, prefilled from the first track's. Empty = take the first track's. */
export const defaultTags = {
  title: '',
  artist: '',
  album: '',
  year: '',
  albumArtist: '',
  genre: '',
  /** "3" or "3/12". */
  track: '',
  comment: '',
};
export type OutputTags = typeof defaultTags;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One of `choices`, or `fallback`. */
function oneOf<T>(value: unknown, choices: readonly T[], fallback: T): T {
  return choices.includes(value as T) ? (value as T) : fallback;
}

/** A transition as stored, made valid: unknown kinds become none, seconds clamped. */
function cleanTransition(raw: unknown, fallback: Transition = NO_TRANSITION): Transition {
  if (!isObject(raw)) return fallback;
  if (raw.kind === 'none') return NO_TRANSITION;
  if (raw.kind === 'gap') {
    return { kind: 'gap', seconds: clampNumber(raw.seconds, 0, MAX_GAP_SEC, 0) };
  }
  if (raw.kind === 'crossfade') {
    return {
      kind: 'crossfade',
      seconds: clampNumber(raw.seconds, MIN_CROSSFADE_SEC, MAX_CROSSFADE_SEC, 1),
      curve: oneOf(raw.curve, ['linear', 'equal-power', 'logarithmic'] as const, 'equal-power'),
    };
  }
  return fallback;
}

/** Output settings as stored, merged with the defaults and made valid. */
export function cleanOutput(raw: unknown): OutputSettings {
  const r = isObject(raw) ? raw : {};
  const d = defaultOutput;
  const cover = r.cover;
  return {
    format: oneOf(
      r.format,
      FORMATS.map((f) => f.id),
      d.format,
    ),
    bitrate: oneOf<Bitrate>(r.bitrate, BITRATES, d.bitrate),
    mp3Mode: oneOf(r.mp3Mode, ['cbr', 'vbr'] as const, d.mp3Mode),
    vbrQuality: clampWhole(r.vbrQuality, VBR_QUALITY_BEST, VBR_QUALITY_SMALLEST, d.vbrQuality),
    sampleRate: oneOf(r.sampleRate, ['source', 44100, 48000] as const, d.sampleRate),
    channels: oneOf(r.channels, ['source', 1, 2] as const, d.channels),
    normalize: typeof r.normalize === 'boolean' ? r.normalize : d.normalize,
    matchLoudness: typeof r.matchLoudness === 'boolean' ? r.matchLoudness : d.matchLoudness,
    fadeInSec: clampTenths(r.fadeInSec, MAX_FADE_SEC),
    fadeOutSec: clampTenths(r.fadeOutSec, MAX_FADE_SEC),
    // Before chapter modes, a box: ticked meant one per track (now "auto"), unticked none.
    chapters:
      r.chapters === true
        ? 'auto'
        : r.chapters === false
          ? 'none'
          : oneOf(r.chapters, ['auto', 'per-track', 'keep', 'none'] as const, d.chapters),
    chapterFiles: typeof r.chapterFiles === 'boolean' ? r.chapterFiles : d.chapterFiles,
    cover:
      cover === 'first' || cover === 'none' || cover === 'image'
        ? cover
        : isObject(cover) && typeof cover.trackId === 'string'
          ? { trackId: cover.trackId }
          : d.cover,
  };
}

/** Preferences as stored, merged with the defaults and made valid (a missing limit is the default). */
export function cleanPreferences(raw: unknown): Preferences {
  const r = isObject(raw) ? raw : {};
  const d = defaultPreferences;
  const stored = typeof r.fileNameTemplate === 'string' ? r.fileNameTemplate.trim() : '';
  // The default before {title} existed: {title} says the same while no Title tag is set.
  const template = stored === UNTITLED_TEMPLATE ? d.fileNameTemplate : stored;
  return {
    defaultTransition: cleanTransition(r.defaultTransition, d.defaultTransition),
    fileNameTemplate: template ? template.slice(0, MAX_TEMPLATE_CHARS) : d.fileNameTemplate,
    askWhereToSave: typeof r.askWhereToSave === 'boolean' ? r.askWhereToSave : d.askWhereToSave,
    fetchLimitMB: clampWhole(
      r.fetchLimitMB,
      FETCH_LIMIT_MIN_MB,
      FETCH_LIMIT_MAX_MB,
      d.fetchLimitMB,
    ),
    keepQueueAfterJoin:
      typeof r.keepQueueAfterJoin === 'boolean' ? r.keepQueueAfterJoin : d.keepQueueAfterJoin,
    chapterTitles: oneOf(r.chapterTitles, ['tag', 'file'] as const, d.chapterTitles),
    loudnessTarget: clampWhole(
      r.loudnessTarget,
      LOUDNESS_MIN_LUFS,
      LOUDNESS_MAX_LUFS,
      d.loudnessTarget,
    ),
    sortAddedByName: typeof r.sortAddedByName === 'boolean' ? r.sortAddedByName : d.sortAddedByName,
    silenceThresholdDb: clampWhole(
      r.silenceThresholdDb,
      SILENCE_MIN_DB,
      SILENCE_MAX_DB,
      d.silenceThresholdDb,
    ),
    silenceMinSec:
      Math.round(
        clampNumber(r.silenceMinSec, SILENCE_MIN_SEC, SILENCE_MAX_SEC, d.silenceMinSec) * 10,
      ) / 10,
  };
}

/** Tag fields as stored: strings only, each at most 500 characters. */
export function cleanTags(raw: unknown): OutputTags {
  const r = isObject(raw) ? raw : {};
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : '');
  const out = { ...defaultTags };
  for (const k of Object.keys(defaultTags) as (keyof OutputTags)[]) out[k] = text(r[k]);
  return out;
}

/** What a join needs beyond the output settings: the editor's tags and two preferences. */
export interface JoinOptions {
  /** The editor's tag fields; an empty field takes the first track's tag. */
  tags: OutputTags;
  /** EBU R128 integrated loudness target (LUFS) when output.normalize. */
  loudnessTarget: number;
  /** The transition after a track the editor never touched. */
  defaultTransition: Transition;
  /** Where an untitled track's chapter title comes from. */
  chapterTitles: ChapterTitleSource;
}

/** The join options from the stored preferences and tags: assembled here and nowhere else. */
export function joinOptions(prefs: Preferences, tags: OutputTags): JoinOptions {
  return {
    tags,
    loudnessTarget: prefs.loudnessTarget,
    defaultTransition: prefs.defaultTransition,
    chapterTitles: prefs.chapterTitles,
  };
}
