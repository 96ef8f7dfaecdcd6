/**
 * The segment planner: splits a joined timeline into contiguous segments of about equal length
 * (not at track boundaries) on the codec's frame grid, with the overlap each encoder needs, and
 * decides how many engines a job is worth. Pure.
 */
import type { SegmentCodec } from './codecs';

/**
 * Shortest segment worth its own engine. A warm engine costs about 0.1 s to start a command and
 * read its inputs; LAME in ffmpeg.wasm encodes about 75 s of stereo audio a second here, so a
 * 30 s segment (0.4 s of work) is where a second engine starts to pay.
 */
const MIN_SEGMENT_SEC = 30;

export interface Segment {
  index: number;
  /** Samples [keepStart, keepEnd) of the timeline this segment covers, before the splicer moves a splice point. */
  keepStart: number;
  keepEnd: number;
  /** Samples [encodeStart, encodeEnd) its engine encodes: the span plus the overlaps. */
  encodeStart: number;
  encodeEnd: number;
  /** The global frame index of this segment's first encoded frame (encodeStart / frame). */
  firstFrame: number;
}

/** Where the splicer may put the splice point before `segment`: global frames [earliest, latest]. */
export interface SplicePoint {
  segment: number;
  nominal: number;
  earliest: number;
  latest: number;
}

export interface SegmentPlan {
  codec: SegmentCodec;
  totalSamples: number;
  segments: Segment[];
  splicePoints: SplicePoint[];
}

export interface SegmentOptions {
  /** Samples of the joined timeline at the output rate. */
  totalSamples: number;
  rate: number;
  /** Engines available: navigator.hardwareConcurrency (at least 1). */
  cores: number;
  /**
   * Samples at the start and end of the timeline that a segment may not begin inside: the fade
   * in and the fade out, whose curves an engine can apply only from their start.
   */
  fadeInSamples?: number;
  fadeOutSamples?: number;
  /** Shortest segment, seconds (MIN_SEGMENT_SEC unless a test says otherwise). */
  minSegmentSec?: number;
}

/** How many engines a job of this length uses: one per MIN_SEGMENT_SEC, at most `cores`. */
export function engineCount(totalSec: number, cores: number, minSegmentSec = MIN_SEGMENT_SEC) {
  const byLength = Math.floor(totalSec / minSegmentSec);
  return Math.max(1, Math.min(Math.floor(cores) || 1, byLength));
}

/**
 * The segments of a job. One segment (one engine, no splice) for a short job, a single core, or
 * when fades leave no room for a boundary; otherwise `engineCount` segments of about equal
 * length. A boundary sits on the frame grid, and so does every encoder's first sample, so each
 * segment's frames line up with a single pass's: global frame g covers the same samples in
 * every segment that encodes it.
 */
export function planSegments(codec: SegmentCodec, opts: SegmentOptions): SegmentPlan {
  const total = Math.max(0, Math.floor(opts.totalSamples));
  const frame = codec.frame;
  const lead = (codec.warm + codec.spread) * frame;
  const trail = (codec.cool + codec.spread) * frame;
  const minSec = opts.minSegmentSec ?? MIN_SEGMENT_SEC;
  const fadeIn = Math.max(0, opts.fadeInSamples ?? 0);
  const fadeOutStart = total - Math.max(0, opts.fadeOutSamples ?? 0);
  const one = (): SegmentPlan => ({
    codec,
    totalSamples: total,
    segments: [segment(0, 0, total, 0, total, 0)],
    splicePoints: [],
  });

  // A segment's own lead-in must fit inside the segment before it, with room for its frames.
  const minLength = Math.max(minSec * opts.rate, lead + trail + 2 * codec.spread * frame + frame);
  for (let n = engineCount(total / opts.rate, opts.cores, minSec); n > 1; n--) {
    const bounds = boundaries(n, total, frame, {
      // Every encoder but the first starts after the fade in and no later than the fade out.
      lo: fadeIn + lead,
      hi: fadeOutStart + lead,
    });
    if (!bounds) continue;
    const edges = [0, ...bounds, total];
    if (edges.some((b, i) => i > 0 && b - edges[i - 1]! < minLength)) continue;
    const segments = edges.slice(0, -1).map((start, i) => {
      const end = edges[i + 1]!;
      const encodeStart = i === 0 ? 0 : start - lead;
      const encodeEnd = i === n - 1 ? total : Math.min(total, end + trail);
      return segment(i, start, end, encodeStart, encodeEnd, encodeStart / frame);
    });
    const splicePoints = bounds.map((b, i) => ({
      segment: i + 1,
      nominal: b / frame,
      earliest: b / frame - codec.spread,
      latest: b / frame + codec.spread,
    }));
    return { codec, totalSamples: total, segments, splicePoints };
  }
  return one();
}

/**
 * n - 1 boundaries on the frame grid, each as near k/n of the way as the bounds [lo, hi] allow,
 * or undefined when they cannot all fit in order.
 */
function boundaries(
  n: number,
  total: number,
  frame: number,
  bounds: { lo: number; hi: number },
): number[] | undefined {
  const lo = Math.ceil(bounds.lo / frame) * frame;
  const hi = Math.floor(bounds.hi / frame) * frame;
  if (lo > hi) return undefined;
  const out: number[] = [];
  for (let k = 1; k < n; k++) {
    const ideal = Math.round((k * total) / n / frame) * frame;
    const b = Math.min(hi, Math.max(lo, ideal));
    if (b <= (out[out.length - 1] ?? 0) || b >= total) return undefined;
    out.push(b);
  }
  return out;
}

function segment(
  index: number,
  keepStart: number,
  keepEnd: number,
  encodeStart: number,
  encodeEnd: number,
  firstFrame: number,
): Segment {
  return { index, keepStart, keepEnd, encodeStart, encodeEnd, firstFrame };
}

/**
 * The plan with segment `later` joined to the one before it: one engine encodes both spans. The
 * MP3 splicer's last resort for a splice point it cannot splice (a single pass there is always
 * right); the splice points either side keep their places, since the merged encoder starts and ends
 * where the two did.
 */
export function mergeSegments(plan: SegmentPlan, later: number): SegmentPlan {
  const a = plan.segments[later - 1];
  const b = plan.segments[later];
  if (!a || !b) throw new RangeError(`no splice point before segment ${later}`);
  const merged: Segment = { ...a, keepEnd: b.keepEnd, encodeEnd: b.encodeEnd };
  const segments = [
    ...plan.segments.slice(0, later - 1),
    merged,
    ...plan.segments.slice(later + 1),
  ];
  return {
    ...plan,
    segments: segments.map((s, index) => ({ ...s, index })),
    splicePoints: plan.splicePoints
      .filter((j) => j.segment !== later)
      .map((j) => (j.segment > later ? { ...j, segment: j.segment - 1 } : j)),
  };
}
