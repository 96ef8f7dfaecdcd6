/**
 * Readers of bytes from strangers' files trust no count in a header (issue 18, defect 6, and
 * "What to build" 1): MP4 sample tables and box walks, chained ID3v2 tags, Ogg pages and cue
 * sheets. Adversarial generators (nested, repeated, huge counts, tiny boxes) at growing sizes;
 * work is measured in time with support/growth.ts, or in Blob reads for the readers of Blobs.
 */
import { describe, expect, it } from 'vitest';
import { concat, type Bytes } from '@/lib/core/bytes';
import { JoinCanceledError } from '@/lib/core/errors';
import { topBoxes } from '@/lib/containers/mp4';
import { matchCueFiles, parseCue } from '@/lib/media/cue';
import { parseId3v2, readLeadingId3 } from '@/lib/containers/id3';
import { SpliceError } from '@/lib/containers/errors';
import { leaf, readBoxes, readSamples, u32s, writeBox, type Box } from '@/lib/containers/mp4';
import { oggPage, readOgg } from '@/lib/containers/ogg';
import { pageOpus } from '@/lib/containers/ogg-opus';
import { expectLinear } from './support/growth';

const container = (type: string, children: Box[]): Box => ({
  type,
  payload: new Uint8Array(0),
  children,
  start: -1,
  size: 0,
});

/** A `trak` whose sample tables are the given payloads (version/flags included). */
function trak(tables: { stsz: Bytes; stco: Bytes; stsc: Bytes; stts: Bytes }): Box {
  const mdhd = leaf('mdhd', u32s(0, 0, 0, 44100, 0, 0));
  const stbl = container('stbl', [
    leaf('stsz', tables.stsz),
    leaf('stco', tables.stco),
    leaf('stsc', tables.stsc),
    leaf('stts', tables.stts),
  ]);
  // Written and read back, as a file's bytes would be.
  const bytes = writeBox(container('trak', [container('mdia', [mdhd, container('minf', [stbl])])]));
  return readBoxes(bytes)[0]!;
}

const goodTables = (n: number) => ({
  stsz: u32s(
    0,
    0,
    n,
    Array.from({ length: n }, () => 10),
  ),
  stco: u32s(0, 1, 1000),
  stsc: u32s(0, 1, 1, n, 1),
  stts: u32s(0, 1, n, 1024),
});

describe('MP4 sample tables', () => {
  it('reads a well-formed table', () => {
    const t = readSamples(trak(goodTables(3)));
    expect(t).toEqual({
      offsets: [1000, 1010, 1020],
      sizes: [10, 10, 10],
      durations: [1024, 1024, 1024],
      timescale: 44100,
    });
  });

  it.each<[string, (n: number) => { stsz: Bytes; stco: Bytes; stsc: Bytes; stts: Bytes }]>([
    [
      'stsz count 0xFFFFFFFF with a fixed sample size',
      () => ({ ...goodTables(1), stsz: u32s(0, 10, 0xffffffff) }),
    ],
    [
      'stsz count 0xFFFFFFFF with no sizes present',
      () => ({ ...goodTables(1), stsz: u32s(0, 0, 0xffffffff, 10) }),
    ],
    ['stts run of 0xFFFFFFFF', () => ({ ...goodTables(4), stts: u32s(0, 1, 0xffffffff, 1024) })],
    [
      'stts entry count 0xFFFFFFFF',
      () => ({ ...goodTables(4), stts: u32s(0, 0xffffffff, 4, 1024) }),
    ],
    ['stco count 0xFFFFFFFF', () => ({ ...goodTables(4), stco: u32s(0, 0xffffffff, 1000) })],
    ['stsc count 0xFFFFFFFF', () => ({ ...goodTables(4), stsc: u32s(0, 0xffffffff, 1, 4, 1) })],
  ])('%s is a named error, not a heap blow-up', (_name, tables) => {
    const t = trak(tables(0));
    expect(() => readSamples(t)).toThrow(SpliceError);
  });

  it('a fixed-size count larger than the file is refused before allocating', () => {
    const t = trak({ ...goodTables(1), stsz: u32s(0, 100, 5_000_000) });
    expect(() => readSamples(t, 1024 * 1024)).toThrow(/more than the file/);
  });

  it('grows linearly with the number of samples', () => {
    expectLinear({ make: (n) => trak(goodTables(n)), run: (t) => readSamples(t), base: 2000 });
  });
});

