/**
 * MP3 frames held in memory, as the splicers read and rewrite them: the frames of an ffmpeg-made
 * MP3 (after its ID3v2 tag and Xing frame), and the bit reservoir moved across a cut, so that a
 * frame whose main data starts in frames that were dropped still decodes (the parallel
 * splicer, lib/segments/mp3.ts, and the exact lossless joins, lib/lossless/mp3/). Pure.
 */
import type { Bytes } from '@/lib/core/bytes';
import { leadingId3Size } from './id3';
import {
  bitrateTable,
  frameHeaderAt,
  frameLength,
  readMainDataInfo,
  readVbrTag,
  sameStream,
  type FrameHeader,
  type VbrTag,
} from './mp3';
import { SpliceError } from './errors';

/** An MP3 file's bytes and the timeline frame its first audio frame is. */
export interface Mp3Bytes {
  bytes: Bytes;
  firstFrame: number;
}

/** Frames of an MP3 stream held in memory: all a reservoir move reads and writes. */
export interface Mp3Frames {
  bytes: Bytes;
  /** Where each frame starts in `bytes`, and its length. */
  offsets: number[];
  lengths: number[];
}

export interface Mp3Stream extends Mp3Frames {
  head: number;
  vbr: VbrTag | undefined;
  first: FrameHeader;
  firstFrame: number;
}

/** The frames of an MP3 file (ID3v2 tag, maybe a Xing frame, audio frames) made by ffmpeg. */
export function readMp3Frames(seg: Mp3Bytes, index = 0): Mp3Stream {
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

export function header(s: Mp3Frames, i: number): FrameHeader {
  return frameHeaderAt(s.bytes, s.offsets[i]!)!;
}

export function mainData(s: Mp3Frames, i: number) {
  return readMainDataInfo(s.bytes.subarray(s.offsets[i]!), header(s, i));
}

/**
 * Unused bytes at the end of the data stream up to frame `end` (exclusive): after the main data
 * of frame end-1, which the frames before it never reach past.
 */
export function freeTail(s: Mp3Frames, end: number): number {
  const last = mainData(s, end - 1);
  const dataSize = s.lengths[end - 1]! - last.dataOffset;
  return dataSize + last.begin - Math.ceil(last.bits / 8);
}

/** The `n` bytes of main-data stream that come before frame `at`'s data area. */
export function readBack(s: Mp3Frames, at: number, n: number): Bytes {
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

export function frameCopy(s: Mp3Frames, i: number): Bytes {
  return s.bytes.slice(s.offsets[i]!, s.offsets[i]! + s.lengths[i]!);
}

/**
 * Writes `moved` as the last bytes of the main-data stream before frame `end` of `a`: the last
 * of them into `lastFrame` (a copy of frame end-1, maybe enlarged); rarely (a low bitrate, more
 * reservoir bytes than one frame's data area) the rest into copies of the frames before it.
 * The copies go into `patched` by frame index.
 */
export function writeTail(
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
export function enlarge(a: Mp3Frames, i: number, need: number): Bytes | undefined {
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
