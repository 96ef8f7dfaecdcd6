/**
 * What a track is, from its header alone, in JavaScript: its codec, sample rate, channels and
 * length, so the queue shows them the moment a file is added, before any ffprobe run in the
 * engine (which confirms them after, and alone decides the join). Pure (Blob only); every read is
 * bounded: the head (SNIFF_WINDOW), the tail of an Ogg file, and an MP4's top-level box headers
 * and its `moov` (at most MAX_MOOV bytes).
 *
 * Formats: MP3 (first frame, with its Xing/Info + LAME or VBRI header; a CBR estimate from the
 * bitrate otherwise), WAV (`fmt ` and `data`, through lib/lossless/wav.ts), FLAC (STREAMINFO), Ogg Opus and Vorbis (the
 * identification header, the last page's granule), MP4/M4A (`mvhd`, the sound track's `mdhd`
 * and `stsd`). Anything else, or a header that does not parse: undefined.
 */
import { ascii, readRange, u16le, u32be, u32le } from '@/lib/core/bytes';
import { leadingId3Size } from '@/lib/containers/id3';
import { channelCount, frameHeaderAt, readVbrTag, type FrameHeader } from '@/lib/containers/mp3';
import { inspectHeader, SNIFF_WINDOW } from './sniff';
import { child, readBoxes, type Box } from '@/lib/containers/mp4';
import { topBoxes } from '@/lib/containers/mp4';
import { aacConfig } from '@/lib/containers/mp4';
import { parseWav } from '@/lib/containers/wav';

/** A track's header, as ffprobe would name it. */
export interface HeaderInfo {
  /** ffprobe's codec name: mp3, aac, opus, vorbis, flac, alac, pcm_s16le… */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Seconds, when the header says or lets one estimate it. */
  durationSec?: number;
  /**
   * False when the header shows the stream may take on another format midway: an Ogg file whose
   * last page belongs to another stream than its first (a chain), an MP4 track with more than
   * one sample description. Absent otherwise.
   */
  uniform?: false;
}

/** The end of an Ogg file read for its last page: a page is at most 65,307 bytes. */
const OGG_TAIL = 65_536 + 4096;
/** An MP4 `moov` larger than this is left to ffprobe (a long video's tables). */
const MAX_MOOV = 16 * 1024 * 1024;
/** How far past leading tags a first MP3 frame is looked for. */
const MP3_SEARCH = 4096;