describe('MP4 box walks', () => {
  it('many tiny boxes are read in linear time', () => {
    expectLinear({
      make: (n) =>
        concat(Array.from({ length: n }, () => writeBox(leaf('free', new Uint8Array(0))))),
      run: (b) => readBoxes(b).length,
      base: 4000,
    });
  });

  it('boxes nested in themselves thousands deep are a named error, not a stack overflow', () => {
    let box: Box = leaf('free', new Uint8Array(0));
    for (let i = 0; i < 5000; i++) box = container('moov', [box]);
    const bytes = writeBox(box);
    expect(() => readBoxes(bytes)).toThrow(SpliceError);
    expect(() => readBoxes(bytes)).toThrow(/nested more than/);
  });

  it('100,000 tiny top-level boxes cost a Blob read per 64 KB, not one each', async () => {
    for (const n of [12_500, 100_000]) {
      const bytes = concat(
        Array.from({ length: n }, () => writeBox(leaf('free', new Uint8Array(0)))),
      );
      const blob = countingBlob(bytes);
      const boxes = await topBoxes(blob);
      expect(boxes).toHaveLength(n);
      expect(blob.reads).toBeLessThanOrEqual(Math.ceil(bytes.length / 65536) + 2);
    }
  });

  it('a box of size 0 or 1 with no room for its 64-bit size ends the walk with a named error', async () => {
    const bytes = concat([
      writeBox(leaf('free', new Uint8Array(0))),
      u32s(1),
      new Uint8Array([102, 114, 101, 101]),
    ]);
    await expect(topBoxes(countingBlob(bytes))).rejects.toThrow(SpliceError);
  });
});

/** A Blob that counts its reads (slices). */
function countingBlob(bytes: Bytes): Blob & { reads: number } {
  const blob = new Blob([bytes as BlobPart]) as Blob & { reads: number };
  blob.reads = 0;
  const slice = blob.slice.bind(blob);
  blob.slice = (...args: Parameters<Blob['slice']>) => {
    blob.reads++;
    return slice(...args);
  };
  return blob;
}

/** An ID3v2.4 tag of `body` (syncsafe size). */
function id3(body: Bytes = new Uint8Array(0)): Bytes {
  const n = body.length;
  const head = new Uint8Array([
    0x49,
    0x44,
    0x33,
    4,
    0,
    0,
    (n >> 21) & 127,
    (n >> 14) & 127,
    (n >> 7) & 127,
    n & 127,
  ]);
  return concat([head, body]);
}

describe('chained ID3v2 tags', () => {
  it('100,000 chained empty tags cost a Blob read per 64 KB, not one each', async () => {
    // Before: one Blob read per 10-byte tag, 9.2 s.
    for (const n of [12_500, 100_000]) {
      const bytes = concat([
        ...Array.from({ length: n }, () => id3()),
        new Uint8Array([0xff, 0xfb, 0x90, 0]),
      ]);
      const blob = countingBlob(bytes);
      const lead = await readLeadingId3(blob, { frames: false });
      expect(lead).toEqual({ tag: undefined, size: 10 * n, truncated: false });
      expect(blob.reads).toBeLessThanOrEqual(Math.ceil(bytes.length / 65536) + 2);
    }
  });

  it('chained tags with frames are read whole, a window at a time', async () => {
    const frame = concat([
      new TextEncoder().encode('TIT2'),
      u32s(3),
      new Uint8Array([0, 0, 3, 65, 66]),
    ]);
    const bytes = concat(Array.from({ length: 20_000 }, () => id3(frame)));
    const blob = countingBlob(bytes);
    const lead = await readLeadingId3(blob);
    expect(lead.size).toBe(bytes.length);
    expect(lead.tag?.frames).toHaveLength(20_000);
    expect(blob.reads).toBeLessThanOrEqual(Math.ceil(bytes.length / 65536) + 2);
  });

  it('Cancel stops the walk', async () => {
    const bytes = concat(Array.from({ length: 100_000 }, () => id3()));
    const stop = new AbortController();
    stop.abort();
    await expect(
      readLeadingId3(new Blob([bytes as BlobPart]), { signal: stop.signal }),
    ).rejects.toThrow(JoinCanceledError);
  });

  it('a tag of many empty frames is parsed in linear time', () => {
    expectLinear({
      make: (n) =>
        id3(
          concat(
            Array.from({ length: n }, () =>
              concat([new TextEncoder().encode('TXXX'), u32s(0), new Uint8Array(2)]),
            ),
          ),
        ),
      run: parseId3v2,
      base: 2000,
    });
  });
});

