/**
 * What "Preview" plays at a junction: a few seconds of the end of one track and the start of the
 * next, laid out as the join will lay them out (back to back, apart by a gap, or overlapping
 * with gain curves that match the crossfade's). Pure; lib/editor-player.ts plays it.
 */
import type { CrossfadeCurve, Transition } from '@/lib/core/track';

/** Seconds heard before and after the junction itself. */
export const PREVIEW_LEAD_SEC = 3;

interface PreviewPart {
  /** Where in the source file to start and stop, in seconds. */
  fromSec: number;
  toSec: number;
  /** When, in seconds from the start of the preview, this part starts. */
  atSec: number;
}

export interface PreviewPlan {
  a: PreviewPart;
  b: PreviewPart;
  /** Crossfade length (0 when there is none), from `b.atSec`. */
  fadeSec: number;
  curve: CrossfadeCurve;
  totalSec: number;
}

/**
 * Lays out a junction preview. `a` and `b` are the kept parts of the two tracks (after trims);
 * `transition` is the one that will be applied (already shortened if it had to be).
 */
export function previewPlan(
  a: { startSec: number; endSec: number },
  b: { startSec: number; endSec: number },
  transition: Transition,
  lead = PREVIEW_LEAD_SEC,
): PreviewPlan {
  const fade =
    transition.kind === 'crossfade'
      ? Math.max(0, Math.min(transition.seconds, a.endSec - a.startSec, b.endSec - b.startSec))
      : 0;
  const gap = transition.kind === 'gap' ? Math.max(0, transition.seconds) : 0;
  const aFrom = Math.max(a.startSec, a.endSec - fade - lead);
  const bAt = a.endSec - fade - aFrom + gap;
  const bTo = Math.min(b.endSec, b.startSec + fade + lead);
  return {
    a: { fromSec: aFrom, toSec: a.endSec, atSec: 0 },
    b: { fromSec: b.startSec, toSec: bTo, atSec: bAt },
    fadeSec: fade,
    curve: transition.kind === 'crossfade' ? transition.curve : 'linear',
    totalSec: bAt + (bTo - b.startSec),
  };
}

/**
 * Gain at position `t` (0..1) of a fade-in with this curve. The same shapes as ffmpeg's
 * acrossfade curves the planner uses: tri (linear), qsin (equal power), log.
 */
export function fadeInGain(curve: CrossfadeCurve, t: number): number {
  const x = Math.min(1, Math.max(0, t));
  switch (curve) {
    case 'linear':
      return x;
    case 'equal-power':
      return Math.sin((x * Math.PI) / 2);
    case 'logarithmic':
      // ffmpeg's LOG: 0.0868589 * ln(100000 x), i.e. 1 + 0.2 log10(x): -100 dB at 0, 0 dB at 1.
      return x <= 0 ? 0 : Math.min(1, Math.max(0, 1 + 0.2 * Math.log10(x)));
  }
}

/**
 * `steps` gains for `AudioParam.setValueCurveAtTime`: rising for the track that comes in,
 * falling (the same curve, time reversed) for the one that goes out.
 */
export function fadeCurve(
  curve: CrossfadeCurve,
  direction: 'in' | 'out',
  steps = 256,
): Float32Array {
  const n = Math.max(2, Math.floor(steps));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    out[i] = fadeInGain(curve, direction === 'in' ? t : 1 - t);
  }
  return out;
}

/**
 * Where a preview `sec` seconds in stands in each track's own time: in `a` while its tail plays,
 * in `b` once its head has started (both during a crossfade); absent where that track is silent.
 */
export function previewPositions(plan: PreviewPlan, sec: number): { a?: number; b?: number } {
  const out: { a?: number; b?: number } = {};
  const inA = sec - plan.a.atSec;
  if (inA >= 0 && plan.a.fromSec + inA <= plan.a.toSec) out.a = plan.a.fromSec + inA;
  const inB = sec - plan.b.atSec;
  if (inB >= 0 && plan.b.fromSec + inB <= plan.b.toSec) out.b = plan.b.fromSec + inB;
  return out;
}

/** Where a crossfade lies on one track's waveform, in its own seconds. */
export interface FadeMark {
  /** 'out': the track fades out into the next; 'in': it fades in over the one before. */
  kind: 'in' | 'out';
  fromSec: number;
  toSec: number;
}

/**
 * The crossfades on a track's waveform: the one into it over the start of its kept part, the
 * one out of it over the end (`inSec`, `outSec`: as applied, 0 for none).
 */
export function fadeMarks(
  kept: { startSec: number; endSec: number },
  inSec: number,
  outSec: number,
): FadeMark[] {
  const length = Math.max(0, kept.endSec - kept.startSec);
  const marks: FadeMark[] = [];
  if (inSec > 0) {
    marks.push({
      kind: 'in',
      fromSec: kept.startSec,
      toSec: kept.startSec + Math.min(inSec, length),
    });
  }
  if (outSec > 0) {
    marks.push({
      kind: 'out',
      fromSec: kept.endSec - Math.min(outSec, length),
      toSec: kept.endSec,
    });
  }
  return marks;
}
