/**
 * Just enough ISO BMFF (MP4) for Seam's passes over AAC in MP4 (the parallel splicer,
 * lib/segments/aac.ts; the joins closed after a stream copy, lib/lossless/mp4*.ts): the top-level
 * boxes of a Blob, a box tree for the path down to the sample tables (other boxes stay opaque
 * bytes), a track's samples, its edit and the movie's timescale, and writing the tree back.
 * Pure, apart from reading slices of a Blob.
 */
import { concat, type Bytes } from '@/lib/core/bytes';
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

export function readBoxes(b: Bytes, start = 0, end = b.length): Box[] {
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
          children: readBoxes(b, p + header, p + size),
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
 * the caller's fallback takes it.
 */
export function readSamples(trak: Box): SampleTable {
  try {
    return readSampleTables(trak);
  } catch (e) {
    if (e instanceof RangeError) throw new SpliceError('MP4 sample tables are cut short');
    throw e;
  }
}

function readSampleTables(trak: Box): SampleTable {
  const stbl = mustChild(trak, 'mdia/minf/stbl');
  const mdhd = view(mustChild(trak, 'mdia/mdhd').payload);
  const timescale = mdhd.getUint8(0) === 1 ? mdhd.getUint32(20) : mdhd.getUint32(12);
  const stsz = view(mustChild(stbl, 'stsz').payload);
  const fixed = stsz.getUint32(4);
  const count = stsz.getUint32(8);
  const sizes = Array.from({ length: count }, (_, i) => fixed || stsz.getUint32(12 + 4 * i));
  const co64 = child(stbl, 'co64');
  const stco = view((co64 ?? mustChild(stbl, 'stco')).payload);
  const chunks = Array.from({ length: stco.getUint32(4) }, (_, i) =>
    co64 ? Number(stco.getBigUint64(8 + 8 * i)) : stco.getUint32(8 + 4 * i),
  );
  const stsc = view(mustChild(stbl, 'stsc').payload);
  const runs = Array.from({ length: stsc.getUint32(4) }, (_, i) => ({
    first: stsc.getUint32(8 + 12 * i),
    perChunk: stsc.getUint32(12 + 12 * i),
  }));
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
  for (let i = 0, n = stts.getUint32(4); i < n; i++) {
    const run = stts.getUint32(8 + 8 * i);
    const delta = stts.getUint32(12 + 8 * i);
    for (let k = 0; k < run; k++) durations.push(delta);
  }
  if (offsets.length !== count || durations.length !== count) {
    throw new SpliceError('MP4 sample tables disagree');
  }
  return { offsets, sizes, durations, timescale };
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

async function topBoxes(blob: Blob): Promise<TopBox[]> {
  const out: TopBox[] = [];
  for (let p = 0; p + 8 <= blob.size;) {
    const head = new DataView(await blob.slice(p, p + 16).arrayBuffer());
    let size = head.getUint32(0);
    const type = String.fromCharCode(
      head.getUint8(4),
      head.getUint8(5),
      head.getUint8(6),
      head.getUint8(7),
    );
    if (size === 1) size = Number(head.getBigUint64(8));
    else if (size === 0) size = blob.size - p;
    if (size < 8) throw new SpliceError(`MP4 box ${type} at ${p} has no size`);
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
