/**
 * Trim math for the editor: where the Start and End handles may go, how keys move them, and
 * pixel <-> second conversion for the waveform. Pure; the components only draw.
 */

/** Shortest piece of a track a trim may leave, in seconds. */
export const MIN_TRIMMED_SEC = 0.1;
/** Trims are stored to the hundredth of a second (the Start/End fields' step). */
export const TRIM_STEP_SEC = 0.01;
/** Arrow keys move a handle this far; with Shift, `BIG_STEP_SEC`. */
export const SMALL_STEP_SEC = 0.1;
export const BIG_STEP_SEC = 1;

export interface Trim {
  startSec: number;
  /** undefined = the end of the track. */
  endSec?: number;
}

export type TrimHandle = 'start' | 'end';

export function roundToStep(sec: number): number {
  return Math.round(sec / TRIM_STEP_SEC) * TRIM_STEP_SEC;
}

/** Rounds to 0.01 s and drops float noise (1.2300000000000002 → 1.23). */
export function cleanSeconds(sec: number): number {
  return Number(roundToStep(sec).toFixed(2));
}

/** Where the kept part ends, in seconds of the source. */
export function trimEnd(trim: Trim, durationSec: number): number {
  return trim.endSec === undefined ? durationSec : Math.min(trim.endSec, durationSec);
}

/** Seconds of the track that a trim keeps. */
export function trimmedLength(trim: Trim, durationSec: number): number {
  return Math.max(0, trimEnd(trim, durationSec) - Math.max(0, trim.startSec));
}

/**
 * Moves one handle to `sec`, keeping the other where it is: clamped to the track and to at
 * least MIN_TRIMMED_SEC of audio between them, rounded to 0.01 s. An end at (or past) the
 * track's end is stored as undefined, "to the end", so a re-probe that finds a slightly
 * different duration does not cut the tail.
 */
export function moveHandle(trim: Trim, handle: TrimHandle, sec: number, durationSec: number): Trim {
  const dur = Math.max(0, durationSec);
  const minLen = Math.min(MIN_TRIMMED_SEC, dur);
  const end = trimEnd(trim, dur);
  if (handle === 'start') {
    const latest = Math.max(0, floorStep(end - minLen));
    const start = Math.min(cleanSeconds(clamp(sec, 0, latest)), latest);
    return withEnd(start, trim.endSec === undefined ? undefined : end, dur);
  }
  const start = Math.max(0, Math.min(trim.startSec, dur));
  const earliest = Math.min(dur, ceilStep(start + minLen));
  const next = Math.max(cleanSeconds(clamp(sec, earliest, dur)), earliest);
  return withEnd(start, next, dur);
}

/**
 * The change a key makes to a handle: arrows ±0.1 s (±1 s with Shift), Page Up/Down ±1 s,
 * Home/End to the limits. `null` for keys the handle does not use.
 */
export function keyDelta(
  key: string,
  shiftKey: boolean,
): { by: number } | { to: 'min' | 'max' } | null {
  const step = shiftKey ? BIG_STEP_SEC : SMALL_STEP_SEC;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return { by: -step };
    case 'ArrowRight':
    case 'ArrowUp':
      return { by: step };
    case 'PageDown':
      return { by: -BIG_STEP_SEC };
    case 'PageUp':
      return { by: BIG_STEP_SEC };
    case 'Home':
      return { to: 'min' };
    case 'End':
      return { to: 'max' };
    default:
      return null;
  }
}

/** The trim after pressing `key` on a handle, or null when the key does nothing there. */
export function applyTrimKey(
  trim: Trim,
  handle: TrimHandle,
  key: string,
  shiftKey: boolean,
  durationSec: number,
): Trim | null {
  const delta = keyDelta(key, shiftKey);
  if (!delta) return null;
  const current = handle === 'start' ? trim.startSec : trimEnd(trim, durationSec);
  const target =
    'by' in delta ? current + delta.by : delta.to === 'min' ? -Infinity : Number.POSITIVE_INFINITY;
  return moveHandle(trim, handle, target, durationSec);
}

/** Which handle a press at `sec` should grab: the nearer one (Start on a tie before it). */
export function nearestHandle(trim: Trim, sec: number, durationSec: number): TrimHandle {
  const start = trim.startSec;
  const end = trimEnd(trim, durationSec);
  if (sec <= start) return 'start';
  if (sec >= end) return 'end';
  return sec - start <= end - sec ? 'start' : 'end';
}

/** Seconds at horizontal offset `x` of a waveform `width` pixels wide showing `durationSec`. */
export function xToSeconds(x: number, width: number, durationSec: number): number {
  if (width <= 0) return 0;
  return clamp(x / width, 0, 1) * durationSec;
}

/** Horizontal offset, as a fraction 0..1 of the width, of second `sec`. */
export function secondsToFraction(sec: number, durationSec: number): number {
  if (durationSec <= 0) return 0;
  return clamp(sec / durationSec, 0, 1);
}

function withEnd(startSec: number, endSec: number | undefined, durationSec: number): Trim {
  if (endSec === undefined || endSec >= durationSec - TRIM_STEP_SEC / 2) return { startSec };
  return { startSec, endSec };
}

/** Rounding down/up to the 0.01 s grid, tolerant of float noise (0.3 / 0.01 = 29.999…). */
function floorStep(sec: number): number {
  return Number((Math.floor(sec / TRIM_STEP_SEC + 1e-6) * TRIM_STEP_SEC).toFixed(2));
}

function ceilStep(sec: number): number {
  return Number((Math.ceil(sec / TRIM_STEP_SEC - 1e-6) * TRIM_STEP_SEC).toFixed(2));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
