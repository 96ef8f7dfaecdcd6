/**
 * The one MPEG audio frame-header reader (ISO 11172-3 / 13818-3) with its tables, and the
 * Xing/Info/LAME/VBRI header that a stream's first frame may carry. Used by the sniffer, the
 * lossless MP3 joiner and its fast-path check. Pure.
 */
import { ascii, u32be } from '@/lib/core/bytes';
import { text, type Text } from '@/lib/core/i18n';
import { khzText } from '@/lib/core/text';

export type MpegVersion = 1 | 2 | 25;

export interface FrameHeader {
  /** 1, 2 or 2.5 (written 25). */
  version: MpegVersion;
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
const SAMPLE_RATES: Record<MpegVersion, readonly number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  25: [11025, 12000, 8000],
};

/** kb/s by bitrate index for this version and layer (index 0 is "free format"). */
export function bitrateTable(version: MpegVersion, layer: 1 | 2 | 3): readonly number[] {
  return (version === 1 ? BITRATES_V1 : BITRATES_V2)[layer]!;
}

/** Bytes in a frame of these parameters, header included. */
export function frameLength(
  version: MpegVersion,
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
 * Parses a 4-byte MPEG audio frame header. Undefined for anything that is not a usable header:
 * reserved version, layer, rate or emphasis, and free-format (bitrate index 0) frames, whose
 * length cannot be known from the header alone.
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

/** The frame header at `at` in `bytes`, or undefined (also when fewer than 4 bytes are left). */
export function frameHeaderAt(bytes: Uint8Array, at: number): FrameHeader | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined;
  return parseFrameHeader(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** 1 for mono, 2 for the three stereo modes. */
export function channelCount(h: FrameHeader): 1 | 2 {
  return h.channelMode === 3 ? 1 : 2;
}

/**
 * What differs between two frames in a way one stream cannot change (a decoder restarts, a
 * Xing header miscounts), in words; undefined when `b` can follow `a` in one stream. Bitrate,
 * padding and stereo mode may change from frame to frame; the rest may not.
 */
export function streamChange(a: FrameHeader, b: FrameHeader): Text | undefined {
  if (a.layer !== b.layer) return text('refusals.mpegLayerChange', layerName(a), layerName(b));
  if (a.version !== b.version) {
    return text('refusals.mpegVersionChange', versionName(a), versionName(b));
  }
  if (a.sampleRate !== b.sampleRate) {
    return text('refusals.mpegRateChange', khzText(a.sampleRate), khzText(b.sampleRate));
  }
  const ca = channelCount(a);
  const cb = channelCount(b);
  if (ca !== cb) return text('refusals.mpegChannelChange', channelWord(ca), channelWord(cb));
  return undefined;
}

/** True when `b` can follow `a` in one stream (see `streamChange`). */
export function sameStream(a: FrameHeader, b: FrameHeader): boolean {
  return streamChange(a, b) === undefined;
}

/** "MPEG-1 Layer III, 44100 Hz, stereo". */
export function describeStream(h: FrameHeader): Text {
  return text(
    'refusals.mpegStream',
    versionName(h),
    layerName(h),
    String(h.sampleRate),
    channelWord(channelCount(h)),
  );
}

function versionName(h: FrameHeader): string {
  return `MPEG-${h.version === 25 ? '2.5' : h.version}`;
}

function layerName(h: FrameHeader): string {
  return ['I', 'II', 'III'][h.layer - 1]!;
}

function channelWord(n: 1 | 2): Text {
  return n === 1 ? text('audio.mono') : text('audio.stereo');
}

/** Layer III side information size: a Xing tag sits right after it. */
export function sideInfoSize(h: FrameHeader): number {
  const mono = h.channelMode === 3;
  if (h.version === 1) return mono ? 17 : 32;
  return mono ? 9 : 17;
}

/** A Xing/Info/VBRI header found in a stream's first frame (that frame is not audio). */
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

/** VBRI (Fraunhofer) sits a fixed 32 bytes after the frame header. */
const VBRI_AT = 4 + 32;

/**
 * Reads a Xing/Info (with its LAME extension) or VBRI header from a Layer III frame that starts
 * at `frame[0]`. `frame` may be cut short (the head of a file): fields past its end are left
 * out. Undefined when the frame holds no such header.
 */
export function readVbrTag(frame: Uint8Array, h: FrameHeader): VbrTag | undefined {
  if (h.layer !== 3) return undefined;
  const f = frame.subarray(0, h.frameLength);
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
  if (ascii(f, VBRI_AT, 4) === 'VBRI') {
    const tag: VbrTag = { kind: 'VBRI' };
    if (f.length >= VBRI_AT + 18) {
      tag.bytes = u32be(f, VBRI_AT + 10);
      tag.frames = u32be(f, VBRI_AT + 14);
    }
    return tag;
  }
  return undefined;
}

/**
 * What a Layer III frame's side information says about its main data: where it starts (bytes
 * back from the end of the side info, into earlier frames: the bit reservoir) and how many bits
 * its granules use. The parallel encoder's splicer (lib/segments/mp3.ts) needs both to move
 * reservoir bytes across a junction.
 */
export interface MainDataInfo {
  /** Bytes before this frame's data area where its main data starts (`main_data_begin`). */
  begin: number;
  /** Bits of main data (the sum of every granule's and channel's `part2_3_length`). */
  bits: number;
  /** Where the frame's data area starts: header, CRC and side info before it. */
  dataOffset: number;
}

/** Reads `main_data_begin` and the `part2_3_length`s of the Layer III frame at `frame[0]`. */
export function readMainDataInfo(frame: Uint8Array, h: FrameHeader): MainDataInfo {
  if (h.layer !== 3) throw new RangeError('only Layer III frames have a bit reservoir');
  const start = 4 + (h.crc ? 2 : 0);
  let bit = start * 8;
  const read = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) v = (v << 1) | ((frame[bit >> 3]! >> (7 - (bit & 7))) & 1);
    return v;
  };
  const channels = channelCount(h);
  const mpeg1 = h.version === 1;
  const begin = read(mpeg1 ? 9 : 8);
  // Private bits, then (MPEG-1) the scale factor selection information.
  read(mpeg1 ? (channels === 1 ? 5 : 3) : channels === 1 ? 1 : 2);
  if (mpeg1) read(4 * channels);
  let bits = 0;
  for (let gr = 0; gr < (mpeg1 ? 2 : 1); gr++) {
    for (let ch = 0; ch < channels; ch++) {
      bits += read(12);
      // big_values 9, global_gain 8, scalefac_compress 4 (MPEG-1) or 9, window_switching 1,
      // 22 bits of block or region information, then preflag (MPEG-1), scale and count1 tables.
      read(9 + 8 + (mpeg1 ? 4 : 9) + 1 + 22 + (mpeg1 ? 3 : 2));
    }
  }
  return { begin, bits, dataOffset: start + sideInfoSize(h) };
}
