/**
 * A 10-hour book's sample tables: 1.5 million AAC frames. Writing them must not pass a million
 * numbers as one call's arguments ("Maximum call stack size exceeded", found by the bench's
 * 30 × 20 min M4B row). Synthetic MP4s (only the boxes the join reads), no ffmpeg.
 */
import { describe, expect, test } from 'vitest';
import { closeMp4Joins } from '@/lib/lossless/mp4';
import { SpliceError } from '@/lib/containers/errors';
import { concat, type Bytes } from '@/lib/core/bytes';
import {
  leaf,
  mustChild,
  readBoxes,
  readSamples,
  u32s,
  writeBox,
  type Box,
} from '@/lib/containers/mp4';

const RATE = 44_100;
const FRAME = 1024;
/** 5 hours of frames at 44.1 kHz, a byte each. */
const FRAMES = Math.ceil((5 * 3600 * RATE) / FRAME);

function box(type: string, children: Box[]): Box {
  return { type, payload: new Uint8Array(0), children, start: -1, size: 0 };
}

/** An M4A-shaped file: mdat (one byte a frame) then moov; priming 1024, padding `pad`. */
function m4a(frames: number, mdatAt: number, pad: number): Bytes {
  const mdatHeader = 8;
  const media = frames * FRAME;
  const plays = media - FRAME - pad;
  const mvhd = new Uint8Array(100);
  new DataView(mvhd.buffer).setUint32(12, RATE);
  new DataView(mvhd.buffer).setUint32(16, plays);
  const tkhd = new Uint8Array(84);
  new DataView(tkhd.buffer).setUint32(20, plays);
  const mdhd = u32s(0, 0, 0, RATE, media, 0);
  const hdlr = concat([u32s(0, 0), new TextEncoder().encode('soun'), new Uint8Array(13)]);
  const moov = box('moov', [
    leaf('mvhd', mvhd),
    box('trak', [
      leaf('tkhd', tkhd),
      box('edts', [leaf('elst', u32s(0, 1, plays, FRAME, 0x10000))]),
      box('mdia', [
        leaf('mdhd', mdhd),
        leaf('hdlr', hdlr),
        box('minf', [
          box('stbl', [
            leaf('stts', u32s(0, 1, frames, FRAME)),
            leaf('stsc', u32s(0, 1, 1, frames, 1)),
            leaf('stsz', u32s(0, 1, frames)),
            leaf('stco', u32s(0, 1, mdatAt + mdatHeader)),
          ]),
        ]),
      ]),
    ]),
  ]);
  const mdat = new Uint8Array(mdatHeader + frames);
  new DataView(mdat.buffer).setUint32(0, mdat.length);
  mdat.set(new TextEncoder().encode('mdat'), 4);
  return concat([mdat, writeBox(moov)]);
}

describe('a lossless M4B join of a long book', () => {
  test('two 5-hour inputs (1.5 million frames) are joined with their tables rewritten', async () => {
    const a = m4a(FRAMES, 0, 700);
    const b = m4a(FRAMES, 0, 300);
    // The stream copy: both inputs' frames in one mdat, one table for all of them.
    const all = 2 * FRAMES;
    const joinedMoov = readBoxes(a).find((x) => x.type === 'moov')!;
    const stbl = mustChild(joinedMoov, 'trak/mdia/minf/stbl');
    stbl.children = [
      leaf('stts', u32s(0, 1, all, FRAME)),
      leaf('stsc', u32s(0, 1, 1, all, 1)),
      leaf('stsz', u32s(0, 1, all)),
      leaf('stco', u32s(0, 1, 8)),
    ];
    const mdat = new Uint8Array(8 + all);
    new DataView(mdat.buffer).setUint32(0, mdat.length);
    mdat.set(new TextEncoder().encode('mdat'), 4);
    const joined = new Blob([mdat, writeBox(joinedMoov)]);

    const out = new Uint8Array(
      await (await closeMp4Joins(joined, [new Blob([a]), new Blob([b])])).arrayBuffer(),
    );
    const moov = readBoxes(out).find((x) => x.type === 'moov')!;
    const table = readSamples(mustChild(moov, 'trak'));
    // Whole frames of padding and priming leave at the join: one or two, never more.
    expect(all - table.sizes.length).toBeGreaterThanOrEqual(1);
    expect(all - table.sizes.length).toBeLessThanOrEqual(2);
    // Every kept frame still points into the mdat, in order.
    expect(table.offsets[0]).toBe(8);
    expect(table.offsets.at(-1)).toBeLessThan(8 + all);
  });
});

describe('sample tables shorter than they say', () => {
  test('are a SpliceError (the join keeps its copy), not a RangeError', () => {
    // As in mutagen's nero-chapters.m4b: an stsz without its sample count.
    const moov = readBoxes(m4a(10, 0, 0)).find((x) => x.type === 'moov')!;
    const stbl = mustChild(moov, 'trak/mdia/minf/stbl');
    stbl.children = stbl.children!.map((c) => (c.type === 'stsz' ? leaf('stsz', u32s(0)) : c));
    expect(() => readSamples(mustChild(moov, 'trak'))).toThrow(SpliceError);
  });
});
