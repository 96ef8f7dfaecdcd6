/**
 * Byte I/O on Blobs for ffmpeg's file system, without whole copies: inputs are read in blocks
 * (BlockReader) and the output is gathered in chunks into Blob parts (OutputFile). Both take the
 * synchronous Blob reader (FileReaderSync in the worker) as an argument, so they run anywhere.
 */

export type ReadSync = (blob: Blob) => ArrayBuffer;

/**
 * Emscripten's WORKERFS reads whatever ffmpeg asks for (32 KiB at a time) through one
 * FileReaderSync call each; measured here, that made a WAV join about 2x slower than copying the
 * file into memory first. Reading 1 MiB blocks and serving the small reads from them costs one
 * call per MiB. A few blocks are kept (least recently used goes first), because a filter graph
 * reads several inputs in turn.
 */
const READ_BLOCK_BYTES = 1 << 20;
const READ_BLOCKS_KEPT = 8;

interface Block {
  blob: Blob;
  start: number;
  bytes: Uint8Array;
}

export class BlockReader {
  readonly #readSync: ReadSync;
  readonly #blockBytes: number;
  readonly #kept: number;
  #blocks: Block[] = [];
  /** FileReaderSync calls made, for tests and measurements. */
  reads = 0;

  constructor(readSync: ReadSync, blockBytes = READ_BLOCK_BYTES, kept = READ_BLOCKS_KEPT) {
    this.#readSync = readSync;
    this.#blockBytes = blockBytes;
    this.#kept = kept;
  }

  /** Copies up to `length` bytes of `blob` from `position` into `into` at `offset`. */
  read(blob: Blob, into: Uint8Array, offset: number, length: number, position: number): number {
    const end = Math.min(blob.size, position + length);
    let done = 0;
    for (let p = position; p < end;) {
      const block = this.#block(blob, p);
      const from = p - block.start;
      const n = Math.min(end - p, block.bytes.length - from);
      if (n <= 0) break;
      into.set(block.bytes.subarray(from, from + n), offset + done);
      done += n;
      p += n;
    }
    return done;
  }

  /** Forgets the blocks of `blob` (its file was unmounted). */
  forget(blob: Blob): void {
    this.#blocks = this.#blocks.filter((b) => b.blob !== blob);
  }