describe('Ogg pages', () => {
  it('packets continued over many pages are read in linear time', () => {
    // Every page holds 255 lacing values of 255: one packet that never ends until the last page.
    const page = () => {
      const p = new Uint8Array(27 + 255 + 255 * 255);
      p.set([0x4f, 0x67, 0x67, 0x53]);
      p[14] = 1; // serial
      p[26] = 255;
      p.fill(255, 27, 27 + 255);
      return p;
    };
    expectLinear({
      make: (n) =>
        concat([
          ...Array.from({ length: n }, page),
          oggPage([new Uint8Array(1)], { serial: 1, sequence: n, granule: n }),
        ]),
      run: (b) => readOgg(b).packets.length,
      // Up to 1 MB: a larger joined packet times the caches and paging more than the reader.
      base: 2,
    });
  });

  it('many tiny pages are read in linear time', () => {
    const page = (i: number) =>
      oggPage([new Uint8Array(1)], { serial: 1, sequence: i, granule: i });
    expectLinear({
      make: (n) => concat(Array.from({ length: n }, (_, i) => page(i))),
      run: (b) => readOgg(b).packets.length,
      base: 2000,
    });
  });
});

describe('cue sheets', () => {
  it.each<[string, (n: number) => string]>([
    [
      'many tracks',
      (n) =>
        'FILE "a.flac" WAVE\n' +
        Array.from({ length: n }, (_, i) => `TRACK ${i} AUDIO\nINDEX 01 00:00:00\n`).join(''),
    ],
    ['unclosed quotes', (n) => `TITLE "${'a'.repeat(n * 20)}\n`.repeat(4)],
    ['very long tokens', (n) => `REM ${'x'.repeat(n * 40)} ${'y '.repeat(n * 10)}\n`],
    [
      'many files',
      (n) =>
        Array.from(
          { length: n },
          (_, i) => `FILE "f${i}.wav" WAVE\nTRACK 1 AUDIO\nINDEX 01 00:00:00\n`,
        ).join(''),
    ],
  ])('%s parse in linear time', (_name, make) => {
    // From 2,000: below it, V8 keeps the short tokens' strings cheaper (1,000 to 2,000 takes
    // 5x, then every doubling 2x), a step a smaller base measures as growth.
    expectLinear({ make, run: parseCue, base: 2000 });
  });

  it('entries past 10,000 are left out, so matching files stays bounded', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `FILE "f${i}.wav" WAVE\n`).join('');
    const sheet = parseCue(text);
    expect(sheet.files).toHaveLength(10_000);
    expect(matchCueFiles(sheet, ['f1.wav', 'f9999.flac'])).toHaveLength(10_000);
  });
});

describe('Opus paging', () => {
  it('a packet too large for an Ogg page is refused, not paged empty forever', () => {
    const head = new Uint8Array(19);
    const tags = new Uint8Array(16);
    const small = new Uint8Array([0xfc, 0, 0]);
    expect(() => pageOpus(head, tags, 1, [small, new Uint8Array(70_000)], 960)).toThrow(
      SpliceError,
    );
    // The packets a valid stream holds are paged as before.
    expect(pageOpus(head, tags, 1, [small, small], 1920).size).toBeGreaterThan(0);
  });
});
