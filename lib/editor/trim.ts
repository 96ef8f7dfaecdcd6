/**
 * Trim math for the editor: where the Start and End handles may go, how keys move them, and
 * pixel <-> second conversion for the waveform. Pure; the components only draw.
 */

/** Shortest piece of a track a trim may leave, in seconds. */
const MIN_TRIMMED_SEC = 0.1;
/** Trims are stored to the hundredth of a second (the Start/End fields' step). */
const TRIM_STEP_SEC = 0.01;
/** Arrow keys move a handle this far; with Shift, `BIG_STEP_SEC`. */
const SMALL_STEP_SEC = 0.1;
const BIG_STEP_SEC = 1;

export interface Trim {
  startSec: number;
  /** undefined = the end of the track. */
  endSec?: number;
}

export type TrimHandle = 'start' | 'end';

function roundToStep(sec: number): number {
  return Math.round(sec / TRIM_STEP_SEC) * TRIM_STEP_SEC;
}

/** Rounds to 0.01 s and drops float noise (1.2300000000000002 → 1.23). */
function cleanSeconds(sec: number): number {
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

/**
 * A pointer drag on a waveform, from press to release: which handle it moves, the trim that was
 * committed when it began, and the trim it would commit now. The waveform shows `last` as a
 * draft while the pointer moves and commits it on release when it differs from `origin`.
 */
export interface TrimDrag {
  handle: TrimHandle;
  /** The committed trim at the press: what the release is compared against. */
  origin: Trim;
  /** The trim as the pointer has it now. */
  last: Trim;
}

/**
 * A press at `sec`: on a handle (`handle` given) it takes that handle where it is; elsewhere on
 * the waveform the nearer handle jumps to the press.
 */
export function startTrimDrag(
  committed: Trim,
  sec: number,
  durationSec: number,
  handle?: TrimHandle,
): TrimDrag {
  if (handle) return { handle, origin: committed, last: committed };
  const which = nearestHandle(committed, sec, durationSec);
  return {
    handle: which,
    origin: committed,
    last: moveHandle(committed, which, sec, durationSec),
  };
}

/** The drag with its handle moved to `sec`. */
export function moveTrimDrag(drag: TrimDrag, sec: number, durationSec: number): TrimDrag {
  return { ...drag, last: moveHandle(drag.last, drag.handle, sec, durationSec) };
}

/** What a release commits: the dragged trim, or null when it ends where it began. */
export function endTrimDrag(drag: TrimDrag): Trim | null {
  const { origin, last } = drag;
  return origin.startSec === last.startSec && origin.endSec === last.endSec ? null : last;
}

export interface RulerTick {
  sec: number;
  /** Fraction 0..1 of the width. */
  at: number;
  /** The time under a labelled tick ("0:30"); empty for the small ticks between. */
  label: string;
}

/** Room a ruler label takes right of its tick ("0:00.5" at 11 px), in pixels. */
const MIN_LABEL_ROOM_PX = 44;

/** Steps a ruler may use, in seconds: at least one label every ~90 px, none closer than ~60. */
const RULER_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * Ticks for a time ruler `widthPx` wide over `durationSec`: labelled ticks at a round step that
 * leaves room for the labels, and four small ticks between each pair (or one, for 2-based steps).
 */
export function rulerTicks(
  durationSec: number,
  widthPx: number,
  format: (sec: number) => string,
): RulerTick[] {
  if (durationSec <= 0 || widthPx <= 0) return [];
  const minLabelPx = 64;
  const step =
    RULER_STEPS.find((s) => (s / durationSec) * widthPx >= minLabelPx) ??
    RULER_STEPS[RULER_STEPS.length - 1]!;
  const minorPer = String(step).startsWith('2') ? 2 : 5;
  const minor = step / minorPer;
  const ticks: RulerTick[] = [];
  const count = Math.floor(durationSec / minor + 1e-6);
  for (let i = 0; i <= count; i++) {
    const sec = Number((i * minor).toFixed(3));
    const at = sec / durationSec;
    // A label needs room to its right, inside the ruler.
    const fits = (1 - at) * widthPx >= MIN_LABEL_ROOM_PX;
    ticks.push({ sec, at, label: i % minorPer === 0 && fits ? format(sec) : '' });
  }
  return ticks;
}
