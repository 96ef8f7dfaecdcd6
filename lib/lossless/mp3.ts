/**
 * Lossless MP3 join over Blobs. Each input is scanned frame by frame (to count frames for the new
 * Xing header and to leave out tags and junk); the audio itself is never copied: the output Blob
 * refers to slices of the inputs.
 */
import {
  CorruptAudioError,
  EmptyFileError,
  NothingToJoinError,
  TruncatedAudioError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { ascii, readRange, throwIfAborted } from '@/lib/core/bytes';
import type { LosslessInput, LosslessOptions } from './index';
import type { TrackRef } from '@/lib/core/track';

/** Read size while walking frames: big enough to amortise Blob reads, small enough for memory. */
const CHUNK = 2 * 1024 * 1024;

export interface FrameHeader {
  /** 1, 2 or 2.5 (written 25). */
  version: 1 | 2 | 25;
  layer: 1 | 2 | 3;
  /** True when a 16-bit CRC follows the header. */
  crc: boolean;
  bitrateIndex: number;
  /** kb/s */
  bitrate: number;
  sampleRateIndex: number;
  sampleRate: number;
  padding: number;
  /** 0 stereo, 1 joint stereo, 2 dual channel, 3 mono. */
  channelMode: number;
  frameLength: number;
  samplesPerFrame: number;
  /** The four header bytes, big-endian. */
  raw: number;
}

/** A Xing/Info/VBRI frame found at the start of an input (it is not audio). */
export interface VbrTag {
  kind: 'Xing' | 'Info' | 'VBRI';
  frames?: number;
  bytes?: number;
  toc?: Uint8Array<ArrayBuffer>;
  quality?: number;
  /** The 36-byte LAME extension, when its encoder string says LAME or Lavf/Lavc. */
  lame?: Uint8Array<ArrayBuffer>;
  /** Encoder delay and end padding in samples, from the LAME extension. */
  delay?: number;
  padding?: number;
}

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
  /** Bytes of audio frames: the sum of `ranges`. */
  byteCount: number;
  /** The bitrate (kb/s) every audio frame shares, or 0 when it varies. */
  uniformBitrate: number;
  /** Byte ranges [start, end) holding only whole audio frames, in order. */
  ranges: Array<[number, number]>;
  /** Length of each audio frame, in order. */
  frameSizes: Uint16Array;
}

const BITRATES_V1: Record<number, readonly number[]> = {
  1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
};
const BITRATES_V2: Record<number, readonly number[]> = {
  1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  3: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<1 | 2 | 25, readonly number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  25: [11025, 12000, 8000],
};

function bitrateTable(version: 1 | 2 | 25, layer: 1 | 2 | 3): readonly number[] {
  return (version === 1 ? BITRATES_V1 : BITRATES_V2)[layer]!;
}

function frameLength(
  version: 1 | 2 | 25,
  layer: 1 | 2 | 3,
  bitrate: number,
  sampleRate: number,
  padding: number,
): number {
  const bps = bitrate * 1000;
  if (layer === 1) return (Math.floor((12 * bps) / sampleRate) + padding) * 4;
  if (layer === 2 || version === 1) return Math.floor((144 * bps) / sampleRate) + padding;
  return Math.floor((72 * bps) / sampleRate) + padding;
}

/**
 * Parses a 4-byte MPEG audio frame header. Returns undefined for anything that is not a usable
 * header, including free-format (bitrate index 0) frames, whose length cannot be known from the
 * header alone.
 */
export function parseFrameHeader(
  b0: number,
  b1: number,
  b2: number,
  b3: number,
): FrameHeader | undefined {
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const sampleRateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15) {
    return undefined;
  }
  if (sampleRateIndex === 3 || (b3 & 3) === 2) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 25;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrate = bitrateTable(version, layer)[bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version][sampleRateIndex]!;
  const padding = (b2 >> 1) & 1;
  return {
    version,
    layer,
    crc: (b1 & 1) === 0,
    bitrateIndex,
    bitrate,
    sampleRateIndex,
    sampleRate,
    padding,
    channelMode: b3 >> 6,
    frameLength: frameLength(version, layer, bitrate, sampleRate, padding),
    samplesPerFrame: layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152,
    raw: ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0,
  };
}

