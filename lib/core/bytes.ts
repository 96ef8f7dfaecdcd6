/**
 * The one byte reader: every format reader (sniff, ID3v2, MPEG frames, WAV, the lossless
 * joiners) reads numbers, text and Blob ranges through these helpers. Reads past the end of a
 * buffer give 0 (numbers) or fewer characters (text), never garbage, so a parser that checks
 * lengths once cannot be pushed into reading `undefined`.
 */
import { JoinCanceledError } from './errors';

export type Bytes = Uint8Array<ArrayBuffer>;

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JoinCanceledError();
}

/** Bytes [start, end) of a Blob, clamped to its size; reads only that range. */
export async function readRange(blob: Blob, start: number, end: number): Promise<Bytes> {
  const a = Math.max(0, start);
  const b = Math.min(blob.size, end);
  if (!(b > a)) return new Uint8Array(0);
  return new Uint8Array(await blob.slice(a, b).arrayBuffer());
}

/** `length` bytes at `at` as Latin-1 text (chunk ids, magic); bytes past the end are left out. */
export function ascii(bytes: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = Math.max(0, at); i < at + length && i < bytes.length; i++) {
    s += String.fromCharCode(bytes[i]!);
  }
  return s;
}

/** True when `bytes` begins with `magic` (numbers or Latin-1 text). */
export function startsWith(bytes: Uint8Array, magic: readonly number[] | string, at = 0): boolean {
  const m = typeof magic === 'string' ? latin1(magic) : magic;
  if (at < 0 || at + m.length > bytes.length) return false;
  for (let i = 0; i < m.length; i++) if (bytes[at + i] !== m[i]) return false;
  return true;
}

const byte = (b: Uint8Array, i: number): number => b[i] ?? 0;

export function u16le(b: Uint8Array, at: number): number {
  return byte(b, at) | (byte(b, at + 1) << 8);
}

export function u16be(b: Uint8Array, at: number): number {
  return (byte(b, at) << 8) | byte(b, at + 1);
}

export function u32le(b: Uint8Array, at: number): number {
  return (
    (byte(b, at) | (byte(b, at + 1) << 8) | (byte(b, at + 2) << 16) | (byte(b, at + 3) << 24)) >>> 0
  );
}

export function u32be(b: Uint8Array, at: number): number {
  return (
    ((byte(b, at) << 24) | (byte(b, at + 1) << 16) | (byte(b, at + 2) << 8) | byte(b, at + 3)) >>> 0
  );
}

/** A 28-bit ID3v2 "syncsafe" integer: 7 bits a byte, so it never holds a false frame sync. */
export function syncsafe(b: Uint8Array, at: number): number {
  return (
    ((byte(b, at) & 0x7f) << 21) |
    ((byte(b, at + 1) & 0x7f) << 14) |
    ((byte(b, at + 2) & 0x7f) << 7) |
    (byte(b, at + 3) & 0x7f)
  );
}

/** True when the four bytes at `at` are a valid syncsafe integer (no high bit set). */
export function isSyncsafe(b: Uint8Array, at: number): boolean {
  return ((byte(b, at) | byte(b, at + 1) | byte(b, at + 2) | byte(b, at + 3)) & 0x80) === 0;
}

/** Writes `n` (below 2^28) as a syncsafe integer. */
export function writeSyncsafe(b: Uint8Array, at: number, n: number): void {
  if (!(n >= 0 && n < 2 ** 28)) throw new RangeError(`${n} does not fit a syncsafe integer`);
  b[at] = (n >> 21) & 0x7f;
  b[at + 1] = (n >> 14) & 0x7f;
  b[at + 2] = (n >> 7) & 0x7f;
  b[at + 3] = n & 0x7f;
}

/** One array holding `parts` one after another. */
export function concat(parts: readonly Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Latin-1 bytes of `s` (characters above U+00FF keep their low byte). */
export function latin1(s: string): Bytes {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 0xff;
  return u;
}

export interface BlobReaderOptions {
  /** Bytes read at a time: big enough to amortise Blob reads, small enough for memory. */
  chunk?: number;
  signal?: AbortSignal;
  /** Called with the furthest byte read so far, after each read that goes further. */
  onRead?: (furthest: number) => void;
}

/**
 * A moving window over a Blob for readers that walk forward (MP3 frames, WAV chunks): one
 * window at a time, each read checked for cancellation and counted for progress.
 */
export class BlobReader {
  private buf: Bytes = new Uint8Array(0);
  private start = 0;
  /** Furthest byte read so far. */
  furthest = 0;
  private readonly chunk: number;

  constructor(
    readonly blob: Blob,
    private readonly opts: BlobReaderOptions = {},
  ) {
    this.chunk = opts.chunk ?? 2 * 1024 * 1024;
  }

  get size(): number {
    return this.blob.size;
  }

  /** True when [pos, pos + n) is in the window. */
  has(pos: number, n: number): boolean {
    return pos >= this.start && pos + n <= this.start + this.buf.length;
  }

  /** Makes sure [pos, pos + n) is in the window, as far as the Blob reaches. */
  async ensure(pos: number, n: number): Promise<void> {
    const want = Math.max(0, Math.min(n, this.blob.size - pos));
    if (this.has(pos, want)) return;
    throwIfAborted(this.opts.signal);
    const end = Math.min(this.blob.size, pos + Math.max(this.chunk, want));
    this.buf = await readRange(this.blob, pos, end);
    this.start = pos;
    throwIfAborted(this.opts.signal);
    if (end > this.furthest) {
      this.furthest = end;
      this.opts.onRead?.(end);
    }
  }

  /** Byte at `pos` (0 outside the window: call `ensure` first). */
  byte(pos: number): number {
    return this.buf[pos - this.start] ?? 0;
  }

  /** The window from `pos` on, without copying (call `ensure` first). */
  view(pos: number, n: number): Bytes {
    const i = pos - this.start;
    if (i < 0) return new Uint8Array(0);
    return this.buf.subarray(i, i + n);
  }

  /** Up to `n` bytes at `pos` (fewer at the end of the Blob), without copying. */
  async bytes(pos: number, n: number): Promise<Bytes> {
    await this.ensure(pos, n);
    return this.view(pos, Math.max(0, Math.min(n, this.blob.size - pos)));
  }
}
