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
}

/** The zero-copy joins there are. */
export type LosslessKind = 'mp3' | 'wav';
