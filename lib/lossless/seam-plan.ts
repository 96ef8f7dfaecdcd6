/**
 * The rule every exact lossless join follows (MP3 ./mp3/seams.ts, AAC in MP4 ./mp4-seams.ts,
 * Opus in Ogg ./opus-seams.ts), in one place. Pure.
 *
 * The joined stream is laid on one grid of `frame` samples. Input A's audio ends at output
 * sample `end`; input B's frames can be copied only on the grid, so B is placed `r` samples
 * early (0 <= r < frame: the least move that leaves no gap), with its audio starting at
 * `end - r`, and A's last r samples and B's first r are overlapped in an equal-power crossfade.
 * The output frames from `margins.before` samples before that overlap to `margins.after` after
 * it are encoded again from A's and B's decoded audio, the new encode starting `preroll` frames
 * earlier on the output's grid (those frames are dropped); every other frame is A's or B's,
 * byte for byte. The margins are where a copied frame's data still shapes the decoded audio past
 * its own span (MDCT overlap, synthesis filters): that audio must be the copied input's own.
 */

import { EngineFailedError, JoinCanceledError, JoinFailedError } from '@/lib/core/errors';
import { SpliceError } from '@/lib/containers/errors';

/** Samples either side of a join's crossfade that are encoded again too. */
export interface SeamMargins {
  before: number;
  after: number;
}

export interface JoinPlace {
  /** r: samples of A and B overlapped in the crossfade. */
  overlap: number;
  /** Output frame index of B's frame 0. */
  gB: number;
  /** Output sample where the crossfade starts (B's audio starts): end - overlap. */
  xStart: number;
  /** The first output frame encoded again. */
  aOut: number;
  /** The first output frame after those: B's frame `bOut - gB`, copied. */
  bOut: number;
}

/**
 * Where B lands after A, and which output frames are encoded again: `end` is the output sample
 * where A's audio ends, `bLead` the samples B's frames hold before its audio (delay, priming,
 * pre-skip).
 */
export function placeJoin(
  end: number,
  bLead: number,
  frame: number,
  margins: SeamMargins,
): JoinPlace {
  const overlap = mod(end - bLead, frame);
  const xStart = end - overlap;
  return {
    overlap,
    gB: (xStart - bLead) / frame,
    xStart,
    aOut: Math.floor((xStart - margins.before) / frame),
    bOut: Math.ceil((end + margins.after) / frame),
  };
}

/**
 * The fewest and most frames encoded again at a join (what the plan says): the span
 * before + r + after (r from 0 to frame - 1) starts anywhere on the grid.
 */
export function seamFrameRange(frame: number, margins: SeamMargins): [number, number] {
  const span = margins.before + margins.after;
  return [Math.ceil(span / frame), Math.ceil((span + 2 * frame - 2) / frame)];
}

/**
 * The audio the junction frames are encoded from: output samples [y0, y1), interleaved, `ch`
 * channels. A's decode holds output sample `aBase` at its index 0, B's `bBase`; before xStart
 * it is A's, from `end` on B's, between them the equal-power crossfade (cos² + sin² = 1, for
 * audio that does not correlate across the join).
 */
export function junctionAudio(
  a: Float32Array,
  aBase: number,
  b: Float32Array,
  bBase: number,
  place: { xStart: number; overlap: number },
  y0: number,
  y1: number,
  ch: number,
): Float32Array {
  const { xStart, overlap } = place;
  const end = xStart + overlap;
  const pcm = new Float32Array((y1 - y0) * ch);
  for (let t = y0; t < y1; t++) {
    for (let c = 0; c < ch; c++) {
      const av = a[(t - aBase) * ch + c] ?? 0;
      const bv = b[(t - bBase) * ch + c] ?? 0;
      let v: number;
      if (t < xStart) v = av;
      else if (t >= end) v = bv;
      else {
        const u = ((t - xStart + 0.5) / overlap) * (Math.PI / 2);
        v = av * Math.cos(u) + bv * Math.sin(u);
      }
      pcm[(t - y0) * ch + c] = v;
    }
  }
  return pcm;
}

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

/**
 * Decodes and encodes the few frames around a join, with the encoding `E` the inputs have.
 * Implemented by the engine (ffmpeg.wasm, lib/engine/junction-coder.ts) in the extension and
 * by native ffmpeg in tests.
 */
export interface JunctionCoder<E> {
  /**
   * Decodes a run of frames (in the codec's own raw container, maybe starting mid-stream) to
   * interleaved 32-bit float PCM: sample 0 is the first frame's first sample (nothing skipped).
   */
  decode(frames: Blob, enc: E): Promise<Float32Array>;
  /** Encodes interleaved float PCM to a file as the inputs were encoded. */
  encode(pcm: Float32Array, enc: E): Promise<Uint8Array>;
}

/**
 * Whether an exact join that threw leaves its joins to whole frames: the codec's refusal
 * (`refused`), a file not as assumed (SpliceError), or the coder's own failure in the engine
 * (an odd input ffmpeg cannot decode there, an engine that stopped). Never a cancel: that ends
 * the join.
 */
export function fallsBackToWholeFrames(
  e: unknown,
  refused: (e: unknown) => boolean,
  signal?: AbortSignal,
): boolean {
  if (signal?.aborted || e instanceof JoinCanceledError) return false;
  return (
    refused(e) ||
    e instanceof SpliceError ||
    e instanceof JoinFailedError ||
    e instanceof EngineFailedError
  );
}