  #block(blob: Blob, position: number): Block {
    const i = this.#blocks.findIndex(
      (b) => b.blob === blob && position >= b.start && position < b.start + b.bytes.length,
    );
    if (i >= 0) {
      const hit = this.#blocks[i]!;
      if (i > 0) {
        this.#blocks.splice(i, 1);
        this.#blocks.unshift(hit);
      }
      return hit;
    }
    const start = position - (position % this.#blockBytes);
    this.reads++;
    const bytes = new Uint8Array(this.#readSync(blob.slice(start, start + this.#blockBytes)));
    const block = { blob, start, bytes };
    this.#blocks.unshift(block);
    if (this.#blocks.length > this.#kept) this.#blocks.length = this.#kept;
    return block;
  }
}

/**
 * How much of the output is held in the worker before it moves into a Blob part: the first
 * part's size, doubled for each next part up to OUTPUT_CHUNK_MAX_BYTES. The browser keeps Blob
 * data out of the worker (and pages large Blobs to disk), so the worker's memory for the output
 * stays at most the largest chunk, whatever the output's size.
 *
 * Why they grow: each Blob made in the worker costs a fixed price besides its bytes. Measured in
 * headless Chromium here, 200 MB made into Blobs of 4 MiB took 1.6-2.1 s, of 16 MiB 0.9-1.5 s,
 * of 64 MiB 0.5-0.7 s; with 4 MiB parts, writing a 10 x 60 s join's 24-bit FLAC took ffmpeg.wasm
 * 1.3-1.6 s more than encoding it to nowhere (`-f null`). A short output still holds 4 MiB.
 */
const OUTPUT_CHUNK_BYTES = 4 << 20;
const OUTPUT_CHUNK_MAX_BYTES = 64 << 20;

interface Part {
  start: number;
  blob: Blob;
}

/**
 * One output file: appended bytes gather in a buffer that moves into a Blob part whenever it is
 * full. Muxers seek back to finish headers (WAV and RF64 sizes, MP3's Xing frame, FLAC's
 * STREAMINFO, MP4's mdat size): a write into bytes already moved splices the new bytes between
 * slices of the parts (Blob slices share their data).
 */
export class OutputFile {
  readonly #maxChunkBytes: number;
  /** The buffer's size: the next part's. */
  #chunkBytes: number;
  #parts: Part[] = [];
  /** Bytes held in Blob parts: [0, flushed). */
  #flushed = 0;
  #buf: Uint8Array<ArrayBuffer>;
  /** Bytes in the buffer: [flushed, flushed + held). */
  #held = 0;

  constructor(chunkBytes = OUTPUT_CHUNK_BYTES, maxChunkBytes = OUTPUT_CHUNK_MAX_BYTES) {
    this.#chunkBytes = chunkBytes;
    this.#maxChunkBytes = Math.max(chunkBytes, maxChunkBytes);
    this.#buf = new Uint8Array(chunkBytes);
  }

  get size(): number {
    return this.#flushed + this.#held;
  }

  write(position: number, data: Uint8Array): number {
    let p = position;
    let d = data;
    if (p < this.#flushed && d.length > 0) {
      const n = Math.min(d.length, this.#flushed - p);
      this.#patch(p, d.subarray(0, n));
      p += n;
      d = d.subarray(n);
    }
    while (d.length > 0) {
      const rel = p - this.#flushed;
      if (rel > this.#held) {
        // A write past the end: the gap reads as zeros, as in any file.
        const to = Math.min(rel, this.#chunkBytes);
        this.#buf.fill(0, this.#held, to);
        this.#held = to;
        if (this.#held === this.#chunkBytes) this.#flush();
        continue;
      }
      const n = Math.min(d.length, this.#chunkBytes - rel);
      this.#buf.set(d.subarray(0, n), rel);
      this.#held = Math.max(this.#held, rel + n);
      p += n;
      d = d.subarray(n);
      if (this.#held === this.#chunkBytes) this.#flush();
    }
    return data.length;
  }

  /** Reads back (rare: no muxer Seam uses reads its output); Blob parts through `readSync`. */
  read(position: number, length: number, readSync: ReadSync): Uint8Array {
    const end = Math.min(this.size, position + length);
    if (end <= position) return new Uint8Array(0);
    const out = new Uint8Array(end - position);
    if (position < this.#flushed) {
      const upto = Math.min(end, this.#flushed);
      const blob = new Blob(this.#parts.map((x) => x.blob)).slice(position, upto);
      out.set(new Uint8Array(readSync(blob)), 0);
    }
    if (end > this.#flushed) {
      const from = Math.max(position, this.#flushed);
      out.set(this.#buf.subarray(from - this.#flushed, end - this.#flushed), from - position);
    }
    return out;
  }

  truncate(size: number): void {
    if (size >= this.size) {
      if (size > this.size) this.write(size - 1, new Uint8Array(1));
      return;
    }
    if (size >= this.#flushed) {
      this.#held = size - this.#flushed;
      return;
    }
    this.#held = 0;
    this.#parts = this.#cut(0, size);
    this.#flushed = size;
  }

  /** The whole file as one Blob (of its parts: nothing is copied again). */
  toBlob(type: string): Blob {
    return new Blob([...this.#parts.map((x) => x.blob), this.#buf.slice(0, this.#held)], {
      type,
    });
  }

  #flush(): void {
    // The Blob takes a copy of the bytes, so the buffer is free for the next chunk (or goes,
    // for a larger one).
    this.#parts.push({ start: this.#flushed, blob: new Blob([this.#buf]) });
    this.#flushed += this.#held;
    this.#held = 0;
    if (this.#chunkBytes < this.#maxChunkBytes) {
      this.#chunkBytes = Math.min(this.#maxChunkBytes, this.#chunkBytes * 2);
      this.#buf = new Uint8Array(this.#chunkBytes);
    }
  }

  /** Replaces [position, position + bytes.length) of the Blob parts by `bytes`. */
  #patch(position: number, bytes: Uint8Array): void {
    const end = position + bytes.length;
    const before = this.#cut(0, position);
    const after = this.#cut(end, this.#flushed);
    this.#parts = [
      ...before,
      { start: position, blob: new Blob([bytes.slice() as Uint8Array<ArrayBuffer>]) },
      ...after,
    ];
  }

  /** The parts covering [from, to), sliced to it. */
  #cut(from: number, to: number): Part[] {
    const out: Part[] = [];
    for (const part of this.#parts) {
      const a = Math.max(from, part.start);
      const b = Math.min(to, part.start + part.blob.size);
      if (a >= b) continue;
      out.push({ start: a, blob: part.blob.slice(a - part.start, b - part.start) });
    }
    return out;
  }
}
