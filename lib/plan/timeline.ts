/**
 * The joined result's timeline, as pure functions the planner and the editor share: what each
 * trim keeps, which transitions apply (crossfades clamped to fit), where each chapter starts, and
 * how long the output is.
 *
 * Rules (tested in tests/unit/planner-timeline.test.ts):
 * - A trim keeps [startSec, endSec) of the source, to 0.01 s; endSec undefined = to the end.
 * - A gap adds `seconds` of silence after the track. A crossfade overlaps the tail of one track
 *   with the head of the next, so the result is `seconds` shorter.
 * - Clamp: a crossfade can be no longer than either neighbouring (trimmed) track, less
 *   CROSSFADE_MARGIN_SEC (so decoding and resampling, which can round a track's length by a
 *   sample, never leave ffmpeg's acrossfade short of audio); and a track with crossfades on both
 *   sides must hold both: the earlier junction keeps what it asked for, the later one gets what
 *   is left. A clamped crossfade is floored to 0.1 s (the editor's step); one that fits is kept
 *   as asked. At most MAX_CROSSFADE_SEC. Each clamp is reported.
 * - A track starts in the output where its audio starts: with a crossfade, at the start of the
 *   fade; after a gap, when its audio begins (the silence belongs to the track before). Chapters
 *   (./chapters.ts) are timed from these starts.
 */
import { NO_TRANSITION, type TrackEdit, type Transition } from '@/lib/core/track';
import { MAX_CROSSFADE_SEC } from '@/lib/core/limits';
import { formatSeconds } from '@/lib/core/text';
import { t as say } from '@/lib/core/i18n';

/** Room left in a track beyond its crossfades, seconds. */
export const CROSSFADE_MARGIN_SEC = 0.05;
/** Shortest piece of a track a trim may leave, seconds. */
export const MIN_KEPT_SEC = 0.01;

/** A track as these functions need it: the Track of the store and the planner's both fit. */
export interface EditedTrack {
  name: string;
  /** Absent or without a duration: not probed yet (no clamping against it). */
  info?: { durationSec: number } | undefined;
  edit?: TrackEdit | undefined;
}

export interface TrimSpan {
  /** Seconds of the source where the kept part starts and ends. */
  startSec: number;
  endSec: number;
  /** endSec - startSec. */
  lengthSec: number;
  /** True when the start or the end is cut. */
  trimmed: boolean;
  startCut: boolean;
  endCut: boolean;
}

/** Seconds rounded to 0.01 (trims and transitions are edited to the hundredth). */
function round2(sec: number): number {
  return Math.round(sec * 100) / 100;
}

/** What a track's trim keeps; an untrimmed track keeps [0, duration). */
export function trimSpan(track: EditedTrack): TrimSpan {
  const dur = track.info?.durationSec ?? NaN;
  const known = Number.isFinite(dur) && dur > 0;
  const edit = track.edit;
  let start = round2(Math.max(0, edit?.startSec ?? 0));
  let end = edit?.endSec === undefined ? (known ? dur : Infinity) : round2(edit.endSec);
  if (known) {
    start = Math.min(start, dur);
    end = Math.min(end, dur);
  }
  const startCut = start > 0;
  // An end within half a hundredth of the duration is "to the end" (durations are not rounded).
  const endCut = known ? end < dur - 0.005 : edit?.endSec !== undefined;
  return {
    startSec: start,
    endSec: end,
    lengthSec: Math.max(0, end - start),
    trimmed: startCut || endCut,
    startCut,
    endCut,
  };
}

/** A transition as it will be applied. */
function normalizeTransition(t: Transition | undefined): Transition {
  if (!t || t.kind === 'none') return NO_TRANSITION;
  const seconds = Number.isFinite(t.seconds) ? round2(Math.max(0, t.seconds)) : 0;
  if (seconds <= 0) return NO_TRANSITION;
  return t.kind === 'gap'
    ? { kind: 'gap', seconds }
    : { kind: 'crossfade', seconds, curve: t.curve };
}

/** A crossfade that was shortened to fit. */
export interface Clamp {
  /** The junction after tracks[junction] (0-based). */
  junction: number;
  requested: number;
  applied: number;
  /** In words, e.g. "track 2 is only 1.5 s long". */
  reason: string;
}

/** The transition after each track but the last (the edit's, or `defaultTransition`). */
function requestedTransitions(
  tracks: readonly EditedTrack[],
  defaultTransition: Transition = NO_TRANSITION,
): Transition[] {
  return tracks
    .slice(0, -1)
    .map((t) => normalizeTransition(t.edit ? t.edit.transitionAfter : defaultTransition));
}

/**
 * The transitions to apply, one per junction (tracks.length - 1), with crossfades clamped by
 * the rules above, and a report of each clamp so the UI can say so.
 */
export function clampTransitions(
  tracks: readonly EditedTrack[],
  defaultTransition: Transition = NO_TRANSITION,
): { transitions: Transition[]; clamped: Clamp[] } {
  const lengths = tracks.map((t) => (t.info?.durationSec ? trimSpan(t).lengthSec : Infinity));
  const requested = requestedTransitions(tracks, defaultTransition);
  const transitions: Transition[] = [];
  const clamped: Clamp[] = [];
  /** Seconds of the current track's head already taken by the crossfade before it. */
  let headTaken = 0;
  requested.forEach((t, j) => {
    if (t.kind !== 'crossfade') {
      transitions.push(t);
      headTaken = 0;
      return;
    }
    const before = lengths[j]! - headTaken - CROSSFADE_MARGIN_SEC;
    const after = lengths[j + 1]! - CROSSFADE_MARGIN_SEC;
    const limit = Math.min(before, after, MAX_CROSSFADE_SEC);
    let applied = t.seconds;
    if (applied > limit + 1e-9) {
      applied =
        limit === MAX_CROSSFADE_SEC ? limit : Math.max(0, Math.floor(limit * 10 + 1e-9) / 10);
      const reason =
        limit === MAX_CROSSFADE_SEC
          ? say('plan.clampMax', formatSeconds(MAX_CROSSFADE_SEC))
          : before <= after
            ? headTaken > 0
              ? say('plan.clampBothEnds', j + 1, formatSeconds(lengths[j]!), j)
              : say('plan.clampShort', j + 1, formatSeconds(lengths[j]!))
            : say('plan.clampShort', j + 2, formatSeconds(lengths[j + 1]!));
      clamped.push({ junction: j, requested: t.seconds, applied, reason });
    }
    if (applied > 0) {
      transitions.push({ ...t, seconds: applied });
      headTaken = applied;
    } else {
      transitions.push(NO_TRANSITION);
      headTaken = 0;
    }
  });
  return { transitions, clamped };
}

/** Where each track starts in the output, and the output's length. */
export function trackOffsets(
  tracks: readonly EditedTrack[],
  transitions: readonly Transition[],
): { startsSec: number[]; totalSec: number } {
  const startsSec: number[] = [];
  let pos = 0;
  tracks.forEach((t, i) => {
    startsSec.push(pos);
    pos += trimSpan(t).lengthSec;
    const tr = transitions[i];
    if (i < tracks.length - 1 && tr) {
      if (tr.kind === 'gap') pos += tr.seconds;
      else if (tr.kind === 'crossfade') pos -= tr.seconds;
    }
  });
  return { startsSec, totalSec: Math.max(0, pos) };
}

/** The output's length: trimmed tracks, plus gaps, less crossfades. */
export function outputLength(
  tracks: readonly EditedTrack[],
  transitions: readonly Transition[],
): number {
  return trackOffsets(tracks, transitions).totalSec;
}
