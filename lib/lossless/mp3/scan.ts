/** Finds the audio frames of one MP3 input, and refuses one whose stream changes midway. */
import {
  CorruptAudioError,
  EmptyFileError,
  NotUniformError,
  TruncatedAudioError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { clockText } from '@/lib/core/text';
import { BlobReader, throwIfAborted } from '@/lib/core/bytes';
import type { TrackRef } from '@/lib/core/track';
import { ID3V2_HEADER, id3v2TagSize, readLeadingId3 } from '@/lib/containers/id3';
import {
  describeStream,
  frameHeaderAt,
  readVbrTag,
  sameStream,
  streamChange,
  type FrameHeader,
  type VbrTag,
} from '@/lib/containers/mp3';
import { trailingTagsStart } from '@/lib/media/trailing-tags';
import type { LosslessInput, LosslessOptions } from '../types';

export interface Mp3Scan {
  /** Header of the first audio frame: the stream's version, layer, rate and channel class. */
  header: FrameHeader;
  /** Bytes [0, id3v2End) are the leading ID3v2 tag(s); 0 when there are none. */
  id3v2End: number;
  /** Where trailing tags (ID3v1, APE, Lyrics3) begin; the file size when there are none. */
  audioEnd: number;
  /** The input's own Xing/Info/VBRI frame, left out of the frame regions. */
  vbrTag?: VbrTag;
  /** Audio frames, not counting a Xing/Info/VBRI frame. */
  frameCount: number;
  /** Bytes of audio frames: the sum of `ranges`, and of `cutFrame` filled out. */
  byteCount: number;
  /** The bitrate (kb/s) every audio frame shares, or 0 when it varies. */
  uniformBitrate: number;
  /** Byte ranges [start, end) holding only whole audio frames, in order. */
  ranges: Array<[number, number]>;
  /**
   * A last frame cut off by the end of the file (a stopped download): its bytes [start, end)
   * and how many are missing. Decoders still turn it into a frame of samples, so the join
   * keeps it, filled out with zero bytes, to keep every input's length.
   */
  cutFrame?: { start: number; end: number; missing: number };
  /** Length of each audio frame, in order. */
  frameSizes: Uint16Array;
}

export interface ScanOptions extends LosslessOptions {
  /** The first input's stream: a different one is refused as soon as it is seen. */
  like?: FrameHeader;
  /** Called with bytes read so far in this input. */
  onBytes?: (bytes: number) => void;
}

/** How many frames after a candidate must follow in the same stream before it is believed. */
const CONFIRM_FRAMES = 2;

/** The first frame, which must be of the stream `like` (the first input's) when given. */
async function firstFrame(
  r: BlobReader,
  from: number,
  end: number,
  track: TrackRef,
  like: FrameHeader | undefined,
): Promise<{ pos: number; header: FrameHeader }> {
  const first = await findFrame(r, from, end);
  if (!first) throw new UnsupportedAudioError(text('refusals.notMp3'), track);
  if (like && !sameStream(like, first.header)) {
    throw new UnsupportedAudioError(
      text('refusals.mp3Mismatch', describeStream(first.header), describeStream(like)),
      track,
    );
  }
  return first;
}

/**
 * Finds the audio frames of one MP3 input: skips a leading ID3v2 tag and junk, leaves out the
 * input's own Xing/Info/VBRI frame and trailing tags, and resyncs past junk between frames.
 * A stream that changes sample rate, mono/stereo, layer or version midway (files joined with
 * `cat`) throws NotUniformError naming the time: its frames past the change are audio that a
 * lossless join could not carry.
 */
export async function scanMp3(input: LosslessInput, opts: ScanOptions = {}): Promise<Mp3Scan> {
  const { blob } = input;
  const track: TrackRef = { id: input.id, name: input.name };
  throwIfAborted(opts.signal);
  if (blob.size === 0) throw new EmptyFileError(track);

  const lead = await readLeadingId3(blob, { frames: false, signal: opts.signal });
  if (lead.truncated) throw new TruncatedAudioError(text('refusals.id3Cut'), track);
  const id3v2End = lead.size;
  const end = await trailingTagsStart(blob, id3v2End);
  const r = new BlobReader(blob, { signal: opts.signal, onRead: (n) => opts.onBytes?.(n) });

  const first = await firstFrame(r, id3v2End, end, track, opts.like);
  const like = opts.like ?? first.header;
  let p = first.pos;
  const vbrTag = readVbrTag(await r.bytes(p, first.header.frameLength), first.header);
  if (vbrTag) p += first.header.frameLength;

  const ranges: Array<[number, number]> = [];
  const sizes = new SizeList();
  let rangeStart = p;
  let bitrate = -1;
  let byteCount = 0;
  let cutFrame: Mp3Scan['cutFrame'];
  const changed = (h: FrameHeader): never => {
    const sec = (sizes.length * like.samplesPerFrame - (vbrTag?.delay ?? 0)) / like.sampleRate;
    throw new NotUniformError(
      text('refusals.changeAt', streamChange(like, h) ?? '', clockText(sec)),
      track,
    );
  };
  while (p + 4 <= end) {
    if (!r.has(p, 4)) await r.ensure(p, 4);
    const h = frameHeaderAt(r.view(p, 4), 0);
    if (h && sameStream(like, h)) {
      if (p + h.frameLength > end) cutFrame = { start: p, end, missing: p + h.frameLength - end };
      sizes.push(h.frameLength);
      byteCount += h.frameLength;
      bitrate = bitrate === -1 || bitrate === h.bitrate ? h.bitrate : 0;
      if (cutFrame) break;
      p += h.frameLength;
      continue;
    }
    if (h && (await confirmed(r, p, h, end))) changed(h);
    if (p > rangeStart) ranges.push([rangeStart, p]);
    // Files joined by plain concatenation carry ID3v2 tags between frames...
    const tag = id3v2TagSize(await r.bytes(p, ID3V2_HEADER));
    if (tag && p + tag <= end) {
      p += tag;
      // ...and each concatenated file's own Info frame, which would play as a silent frame.
      const h2 = frameHeaderAt(await r.bytes(p, 4), 0);
      if (h2 && sameStream(like, h2) && readVbrTag(await r.bytes(p, h2.frameLength), h2)) {
        p += h2.frameLength;
      }
      rangeStart = p;
      continue;
    }
    const next = await findFrame(r, p + 1, end);
    if (!next) {
      rangeStart = p;
      break;
    }
    if (!sameStream(like, next.header)) changed(next.header);
    p = rangeStart = next.pos;
  }
  if (p > rangeStart) ranges.push([rangeStart, p]);
  opts.onBytes?.(blob.size);

  if (sizes.length === 0) throw new CorruptAudioError(text('refusals.mp3NoFrames'), track);
  return {
    header: first.header,
    id3v2End,
    audioEnd: end,
    ...(vbrTag ? { vbrTag } : {}),
    frameCount: sizes.length,
    byteCount,
    uniformBitrate: bitrate,
    ranges,
    ...(cutFrame ? { cutFrame } : {}),
    frameSizes: sizes.values(),
  };
}

/** Checks that more frames of the same stream follow `pos`, unless the audio ends first. */
async function confirmed(
  r: BlobReader,
  pos: number,
  h: FrameHeader,
  end: number,
): Promise<boolean> {
  let p = pos + h.frameLength;
  for (let i = 0; i < CONFIRM_FRAMES; i++) {
    if (p === end) return true;
    if (p + 4 > end) return false;
    if (!r.has(p, 4)) await r.ensure(p, 4);
    const next = frameHeaderAt(r.view(p, 4), 0);
    if (!next || !sameStream(h, next)) return false;
    p += next.frameLength;
    // A cut-off last frame still shows that a stream was found.
    if (p > end) return true;
  }
  return true;
}

/** The first confirmed frame (of any stream) at or after `from`. */
async function findFrame(
  r: BlobReader,
  from: number,
  end: number,
): Promise<{ pos: number; header: FrameHeader } | undefined> {
  for (let q = from; q + 4 <= end; q++) {
    if (!r.has(q, 4)) await r.ensure(q, 4);
    if (r.byte(q) !== 0xff) continue;
    const h = frameHeaderAt(r.view(q, 4), 0);
    if (h && (await confirmed(r, q, h, end))) return { pos: q, header: h };
  }
  return undefined;
}

/** Grows as frames are found; frame lengths fit in 16 bits (the largest is 2881 bytes). */
class SizeList {
  private arr = new Uint16Array(4096);
  length = 0;

  push(v: number): void {
    if (this.length === this.arr.length) {
      const next = new Uint16Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.length++] = v;
  }

  values(): Uint16Array {
    return this.arr.subarray(0, this.length);
  }
}
