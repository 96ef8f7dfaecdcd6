/**
 * A waveform's outline: the lowest and highest sample in each of `buckets` equal slices of a
 * track, over all its channels. Computed once per track (see waveform-source.ts), drawn at any
 * width by `resamplePeaks`.
 */
export interface Peaks {
  /** Seconds of audio the peaks cover. */
  durationSec: number;
  /** Per bucket, the lowest sample (-1..0) and the highest (0..1). Same length. */
  min: Float32Array;
  max: Float32Array;
}

/**
 * Buckets stored per track: enough for a 2000-pixel-wide waveform at full detail, and only
 * 16 KB of Float32 per track.
 */
export const PEAK_BUCKETS = 2000;

/**
 * Min and max per bucket over every channel. Bucket `b` covers samples
 * [floor(b * n / buckets), floor((b + 1) * n / buckets)), so every sample lands in exactly one
 * bucket; with fewer samples than buckets, a sample spreads over the buckets it spans.
 */
export function computePeaks(
  channels: readonly Float32Array[],
  sampleRate: number,
  buckets = PEAK_BUCKETS,
): Peaks {
  const length = channels.reduce((n, c) => Math.max(n, c.length), 0);
  const count = Math.max(1, Math.floor(buckets));
  const min = new Float32Array(count);
  const max = new Float32Array(count);
  if (length > 0) {
    for (let b = 0; b < count; b++) {
      const from = Math.floor((b * length) / count);
      // An empty slice (more buckets than samples) takes the sample it sits on.
      const to = Math.max(from + 1, Math.floor(((b + 1) * length) / count));
      let lo = 0;
      let hi = 0;
      for (const data of channels) {
        const end = Math.min(to, data.length);
        for (let i = from; i < end; i++) {
          const v = data[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      min[b] = Math.max(-1, lo);
      max[b] = Math.min(1, hi);
    }
  }
  return { durationSec: sampleRate > 0 ? length / sampleRate : 0, min, max };
}

/**
 * The peaks of the window [fromSec, toSec) at `width` columns: each column the extremes of
 * the buckets it covers (at least the one it falls in), so narrow drawings keep every spike.
 */
export function resamplePeaks(
  peaks: Peaks,
  width: number,
  fromSec = 0,
  toSec = peaks.durationSec,
): { min: Float32Array; max: Float32Array } {
  const cols = Math.max(0, Math.floor(width));
  const min = new Float32Array(cols);
  const max = new Float32Array(cols);
  const n = peaks.min.length;
  const span = toSec - fromSec;
  if (n === 0 || cols === 0 || peaks.durationSec <= 0 || span <= 0) return { min, max };
  const perSec = n / peaks.durationSec;
  for (let c = 0; c < cols; c++) {
    const t0 = fromSec + (c / cols) * span;
    const t1 = fromSec + ((c + 1) / cols) * span;
    const from = clampIndex(Math.floor(t0 * perSec), n);
    const to = Math.max(from + 1, clampIndex(Math.ceil(t1 * perSec), n + 1));
    let lo = 0;
    let hi = 0;
    for (let i = from; i < Math.min(to, n); i++) {
      if (peaks.min[i]! < lo) lo = peaks.min[i]!;
      if (peaks.max[i]! > hi) hi = peaks.max[i]!;
    }
    min[c] = lo;
    max[c] = hi;
  }
  return { min, max };
}

/** The loudest absolute sample in the peaks, for scaling quiet recordings up; 0 when silent. */
export function peakLevel(peaks: Pick<Peaks, 'min' | 'max'>): number {
  let level = 0;
  for (let i = 0; i < peaks.min.length; i++) {
    level = Math.max(level, -peaks.min[i]!, peaks.max[i]!);
  }
  return level;
}

function clampIndex(i: number, n: number): number {
  return Math.max(0, Math.min(n - 1, i));
}

/** Seconds covered at each end of a track by `edgeLevels`, and their resolution. */
const EDGE_SEC = 30;
const EDGE_STEP_SEC = 0.01;

/**
 * The peak level (absolute, over every channel) per EDGE_STEP_SEC at the first and last
 * EDGE_SEC of decoded audio: fine enough to find silence at a track's ends to the hundredth,
 * which the waveform's buckets (seconds apart on a long track) are not.
 */
export function edgeLevels(
  channels: readonly Float32Array[],
  sampleRate: number,
): { stepSec: number; head: Float32Array; tail: Float32Array; durationSec: number } {
  const length = channels.reduce((n, c) => Math.max(n, c.length), 0);
  const per = Math.max(1, Math.round(EDGE_STEP_SEC * sampleRate));
  const steps = Math.min(Math.ceil(length / per), Math.round(EDGE_SEC / EDGE_STEP_SEC));
  const level = (from: number, to: number) => {
    let v = 0;
    for (const data of channels) {
      for (let i = Math.max(0, from); i < Math.min(to, data.length); i++) {
        const a = Math.abs(data[i]!);
        if (a > v) v = a;
      }
    }
    return v;
  };
  const head = new Float32Array(steps);
  const tail = new Float32Array(steps);
  for (let s = 0; s < steps; s++) {
    head[s] = level(s * per, (s + 1) * per);
    // The tail's last value ends at the last sample.
    tail[steps - 1 - s] = level(length - (s + 1) * per, length - s * per);
  }
  return {
    stepSec: per / sampleRate,
    head,
    tail,
    durationSec: sampleRate > 0 ? length / sampleRate : 0,
  };
}
