/**
 * Splices MP3 segments encoded in parallel into one gapless stream. Pure.
 *
 * Each segment was encoded from a sample on the 1152-sample grid (segments/plan.ts), so its
 * frame i is the timeline's frame `firstFrame + i` in a single pass too. At each junction the
 * splicer keeps the earlier segment's frames before global frame j and the later one's from j on.
 * The later segment's frame j may start its main data in the bit reservoir (`main_data_begin`
 * bytes back, in frames that are dropped): those bytes are copied into the unused tail of the
 * earlier segment's last kept frame, where a decoder will look for them. Of the junctions the
 * plan allows (within `spread` frames of the boundary) the nearest one where they fit is taken;
 * where none fits, the earlier segment's last kept frame is rewritten at a higher bitrate to make
 * room ('enlarged'); where even that cannot (it is at 320 kb/s already), the splice reports the
 * junction, and the two segments either side of it are encoded again as one (`mergeSegments`),
 * which is a single pass there. One Xing/Info + LAME frame heads the result,
 * with the first segment's encoder delay and the last segment's end padding.
 */
import type { Bytes } from '@/lib/core/bytes';
import { leadingId3Size } from '@/lib/containers/id3';
import {
  bitrateTable,
  frameHeaderAt,
  frameLength,
  readMainDataInfo,
  readVbrTag,
  sameStream,
  type FrameHeader,
  type VbrTag,
} from '@/lib/containers/mp3';
import { buildXingFrame } from '@/lib/containers/mp3-xing';
import type { Junction } from './plan';
import { SpliceError } from '@/lib/containers/errors';

/** One engine's output: an MP3 file (ID3v2 tag, Xing frame, audio frames) from ffmpeg. */
export interface EncodedSegment {
  bytes: Bytes;
  /** Global index of its first audio frame (Segment.firstFrame). */
  firstFrame: number;
}

export type JunctionFix =
  /** The later segment's first kept frame reads no reservoir bytes. */
  | 'none'
  /** Its reservoir bytes fit in the unused tail of the earlier segment's last kept frame. */
  | 'fits'
  /** They fit once that frame was rewritten at a higher bitrate. */
  | 'enlarged';

export interface SplicedJunction {
  /** Index of the later segment. */
  segment: number;
  /** Global index of the later segment's first kept frame. */
  frame: number;
  /** Its `main_data_begin`: reservoir bytes moved across the junction. */
  reservoirBytes: number;
  fix: JunctionFix;
}

export type Mp3Splice =
  | {
      ok: true;
      blob: Blob;
      junctions: SplicedJunction[];
      /** Audio frames (the Xing frame not counted). */
      frames: number;
      /** Encoder delay and end padding written to the LAME tag, samples. */
      delay: number;
      padding: number;
    }
  /** Later segments of junctions no fix could splice: merge each with the one before it. */
  | { ok: false; failed: number[] };

/** Frames of an MP3 stream held in memory: all a reservoir move reads and writes. */
export interface Mp3Frames {
  bytes: Bytes;
  /** Where each frame starts in `bytes`, and its length. */
  offsets: number[];
  lengths: number[];
}

interface Mp3Stream extends Mp3Frames {
  head: number;
  vbr: VbrTag | undefined;
  first: FrameHeader;
  firstFrame: number;
}

/** The frames of one segment. */
export function parseSegment(seg: EncodedSegment, index = 0): Mp3Stream {
  const { bytes } = seg;
  const head = leadingId3Size(bytes);
  const first = frameHeaderAt(bytes, head);
  if (!first || first.layer !== 3) throw new SpliceError(`segment ${index} is not Layer III MP3`);
  const vbr = readVbrTag(bytes.subarray(head), first);
  let p = head + (vbr ? first.frameLength : 0);
  const offsets: number[] = [];
  const lengths: number[] = [];
  while (p + 4 <= bytes.length) {
    const h = frameHeaderAt(bytes, p);
    if (!h) {
      // ffmpeg's muxer may end with an ID3v1 tag; nothing else may follow the frames.
      if (p + 128 === bytes.length && bytes[p] === 0x54) break;
      throw new SpliceError(`segment ${index} has bytes that are not MP3 frames at ${p}`);
    }
    if (!sameStream(first, h)) throw new SpliceError(`segment ${index} changes stream at ${p}`);
    if (p + h.frameLength > bytes.length) throw new SpliceError(`segment ${index} is cut short`);
    offsets.push(p);
    lengths.push(h.frameLength);
    p += h.frameLength;
  }
  return { bytes, head, vbr, first, offsets, lengths, firstFrame: seg.firstFrame };
}

