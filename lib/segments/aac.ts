/**
 * Splices AAC segments (M4A/M4B/M4R, each an MP4 from ffmpeg's native AAC encoder) encoded in
 * parallel into one file. Pure.
 *
 * ffmpeg's AAC encoder writes 1024-sample frames behind 1024 samples of priming, so a segment
 * encoded from a sample on the 1024 grid has frames on the timeline's grid: its frame i is a
 * single pass's frame `firstFrame + i`. AAC frames carry no bit reservoir across frames, so the
 * splicer only drops each later segment's first frames (its priming and its psychoacoustic
 * model's warm-up) and the earlier one's frames past the splice point. The first segment's file is
 * kept as it is up to its last kept frame (its header, tags, cover, chapter track and their
 * samples, which ffmpeg writes before the audio), the other segments' frames follow in the same
 * `mdat`, and its `moov` is written anew: the audio track's sample tables, its duration, and an
 * edit list that skips the first segment's priming and ends where the last segment's own ends.
 */
import type { Bytes } from '@/lib/core/bytes';
import { SpliceError } from '@/lib/containers/errors';
import {
  child,
  findTrack,
  leaf,
  mustChild,
  readBoxes,
  readSamples,
  u32s,
  view,
  withMovieDuration,
  writeBox,
  type Box,
  type SampleTable,
} from '@/lib/containers/mp4';
import type { SplicePoint } from './plan';

export interface AacSegment {
  bytes: Bytes;
  /** Global index of its first AAC frame (Segment.firstFrame). */
  firstFrame: number;
}

interface Mp4Segment {
  bytes: Bytes;
  boxes: Box[];
  moov: Box;
  audio: Box;
  table: SampleTable;
  firstFrame: number;
}

function parse(seg: AacSegment, index: number): Mp4Segment {
  const boxes = readBoxes(seg.bytes);
  const moov = boxes.find((b) => b.type === 'moov');
  if (!moov) throw new SpliceError(`segment ${index} has no moov`);
  const audio = findTrack(moov, 'soun');
  return {
    bytes: seg.bytes,
    boxes,
    moov,
    audio,
    table: readSamples(audio, seg.bytes.length),
    firstFrame: seg.firstFrame,
  };
}

/** Splices AAC-in-MP4 segments (in order) at the plan's splice points into one MP4 Blob. */
export function spliceAac(
  segments: readonly AacSegment[],
  splicePoints: readonly SplicePoint[],
): Blob {
  if (segments.length === 0) throw new SpliceError('nothing to splice');
  const mp4s = segments.map((s, i) => parse(s, i));
  const first = mp4s[0]!;

  // Kept samples of each segment, as [offset, size, duration] runs of bytes.
  const parts: BlobPart[] = [];
  const sizes: number[] = [];
  const durations: number[] = [];
  let from = 0;
  let audioStart = -1;
  let end = -1;
  mp4s.forEach((m, k) => {
    const splicePoint = splicePoints[k];
    const to = splicePoint ? splicePoint.nominal - m.firstFrame : m.table.sizes.length;
    if (to > m.table.sizes.length || to <= from) {
      throw new SpliceError(`splice point ${k + 1} is outside segment ${k}`);
    }
    let runStart = m.table.offsets[from]!;
    let runEnd = runStart;
    for (let i = from; i < to; i++) {
      const at = m.table.offsets[i]!;
      if (at !== runEnd) {
        if (k > 0) parts.push(m.bytes.subarray(runStart, runEnd));
        else throw new SpliceError('the first segment’s audio is not in one run');
        runStart = at;
      }
      runEnd = at + m.table.sizes[i]!;
      sizes.push(m.table.sizes[i]!);
      // Frames before a splice point are whole; only the last segment's last may be shorter.
      durations.push(m.table.durations[i]!);
    }
    if (k === 0) {
      audioStart = runStart;
      end = runEnd;
    } else parts.push(m.bytes.subarray(runStart, runEnd));
    if (splicePoint) from = splicePoint.nominal - mp4s[k + 1]!.firstFrame;
  });

  // Everything of the first file before its audio (header, tags' track samples) stays.
  for (const trak of first.moov.children!.filter((t) => t.type === 'trak' && t !== first.audio)) {
    const t = readSamples(trak);
    if (t.offsets.some((o, i) => o + t.sizes[i]! > audioStart)) {
      throw new SpliceError('the first segment has samples after its audio');
    }
  }
  const mdat = first.boxes.find(
    (b) => b.type === 'mdat' && b.start < audioStart && audioStart < b.start + b.size,
  );
  if (!mdat || first.moov.start < mdat.start)
    throw new SpliceError('the first segment’s mdat is not before its moov');
  const dataBytes = parts.reduce((s, p) => s + (p as Bytes).length, 0);
  const mdatEnd = end + dataBytes;
  const header = first.bytes.slice(mdat.start, mdat.start + 8);
  if (new DataView(header.buffer).getUint32(0) === 1 || mdatEnd - mdat.start >= 2 ** 32) {
    throw new SpliceError('the joined audio does not fit a 32-bit mdat');
  }
  new DataView(header.buffer).setUint32(0, mdatEnd - mdat.start);

  const moov = rewriteMoov(first.moov, first.audio, audioStart, sizes, durations);
  return new Blob(
    [
      first.bytes.subarray(0, mdat.start),
      header,
      first.bytes.subarray(mdat.start + 8, end),
      ...parts,
      writeBox(moov),
    ],
    { type: 'audio/mp4' },
  );
}

