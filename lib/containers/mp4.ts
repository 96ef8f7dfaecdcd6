/**
 * Just enough ISO BMFF (MP4) for Seam's passes over AAC in MP4 (the parallel splicer,
 * lib/segments/aac.ts; the joins closed after a stream copy, lib/lossless/mp4*.ts): the top-level
 * boxes of a Blob, a box tree for the path down to the sample tables (other boxes stay opaque
 * bytes), a track's samples, its edit and the movie's timescale, and writing the tree back.
 * Pure, apart from reading slices of a Blob.
 */
import { concat, readRange, throwIfAborted, type Bytes } from '@/lib/core/bytes';
import { SpliceError } from './errors';

export interface Box {
  type: string;
  /** A container's children; undefined for a leaf. */
  children?: Box[];
  /** A leaf's payload (after the 8- or 16-byte header), or a container's bytes before its children. */
  payload: Bytes;
  /** Where the box starts in the file it was read from. */
  start: number;
  size: number;
}

/** Boxes Seam descends into; `meta` is a full box (4 bytes of version and flags first). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts']);

/**
 * Nesting Seam follows at most: moov/trak/mdia/minf/stbl is five deep. A box nested in itself
 * thousands of times (8 bytes a level) is not a file an encoder wrote.
 */
const MAX_DEPTH = 12;

export function readBoxes(b: Bytes, start = 0, end = b.length, depth = 0): Box[] {
  if (depth > MAX_DEPTH) throw new SpliceError(`MP4 boxes are nested more than ${MAX_DEPTH} deep`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const boxes: Box[] = [];
  for (let p = start; p + 8 <= end;) {
    let size = view.getUint32(p);
    const type = String.fromCharCode(b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(p + 8));
      header = 16;
    } else if (size === 0) size = end - p;
    if (size < header || p + size > end)
      throw new SpliceError(`MP4 box ${type} at ${p} is cut short`);
    const box: Box = CONTAINERS.has(type)
      ? {
          type,
          payload: new Uint8Array(0),
          children: readBoxes(b, p + header, p + size, depth + 1),
          start: p,
          size,
        }
      : { type, payload: b.subarray(p + header, p + size), start: p, size };
    boxes.push(box);
    p += size;
  }
  return boxes;
}

export function writeBox(box: Box): Bytes {
  const body = box.children ? concat([box.payload, ...box.children.map(writeBox)]) : box.payload;
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = box.type.charCodeAt(i);
  out.set(body, 8);
  return out;
}

export function child(box: Box | undefined, path: string): Box | undefined {
  let at = box;
  for (const type of path.split('/')) at = at?.children?.find((c) => c.type === type);
  return at;
}

export function mustChild(box: Box | undefined, path: string): Box {
  const found = child(box, path);
  if (!found) throw new SpliceError(`MP4 has no ${path}`);
  return found;
}

export function leaf(type: string, payload: Bytes): Box {
  return { type, payload, start: -1, size: payload.length + 8 };
}

export function view(b: Bytes): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * `out` (a rewritten `moov`) with its mvhd's duration set: the movie lasts as long as its
 * longest track, the audio's `movieDuration` (movie timescale) or any other track's.
 */
export function withMovieDuration(
  moov: Box,
  out: Box,
  audio: Box,
  mvhd: Bytes,
  movieDuration: number,
): Box {
  const others = moov
    .children!.filter((t) => t.type === 'trak' && t !== audio)
    .map((t) => {
      const p = mustChild(t, 'tkhd').payload;
      return p[0] === 1 ? Number(view(p).getBigUint64(28)) : view(p).getUint32(20);
    });
  const movie = Math.max(movieDuration, ...others);
  if (mvhd[0] === 1) view(mvhd).setBigUint64(24, BigInt(movie));
  else view(mvhd).setUint32(16, movie);
  out.children = out.children!.map((c) => (c.type === 'mvhd' ? leaf('mvhd', mvhd) : c));
  return out;
}

export interface SampleTable {
  offsets: number[];
  sizes: number[];
  /** Each sample's duration in the media's timescale. */
  durations: number[];
  timescale: number;
}

/** The track whose handler is `handler` ('soun' for audio). */
export function findTrack(moov: Box, handler: string): Box {
  const trak = moov.children?.find((t) => t.type === 'trak' && handlerOf(t) === handler);
  if (!trak) throw new SpliceError(`MP4 has no ${handler} track`);
  return trak;
}

function handlerOf(trak: Box): string {
  const hdlr = child(trak, 'mdia/hdlr')?.payload;
  return hdlr ? String.fromCharCode(...hdlr.subarray(8, 12)) : '';
}

/**
 * A track's samples: where each is, how long it is in bytes and in time. A table shorter than
 * it says (a file cut short, an odd writer) is a SpliceError like any file not as assumed, so
 * the caller's fallback takes it. `fileBytes`, the size of the file the track is in, bounds the
 * count of samples of a fixed size (each takes at least that many bytes of it).
 */
export function readSamples(trak: Box, fileBytes = Infinity): SampleTable {
  try {
    return readSampleTables(trak, fileBytes);
  } catch (e) {
    if (e instanceof RangeError) throw new SpliceError('MP4 sample tables are cut short');
    throw e;
  }
}