function header(s: Mp3Frames, i: number): FrameHeader {
  return frameHeaderAt(s.bytes, s.offsets[i]!)!;
}

function mainData(s: Mp3Frames, i: number) {
  return readMainDataInfo(s.bytes.subarray(s.offsets[i]!), header(s, i));
}

/**
 * Unused bytes at the end of the data stream up to frame `end` (exclusive): after the main data
 * of frame end-1, which the frames before it never reach past.
 */
function freeTail(s: Mp3Frames, end: number): number {
  const last = mainData(s, end - 1);
  const dataSize = s.lengths[end - 1]! - last.dataOffset;
  return dataSize + last.begin - Math.ceil(last.bits / 8);
}

/** The `n` bytes of main-data stream that come before frame `at`'s data area. */
function readBack(s: Mp3Frames, at: number, n: number): Bytes {
  const out = new Uint8Array(n);
  let left = n;
  for (let i = at - 1; left > 0 && i >= 0; i--) {
    const { dataOffset } = mainData(s, i);
    const start = s.offsets[i]! + dataOffset;
    const end = s.offsets[i]! + s.lengths[i]!;
    const take = Math.min(left, end - start);
    out.set(s.bytes.subarray(end - take, end), left - take);
    left -= take;
  }
  if (left > 0) throw new SpliceError('a frame reads reservoir bytes from before its stream');
  return out;
}

interface Choice {
  j: number;
  begin: number;
  free: number;
}

export interface Mp3SpliceOptions {
  /**
   * The fixes the splicer may use where a junction reads reservoir bytes (both by default). The
   * fallback path is tested by turning them off: every such junction then fails.
   */
  fixes?: { fits?: boolean; enlarge?: boolean };
}

/**
 * Splices segments (in order) at the junctions the plan allows. `junctions[k]` belongs between
 * segments k and k + 1. The segments' bytes are not changed: frames that take moved reservoir
 * bytes are copies.
 */