/** Reads the header of `blob`; undefined when it is not one of the formats above. Never throws. */
export async function readHeader(blob: Blob): Promise<HeaderInfo | undefined> {
  try {
    const head = await readRange(blob, 0, Math.min(blob.size, SNIFF_WINDOW));
    const { kind } = inspectHeader(head, blob.size);
    switch (kind) {
      case 'mp3':
      case 'mp3-xing':
      case 'mp3-vbri':
        return mp3Header(head, blob.size);
      case 'wav':
        return await wavHeader(blob);
      case 'flac':
        return flacHeader(head);
      case 'ogg':
        return oggHeader(head, await readRange(blob, Math.max(0, blob.size - OGG_TAIL), blob.size));
      case 'mp4':
        return await mp4Header(blob);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

// --- MP3 -------------------------------------------------------------------------------------

function mp3Header(head: Uint8Array, size: number): HeaderInfo | undefined {
  const start = leadingId3Size(head);
  let at = start;
  let frame: FrameHeader | undefined;
  for (const end = Math.min(head.length, start + MP3_SEARCH); at < end; at++) {
    frame = frameHeaderAt(head, at);
    // A second frame where the first one ends: not a false sync in the tag's padding.
    if (
      frame &&
      (at + frame.frameLength + 4 > head.length || frameHeaderAt(head, at + frame.frameLength))
    )
      break;
    frame = undefined;
  }
  if (!frame) return undefined;
  const codec = frame.layer === 3 ? 'mp3' : frame.layer === 2 ? 'mp2' : 'mp1';
  const info = { codec, sampleRate: frame.sampleRate, channels: channelCount(frame) };
  const tag = readVbrTag(head.subarray(at), frame);
  if (tag?.frames) {
    const samples = tag.frames * frame.samplesPerFrame - (tag.delay ?? 0) - (tag.padding ?? 0);
    return { ...info, durationSec: Math.max(0, samples) / frame.sampleRate };
  }
  // No frame count: constant bitrate over the bytes after the first frame (an estimate).
  if (frame.bitrate > 0)
    return { ...info, durationSec: ((size - at) * 8) / (frame.bitrate * 1000) };
  return info;
}

// --- WAV -------------------------------------------------------------------------------------

const WAV_CODECS: Record<number, (bits: number) => string | undefined> = {
  1: (bits) => (bits === 8 ? 'pcm_u8' : [16, 24, 32].includes(bits) ? `pcm_s${bits}le` : undefined),
  3: (bits) => (bits === 32 || bits === 64 ? `pcm_f${bits}le` : undefined),
  6: () => 'pcm_alaw',
  7: () => 'pcm_mulaw',
};

/** Through the zero-copy join's own WAV reader (lib/lossless/wav.ts). */
async function wavHeader(blob: Blob): Promise<HeaderInfo | undefined> {
  const wav = await parseWav({ id: '', name: '', blob });
  const f = wav.format;
  const codec = wav.container === 'RIFX' ? undefined : WAV_CODECS[f.codecTag]?.(f.bitsPerSample);
  if (!codec || f.channels === 0 || f.sampleRate === 0) return undefined;
  return {
    codec,
    sampleRate: f.sampleRate,
    channels: f.channels,
    ...(f.byteRate > 0 ? { durationSec: wav.dataSize / f.byteRate } : {}),
  };
}

// --- FLAC ------------------------------------------------------------------------------------

function flacHeader(head: Uint8Array): HeaderInfo | undefined {
  // "fLaC", then the first metadata block, which must be STREAMINFO (type 0, 34 bytes).
  if (head.length < 8 + 34 || (head[4]! & 0x7f) !== 0) return undefined;
  const s = 8;
  const rate = (head[s + 10]! << 12) | (head[s + 11]! << 4) | (head[s + 12]! >> 4);
  const channels = ((head[s + 12]! >> 1) & 0x07) + 1;
  const total = (head[s + 13]! & 0x0f) * 2 ** 32 + u32be(head, s + 14);
  if (rate === 0) return undefined;
  return {
    codec: 'flac',
    sampleRate: rate,
    channels,
    // 0 total samples: the encoder did not know (a stream).
    ...(total > 0 ? { durationSec: total / rate } : {}),
  };
}

// --- Ogg -------------------------------------------------------------------------------------

/** The granule position of the last complete-looking page in `tail` for `serial`. */
function lastGranule(tail: Uint8Array, serial: number): number | undefined {
  for (let at = tail.length - 27; at >= 0; at--) {
    if (tail[at] !== 0x4f || ascii(tail, at, 4) !== 'OggS' || tail[at + 4] !== 0) continue;
    if (u32le(tail, at + 14) !== serial) continue;
    const granule = u32le(tail, at + 6) + u32le(tail, at + 10) * 2 ** 32;
    // -1: no packet ends on this page.
    if (u32le(tail, at + 6) === 0xffffffff && u32le(tail, at + 10) === 0xffffffff) continue;
    return granule;
  }
  return undefined;
}

/** The serial number of the last page in `tail`, or undefined when it holds none. */
function lastSerial(tail: Uint8Array): number | undefined {
  for (let at = tail.length - 27; at >= 0; at--) {
    if (tail[at] === 0x4f && ascii(tail, at, 4) === 'OggS' && tail[at + 4] === 0) {
      return u32le(tail, at + 14);
    }
  }
  return undefined;
}

function oggHeader(head: Uint8Array, tail: Uint8Array): HeaderInfo | undefined {
  if (head.length < 28 || ascii(head, 0, 4) !== 'OggS') return undefined;
  const serial = u32le(head, 14);
  const packet = 27 + head[26]!;
  const end = lastGranule(tail, serial);
  // The last page of another stream: a chain, whose next link may differ in format.
  const last = lastSerial(tail);
  const chain = last !== undefined && last !== serial ? { uniform: false as const } : {};
  if (ascii(head, packet, 8) === 'OpusHead' && packet + 19 <= head.length) {
    const channels = head[packet + 9]!;
    const preSkip = u16le(head, packet + 10);
    return {
      codec: 'opus',
      // Opus always decodes at 48 kHz (the header's rate is the source's, for information).
      sampleRate: 48000,
      channels,
      ...(end !== undefined ? { durationSec: Math.max(0, end - preSkip) / 48000 } : {}),
      ...chain,
    };
  }
  if (head[packet] === 1 && ascii(head, packet + 1, 6) === 'vorbis' && packet + 16 <= head.length) {
    const channels = head[packet + 11]!;
    const rate = u32le(head, packet + 12);
    if (rate === 0) return undefined;
    return {
      codec: 'vorbis',
      sampleRate: rate,
      channels,
      ...(end !== undefined ? { durationSec: end / rate } : {}),
      ...chain,
    };
  }
  return undefined;
}

// --- MP4 -------------------------------------------------------------------------------------

/** AAC channel configurations 1 to 7 (0: the program config element says; not read here). */
const AAC_CHANNELS: readonly (number | undefined)[] = [undefined, 1, 2, 3, 4, 5, 6, 8];

const MP4_CODECS: Record<string, string> = {
  mp4a: 'aac',
  Opus: 'opus',
  fLaC: 'flac',
  alac: 'alac',
  'ac-3': 'ac3',
  'ec-3': 'eac3',
};

async function mp4Header(blob: Blob): Promise<HeaderInfo | undefined> {
  const at = (await topBoxes(blob)).find((b) => b.type === 'moov');
  if (!at || at.size > MAX_MOOV) return undefined;
  const [moov] = readBoxes(await readRange(blob, at.start, at.start + at.size));
  return moov ? moovHeader(moov) : undefined;
}

function moovHeader(moov: Box): HeaderInfo | undefined {
  const trak = moov.children?.find(
    (t) =>
      t.type === 'trak' &&
      ascii(child(t, 'mdia/hdlr')?.payload ?? new Uint8Array(), 8, 4) === 'soun',
  );
  const stsd = child(trak, 'mdia/minf/stbl/stsd')?.payload;
  const mdhd = child(trak, 'mdia/mdhd')?.payload;
  // stsd: version and flags, entry count, then the first entry (size, format, …).
  if (!stsd || stsd.length < 8 + 36) return undefined;
  const e = 8;
  const descriptions = u32be(stsd, 4);
  const format = ascii(stsd, e + 4, 4);
  const codec = MP4_CODECS[format];
  if (!codec) return undefined;
  const channels = (stsd[e + 24]! << 8) | stsd[e + 25]!;
  const rate = u32be(stsd, e + 32) >>> 16;
  let durationSec: number | undefined;
  if (mdhd && mdhd.length >= 24) {
    const v1 = mdhd[0] === 1;
    const scale = u32be(mdhd, v1 ? 20 : 12);
    const duration = v1 ? u32be(mdhd, 24) * 2 ** 32 + u32be(mdhd, 28) : u32be(mdhd, 16);
    if (scale > 0) durationSec = duration / scale;
  }
  // The entry's channel count is often a fixed 2 (as ISO 14496-12 asks): AAC's own
  // configuration says how many there are.
  const aac = format === 'mp4a' ? aacConfig(stsd) : undefined;
  const configured = aac ? AAC_CHANNELS[aac.channelConfig] : undefined;
  return {
    codec: format === 'mp4a' && !aac && mp3InMp4(stsd) ? 'mp3' : codec,
    sampleRate: rate,
    channels: configured ?? channels,
    ...(durationSec !== undefined ? { durationSec } : {}),
    ...(descriptions > 1 ? { uniform: false as const } : {}),
  };
}

/** An `mp4a` entry whose esds names MPEG-1/2 audio (object type 0x69 or 0x6B) holds MP3. */
function mp3InMp4(stsd: Uint8Array): boolean {
  let esds = -1;
  for (let i = 0; i + 4 <= stsd.length && esds < 0; i++) if (ascii(stsd, i, 4) === 'esds') esds = i;
  if (esds < 0) return false;
  // ES_Descriptor (tag 3) holds a DecoderConfigDescriptor (tag 4): its first byte is the type.
  for (let i = esds + 8; i + 2 < stsd.length; i++) {
    if (stsd[i] !== 0x04) continue;
    let p = i + 1;
    while (p < i + 4 && stsd[p]! & 0x80) p++;
    const type = stsd[p + 1];
    return type === 0x69 || type === 0x6b;
  }
  return false;
}
