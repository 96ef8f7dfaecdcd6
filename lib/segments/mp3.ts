/**
 * Splices MP3 segments encoded in parallel into one gapless stream. Pure.
 *
 * Each segment was encoded from a sample on the 1152-sample grid (segments/plan.ts), so its
 * frame i is the timeline's frame `firstFrame + i` in a single pass too. At each splice point the
 * splicer keeps the earlier segment's frames before global frame j and the later one's from j on.
 * The later segment's frame j may start its main data in the bit reservoir (`main_data_begin`
 * bytes back, in frames that are dropped): those bytes are copied into the unused tail of the
 * earlier segment's last kept frame, where a decoder will look for them. Of the splice points the
 * plan allows (within `spread` frames of the boundary) the nearest one where they fit is taken;
 * where none fits, the earlier segment's last kept frame is rewritten at a higher bitrate to make
 * room ('enlarged'); where even that cannot (it is at 320 kb/s already), the splice reports the
 * splice point, and the two segments either side of it are encoded again as one (`mergeSegments`),
 * which is a single pass there. One Xing/Info + LAME frame heads the result,
 * with the first segment's encoder delay and the last segment's end padding.
 */
import type { Bytes } from '@/lib/core/bytes';
import { frameHeaderAt, sameStream } from '@/lib/containers/mp3';
import {
  enlarge,
  frameCopy,
  freeTail,
  header,
  mainData,
  readBack,
  readMp3Frames,
  writeTail,
  type Mp3Stream,
} from '@/lib/containers/mp3-frames';
import { buildXingFrame } from '@/lib/containers/mp3-xing';
import type { SplicePoint } from './plan';
import { SpliceError } from '@/lib/containers/errors';

/** One engine's output: an MP3 file (ID3v2 tag, Xing frame, audio frames) from ffmpeg. */
export interface EncodedSegment {
  bytes: Bytes;
  /** Global index of its first audio frame (Segment.firstFrame). */
  firstFrame: number;
}

type SpliceFix =
  /** The later segment's first kept frame reads no reservoir bytes. */
  | 'none'
  /** Its reservoir bytes fit in the unused tail of the earlier segment's last kept frame. */
  | 'fits'
  /** They fit once that frame was rewritten at a higher bitrate. */
  | 'enlarged';

export interface SplicedPoint {
  /** Index of the later segment. */
  segment: number;
  /** Global index of the later segment's first kept frame. */
  frame: number;
  /** Its `main_data_begin`: reservoir bytes moved across the splice point. */
  reservoirBytes: number;
  fix: SpliceFix;
}

export type Mp3Splice =
  | {
      ok: true;
      blob: Blob;
      splicePoints: SplicedPoint[];
      /** Audio frames (the Xing frame not counted). */
      frames: number;
      /** Encoder delay and end padding written to the LAME tag, samples. */
      delay: number;
      padding: number;
    }
  /** Later segments of splice points no fix could splice: merge each with the one before it. */
  | { ok: false; failed: number[] };

interface Choice {
  j: number;
  begin: number;
  free: number;
}

export interface Mp3SpliceOptions {
  /**
   * The fixes the splicer may use where a splice point reads reservoir bytes (both by default). The
   * fallback path is tested by turning them off: every such splice point then fails.
   */
  fixes?: { fits?: boolean; enlarge?: boolean };
}

/**
 * Splices segments (in order) at the splice points the plan allows. `splice points[k]` belongs between
 * segments k and k + 1. The segments' bytes are not changed: frames that take moved reservoir
 * bytes are copies.
 */
export function spliceMp3(
  segments: readonly EncodedSegment[],
  splicePoints: readonly SplicePoint[],
  opts: Mp3SpliceOptions = {},
): Mp3Splice {
  const streams = readSegments(segments, splicePoints.length);
  const fixes = { fits: opts.fixes?.fits ?? true, enlarge: opts.fixes?.enlarge ?? true };
  // Kept frame range [from, to) of each stream, in its own frame indexes.
  const from = streams.map(() => 0);
  const to = streams.map((s) => s.offsets.length);
  const spliced: SplicedPoint[] = [];
  const failed: number[] = [];
  /** Rewritten copies of frames, by stream and frame index. */
  const patched = streams.map(() => new Map<number, Bytes>());

  splicePoints.forEach((splicePoint, k) => {
    const a = streams[k]!;
    const b = streams[k + 1]!;
    const chosen = chooseFrame(a, b, splicePoint, from[k]!, fixes, k);
    if (!chosen) {
      failed.push(k + 1);
      return;
    }
    const { choice, fix } = chosen;
    const aEnd = choice.j - a.firstFrame;
    const bStart = choice.j - b.firstFrame;
    to[k] = aEnd;
    from[k + 1] = bStart;
    if (choice.begin > 0) {
      const moved = readBack(b, bStart, choice.begin);
      writeTail(a, aEnd, chosen.last ?? frameCopy(a, aEnd - 1), moved, patched[k]!);
    }
    spliced.push({ segment: k + 1, frame: choice.j, reservoirBytes: choice.begin, fix });
  });
  if (failed.length > 0) return { ok: false, failed };

  const { parts, sizes, bitrate } = keptFrames(streams, from, to, patched);
  const first = streams[0]!;
  const lastStream = streams[streams.length - 1]!;
  const lame = first.vbr?.lame;
  if (!lame || first.vbr?.delay === undefined || lastStream.vbr?.padding === undefined) {
    throw new SpliceError('a segment has no LAME tag: encoder delay and padding are unknown');
  }
  const xing = buildXingFrame({
    like: first.first,
    frames: sizes.length,
    audioBytes: sizes.reduce((sum, n) => sum + n, 0),
    uniformBitrate: bitrate,
    frameSizes: [Uint16Array.from(sizes)],
    quality: first.vbr.quality ?? 0,
    lame: { tag: lame, delay: first.vbr.delay, padding: lastStream.vbr.padding },
  });
  const blob = new Blob([first.bytes.subarray(0, first.head), xing, ...parts], {
    type: 'audio/mpeg',
  });
  return {
    ok: true,
    blob,
    splicePoints: spliced,
    frames: sizes.length,
    delay: first.vbr.delay,
    padding: lastStream.vbr.padding,
  };
}

