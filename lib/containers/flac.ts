/**
 * FLAC's stream: its metadata blocks (STREAMINFO), its frames' headers (the coded frame or
 * sample number, the block size) and the CRC-8 and CRC-16 that guard them. Read by the parallel
 * splicer (lib/segments/flac.ts). Pure.
 */
import type { Bytes } from '@/lib/core/bytes';
import { SpliceError } from './errors';

export interface FlacFrame {
  start: number;
  end: number;
  /** Bytes of the header's coded frame/sample number, and where it starts. */
  numberAt: number;
  numberLength: number;
  /** Where the header's CRC-8 is. */
  crcAt: number;
  blockSize: number;
}

export interface FlacStream {
  bytes: Bytes;
  /** End of the metadata blocks: the first frame starts here. */
  audioStart: number;
  streamInfoAt: number;
  variable: boolean;
  frames: FlacFrame[];
}

const CRC8 = table(8, 0x07);
const CRC16 = table(16, 0x8005);
/**
 * CRC-16 eight bytes at a time ("slicing by 8"): CRC16_BY[k][x] is the CRC of byte x followed
 * by k zero bytes, and the CRC is linear, so eight bytes' lookups XOR into one step. A 10 x 60 s
 * join's 24-bit FLAC is 92 MB that the splicer reads whole and half of it again (its second
 * segment's frames renumbered): byte by byte, that took 1.2-2.1 s in Node here.
 */
const CRC16_BY: readonly Uint16Array[] = (() => {
  const by = [CRC16];
  for (let k = 1; k < 8; k++) {
    const prev = by[k - 1]!;
    const t = new Uint16Array(256);
    for (let x = 0; x < 256; x++) t[x] = ((prev[x]! << 8) & 0xffff) ^ CRC16[prev[x]! >> 8]!;
    by.push(t);
  }
  return by;
})();

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

/** FLAC's CRC-16 of b[start, end), continuing from `crc` (the CRC of the bytes before). */
export function crc16(b: Bytes, start = 0, end = b.length, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC16_BY as [Uint16Array, ...Uint16Array[]];
  let c = crc;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    c =
      t7![(c >> 8) ^ b[i]!]! ^
      t6![(c & 0xff) ^ b[i + 1]!]! ^
      t5![b[i + 2]!]! ^
      t4![b[i + 3]!]! ^
      t3![b[i + 4]!]! ^
      t2![b[i + 5]!]! ^
      t1![b[i + 6]!]! ^
      t0[b[i + 7]!]!;
  }
  for (; i < end; i++) c = ((c << 8) & 0xffff) ^ t0[(c >> 8) ^ b[i]!]!;
  return c;
}

/** a·b mod FLAC's CRC-16 polynomial (x^16 + x^15 + x^2 + 1), in GF(2). */
function mulMod(a: number, b: number): number {
  let r = 0;
  for (let bit = 15; bit >= 0; bit--) {
    r = r & 0x8000 ? ((r << 1) ^ 0x8005) & 0xffff : (r << 1) & 0xffff;
    if ((b >> bit) & 1) r ^= a;
  }
  return r;
}

/**
 * The CRC-16 of bytes H followed by `bytes` more, from the CRC of H alone (init 0, as FLAC's):
 * crc(H ‖ B) = crc(H)·x^(8·|B|) ⊕ crc(B), so swapping H for H' changes it by
 * crc16Shift(crc(H) ⊕ crc(H'), |B|), without reading B.
 */
export function crc16Shift(crc: number, bytes: number): number {
  let result = crc;
  let power = 0x100; // x^8: one byte
  for (let n = bytes; n > 0; n = Math.floor(n / 2)) {
    if (n % 2) result = mulMod(result, power);
    power = mulMod(power, power);
  }
  return result;
}

/** The first place at or after `from` where a frame header's sync code could start, or the end. */
function nextSync(b: Bytes, from: number): number {
  for (let q = b.indexOf(0xff, from); q >= 0; q = b.indexOf(0xff, q + 1)) {
    if (q + 1 < b.length && (b[q + 1]! & 0xfe) === 0xf8) return q;
  }
  return b.length;
}

/** Bytes of a UTF-8-style coded number, from its first byte; 0 when the byte cannot start one. */
function codedLength(first: number): number {
  let ones = 0;
  while (ones < 8 && first & (0x80 >> ones)) ones++;
  if (ones === 0) return 1;
  return ones >= 2 && ones <= 7 ? ones : 0;
}

export function readCoded(b: Bytes, at: number, length: number): number {
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
  let crcTo = p;
  // The CRC-16 of a whole frame, its own CRC included, is 0: a sync there ends the frame. Only
  // a sync code (or the end) can be where one ends, so the CRC is taken from one to the next.
  for (let from = p + 8; from <= bytes.length;) {
    const next = nextSync(bytes, from);
    crc = crc16(bytes, crcTo, next, crc);
    crcTo = next;
    from = next + 1;
    if (crc !== 0) continue;
    const nextHead = next === bytes.length ? undefined : frameHeader(bytes, next);
    if (next !== bytes.length && !nextHead) continue;
    frames.push({ start, end: next, ...head });
    if (!nextHead) break;
    head = nextHead;
    start = next;
    crc = 0;
    from = next + 8;
  }
  if (frames.length === 0 || frames[frames.length - 1]!.end !== bytes.length) {
    throw new SpliceError(`segment ${index} does not end on a whole FLAC frame`);
  }
  return { bytes, audioStart: frames[0]!.start, streamInfoAt, variable, frames };
}