/**
 * Samples a track may have: a 10-hour AAC book at 48 kHz has 1.7 million; the cap leaves room
 * for 100 hours. A count past it (or past what the table's bytes hold) is refused before any
 * array is made: an `stsz` of count 0xFFFFFFFF with a fixed size exhausted the heap.
 */
const MAX_SAMPLES = 20_000_000;

function readSampleTables(trak: Box, fileBytes: number): SampleTable {
  const stbl = mustChild(trak, 'mdia/minf/stbl');
  const mdhd = view(mustChild(trak, 'mdia/mdhd').payload);
  const timescale = mdhd.getUint8(0) === 1 ? mdhd.getUint32(20) : mdhd.getUint32(12);
  const stsz = view(mustChild(stbl, 'stsz').payload);
  const fixed = stsz.getUint32(4);
  const count = checkedCount(stsz.getUint32(8), 'stsz', fixed ? 0 : 4, stsz.byteLength - 12);
  if (fixed && count * fixed > fileBytes) {
    throw new SpliceError(`MP4 stsz counts ${count} samples of ${fixed} bytes, more than the file`);
  }
  const sizes = Array.from({ length: count }, (_, i) => fixed || stsz.getUint32(12 + 4 * i));
  const co64 = child(stbl, 'co64');
  const stco = view((co64 ?? mustChild(stbl, 'stco')).payload);
  const chunkCount = checkedCount(stco.getUint32(4), 'stco', co64 ? 8 : 4, stco.byteLength - 8);
  const chunks = Array.from({ length: chunkCount }, (_, i) =>
    co64 ? Number(stco.getBigUint64(8 + 8 * i)) : stco.getUint32(8 + 4 * i),
  );
  const stsc = view(mustChild(stbl, 'stsc').payload);
  const runCount = checkedCount(stsc.getUint32(4), 'stsc', 12, stsc.byteLength - 8);
  const runs = Array.from({ length: runCount }, (_, i) => ({
    first: stsc.getUint32(8 + 12 * i),
    perChunk: stsc.getUint32(12 + 12 * i),
  }));
  if (runs.length === 0 && count > 0) throw new SpliceError('MP4 stsc has no entries');
  const offsets: number[] = [];
  for (let c = 0, r = 0; c < chunks.length && offsets.length < count; c++) {
    while (r + 1 < runs.length && runs[r + 1]!.first <= c + 1) r++;
    let at = chunks[c]!;
    for (let k = 0; k < runs[r]!.perChunk && offsets.length < count; k++) {
      offsets.push(at);
      at += sizes[offsets.length - 1]!;
    }
  }
  const stts = view(mustChild(stbl, 'stts').payload);
  const durations: number[] = [];
  const sttsCount = checkedCount(stts.getUint32(4), 'stts', 8, stts.byteLength - 8);
  for (let i = 0; i < sttsCount; i++) {
    const run = stts.getUint32(8 + 8 * i);
    const delta = stts.getUint32(12 + 8 * i);
    // Runs past the sample count are refused before they are unrolled (a run of 0xFFFFFFFF).
    if (durations.length + run > count)
      throw new SpliceError('MP4 stts counts more samples than stsz');
    for (let k = 0; k < run; k++) durations.push(delta);
  }
  if (offsets.length !== count || durations.length !== count) {
    throw new SpliceError('MP4 sample tables disagree');
  }
  return { offsets, sizes, durations, timescale };
}

/**
 * A table's entry count, checked before anything is allocated from it: at most MAX_SAMPLES, and
 * (for tables with `entryBytes` per entry) no more entries than `bytes` hold.
 */
function checkedCount(count: number, table: string, entryBytes: number, bytes: number): number {
  if (count > MAX_SAMPLES) {
    throw new SpliceError(`MP4 ${table} counts ${count} entries, more than ${MAX_SAMPLES}`);
  }
  if (entryBytes > 0 && count * entryBytes > bytes) {
    throw new SpliceError(
      `MP4 ${table} counts ${count} entries, more than its ${bytes} bytes hold`,
    );
  }
  return count;
}

/**
 * Big-endian bytes of 32-bit numbers, given one by one or as arrays: a sample table of a long
 * book holds millions of entries, more than a spread call's arguments may be.
 */
export function u32s(...values: (number | readonly number[])[]): Bytes {
  const count = values.reduce<number>((n, v) => n + (typeof v === 'number' ? 1 : v.length), 0);
  const out = new Uint8Array(count * 4);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const value of values) {
    if (typeof value === 'number') v.setUint32(4 * at++, value);
    else for (const n of value) v.setUint32(4 * at++, n);
  }
  return out;
}

/** A top-level box found by walking a Blob's box headers. */
export interface TopBox {
  type: string;
  start: number;
  size: number;
}

/** Bytes of box headers read at a time: many tiny boxes cost one read, not one each. */
const TOP_WINDOW = 64 * 1024;
/**
 * Top-level boxes a file may have: ffmpeg writes four or five; 100,000 tiny boxes took one Blob
 * read each (8.2 s) before reads were windowed. Past this it is not a file Seam wrote.
 */