function parseHeaderAt(b: Uint8Array): FrameHeader | undefined {
  return b.length < 4 ? undefined : parseFrameHeader(b[0]!, b[1]!, b[2]!, b[3]!);
}

/** Frames of one stream share version, layer and rate; mono cannot switch with stereo. */
function compatible(a: FrameHeader, b: FrameHeader): boolean {
  return (
    a.version === b.version &&
    a.layer === b.layer &&
    a.sampleRate === b.sampleRate &&
    (a.channelMode === 3) === (b.channelMode === 3)
  );
}

function describe(h: FrameHeader): string {
  const version = h.version === 25 ? '2.5' : String(h.version);
  const layer = ['I', 'II', 'III'][h.layer - 1];
  return `MPEG-${version} Layer ${layer}, ${h.sampleRate} Hz, ${h.channelMode === 3 ? 'mono' : 'stereo'}`;
}

/** Layer III side information size: the Xing tag sits right after it. */
function sideInfoSize(h: FrameHeader): number {
  const mono = h.channelMode === 3;
  if (h.version === 1) return mono ? 17 : 32;
  return mono ? 9 : 17;
}

function syncsafe(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! & 0x7f) << 21) |
    ((bytes[at + 1]! & 0x7f) << 14) |
    ((bytes[at + 2]! & 0x7f) << 7) |
    (bytes[at + 3]! & 0x7f)
  );
}

function u32be(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  );
}

function u32le(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  );
}

/** Size of the ID3v2 tag whose 10-byte header is `h`, or 0 if `h` is not one. */
function id3v2Size(h: Uint8Array): number {
  if (h.length < 10 || ascii(h, 0, 3) !== 'ID3') return 0;
  if (h[3]! === 0xff || h[4]! === 0xff) return 0;
  for (let i = 6; i < 10; i++) if (h[i]! >= 0x80) return 0;
  // The footer flag exists only in ID3v2.4.
  const footer = h[3]! >= 4 && (h[5]! & 0x10) !== 0 ? 10 : 0;
  return 10 + syncsafe(h, 6) + footer;
}

/**
 * A moving window over a Blob. Frame walking is forward-only, so one window at a time is enough,
 * and each read is counted for progress.
 */
class Reader {
  private buf = new Uint8Array(0);
  private start = 0;
  /** Furthest byte read so far. */
  furthest = 0;

  constructor(
    readonly blob: Blob,
    private readonly onRead: () => void,
    private readonly signal?: AbortSignal,
  ) {}

  has(pos: number, n: number): boolean {
    return pos >= this.start && pos + n <= this.start + this.buf.length;
  }

  async load(pos: number, n: number): Promise<void> {
    throwIfAborted(this.signal);
    const end = Math.min(this.blob.size, pos + Math.max(CHUNK, n));
    this.buf = await readRange(this.blob, pos, end);
    this.start = pos;
    throwIfAborted(this.signal);
    if (end > this.furthest) {
      this.furthest = end;
      this.onRead();
    }
  }

  /** Byte at `pos`; the caller has made sure it is loaded. */
  byte(pos: number): number {
    return this.buf[pos - this.start]!;
  }

