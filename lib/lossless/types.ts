import type { Mp3JunctionCoder } from './mp3/seams';

/** What the lossless joiners take: an input Blob with the track it belongs to, and options. */

export interface LosslessInput {
  id: string;
  name: string;
  blob: Blob;
}

export interface LosslessOptions {
  signal?: AbortSignal;
  /** Called with 0..1 as the inputs are scanned. */
  onProgress?: (fraction: number) => void;
  /**
   * Decodes and encodes the few frames around each MP3 join, so that the joins are exact
   * (./mp3/seams.ts). Without it, whole frames of padding are dropped at each join.
   */
  mp3Coder?: Mp3JunctionCoder;
  /**
   * Called when MP3 joins were closed exactly: each join's place in the tracks' own time (the
   * sum of the tracks' lengths before it) and the seconds the next track moved earlier there,
   * so that chapter times can follow (shiftChapters).
   */
  onOverlaps?: (joins: JoinOverlap[]) => void;
  /**
   * Called when a coder was given but the joins could not be closed exactly (a file without
   * the LAME tag the join needs, an encode that does not fit): they are closed by whole frames
   * instead. With why, in English, for the log.
   */
  onWholeFrames?: (why: string) => void;
}

export interface JoinOverlap {
  atSec: number;
  overlapSec: number;
}

/**
 * Chapter times (ms, in the tracks' own time) moved to where the audio is after exact joins:
 * a chapter at or after a join starts that join's overlap earlier.
 */
export function shiftChapters<T extends { start: number; end: number }>(
  chapters: readonly T[],
  joins: readonly JoinOverlap[],
): T[] {
  const at = (ms: number) =>
    Math.max(
      0,
      Math.round(
        ms -
          joins
            .filter((j) => j.atSec * 1000 <= ms + 1)
            .reduce((sum, j) => sum + j.overlapSec * 1000, 0),
      ),
    );
  return chapters.map((c) => ({ ...c, start: at(c.start), end: at(c.end) }));
}

/** The zero-copy joins there are. */
export type LosslessKind = 'mp3' | 'wav';
