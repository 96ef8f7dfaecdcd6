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

export interface FlacSegment {
  bytes: Bytes;
  /** The timeline sample its first frame starts at (Segment.encodeStart). */
  firstSample: number;
}

interface FlacFrame {
  start: number;
  end: number;
  /** Bytes of the header's coded frame/sample number, and where it starts. */
  numberAt: number;
  numberLength: number;
  /** Where the header's CRC-8 is. */
  crcAt: number;
  blockSize: number;
}

interface FlacStream {
  bytes: Bytes;
  /** End of the metadata blocks: the first frame starts here. */
  audioStart: number;
  streamInfoAt: number;
  variable: boolean;
  frames: FlacFrame[];
}

const CRC8 = table(8, 0x07);
const CRC16 = table(16, 0x8005);

function table(bits: 8 | 16, poly: number): Uint16Array {
  const t = new Uint16Array(256);
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  for (let i = 0; i < 256; i++) {
    let c = i << (bits - 8);
    for (let k = 0; k < 8; k++) c = c & top ? ((c << 1) ^ poly) & mask : (c << 1) & mask;
    t[i] = c;
  }
  return t;
}

export function crc8(b: Bytes, start = 0, end = b.length): number {
  let c = 0;
  for (let i = start; i < end; i++) c = CRC8[c ^ b[i]!]!;
  return c;
}

export function crc16(b: Bytes, start = 0, end = b.length): number {
  let c = 0;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b[i]!]!;
  return c;
}

/** Bytes of a UTF-8-style coded number, from its first byte; 0 when the byte cannot start one. */
function codedLength(first: number): number {
  let ones = 0;
  while (ones < 8 && first & (0x80 >> ones)) ones++;
  if (ones === 0) return 1;
  return ones >= 2 && ones <= 7 ? ones : 0;
}

function readCoded(b: Bytes, at: number, length: number): number {
  if (length === 1) return b[at]!;
  let v = b[at]! & (0x7f >> length);
  for (let i = 1; i < length; i++) v = v * 64 + (b[at + i]! & 0x3f);
  return v;
}

/** A frame or sample number in FLAC's UTF-8-like coding (up to 36 bits). */
export function codeNumber(n: number): Bytes {
  if (n < 0x80) return Uint8Array.of(n);
  let length = 2;
  while (length < 7 && n >= 2 ** (5 * length + 1)) length++;
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i > 0; i--) {
    out[i] = 0x80 | (v % 64);
    v = Math.floor(v / 64);
  }
  out[0] = ((0xff << (8 - length)) & 0xff) | v;
  return out;
}

const BLOCK_SIZES: Record<number, number> = {
  1: 192,
  2: 576,
  3: 1152,
  4: 2304,
  5: 4608,
  8: 256,
  9: 512,
  10: 1024,
  11: 2048,
  12: 4096,
  13: 8192,
  14: 16384,
  15: 32768,
};

/** The frame header at `p`, checked by its CRC-8, or undefined. */
function frameHeader(b: Bytes, p: number): Omit<FlacFrame, 'start' | 'end'> | undefined {
  if (p + 6 > b.length || b[p] !== 0xff || (b[p + 1]! & 0xfe) !== 0xf8) return undefined;
  const sizeCode = b[p + 2]! >> 4;
  const rateCode = b[p + 2]! & 0x0f;
  if (sizeCode === 0 || rateCode === 15 || b[p + 3]! & 1) return undefined;
  const numberLength = codedLength(b[p + 4]!);
  if (numberLength === 0) return undefined;
  let q = p + 4 + numberLength;
  let blockSize = BLOCK_SIZES[sizeCode] ?? 0;
  if (sizeCode === 6) blockSize = b[q++]! + 1;
  else if (sizeCode === 7) {
    blockSize = ((b[q]! << 8) | b[q + 1]!) + 1;
    q += 2;
  }
  if (rateCode === 12) q += 1;
  else if (rateCode === 13 || rateCode === 14) q += 2;
  if (q >= b.length || crc8(b, p, q) !== b[q]) return undefined;
  return { numberAt: p + 4, numberLength, crcAt: q, blockSize };
}

/** Metadata blocks and frames of one segment (frames found by sync, header CRC-8 and CRC-16). */
export function parseFlac(bytes: Bytes, index = 0): FlacStream {
  if (bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) {
    throw new SpliceError(`segment ${index} is not FLAC`);
  }
  let p = 4;
  let streamInfoAt = -1;
  for (;;) {
    if (p + 4 > bytes.length) throw new SpliceError(`segment ${index} ends in its metadata`);
    const type = bytes[p]! & 0x7f;
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (type === 0) streamInfoAt = p + 4;
    const last = bytes[p]! & 0x80;
    p += 4 + size;
    if (last) break;
  }
  if (streamInfoAt < 0) throw new SpliceError(`segment ${index} has no STREAMINFO`);
  const frames: FlacFrame[] = [];
  let head = frameHeader(bytes, p);
  if (!head) throw new SpliceError(`segment ${index} has no frame after its metadata`);
  const variable = (bytes[p + 1]! & 1) === 1;
  let start = p;
  let crc = 0;
  // The CRC-16 of a whole frame, its own CRC included, is 0: a sync there ends the frame.
  for (let i = p; i < bytes.length; i++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ bytes[i]!]!;
    const next = i + 1;
    if (crc !== 0 || next - start < 8) continue;
    const nextHead = next === bytes.length ? undefined : frameHeader(bytes, next);
    if (next !== bytes.length && !nextHead) continue;
    frames.push({ start, end: next, ...head });
    if (!nextHead) break;
    head = nextHead;
    start = next;
    crc = 0;
  }
  if (frames.length === 0 || frames[frames.length - 1]!.end !== bytes.length) {
    throw new SpliceError(`segment ${index} does not end on a whole FLAC frame`);
  }
  return { bytes, audioStart: frames[0]!.start, streamInfoAt, variable, frames };
}

/** A frame with a new number: header CRC-8 and frame CRC-16 computed anew. */
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
  const c = crc16(out, 0, out.length - 2);
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