  header(pos: number): FrameHeader | undefined {
    const i = pos - this.start;
    const b = this.buf;
    return parseFrameHeader(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
  }

  /** Up to `n` bytes at `pos` (fewer at the end of the Blob). */
  async bytes(pos: number, n: number): Promise<Uint8Array<ArrayBuffer>> {
    const want = Math.min(n, this.blob.size - pos);
    if (!this.has(pos, want)) await this.load(pos, want);
    return this.buf.subarray(pos - this.start, pos - this.start + want);
  }
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

/** Start of trailing tags (ID3v1 and its "TAG+" extension, APEv1/v2, Lyrics3, ID3v2 footer). */
async function trailingTagsStart(blob: Blob, floor: number): Promise<number> {
  let end = blob.size;
  // Tags can stack (APE, then Lyrics3, then ID3v1); a few rounds peel them all.
  for (let round = 0; round < 8; round++) {
    const tail = await readRange(blob, Math.max(floor, end - 8192), end);
    const t0 = end - tail.length;
    const at = (abs: number, n: number) => (abs < t0 ? '' : ascii(tail, abs - t0, n));
    if (end - 128 >= floor && at(end - 128, 3) === 'TAG') {
      end -= 128;
      if (end - 227 >= floor && at(end - 227, 4) === 'TAG+') end -= 227;
      continue;
    }
    if (end - 32 >= floor && at(end - 32, 8) === 'APETAGEX') {
      const i = end - 32 - t0;
      const size = u32le(tail, i + 12);
      const hasHeader = (u32le(tail, i + 20) & 0x80000000) !== 0;
      const total = size + (hasHeader ? 32 : 0);
      if (size >= 32 && total <= end - floor) {
        end -= total;
        continue;
      }
    }
    if (end - 15 >= floor && at(end - 9, 9) === 'LYRICS200') {
      const digits = at(end - 15, 6);
      const total = /^\d{6}$/.test(digits) ? Number(digits) + 15 : 0;
      if (total > 15 && total <= end - floor) {
        const begin = await readRange(blob, end - total, end - total + 11);
        if (ascii(begin, 0, 11) === 'LYRICSBEGIN') {
          end -= total;
          continue;
        }
      }
    }
    if (end - 20 >= floor && at(end - 9, 9) === 'LYRICSEND') {
      // Lyrics3 v1 holds at most 5100 bytes of lyrics between its markers.
      const text = ascii(tail, 0, tail.length);
      const begin = text.lastIndexOf('LYRICSBEGIN', tail.length - 9);
      if (begin >= 0 && end - 9 - (t0 + begin) <= 5100 + 11) {
        end = t0 + begin;
        continue;
      }
    }
    if (end - 10 >= floor && at(end - 10, 3) === '3DI') {
      const footer = tail.subarray(end - 10 - t0);
      const total = syncsafe(footer, 6) + 20;
      if (total <= end - floor) {
        const head = await readRange(blob, end - total, end - total + 10);
        if (ascii(head, 0, 3) === 'ID3') {
          end -= total;
          continue;
        }
      }
    }
    break;
  }
  return end;
}

/** Checks that two more frames of the same stream follow `pos`, unless the audio ends first. */
async function confirmed(r: Reader, pos: number, h: FrameHeader, end: number): Promise<boolean> {
  let p = pos + h.frameLength;
  for (let i = 0; i < 2; i++) {
    if (p === end) return true;
    if (p + 4 > end) return false;
    if (!r.has(p, 4)) await r.load(p, 4);
    const next = r.header(p);
    if (!next || !compatible(h, next)) return false;
    p += next.frameLength;
    // A cut-off last frame still shows that a stream was found.
    if (p > end) return true;
  }
  return true;
}

/** The first confirmed frame at or after `from`, optionally of the same stream as `like`. */
async function findFrame(
  r: Reader,
  from: number,
  end: number,
  like?: FrameHeader,
): Promise<{ pos: number; header: FrameHeader } | undefined> {
  for (let q = from; q + 4 <= end; q++) {
    if (!r.has(q, 4)) await r.load(q, 4);
    if (r.byte(q) !== 0xff) continue;
    const h = r.header(q);
    if (!h || (like && !compatible(like, h))) continue;
    if (await confirmed(r, q, h, end)) return { pos: q, header: h };
  }
  return undefined;
}

/** Reads a Xing/Info/VBRI tag from a Layer III frame, if it holds one. */
async function readVbrTag(r: Reader, pos: number, h: FrameHeader): Promise<VbrTag | undefined> {
  if (h.layer !== 3) return undefined;
  const f = await r.bytes(pos, h.frameLength);
  if (f.length < h.frameLength) return undefined;
  const base = 4 + sideInfoSize(h);
  // ffmpeg and LAME do not count a CRC before the side info, but a protected frame may have one.
  for (const o of h.crc ? [base, base + 2] : [base]) {
    const id = ascii(f, o, 4);
    if (id !== 'Xing' && id !== 'Info') continue;
    const flags = o + 8 <= f.length ? u32be(f, o + 4) : 0;
    const tag: VbrTag = { kind: id };
    let p = o + 8;
    if (flags & 1 && p + 4 <= f.length) tag.frames = u32be(f, (p += 4) - 4);
    if (flags & 2 && p + 4 <= f.length) tag.bytes = u32be(f, (p += 4) - 4);
    if (flags & 4 && p + 100 <= f.length) tag.toc = f.slice(p, (p += 100));
    if (flags & 8 && p + 4 <= f.length) tag.quality = u32be(f, (p += 4) - 4);
    const encoder = ascii(f, p, 4);
    if (p + 36 <= f.length && (encoder === 'LAME' || encoder === 'Lavf' || encoder === 'Lavc')) {
      tag.lame = f.slice(p, p + 36);
      tag.delay = (f[p + 21]! << 4) | (f[p + 22]! >> 4);
      tag.padding = ((f[p + 22]! & 0x0f) << 8) | f[p + 23]!;
    }
    return tag;
  }
  if (ascii(f, 4 + 32, 4) === 'VBRI') {
    const tag: VbrTag = { kind: 'VBRI' };
    if (f.length >= 4 + 32 + 18) {
      tag.bytes = u32be(f, 4 + 32 + 10);
      tag.frames = u32be(f, 4 + 32 + 14);
    }
    return tag;
  }
  return undefined;
}

interface ScanOptions extends LosslessOptions {
  /** The first input's stream: a different one is refused as soon as it is seen. */
  like?: FrameHeader;
  /** Called with bytes read so far in this input. */
  onBytes?: (bytes: number) => void;
}

/**
 * Finds the audio frames of one MP3 input: skips a leading ID3v2 tag and junk, leaves out the
 * input's own Xing/Info/VBRI frame and trailing tags, and resyncs past junk between frames.
 */
export async function scanMp3(input: LosslessInput, opts: ScanOptions = {}): Promise<Mp3Scan> {
  const { blob } = input;
  const track: TrackRef = { id: input.id, name: input.name };
  throwIfAborted(opts.signal);
  if (blob.size === 0) throw new EmptyFileError(track);

  let id3v2End = 0;
  for (;;) {
    const size = id3v2Size(await readRange(blob, id3v2End, id3v2End + 10));
    if (!size) break;
    if (id3v2End + size > blob.size) {
      throw new TruncatedAudioError('the file ends inside its ID3v2 tag', track);
    }
    id3v2End += size;
  }
  const end = await trailingTagsStart(blob, id3v2End);
  const r = new Reader(blob, () => opts.onBytes?.(r.furthest), opts.signal);

  const first = await findFrame(r, id3v2End, end);
  if (!first) {
    throw new UnsupportedAudioError('no MPEG audio frames found: this is not an MP3 file', track);
  }
  const like = opts.like ?? first.header;
  if (!compatible(like, first.header)) {
    throw new UnsupportedAudioError(
      `it is ${describe(first.header)}, but the first track is ${describe(like)}; ` +
        'a lossless join needs the same MPEG version, layer, sample rate and channel count',
      track,
    );
  }

  let p = first.pos;
  const vbrTag = await readVbrTag(r, p, first.header);
  if (vbrTag) p += first.header.frameLength;

  const ranges: Array<[number, number]> = [];
  const sizes = new SizeList();
  let rangeStart = p;
  let bitrate = -1;
  let byteCount = 0;
  while (p + 4 <= end) {
    if (!r.has(p, 4)) await r.load(p, 4);
    const h = r.header(p);
    if (h && compatible(like, h)) {
      // A frame cut off by the end of the file would only decode to a glitch: leave it out.
      if (p + h.frameLength > end) break;
      sizes.push(h.frameLength);
      byteCount += h.frameLength;
      bitrate = bitrate === -1 || bitrate === h.bitrate ? h.bitrate : 0;
      p += h.frameLength;
      continue;
    }
    if (p > rangeStart) ranges.push([rangeStart, p]);
    // Files joined by plain concatenation carry ID3v2 tags between frames.
    const tag = id3v2Size(await r.bytes(p, 10));
    if (tag && p + tag <= end) {
      p += tag;
      // ...and each concatenated file's own Info frame, which would play as a silent frame.
      const h2 = p + 4 <= end ? parseHeaderAt(await r.bytes(p, 4)) : undefined;
      if (h2 && compatible(like, h2) && (await readVbrTag(r, p, h2))) p += h2.frameLength;
      rangeStart = p;
      continue;
    }
    const next = await findFrame(r, p + 1, end, like);
    if (!next) {
      rangeStart = p;
      break;
    }
    p = rangeStart = next.pos;
  }
  if (p > rangeStart) ranges.push([rangeStart, p]);
  opts.onBytes?.(blob.size);

  if (sizes.length === 0) throw new CorruptAudioError('the file has no MP3 audio frames', track);
  return {
    header: first.header,
    id3v2End,
    audioEnd: end,
    ...(vbrTag ? { vbrTag } : {}),
    frameCount: sizes.length,
    byteCount,
    uniformBitrate: bitrate,
    ranges,
    frameSizes: sizes.values(),
  };
}

/** CRC-16 (polynomial 0xA001, reflected, initial 0) as LAME computes it over its tag frame. */
export function lameTagCrc(bytes: Uint8Array, length = bytes.length): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    crc ^= bytes[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

const XING_FIELDS = 8 + 4 + 4 + 100 + 4;
const LAME_SIZE = 36;

interface XingPlan {
  like: FrameHeader;
  frames: number;
  audioBytes: number;
  /** The shared bitrate (kb/s) when every frame has it, else 0. */
  uniformBitrate: number;
  frameSizes: Uint16Array[];
  quality: number;
  lame?: { tag: Uint8Array; delay: number; padding: number };
}

/**
 * A silent Layer III frame that carries a Xing ("Info" for a constant bitrate) tag for the whole
 * joined stream: frame count, byte count, a seek table computed from the real frame offsets and,
 * when the first input had one, a LAME extension with its encoder delay and the last input's end
 * padding, so gapless decoders trim the ends as they did for the inputs.
 */
function buildXingFrame(plan: XingPlan): Uint8Array<ArrayBuffer> {
  const { like } = plan;
  const side = sideInfoSize(like);
  const table = bitrateTable(like.version, 3);
  const lengthAt = (index: number) =>
    frameLength(like.version, 3, table[index]!, like.sampleRate, 0);
  const pick = (need: number): number | undefined => {
    // Same bitrate as the audio for CBR, so players that time CBR by bitrate stay right.
    const same = table.indexOf(plan.uniformBitrate);
    if (plan.uniformBitrate && same > 0 && lengthAt(same) >= need) return same;
    for (let i = 1; i < 15; i++) if (lengthAt(i) >= need) return i;
    return undefined;
  };
  let lame = plan.lame;
  let index = pick(4 + side + XING_FIELDS + (lame ? LAME_SIZE : 0));
  if (index === undefined && lame) {
    lame = undefined;
    index = pick(4 + side + XING_FIELDS);
  }
  if (index === undefined) throw new Error('no bitrate gives a frame large enough for a Xing tag');

  const length = lengthAt(index);
  const frame = new Uint8Array(length);
  const raw = like.raw;
  frame[0] = 0xff;
  // Protection bit set (no CRC); padding and bitrate replaced; private bit, mode and flags kept.
  frame[1] = ((raw >>> 16) & 0xff) | 0x01;
  frame[2] = (index << 4) | (like.sampleRateIndex << 2) | ((raw >>> 8) & 0x01);
  frame[3] = raw & 0xff;

  const total = length + plan.audioBytes;
  const view = new DataView(frame.buffer);
  let o = 4 + side;
  frame.set(
    [...(plan.uniformBitrate ? 'Info' : 'Xing')].map((c) => c.charCodeAt(0)),
    o,
  );
  view.setUint32(o + 4, 0x0f);
  view.setUint32(o + 8, plan.frames);
  view.setUint32(o + 12, Math.min(total, 0xffffffff));
  frame.set(computeToc(plan), o + 16);
  view.setUint32(o + 116, plan.quality);
  o += XING_FIELDS;

  if (lame) {
    frame.set(lame.tag.subarray(0, LAME_SIZE), o);
    // ReplayGain and MP3Gain described the first input only.
    frame.fill(0, o + 11, o + 19);
    frame[o + 25] = 0;
    const delay = Math.min(lame.delay, 0xfff);
    const padding = Math.min(lame.padding, 0xfff);
    frame[o + 21] = delay >> 4;
    frame[o + 22] = ((delay & 0x0f) << 4) | (padding >> 8);
    frame[o + 23] = padding & 0xff;
    view.setUint32(o + 28, Math.min(total, 0xffffffff));
    // The music CRC would need every audio byte; nothing checks it, so it is left at 0.
    view.setUint16(o + 32, 0);
    view.setUint16(o + 34, lameTagCrc(frame, o + 34));
  }
  return frame;
}

/**
 * Xing TOC: entry i is where i% of the playing time starts, in 1/256ths of the audio, counted from
 * the first audio frame (as LAME writes it and ffmpeg reads it).
 */
function computeToc(plan: XingPlan): Uint8Array<ArrayBuffer> {
  const toc = new Uint8Array(100);
  let frame = 0;
  let offset = 0;
  let list = 0;
  let inList = 0;
  for (let i = 0; i < 100; i++) {
    const target = Math.floor((i * plan.frames) / 100);
    while (frame < target) {
      const sizes = plan.frameSizes[list]!;
      if (inList >= sizes.length) {
        list++;
        inList = 0;
        continue;
      }
      offset += sizes[inList++]!;
      frame++;
    }
    toc[i] = Math.min(255, Math.floor((offset * 256) / plan.audioBytes));
  }
  return toc;
}

/**
 * Joins MP3 inputs without re-encoding. Output: the first input's leading ID3v2 tag (verbatim),
 * a fresh Xing/Info frame for the whole stream (Layer III only), then every input's audio frames
 * as slices of its Blob.
 */
export async function joinMp3(inputs: LosslessInput[], opts: LosslessOptions = {}): Promise<Blob> {
  if (inputs.length === 0) throw new NothingToJoinError();
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
  throwIfAborted(opts.signal);

  const first = scans[0]!;
  const last = scans[scans.length - 1]!;
  const parts: BlobPart[] = [];
  if (first.id3v2End > 0) parts.push(inputs[0]!.blob.slice(0, first.id3v2End));
  if (first.header.layer === 3) {
    const uniform = scans.every((s) => s.uniformBitrate === first.uniformBitrate);
    const firstLame = first.vbrTag?.lame;
    parts.push(
      buildXingFrame({
        like: first.header,
        frames: scans.reduce((sum, s) => sum + s.frameCount, 0),
        audioBytes: scans.reduce((sum, s) => sum + s.byteCount, 0),
        uniformBitrate: uniform ? first.uniformBitrate : 0,
        frameSizes: scans.map((s) => s.frameSizes),
        quality: first.vbrTag?.quality ?? 0,
        ...(firstLame
          ? {
              lame: {
                tag: firstLame,
                delay: first.vbrTag?.delay ?? 0,
                padding: last.vbrTag?.lame ? (last.vbrTag.padding ?? 0) : 0,
              },
            }
          : {}),
      }),
    );
  }
  scans.forEach((scan, i) => {
    const blob = inputs[i]!.blob;
    for (const [start, stop] of scan.ranges) parts.push(blob.slice(start, stop));
  });
  opts.onProgress?.(1);
  return new Blob(parts, { type: 'audio/mpeg' });
}
