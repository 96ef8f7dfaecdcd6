/**
 * Splices FLAC segments encoded in parallel into one stream. Pure.
 *
 * FLAC frames are independent: a segment cut on the block-size grid (segments/plan.ts) encodes
 * to the very frames a single pass writes there, except that each frame's header numbers it
 * from the segment's start. The splicer keeps the first segment's metadata blocks (tags, cover,
 * padding), renumbers every later frame (its header's frame or sample number, then the header's
 * CRC-8 and the frame's CRC-16), and rewrites STREAMINFO: total samples, smallest and largest
 * block and frame. Its MD5 of the decoded audio is set to zeros, which the format defines as
 * "not computed": the samples only ever exist inside the engines, one segment each, and an MD5
 * cannot be combined from parts.
 */
import type { Bytes } from '@/lib/core/bytes';
import { SpliceError } from '@/lib/containers/errors';
import {
  codeNumber,
  crc16,
  crc16Shift,
  crc8,
  parseFlac,
  readCoded,
  type FlacFrame,
} from '@/lib/containers/flac';

export interface FlacSegment {
  bytes: Bytes;
  /** The timeline sample its first frame starts at (Segment.encodeStart). */
  firstSample: number;
}

/**
 * A frame with a new number: header CRC-8 computed anew, and the frame's CRC-16 changed by what
 * the header's change does to it (the rest of the frame is not read again: crc16Shift).
 */
function renumber(b: Bytes, f: FlacFrame, n: number): Bytes {
  const coded = codeNumber(n);
  const before = b.subarray(f.start, f.numberAt);
  const afterNumber = f.numberAt + f.numberLength;
  const q = f.crcAt;
  const out = new Uint8Array(f.end - f.start - f.numberLength + coded.length);
  out.set(before, 0);
  out.set(coded, before.length);
  out.set(b.subarray(afterNumber, q), before.length + coded.length);
  const crcAt = before.length + coded.length + (q - afterNumber);
  out[crcAt] = crc8(out, 0, crcAt);
  out.set(b.subarray(q + 1, f.end - 2), crcAt + 1);
  const old = (b[f.end - 2]! << 8) | b[f.end - 1]!;
  const headChange = crc16(b, f.start, q + 1) ^ crc16(out, 0, crcAt + 1);
  const c = old ^ crc16Shift(headChange, f.end - 2 - (q + 1));
  out[out.length - 2] = c >> 8;
  out[out.length - 1] = c & 0xff;
  return out;
}

/** Splices FLAC segments (in order, each starting on the block grid) into one FLAC file. */
export function spliceFlac(segments: readonly FlacSegment[]): Blob {
  if (segments.length === 0) throw new SpliceError('nothing to splice');
  const streams = segments.map((s, i) => parseFlac(s.bytes, i));
  const first = streams[0]!;
  const blockSize = first.frames[0]!.blockSize;
  const parts: BlobPart[] = [];
  let minFrame = Infinity;
  let maxFrame = 0;
  let minBlock = Infinity;
  let maxBlock = 0;
  let samples = 0;
  let frameNumber = 0;
  streams.forEach((s, k) => {
    if (s.variable !== first.variable) throw new SpliceError(`segment ${k} changes blocking`);
    if (segments[k]!.firstSample !== samples) {
      throw new SpliceError(`segment ${k} starts at ${segments[k]!.firstSample}, not ${samples}`);
    }
    s.frames.forEach((f, i) => {
      const isLast = k === streams.length - 1 && i === s.frames.length - 1;
      if (!first.variable && f.blockSize !== blockSize && !isLast) {
        throw new SpliceError(
          `segment ${k} frame ${i} has ${f.blockSize} samples, not ${blockSize}`,
        );
      }
      const n = first.variable ? samples : frameNumber;
      const own = readCoded(s.bytes, f.numberAt, f.numberLength);
      const frame =
        k === 0 || own === n ? s.bytes.subarray(f.start, f.end) : renumber(s.bytes, f, n);
      parts.push(frame);
      minFrame = Math.min(minFrame, frame.length);
      maxFrame = Math.max(maxFrame, frame.length);
      // STREAMINFO's smallest block leaves out the last, which may be short.
      if (!isLast) minBlock = Math.min(minBlock, f.blockSize);
      maxBlock = Math.max(maxBlock, f.blockSize);
      samples += f.blockSize;
      frameNumber++;
    });
  });
  if (minBlock === Infinity) minBlock = maxBlock;
  const head = first.bytes.slice(0, first.audioStart);
  writeStreamInfo(head, first.streamInfoAt, { minBlock, maxBlock, minFrame, maxFrame, samples });
  dropSeekTable(head);
  return new Blob([head, ...parts], { type: 'audio/flac' });
}

function writeStreamInfo(
  b: Bytes,
  at: number,
  v: { minBlock: number; maxBlock: number; minFrame: number; maxFrame: number; samples: number },
): void {
  b[at] = v.minBlock >> 8;
  b[at + 1] = v.minBlock & 0xff;
  b[at + 2] = v.maxBlock >> 8;
  b[at + 3] = v.maxBlock & 0xff;
  for (const [o, n] of [
    [4, v.minFrame],
    [7, v.maxFrame],
  ] as const) {
    b[at + o] = (n >> 16) & 0xff;
    b[at + o + 1] = (n >> 8) & 0xff;
    b[at + o + 2] = n & 0xff;
  }
  // Bytes 10..17: 20 bits rate, 3 channels-1, 5 bits-per-sample-1, 36 bits total samples.
  const hi = Math.floor(v.samples / 2 ** 32);
  b[at + 13] = (b[at + 13]! & 0xf0) | (hi & 0x0f);
  b[at + 14] = (v.samples >>> 24) & 0xff;
  b[at + 15] = (v.samples >>> 16) & 0xff;
  b[at + 16] = (v.samples >>> 8) & 0xff;
  b[at + 17] = v.samples & 0xff;
  b.fill(0, at + 18, at + 34);
}

/** A SEEKTABLE would point into the first segment only: it becomes PADDING of the same size. */
function dropSeekTable(b: Bytes): void {
  for (let p = 4; p + 4 <= b.length;) {
    const type = b[p]! & 0x7f;
    const size = (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    if (type === 3) {
      b[p] = (b[p]! & 0x80) | 1;
      b.fill(0, p + 4, p + 4 + size);
    }
    if (b[p]! & 0x80) break;
    p += 4 + size;
  }
}
