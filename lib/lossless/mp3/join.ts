/** Joins MP3 inputs into one Blob of slices of the inputs behind a fresh Xing/Info frame. */
import { NothingToJoinError } from '@/lib/core/errors';
import { throwIfAborted, type Bytes } from '@/lib/core/bytes';
import { frameHeaderAt } from '@/lib/containers/mp3';
import { carryReservoir, type Mp3Frames } from '@/lib/containers/mp3-frames';
import { SpliceError } from '@/lib/containers/errors';
import { fallsBackToWholeFrames } from '../seam-plan';
import type { LosslessInput, LosslessOptions } from '../types';
import { planJunctions, type FrameTiming, type JunctionPlan } from '../junctions';
import { scanMp3, type Mp3Scan } from './scan';
import { closeMp3Seams, SeamNotPossibleError, type SeamPlan } from './seams';
import { buildXingFrame } from '@/lib/containers/mp3-xing';

/** The part of the progress the frame scan takes where joins are closed after it. */
const SCAN_SHARE = 0.5;

/** Frames read either side of a junction: more than any reservoir move needs. */
const NEAR = 8;

/**
 * The MP3 decoder's own delay (its filter bank's), which a LAME tag's delay leaves out and its
 * padding includes: decoders skip delay + 529 samples at the start and padding - 529 at the end
 * (as ffmpeg's mp3 demuxer does).
 */
const DECODER_DELAY = 529;

/**
 * Joins MP3 inputs without re-encoding. Output: the first input's leading ID3v2 tag (verbatim),
 * a fresh Xing/Info frame for the whole stream (Layer III only), then every input's audio frames
 * as slices of its Blob. Every frame an input decodes to is carried, but for whole frames of
 * encoder delay and end padding at the joins (../junctions.ts: the tracks play back to back,
 * each within half a frame of where it belongs, and the joined file's LAME tag says the first
 * input's delay and the padding that makes its length the inputs' sum). The frame after each
 * such cut may read bit-reservoir bytes from the frames left out: they are copied into the
 * unused end of the frame before it. An input whose stream changes midway throws
 * NotUniformError instead of being cut short.
 */
export async function joinMp3(inputs: LosslessInput[], opts: LosslessOptions = {}): Promise<Blob> {
  if (inputs.length === 0) throw new NothingToJoinError();
  // Progress: the frame scan by bytes, then each join closed by encoding its frames again
  // (half of the bar where there are joins to close: a 10-hour book's 29 took 2 s here).
  const share = opts.mp3Coder && inputs.length > 1 ? SCAN_SHARE : 1;
  const scans = await scanAll(inputs, {
    ...opts,
    onProgress: (f) => opts.onProgress?.(f * share),
  });
  throwIfAborted(opts.signal);

  const first = scans[0]!;
  const blobs = inputs.map((i) => i.blob);
  const starts = scans.map(frameStarts);
  const seams = await seamPlan(scans, blobs, starts, opts);
  const layout = seams
    ? seamLayout(scans, seams, opts)
    : cutLayout(scans, await cutJunctions(scans, blobs, starts));
  throwIfAborted(opts.signal);

  const { kept, patched, inserted } = layout;
  const parts: BlobPart[] = [];
  if (first.id3v2End > 0) parts.push(blobs[0]!.slice(0, first.id3v2End));
  if (first.header.layer === 3) parts.push(xingFrame(scans, layout));
  scans.forEach((scan, k) =>
    parts.push(...keptParts(scan, blobs[k]!, starts[k]!, kept[k]!, patched[k]!), ...inserted[k]!),
  );
  opts.onProgress?.(1);
  return new Blob(parts, { type: 'audio/mpeg' });
}

/** Scans every input in order (each like the first), reporting progress over their bytes. */
async function scanAll(inputs: LosslessInput[], opts: LosslessOptions): Promise<Mp3Scan[]> {
  const total = inputs.reduce((sum, i) => sum + i.blob.size, 0) || 1;
  let done = 0;
  let reported = -1;
  const report = (bytes: number) => {
    const fraction = Math.min(1, (done + bytes) / total);
    if (fraction > reported) {
      reported = fraction;
      opts.onProgress?.(fraction);
    }
  };
  const scans: Mp3Scan[] = [];
  for (const input of inputs) {
    throwIfAborted(opts.signal);
    const scan = await scanMp3(input, {
      ...opts,
      ...(scans[0] ? { like: scans[0].header } : {}),
      onBytes: report,
    });
    scans.push(scan);
    done += input.blob.size;
  }
  return scans;
}

/** Which frames of each input the joined file carries, and what it carries besides. */
interface FrameLayout {
  /** Each input's frames [from, to) kept. */
  kept: { from: number; to: number }[];
  /** Each input's kept frames rewritten (reservoir bytes moved into them), by frame index. */
  patched: Map<number, Bytes>[];
  /** Frames encoded again, after each input's kept frames (none at the last). */
  inserted: Bytes[][];
  /** Frames in the joined stream. */
  frames: number;
  /** Samples of padding at the joined stream's end. */
  tail: number;
}