/** The segments' frames, once they are known to be one stream with a splice point between each two. */
function readSegments(segments: readonly EncodedSegment[], splicePoints: number): Mp3Stream[] {
  if (segments.length === 0) throw new SpliceError('nothing to splice');
  if (splicePoints !== segments.length - 1) {
    throw new SpliceError(`${segments.length} segments need ${segments.length - 1} splicePoints`);
  }
  const streams = segments.map((s, i) => readMp3Frames(s, i));
  const first = streams[0]!;
  streams.forEach((s, i) => {
    if (!sameStream(first.first, s.first)) throw new SpliceError(`segment ${i} is another stream`);
  });
  return streams;
}

/**
 * Where a splice point splices: of the frames it allows, nearest its nominal frame first, one
 * whose reservoir bytes need no fix or fit; else one where enlarging A's last kept frame makes
 * them fit (`last`: that frame rewritten). Undefined: none splices. `aFrom`: A's first kept frame.
 */
function chooseFrame(
  a: Mp3Stream,
  b: Mp3Stream,
  splicePoint: SplicePoint,
  aFrom: number,
  fixes: { fits: boolean; enlarge: boolean },
  k: number,
): { choice: Choice; fix: SpliceFix; last?: Bytes } | undefined {
  const options = spliceFrames(a, b, splicePoint, aFrom);
  if (options.length === 0) throw new SpliceError(`splice point ${k + 1} has no frames to splice`);
  const choice = options.find((o) => o.begin === 0 || (fixes.fits && o.begin <= o.free));
  if (choice) return { choice, fix: choice.begin === 0 ? 'none' : 'fits' };
  for (const o of fixes.enlarge ? options : []) {
    const last = enlarge(a, o.j - a.firstFrame - 1, o.begin - o.free);
    if (last) return { choice: o, fix: 'enlarged', last };
  }
  return undefined;
}

/**
 * The frames a splice point may splice at (both segments hold them, A keeps at least one), with
 * the reservoir bytes B's frame reads there and the room free in A's frame before it; nearest the
 * nominal frame first.
 */
function spliceFrames(
  a: Mp3Stream,
  b: Mp3Stream,
  splicePoint: SplicePoint,
  aFrom: number,
): Choice[] {
  const options: Choice[] = [];
  for (let j = splicePoint.earliest; j <= splicePoint.latest; j++) {
    const aEnd = j - a.firstFrame;
    const bStart = j - b.firstFrame;
    if (aEnd <= aFrom || aEnd > a.offsets.length || bStart < 0) continue;
    if (bStart >= b.offsets.length) continue;
    options.push({ j, begin: mainData(b, bStart).begin, free: freeTail(a, aEnd) });
  }
  return options.sort(
    (x, y) => Math.abs(x.j - splicePoint.nominal) - Math.abs(y.j - splicePoint.nominal),
  );
}

/**
 * The kept frames [from, to) of every stream as Blob parts (runs of the segments' bytes, the
 * rewritten copies in their place), each frame's size, and the bitrate they share (0: none).
 */
function keptFrames(
  streams: readonly Mp3Stream[],
  from: readonly number[],
  to: readonly number[],
  patched: readonly Map<number, Bytes>[],
): { parts: BlobPart[]; sizes: number[]; bitrate: number } {
  const parts: BlobPart[] = [];
  const sizes: number[] = [];
  let bitrate = -1;
  streams.forEach((s, k) => {
    let run = from[k]!;
    const flush = (until: number) => {
      if (until > run)
        parts.push(
          s.bytes.subarray(s.offsets[run]!, s.offsets[until - 1]! + s.lengths[until - 1]!),
        );
    };
    for (let i = from[k]!; i < to[k]!; i++) {
      const copy = patched[k]!.get(i);
      const h = copy ? frameHeaderAt(copy, 0)! : header(s, i);
      if (copy) {
        flush(i);
        parts.push(copy);
        run = i + 1;
      }
      sizes.push(h.frameLength);
      bitrate = bitrate === -1 || bitrate === h.bitrate ? h.bitrate : 0;
    }
    flush(to[k]!);
  });
  return { parts, sizes, bitrate };
}
