import { describe, expect, it } from 'vitest';
import { BlockReader, OutputFile } from '@/lib/engine/worker/blob-io';

/** A Blob stand-in whose bytes can be read synchronously, as FileReaderSync does in the worker. */
class SyncBlob {
  constructor(readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  slice(start = 0, end = this.bytes.length): SyncBlob {
    return new SyncBlob(this.bytes.subarray(start, Math.min(end, this.bytes.length)));
  }
}
const readSync = (b: Blob) => (b as unknown as SyncBlob).bytes.slice().buffer;
const asBlob = (bytes: Uint8Array) => new SyncBlob(bytes) as unknown as Blob;
const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe('BlockReader: inputs read in blocks, never whole', () => {
  it('serves many small reads from one block read each', () => {
    const source = counting(10_000);
    const reader = new BlockReader(readSync, 1024, 2);
    const blob = asBlob(source);
    const out = new Uint8Array(source.length);
    for (let p = 0; p < source.length; p += 100) reader.read(blob, out, p, 100, p);
    expect(out).toEqual(source);
    expect(reader.reads).toBe(Math.ceil(10_000 / 1024));
  });

  it('reads across block ends, stops at the end of the file, keeps few blocks', () => {
    const a = asBlob(counting(5000));
    const b = asBlob(counting(3000).reverse());
    const reader = new BlockReader(readSync, 1024, 2);
    const buf = new Uint8Array(2000);
    expect(reader.read(a, buf, 0, 2000, 1000)).toBe(2000);
    expect(buf).toEqual(counting(5000).subarray(1000, 3000));
    expect(reader.read(a, buf, 0, 2000, 4500)).toBe(500);
    expect(reader.read(a, buf, 0, 10, 5000)).toBe(0);
    // Two files read in turn, as a filter graph does: the block of each stays while in use.
    const before = reader.reads;
    for (let i = 0; i < 10; i++) {
      reader.read(a, buf, 0, 10, 10 + i);
      reader.read(b, buf, 0, 10, 10 + i);
    }
    expect(reader.reads - before).toBe(2);
  });
});

describe('OutputFile: the output leaves in chunks, headers are patched in place', () => {
  const bytesOf = async (f: OutputFile) => new Uint8Array(await f.toBlob('x/y').arrayBuffer());

  it('gathers appends across chunk boundaries into one Blob of the right type', async () => {
    const f = new OutputFile(1000);
    const data = counting(4321);
    for (let p = 0; p < data.length; p += 333) {
      f.write(p, data.subarray(p, Math.min(data.length, p + 333)));
    }
    expect(f.size).toBe(4321);
    expect(f.toBlob('audio/mpeg').type).toBe('audio/mpeg');
    expect(await bytesOf(f)).toEqual(data);
  });

  it('a header written last over bytes that already left (WAV sizes, Xing) lands in place', async () => {
    const f = new OutputFile(1000);
    const data = counting(3500);
    f.write(0, data);
    const header = Uint8Array.of(9, 9, 9, 9, 9, 9);
    f.write(4, header); // inside the first part
    f.write(998, Uint8Array.of(1, 2, 3, 4)); // across two parts
    f.write(3499, Uint8Array.of(7)); // in the buffer
    const want = data.slice();
    want.set(header, 4);
    want.set([1, 2, 3, 4], 998);
    want[3499] = 7;
    expect(await bytesOf(f)).toEqual(want);
  });

  it('a write past the end leaves zeros between; truncate cuts or extends', async () => {
    const f = new OutputFile(8);
    f.write(0, Uint8Array.of(1, 2));
    f.write(20, Uint8Array.of(3));
    expect(await bytesOf(f)).toEqual(Uint8Array.from([1, 2, ...new Array(18).fill(0), 3]));
    f.truncate(5);
    expect(await bytesOf(f)).toEqual(Uint8Array.of(1, 2, 0, 0, 0));
    f.truncate(0);
    f.write(0, Uint8Array.of(4));
    expect(await bytesOf(f)).toEqual(Uint8Array.of(4));
  });

  it('each part is twice the one before up to the largest (fewer Blobs for a long output)', async () => {
    // Parts of 4, 8, 16, 16 bytes leave 44 of 50 bytes; the last 6 are still in the buffer.
    const f = new OutputFile(4, 16);
    const data = counting(50);
    for (let p = 0; p < data.length; p += 5) f.write(p, data.subarray(p, p + 5));
    const never = () => {
      throw new Error('no sync read of the parts expected');
    };
    expect(f.read(44, 6, never)).toEqual(data.subarray(44, 50));
    expect(() => f.read(43, 1, never)).toThrow('no sync read');
    f.write(2, Uint8Array.of(9, 9, 9, 9)); // across the first two parts
    const want = data.slice();
    want.set([9, 9, 9, 9], 2);
    expect(await bytesOf(f)).toEqual(want);
  });

  it('reads back what is still in the buffer without touching the parts', () => {
    const f = new OutputFile(8);
    f.write(0, counting(12));
    const never = () => {
      throw new Error('no sync read of the parts expected');
    };
    expect(f.read(9, 3, never)).toEqual(counting(12).subarray(9, 12));
  });
});