/**
 * The layout of joins closed by encoding their frames again; says where each join falls in the
 * joined file and how much the tracks overlap there (`onOverlaps`).
 */
function seamLayout(scans: Mp3Scan[], seams: SeamPlan, opts: LosslessOptions): FrameLayout {
  const first = scans[0]!;
  const kept = scans.map((scan, k) => ({
    from: k > 0 ? seams.seams[k - 1]!.bFrom : 0,
    to: seams.seams[k]?.aEnd ?? scan.frameCount,
  }));
  const inserted = scans.map((_, k) => seams.seams[k]?.frames ?? []);
  const rate = first.header.sampleRate;
  let atSamples = 0;
  opts.onOverlaps?.(
    seams.seams.map((seam, k) => {
      const t = timing(scans[k]!, first);
      atSamples += scans[k]!.frameCount * first.header.samplesPerFrame - t.lead - t.tail;
      return { atSec: atSamples / rate, overlapSec: seam.overlap / rate };
    }),
  );
  return {
    kept,
    patched: scans.map((_, k) => seams.seams[k]?.aPatched ?? new Map<number, Bytes>()),
    inserted,
    frames: kept.reduce((n, r, k) => n + r.to - r.from + inserted[k]!.length, 0),
    tail: seams.tail,
  };
}

/** The layout of joins that drop whole frames of delay and padding. */
function cutLayout(
  scans: Mp3Scan[],
  cut: { plan: JunctionPlan; patched: Map<number, Bytes>[] },
): FrameLayout {
  return {
    kept: scans.map((scan, k) => ({
      from: k > 0 ? cut.plan.cuts[k - 1]!.dropHead : 0,
      to: scan.frameCount - (cut.plan.cuts[k]?.dropTail ?? 0),
    })),
    patched: cut.patched,
    inserted: scans.map(() => []),
    frames: cut.plan.frames,
    tail: cut.plan.tail,
  };
}

/**
 * The joined stream's Xing/Info frame (Layer III): its frames, bytes and seek table, a bitrate
 * when every frame has the same, and the first input's LAME tag with the joined delay and
 * padding.
 */
function xingFrame(
  scans: Mp3Scan[],
  { kept, patched, inserted, frames, tail }: FrameLayout,
): Bytes {
  const first = scans[0]!;
  const frameSizes = kept.flatMap(({ from, to }, k) => {
    const sizes = scans[k]!.frameSizes.slice(from, to);
    for (const [i, frame] of patched[k]!) sizes[i - from] = frame.length;
    return [sizes, Uint16Array.from(inserted[k]!, (f) => f.length)];
  });
  const bitrates = new Set(scans.map((s) => s.uniformBitrate));
  for (const p of patched) for (const f of p.values()) bitrates.add(frameHeaderAt(f, 0)!.bitrate);
  for (const list of inserted) for (const f of list) bitrates.add(frameHeaderAt(f, 0)!.bitrate);
  const uniform = bitrates.size === 1 ? first.uniformBitrate : 0;
  const firstLame = first.vbrTag?.lame;
  return buildXingFrame({
    like: first.header,
    frames,
    audioBytes: frameSizes.reduce((sum, s) => sum + s.reduce((a, b) => a + b, 0), 0),
    uniformBitrate: uniform,
    frameSizes,
    quality: first.vbrTag?.quality ?? 0,
    ...(firstLame
      ? {
          lame: {
            tag: firstLame,
            delay: first.vbrTag?.delay ?? 0,
            padding: tail + DECODER_DELAY,
          },
        }
      : {}),
  });
}

/**
 * The joins closed by encoding their few frames again (./seams.ts), when the caller gave a coder
 * and the inputs allow it: Layer III with the first input's LAME tag (without it the joined file
 * has none, and every frame plays as it is), no input cut short before a join. Undefined when
 * not, or when an input is too short for its joins' frames or the encode is not usable: the
 * join then drops whole frames instead.
 */
async function seamPlan(
  scans: Mp3Scan[],
  blobs: Blob[],
  starts: Float64Array[],
  opts: LosslessOptions,
): Promise<SeamPlan | undefined> {
  const first = scans[0]!;
  if (!opts.mp3Coder || scans.length < 2) return undefined;
  const wholeFrames = (why: string) => {
    console.warn(`Seam: the joins drop whole frames instead (${why})`);
    opts.onWholeFrames?.(why);
    return undefined;
  };
  if (first.header.layer !== 3) return wholeFrames('not Layer III');
  if (!first.vbrTag?.lame) return wholeFrames('the first file has no LAME tag');
  if (scans.slice(0, -1).some((s) => s.cutFrame)) return wholeFrames('a file is cut short');
  const inputs = scans.map((scan, k) => {
    const t = timing(scan, first);
    return { scan, blob: blobs[k]!, starts: starts[k]!, lead: t.lead, tail: t.tail };
  });
  try {
    return await closeMp3Seams(inputs, opts.mp3Coder, opts.signal, (closed, of) =>
      opts.onProgress?.(SCAN_SHARE + ((1 - SCAN_SHARE) * closed) / of),
    );
  } catch (e) {
    const refused = (x: unknown) => x instanceof SeamNotPossibleError;
    if (fallsBackToWholeFrames(e, refused, opts.signal)) return wholeFrames((e as Error).message);
    throw e;
  }
}

