/**
 * Loudness changed without decoding: every Layer III granule's `global_gain` (8 bits of side
 * information, one step = 2^(1/4) in amplitude, 1.5 dB) moved by the same whole number of
 * steps, as MP3Gain does. Nothing else in a frame changes but its CRC, when it has one. The
 * Xing/Info frame is not audio and keeps its bytes (its LAME tag's CRC covers them). Pure.
 */
import { throwIfAborted, type Bytes } from '@/lib/core/bytes';
import { channelCount, frameHeaderAt, sideInfoSize, type FrameHeader } from '@/lib/containers/mp3';
import type { LosslessInput, LosslessOptions } from '../types';
import { scanMp3 } from '../mp3/scan';

/** Bits from the start of the side information to each granule's first field. */
function sideInfoLead(h: FrameHeader): number {
  const ch = channelCount(h);
  // main_data_begin, private bits, then (MPEG-1) scfsi: ISO 11172-3 2.4.1.7, 13818-3 2.4.1.7.
  return h.version === 1 ? 9 + (ch === 1 ? 5 : 3) + 4 * ch : 8 + (ch === 1 ? 1 : 2);
}

/** Bits of one granule's side information for one channel. */
function granuleBits(h: FrameHeader): number {
  return h.version === 1 ? 59 : 63;
}

/** global_gain sits after part2_3_length (12 bits) and big_values (9). */
const GLOBAL_GAIN_AT = 21;

function readBits(b: Uint8Array, bit: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++, bit++) v = (v << 1) | ((b[bit >> 3]! >> (7 - (bit & 7))) & 1);
  return v;
}

function writeBits(b: Uint8Array, bit: number, n: number, value: number): void {
  for (let i = n - 1; i >= 0; i--, bit++) {
    const mask = 1 << (7 - (bit & 7));
    if ((value >> i) & 1) b[bit >> 3]! |= mask;
    else b[bit >> 3]! &= ~mask;
  }
}

/** Bit offsets (from the frame's first byte) of each granule's and channel's global_gain. */
export function globalGainBits(h: FrameHeader): number[] {
  const start = (4 + (h.crc ? 2 : 0)) * 8 + sideInfoLead(h);
  const granules = h.version === 1 ? 2 : 1;
  const out: number[] = [];
  for (let g = 0; g < granules * channelCount(h); g++) {
    out.push(start + g * granuleBits(h) + GLOBAL_GAIN_AT);
  }
  return out;
}

/** The global_gain values of the Layer III frame at `frame[0]`, in side-info order. */
export function readGlobalGains(frame: Uint8Array, h: FrameHeader): number[] {
  return globalGainBits(h).map((bit) => readBits(frame, bit, 8));
}

/**
 * The CRC-16 an MPEG audio frame protects its header's last two bytes and its side information
 * with (ISO 11172-3 2.4.3.1: polynomial 0x8005, register preset to all ones).
 */
function mpegCrc(frame: Uint8Array, h: FrameHeader): number {
  const sideBytes = sideInfoSize(h);
  let crc = 0xffff;
  const feed = (byte: number) => {
    for (let i = 7; i >= 0; i--) {
      const bit = ((byte >> i) & 1) ^ (crc >> 15);
      crc = ((crc << 1) & 0xffff) ^ (bit ? 0x8005 : 0);
    }
  };
  feed(frame[2]!);
  feed(frame[3]!);
  for (let i = 0; i < sideBytes; i++) feed(frame[6 + i]!);
  return crc;
}

/** What a gain change did to a stream. */
export interface GainResult {
  /** Audio frames changed. */
  frames: number;
  /** Granules whose gain met 0 or 255 and moved less than asked. */
  clamped: number;
}

/**
 * Moves every granule's global_gain in the Layer III frames of `bytes` within `ranges` (each
 * range whole frames, back to back: an Mp3Scan's) by `steps`, in place, clamped to 0..255, and
 * writes each protected frame's CRC again.
 */
function gainFrames(
  bytes: Uint8Array,
  ranges: readonly (readonly [number, number])[],
  steps: number,
): GainResult {
  const result: GainResult = { frames: 0, clamped: 0 };
  if (steps === 0) return result;
  for (const [from, to] of ranges) {
    for (let at = from; at < to;) {
      const h = frameHeaderAt(bytes, at);
      if (!h || h.layer !== 3 || at + h.frameLength > to) break;
      gainFrame(bytes.subarray(at, at + h.frameLength), h, steps, result);
      result.frames++;
      at += h.frameLength;
    }
  }
  return result;
}

/** Moves one frame's gains (its side information must be whole) and writes its CRC again. */
function gainFrame(frame: Uint8Array, h: FrameHeader, steps: number, result: GainResult): void {
  for (const bit of globalGainBits(h)) {
    const old = readBits(frame, bit, 8);
    const gain = Math.min(255, Math.max(0, old + steps));
    if (gain !== old + steps) result.clamped++;
    writeBits(frame, bit, 8, gain);
  }
  if (h.crc) {
    const crc = mpegCrc(frame, h);
    frame[4] = crc >> 8;
    frame[5] = crc & 0xff;
  }
}

/**
 * The input with every audio frame's gain moved by `steps` (1.5 dB each): a new Blob with the
 * same bytes but the global_gain fields (and CRCs). The scan is the lossless join's own, so a
 * file it would refuse is refused here the same way.
 */
export async function gainMp3(
  input: LosslessInput,
  steps: number,
  opts: Pick<LosslessOptions, 'signal'> = {},
): Promise<{ blob: Blob; result: GainResult }> {
  if (steps === 0) return { blob: input.blob, result: { frames: 0, clamped: 0 } };
  const scan = await scanMp3(input, opts);
  throwIfAborted(opts.signal);
  const bytes: Bytes = new Uint8Array(await input.blob.arrayBuffer());
  const ranges: [number, number][] = scan.ranges.map(([a, b]) => [a, b]);
  const result = gainFrames(bytes, ranges, steps);
  // A last frame cut short is decoded too: gained as well when its side information is whole.
  const cut = scan.cutFrame;
  const h = cut && frameHeaderAt(bytes, cut.start);
  if (cut && h?.layer === 3 && cut.end - cut.start >= 4 + (h.crc ? 2 : 0) + sideInfoSize(h)) {
    gainFrame(bytes.subarray(cut.start, cut.end), h, steps, result);
    result.frames++;
  }
  return { blob: new Blob([bytes], { type: input.blob.type || 'audio/mpeg' }), result };
}
