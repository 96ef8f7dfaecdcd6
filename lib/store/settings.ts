import { storage } from '#imports';
import { NO_TRANSITION, type Transition } from '@/lib/core/track';
import type { Bitrate, FormatId } from '@/lib/core/formats';

/**
 * Every setting, defined once: typed storage items with defaults and versions. The types derive
 * from the defaults, so there is one source of truth.
 */

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
  fadeInSec: 0,
  fadeOutSec: 0,
  /** Write one chapter per track where the format holds chapters (M4B, M4A, MP3). */
  chapters: true,
  /** Cover art: the first track's, another track's (by id), or none. */
  cover: 'first' as 'first' | 'none' | { trackId: string },
};
export type OutputSettings = typeof defaultOutput;

export const outputSettings = storage.defineItem<OutputSettings>('local:output', {
  fallback: defaultOutput,
  version: 2,
  migrations: {
    // v1 held only format and bitrate.
    2: (v1: Partial<OutputSettings>): OutputSettings => ({ ...defaultOutput, ...v1 }),
  },
});

/** Preferences from the options page's settings section. */
export const defaultPreferences = {
  defaultTransition: NO_TRANSITION as Transition,
  /** Placeholders: {first} {count} {total} {date}. */
  fileNameTemplate: '{first} + {count} more',
  askWhereToSave: false,
  /** Largest page audio Seam downloads, in MB. */
  fetchLimitMB: 1024,
  /** Keep the queue after a join (so a second format is one click away), or clear it. */
  keepQueueAfterJoin: true,
  /** EBU R128 integrated loudness target when normalizing, LUFS. -16 suits spoken word online. */
  loudnessTarget: -16,
};
export type Preferences = typeof defaultPreferences;

export const preferences = storage.defineItem<Preferences>('local:preferences', {
  fallback: defaultPreferences,
  version: 1,
});

/** Tags for the joined file, prefilled from the first track's. Empty = take the first track's. */
export const defaultTags = { title: '', artist: '', album: '', year: '' };
export type OutputTags = typeof defaultTags;

export const outputTags = storage.defineItem<OutputTags>('local:tags', {
  fallback: defaultTags,
  version: 1,
});