/** What the decoder skips of an input: its LAME tag's delay and padding (none without one). */
function timing(scan: Mp3Scan, first: Mp3Scan): FrameTiming {
  // Without the first input's LAME tag the joined file has none: nothing is skipped anywhere.
  const lame = scan.vbrTag?.lame && first.vbrTag?.lame && scan.header.layer === 3;
  return {
    frames: scan.frameCount,
    lead: lame ? (scan.vbrTag?.delay ?? 0) + DECODER_DELAY : 0,
    // A cut-short file's padding describes the whole file it was cut from.
    tail: lame && !scan.cutFrame ? Math.max(0, (scan.vbrTag?.padding ?? 0) - DECODER_DELAY) : 0,
  };
}

/**
 * Plans the cuts and moves reservoir bytes across each; a junction whose bytes fit nowhere keeps
 * its frames (and the plan is made again around it).
 */
async function cutJunctions(
  scans: Mp3Scan[],
  blobs: Blob[],
  starts: Float64Array[],
): Promise<{ plan: JunctionPlan; patched: Map<number, Bytes>[] }> {
  const timings = scans.map((s) => timing(s, scans[0]!));
  const fixed = new Set<number>();
  scans.forEach((s, k) => {
    if (k + 1 < scans.length && s.cutFrame) fixed.add(k);
  });
  for (;;) {
    const plan = planJunctions(timings, scans[0]!.header.samplesPerFrame, fixed);
    const patched = scans.map(() => new Map<number, Bytes>());
    let failed = -1;
    for (let k = 0; k < plan.cuts.length && failed < 0; k++) {
      const cut = plan.cuts[k]!;
      if (cut.dropHead === 0 && cut.dropTail === 0) continue;
      const aEnd = scans[k]!.frameCount - cut.dropTail;
      const a = await readFrames(blobs[k]!, starts[k]!, scans[k]!, Math.max(0, aEnd - NEAR), aEnd);
      const b = await readFrames(blobs[k + 1]!, starts[k + 1]!, scans[k + 1]!, 0, cut.dropHead + 1);
      let moved: Map<number, Bytes> | undefined;
      try {
        moved = carryReservoir(a.frames, a.frames.offsets.length, b.frames, cut.dropHead);
      } catch (e) {
        if (!(e instanceof SpliceError)) throw e;
      }
      if (!moved) failed = k;
      else for (const [i, f] of moved) patched[k]!.set(a.first + i, f);
    }
    if (failed < 0) return { plan, patched };
    fixed.add(failed);
  }
}

/** Where each audio frame of a scanned input starts in its Blob. */
function frameStarts(scan: Mp3Scan): Float64Array {
  const out = new Float64Array(scan.frameCount);
  let i = 0;
  for (const [start, stop] of scan.ranges) {
    for (let p = start; p < stop && i < out.length; i++) {
      out[i] = p;
      p += scan.frameSizes[i]!;
    }
  }
  if (scan.cutFrame && i < out.length) out[i++] = scan.cutFrame.start;
  return out;
}

/** Frames [from, to) of an input, read into memory. */
async function readFrames(
  blob: Blob,
  starts: Float64Array,
  scan: Mp3Scan,
  from: number,
  to: number,
): Promise<{ first: number; frames: Mp3Frames }> {
  const base = starts[from]!;
  const end = starts[to - 1]! + scan.frameSizes[to - 1]!;
  const bytes = new Uint8Array(await blob.slice(base, end).arrayBuffer());
  const offsets: number[] = [];
  const lengths: number[] = [];
  for (let i = from; i < to; i++) {
    offsets.push(starts[i]! - base);
    lengths.push(scan.frameSizes[i]!);
  }
  return { first: from, frames: { bytes, offsets, lengths } };
}

/** The kept frames [from, to) of an input as Blob parts, rewritten frames in their place. */
function keptParts(
  scan: Mp3Scan,
  blob: Blob,
  starts: Float64Array,
  { from, to }: { from: number; to: number },
  patched: Map<number, Bytes>,
): BlobPart[] {
  const parts: BlobPart[] = [];
  const cut = scan.cutFrame;
  const lastWhole = cut && to === scan.frameCount ? to - 1 : to;
  let copyEnd = lastWhole;
  while (copyEnd > from && patched.has(copyEnd - 1)) copyEnd--;
  if (copyEnd > from) {
    const lo = starts[from]!;
    const hi = starts[copyEnd - 1]! + scan.frameSizes[copyEnd - 1]!;
    for (const [start, stop] of scan.ranges) {
      const a = Math.max(start, lo);
      const b = Math.min(stop, hi);
      if (b > a) parts.push(blob.slice(a, b));
    }
  }
  for (let i = copyEnd; i < lastWhole; i++) parts.push(patched.get(i)!);
  if (cut && lastWhole < to)
    parts.push(blob.slice(cut.start, cut.end), new Uint8Array(cut.missing));
  return parts;
}
