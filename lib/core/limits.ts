/**
 * Every number that bounds what a person may choose, in one place: the editor's fields, the
 * settings, the planner and the stored-settings cleaner all read these. Pure.
 */

/** Longest crossfade offered, seconds; the UI steps by 0.1 s. */
export const MAX_CROSSFADE_SEC = 10;
/** Shortest crossfade that is still one (a shorter one is "none"), seconds. */
export const MIN_CROSSFADE_SEC = 0.1;
/** Longest gap of silence between two tracks, seconds. */
export const MAX_GAP_SEC = 60;
/** Longest fade in or out of the whole result, seconds. */
export const MAX_FADE_SEC = 60;
/**
 * EBU R128 integrated loudness targets offered, LUFS: -23 (broadcast) to -9 (loud music) fit,
 * with room each side; louder than -5 only clips, quieter than -30 is barely audible.
 */
export const LOUDNESS_MIN_LUFS = -30;
export const LOUDNESS_MAX_LUFS = -5;
/** Page audio larger than this many MB is never downloaded, whatever the setting says. */
export const FETCH_LIMIT_MIN_MB = 1;
export const FETCH_LIMIT_MAX_MB = 4096;
/** LAME's VBR scale (`-q:a`): 0 is best (about 245 kb/s), 9 smallest (about 65 kb/s). */
export const VBR_QUALITY_BEST = 0;
export const VBR_QUALITY_SMALLEST = 9;
/** Largest cover image taken, MB: players show covers of a few hundred KB. */
export const MAX_COVER_IMAGE_MB = 10;
/** Longest file-name template, characters. */
export const MAX_TEMPLATE_CHARS = 200;

/**
 * "Trim silence at start and end": the level below which audio counts as silence, dBFS (-80
 * is below any recording's noise floor; -20 would take quiet speech for silence), and the
 * shortest silence trimmed, seconds.
 */
export const SILENCE_MIN_DB = -80;
export const SILENCE_MAX_DB = -20;
export const SILENCE_MIN_SEC = 0.1;
export const SILENCE_MAX_SEC = 10;

/** `value` within [min, max]; `fallback` when it is not a finite number. */
export function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** A whole number within [min, max] (rounded); `fallback` when not a finite number. */
export function clampWhole(value: unknown, min: number, max: number, fallback: number): number {
  return Math.round(clampNumber(value, min, max, fallback));
}

/** Seconds within [0, max], to 0.1 s; 0 when not a number. */
export function clampTenths(value: unknown, max: number): number {
  return Math.round(clampNumber(value, 0, max, 0) * 10) / 10;
}

/** "Find chapters": seconds heard either side of a marker by its Preview. */
export const CHAPTER_PREVIEW_SEC = 2;