export function spliceMp3(
  segments: readonly EncodedSegment[],
  junctions: readonly Junction[],
  opts: Mp3SpliceOptions = {},
): Mp3Splice {
  if (segments.length === 0) throw new SpliceError('nothing to splice');
  if (junctions.length !== segments.length - 1) {
    throw new SpliceError(`${segments.length} segments need ${segments.length - 1} junctions`);
  }
  const allowFits = opts.fixes?.fits ?? true;
  const allowEnlarge = opts.fixes?.enlarge ?? true;
  const streams = segments.map((s, i) => parseSegment(s, i));
  const first = streams[0]!;
  streams.forEach((s, i) => {
    if (!sameStream(first.first, s.first)) throw new SpliceError(`segment ${i} is another stream`);
  });

  // Kept frame range [from, to) of each stream, in its own frame indexes.
  const from = streams.map(() => 0);
  const to = streams.map((s) => s.offsets.length);
  const spliced: SplicedJunction[] = [];
  const failed: number[] = [];
  /** Rewritten copies of frames, by stream and frame index. */
  const patched = streams.map(() => new Map<number, Bytes>());

  junctions.forEach((junction, k) => {
    const a = streams[k]!;
    const b = streams[k + 1]!;
    const options: Choice[] = [];
    for (let j = junction.earliest; j <= junction.latest; j++) {
      const aEnd = j - a.firstFrame;
      const bStart = j - b.firstFrame;
      if (aEnd <= from[k]! || aEnd > a.offsets.length || bStart < 0) continue;
      if (bStart >= b.offsets.length) continue;
      options.push({ j, begin: mainData(b, bStart).begin, free: freeTail(a, aEnd) });
    }
    if (options.length === 0) throw new SpliceError(`junction ${k + 1} has no frames to splice`);
    options.sort((x, y) => Math.abs(x.j - junction.nominal) - Math.abs(y.j - junction.nominal));
    let choice = options.find((o) => o.begin === 0 || (allowFits && o.begin <= o.free));
    let fix: JunctionFix = choice?.begin === 0 ? 'none' : 'fits';
    let last: Bytes | undefined;
    for (const o of allowEnlarge && !choice ? options : []) {
      last = enlarge(a, o.j - a.firstFrame - 1, o.begin - o.free);
      if (last) {
        choice = o;
        fix = 'enlarged';
        break;
      }
    }
    if (!choice) {
      failed.push(k + 1);
      return;
    }
    const aEnd = choice.j - a.firstFrame;
    const bStart = choice.j - b.firstFrame;
    to[k] = aEnd;
    from[k + 1] = bStart;
    if (choice.begin > 0) {
      const moved = readBack(b, bStart, choice.begin);
      last ??= frameCopy(a, aEnd - 1);
      writeTail(a, aEnd, last, moved, patched[k]!);
    }
    spliced.push({ segment: k + 1, frame: choice.j, reservoirBytes: choice.begin, fix });
  });
  if (failed.length > 0) return { ok: false, failed };

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

  const lastStream = streams[streams.length - 1]!;
  const lame = first.vbr?.lame;
  if (!lame || first.vbr?.delay === undefined || lastStream.vbr?.padding === undefined) {
    throw new SpliceError('a segment has no LAME tag: encoder delay and padding are unknown');
  }
  const audioBytes = sizes.reduce((sum, n) => sum + n, 0);
  const xing = buildXingFrame({
    like: first.first,
    frames: sizes.length,
    audioBytes,
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
    junctions: spliced,
    frames: sizes.length,
    delay: first.vbr.delay,
    padding: lastStream.vbr.padding,
  };
}

/**
 * Makes frame `bStart` of `b` decodable right after frame `aEnd - 1` of `a` (a junction that drops
 * b's frames before `bStart`): the reservoir bytes it reads (`main_data_begin`) are copied into
 * the unused tail of a's last kept frame(s), that frame enlarged to a higher bitrate when they do
 * not fit. Returns the rewritten copies of a's frames by index (none when nothing is read back),
 * or undefined when the bytes fit nowhere. `a` and `b` are not changed.
 */
export function carryReservoir(
  a: Mp3Frames,
  aEnd: number,
  b: Mp3Frames,
  bStart: number,
): Map<number, Bytes> | undefined {
  const patched = new Map<number, Bytes>();
  const begin = mainData(b, bStart).begin;
  if (begin === 0) return patched;
  const free = freeTail(a, aEnd);
  const last = begin <= free ? frameCopy(a, aEnd - 1) : enlarge(a, aEnd - 1, begin - free);
  if (!last) return undefined;
  writeTail(a, aEnd, last, readBack(b, bStart, begin), patched);
  return patched;
}

function frameCopy(s: Mp3Frames, i: number): Bytes {
  return s.bytes.slice(s.offsets[i]!, s.offsets[i]! + s.lengths[i]!);
}

/**
 * Writes `moved` as the last bytes of the main-data stream before frame `end` of `a`: the last
 * of them into `lastFrame` (a copy of frame end-1, maybe enlarged); rarely (a low bitrate, more
 * reservoir bytes than one frame's data area) the rest into copies of the frames before it.
 * The copies go into `patched` by frame index.
 */
function writeTail(
  a: Mp3Frames,
  end: number,
  lastFrame: Bytes,
  moved: Bytes,
  patched: Map<number, Bytes>,
): void {
  const h = frameHeaderAt(lastFrame, 0)!;
  const dataOffset = readMainDataInfo(lastFrame, h).dataOffset;
  const room = h.frameLength - dataOffset;
  const inLast = Math.min(room, moved.length);
  lastFrame.set(moved.subarray(moved.length - inLast), h.frameLength - inLast);
  patched.set(end - 1, lastFrame);
  let left = moved.length - inLast;
  for (let i = end - 2; left > 0 && i >= 0; i--) {
    const copy = frameCopy(a, i);
    const start = mainData(a, i).dataOffset;
    const take = Math.min(left, copy.length - start);
    copy.set(moved.subarray(left - take, left), copy.length - take);
    patched.set(i, copy);
    left -= take;
  }
}

/**
 * A copy of frame `i` of `a` at the lowest higher bitrate that adds at least `need` bytes to its
 * data area (zeros, for the moved reservoir bytes), or undefined when none does or the frame
 * has a CRC (which covers the bitrate bits).
 */
function enlarge(a: Mp3Frames, i: number, need: number): Bytes | undefined {
  if (i < 0 || i >= a.offsets.length) return undefined;
  const h = header(a, i);
  if (h.crc) return undefined;
  const table = bitrateTable(h.version, 3);
  for (let index = h.bitrateIndex + 1; index < 15; index++) {
    const length = frameLength(h.version, 3, table[index]!, h.sampleRate, h.padding);
    if (length - h.frameLength < need) continue;
    const out = new Uint8Array(length);
    out.set(a.bytes.subarray(a.offsets[i]!, a.offsets[i]! + h.frameLength));
    out[2] = (index << 4) | (out[2]! & 0x0f);
    return out;
  }
  return undefined;
}
