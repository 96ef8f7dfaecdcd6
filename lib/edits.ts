/** Per-track edits made in the editor. Defaults mean "as recorded, no transition". */

export type CrossfadeCurve = 'linear' | 'equal-power' | 'logarithmic';

/** What happens at the junction after a track (the last track's is ignored). */
export type Transition =
  | { kind: 'none' }
  | { kind: 'gap'; seconds: number }
  | { kind: 'crossfade'; seconds: number; curve: CrossfadeCurve };

export interface TrackEdit {
  /** Seconds cut from the start (0 = none), to 0.01 s. */
  startSec: number;
  /** Where the track ends, in seconds of the source; undefined = at its end. */
  endSec?: number;
  transitionAfter: Transition;
  /** Chapter title; undefined = the file name without its extension. */
  chapterTitle?: string;
}

export const NO_TRANSITION: Transition = { kind: 'none' };
export const DEFAULT_EDIT: TrackEdit = { startSec: 0, transitionAfter: NO_TRANSITION };

/** Longest crossfade offered, in seconds; the UI steps by 0.1 s. */
export const MAX_CROSSFADE_SEC = 10;