const MAX_TOP_BOXES = 100_000;

export async function topBoxes(blob: Blob, signal?: AbortSignal): Promise<TopBox[]> {
  const out: TopBox[] = [];
  let win = new Uint8Array(0);
  let winAt = 0;
  for (let p = 0; p + 8 <= blob.size;) {
    if (p < winAt || p + 16 > winAt + win.length) {
      throwIfAborted(signal);
      winAt = p;
      win = await readRange(blob, p, p + TOP_WINDOW);
    }
    const head = new DataView(
      win.buffer,
      win.byteOffset + (p - winAt),
      Math.min(16, win.length - (p - winAt)),
    );
    let size = head.getUint32(0);
    const type = String.fromCharCode(
      head.getUint8(4),
      head.getUint8(5),
      head.getUint8(6),
      head.getUint8(7),
    );
    if (size === 1) {
      if (head.byteLength < 16) throw new SpliceError(`MP4 box ${type} at ${p} is cut short`);
      size = Number(head.getBigUint64(8));
    } else if (size === 0) size = blob.size - p;
    if (size < 8) throw new SpliceError(`MP4 box ${type} at ${p} has no size`);
    if (out.length >= MAX_TOP_BOXES) {
      throw new SpliceError(`MP4 has more than ${MAX_TOP_BOXES} top-level boxes`);
    }
    out.push({ type, start: p, size });
    p += size;
  }
  return out;
}

/** The `moov` of an MP4 Blob, parsed, and where it sits. */
export async function readMoov(blob: Blob): Promise<{ moov: Box; at: TopBox; tops: TopBox[] }> {
  const tops = await topBoxes(blob);
  const at = tops.find((b) => b.type === 'moov');
  if (!at) throw new SpliceError('MP4 has no moov');
  const bytes = new Uint8Array(await blob.slice(at.start, at.start + at.size).arrayBuffer());
  const [moov] = readBoxes(bytes);
  return { moov: moov!, at, tops };
}

/** A movie's timescale (mvhd). */
export function movieScale(moov: Box): number {
  const p = mustChild(moov, 'mvhd').payload;
  return view(p).getUint32(p[0] === 1 ? 20 : 12);
}

/** The first edit of a track: where in the media it starts and how long it plays (movie units). */
export function firstEdit(trak: Box): { mediaTime: number; duration: number } | undefined {
  const p = child(trak, 'edts/elst')?.payload;
  if (!p || view(p).getUint32(4) === 0) return undefined;
  // An empty edit (media time -1) first is a delay, not a trim: not what encoders write.
  if (p[0] === 1) {
    return {
      duration: Number(view(p).getBigUint64(8)),
      mediaTime: Number(view(p).getBigInt64(16)),
    };
  }
  return { duration: view(p).getUint32(8), mediaTime: view(p).getInt32(12) };
}

/** What an input's esds says: its AudioSpecificConfig and average bitrate. */
export interface AacConfig {
  objectType: number;
  frequencyIndex: number;
  sampleRate: number;
  channelConfig: number;
  /** Bits per second, 0 when the esds does not say. */
  avgBitrate: number;
}

const RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

/** The AAC configuration of an MP4's audio track (its stsd's esds), or undefined. */
export function aacConfig(stsd: Bytes): AacConfig | undefined {
  const at = indexOf(stsd, 'esds');
  if (at < 0) return undefined;
  let p = at + 12; // size, type, version and flags
  const descriptor = (): { tag: number; len: number } => {
    const tag = stsd[p++]!;
    let len = 0;
    for (let i = 0; i < 4; i++) {
      const b = stsd[p++]!;
      len = (len << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return { tag, len };
  };
  if (descriptor().tag !== 3) return undefined;
  const flags = stsd[p + 2]!;
  p += 3;
  if (flags & 0x80) p += 2;
  if (flags & 0x40) p += 1 + stsd[p]!;
  if (flags & 0x20) p += 2;
  if (descriptor().tag !== 4) return undefined;
  if (stsd[p] !== 0x40) return undefined; // MPEG-4 audio
  const avgBitrate = view(stsd).getUint32(p + 9);
  p += 13;
  if (descriptor().tag !== 5) return undefined;
  let bits = 0;
  let have = 0;
  const read = (n: number): number => {
    while (have < n) {
      bits = (bits << 8) | stsd[p++]!;
      have += 8;
    }
    have -= n;
    return (bits >> have) & ((1 << n) - 1);
  };
  let objectType = read(5);
  if (objectType === 31) objectType = 32 + read(6);
  const frequencyIndex = read(4);
  const sampleRate = frequencyIndex === 15 ? read(24) : (RATES[frequencyIndex] ?? 0);
  const channelConfig = read(4);
  return { objectType, frequencyIndex, sampleRate, channelConfig, avgBitrate };
}

function indexOf(b: Bytes, type: string): number {
  outer: for (let p = 4; p + 4 <= b.length; p++) {
    for (let i = 0; i < 4; i++) if (b[p + i] !== type.charCodeAt(i)) continue outer;
    return p - 4;
  }
  return -1;
}