/** `moov` with the audio track's tables and durations for the spliced samples (a new tree). */
function rewriteMoov(
  moov: Box,
  audio: Box,
  offset: number,
  sizes: readonly number[],
  durations: readonly number[],
): Box {
  const n = sizes.length;
  const runs: number[] = [];
  for (const d of durations) {
    if (runs.length > 0 && runs[runs.length - 1] === d) runs[runs.length - 2]!++;
    else runs.push(1, d);
  }
  const tables: Record<string, Bytes> = {
    stts: u32s(0, runs.length / 2, runs),
    stsz: u32s(0, 0, n, sizes),
    stsc: u32s(0, 1, 1, n, 1),
    stco: u32s(0, 1, offset),
  };
  const sbgp = child(audio, 'mdia/minf/stbl/sbgp');
  if (sbgp) {
    const v = view(sbgp.payload);
    const entries = v.getUint32(sbgp.payload[0] === 1 ? 12 : 8);
    if (entries !== 1) throw new SpliceError('the audio track has more than one sample group run');
    const copy = sbgp.payload.slice();
    view(copy).setUint32(copy.length - 8, n);
    tables.sbgp = copy;
  }
  const stbl = mustChild(audio, 'mdia/minf/stbl');
  const newStbl: Box = {
    ...stbl,
    children: stbl
      .children!.filter((c) => c.type !== 'co64')
      .map((c) => (tables[c.type] ? leaf(c.type, tables[c.type]!) : c)),
  };
  if (!child(stbl, 'stco')) newStbl.children!.push(leaf('stco', tables.stco!));

  // Durations as ffmpeg's mov muxer computes them: the media's sum of sample durations; the
  // track's and the edit's, in the movie's timescale, from the first kept sample (after the
  // priming the edit list skips), rounded up.
  const mediaDuration = durations.reduce((s, d) => s + d, 0);
  const mdhd = mustChild(audio, 'mdia/mdhd').payload.slice();
  const v1 = mdhd[0] === 1;
  const timescale = view(mdhd).getUint32(v1 ? 20 : 12);
  if (v1) view(mdhd).setBigUint64(24, BigInt(mediaDuration));
  else view(mdhd).setUint32(16, mediaDuration);
  const mvhd = mustChild(moov, 'mvhd').payload.slice();
  const movieScale = view(mvhd).getUint32(mvhd[0] === 1 ? 20 : 12);
  const elst = child(audio, 'edts/elst')?.payload.slice();
  const priming = elst
    ? elst[0] === 1
      ? Number(view(elst).getBigInt64(16))
      : view(elst).getInt32(12)
    : 0;
  const movieDuration = Math.ceil(
    ((mediaDuration - Math.max(0, priming)) * movieScale) / timescale,
  );
  if (elst) {
    if (elst[0] === 1) view(elst).setBigUint64(8, BigInt(movieDuration));
    else view(elst).setUint32(8, movieDuration);
  }
  const tkhd = mustChild(audio, 'tkhd').payload.slice();
  if (tkhd[0] === 1) view(tkhd).setBigUint64(28, BigInt(movieDuration));
  else view(tkhd).setUint32(20, movieDuration);

  const replace = (box: Box): Box => {
    if (box === stbl) return newStbl;
    if (box.type === 'mdhd' && box === child(audio, 'mdia/mdhd')) return leaf('mdhd', mdhd);
    if (box.type === 'tkhd' && box === child(audio, 'tkhd')) return leaf('tkhd', tkhd);
    if (elst && box === child(audio, 'edts/elst')) return leaf('elst', elst);
    return box.children ? { ...box, children: box.children.map(replace) } : box;
  };
  const out = replace(moov);
  return withMovieDuration(moov, out, audio, mvhd, movieDuration);
}
