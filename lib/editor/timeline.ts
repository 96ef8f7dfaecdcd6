/**
 * The queue as the editor shows it: each track's effective edit (its own, or the default
 * transition from the settings), the transitions as they will be applied (a crossfade longer
 * than a neighbour allows is shortened by the planner's own rule, and the editor says so), and
 * the result's length.
 */
import type { Transition } from '@/lib/core/track';
import { MAX_CROSSFADE_SEC, MAX_GAP_SEC, MIN_CROSSFADE_SEC } from '@/lib/core/limits';
import { effectiveEdit } from './edit';
import { formatSeconds } from '@/lib/core/text';
import { t } from '@/lib/core/i18n';
import { clampTransitions, outputLength, trimSpan } from '@/lib/plan/timeline';
import type { Track } from '@/lib/core/track';

/** How long a new gap and a new crossfade are, unless the default transition says otherwise. */
const KIND_SECONDS = { gap: 1, crossfade: 2 } as const;

/**
 * A transition of kind `kind`, keeping the seconds and curve it had where they make sense. Only
 * seconds the person chose carry over: a kind's own default length does not, so the keyboard,
 * which passes None, Gap, Crossfade one change at a time, gets the crossfade the mouse gets.
 */
export function changeKind(
  current: Transition,
  kind: Transition['kind'],
  fallback: Transition,
): Transition {
  if (kind === current.kind) return current;
  const chosen = (t: Transition) =>
    t.kind === 'none' ||
    t.seconds === (fallback.kind === t.kind ? fallback.seconds : KIND_SECONDS[t.kind])
      ? undefined
      : t.seconds;
  switch (kind) {
    case 'none':
      return { kind: 'none' };
    case 'gap':
      return {
        kind: 'gap',
        seconds: fallback.kind === 'gap' ? fallback.seconds : (chosen(current) ?? KIND_SECONDS.gap),
      };
    case 'crossfade':
      return {
        kind: 'crossfade',
        seconds: Math.min(
          MAX_CROSSFADE_SEC,
          fallback.kind === 'crossfade'
            ? fallback.seconds
            : (chosen(current) ?? KIND_SECONDS.crossfade),
        ),
        curve: fallback.kind === 'crossfade' ? fallback.curve : 'equal-power',
      };
  }
}

export function clampTransitionSeconds(kind: 'gap' | 'crossfade', seconds: number): number {
  const max = kind === 'crossfade' ? MAX_CROSSFADE_SEC : MAX_GAP_SEC;
  const min = kind === 'crossfade' ? MIN_CROSSFADE_SEC : 0;
  if (!Number.isFinite(seconds)) return min;
  return Number(Math.min(max, Math.max(min, seconds)).toFixed(kind === 'crossfade' ? 1 : 2));
}

export interface Junction {
  /** Index of the track before the junction. */
  index: number;
  /** What the editor shows: the track's own transition, or the default. */
  requested: Transition;
  /** What will be applied: the requested transition, a crossfade possibly shortened. */
  applied: Transition;
  /** Why the crossfade was shortened, in words; undefined when it was not. */
  note?: string;
}

export interface Timeline {
  /** Seconds each track keeps after its trim, in queue order (0 while not probed). */
  lengths: number[];
  /** One per pair of neighbours (tracks.length - 1). */
  junctions: Junction[];
  /** Length of the joined result, in seconds; undefined while a track is not probed. */
  totalSec: number | undefined;
}

/** Trims, transitions and the result's length for the queue, as the planner will see them. */
export function timeline(
  tracks: readonly Pick<Track, 'name' | 'edit' | 'info'>[],
  defaultTransition: Transition,
): Timeline {
  const { transitions, clamped } = clampTransitions(tracks, defaultTransition);
  const junctions = transitions.map((applied, index): Junction => {
    const clamp = clamped.find((c) => c.junction === index);
    return {
      index,
      requested: effectiveEdit(tracks[index]!, defaultTransition).transitionAfter,
      applied,
      ...(clamp
        ? {
            note:
              clamp.applied > 0
                ? t('editor.crossfadeShortenedTo', formatSeconds(clamp.applied), clamp.reason)
                : t('editor.noCrossfadeHere', clamp.reason),
          }
        : {}),
    };
  });
  const known = tracks.filter((t) => t.info?.durationSec);
  return {
    lengths: tracks.map((t) => (t.info?.durationSec ? trimSpan(t).lengthSec : 0)),
    junctions,
    totalSec: known.length === tracks.length ? outputLength(tracks, transitions) : undefined,
  };
}

/** A transition in words: "Crossfade 2 s", "Gap 1.5 s", "No transition". */
export function transitionLabel(x: Transition): string {
  switch (x.kind) {
    case 'none':
      return t('transition.noneLabel');
    case 'gap':
      return t('transition.gapOf', formatSeconds(x.seconds));
    case 'crossfade':
      return t('transition.crossfadeOf', formatSeconds(x.seconds));
  }
}
