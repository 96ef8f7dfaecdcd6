/**
 * Lossless WAV join over Blobs: a fresh RIFF header followed by slices of each input's data chunk.
 * Only chunk headers are read, so the cost does not depend on the length of the audio.
 */
import {
  CorruptAudioError,
  EmptyFileError,
  NothingToJoinError,
  TooLargeError,
  TruncatedAudioError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { text, textN, type Text } from '@/lib/core/i18n';
import { ascii, readRange, throwIfAborted, u16be, u16le, u32be, u32le } from '@/lib/core/bytes';
import type { LosslessInput, LosslessOptions } from './types';
import type { TrackRef } from '@/lib/core/track';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const JOINABLE = new Set([
  WAVE_FORMAT_PCM,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_MULAW,
]);
/** Tail shared by every KSDATAFORMAT_SUBTYPE_* GUID built from a WAVE format tag. */
const GUID_TAIL = [
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];
const MAX_U32 = 0xffffffff;
/** Enough for the headers of nearly every file; anything further is read chunk by chunk. */
const HEAD = 64 * 1024;

export interface WavFormat {
  /** The fmt chunk's own tag (0xFFFE for WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  /** What the samples are: the tag, or the sub-format's tag for WAVE_FORMAT_EXTENSIBLE. */
  codecTag: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  /** WAVE_FORMAT_EXTENSIBLE only. */
  validBitsPerSample?: number;
  channelMask?: number;
}

export interface WavInfo {
  /** RIFX: big-endian throughout (numbers and samples). */
  container: 'RIFF' | 'RF64' | 'RIFX';
  format: WavFormat;
  /** The fmt chunk's body as found. */
  fmtChunk: Uint8Array<ArrayBuffer>;
  /** Offset of the first audio byte. */
  dataOffset: number;
  /** Bytes of audio to use: whole sample frames only. */
  dataSize: number;
  /** What the data chunk header says (undefined when it means "until the end of the file"). */
  declaredDataSize?: number;
  /** The file ends before the declared data does. */
  truncated: boolean;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plausible RIFF chunk id: four printable ASCII characters. */
function isChunkId(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  for (let i = 0; i < 4; i++) if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return false;
  return true;
}

/** Readers of 16- and 32-bit numbers in the file's byte order. */
interface Order {
  u16: (b: Uint8Array, at: number) => number;
  u32: (b: Uint8Array, at: number) => number;
}
const LITTLE: Order = { u16: u16le, u32: u32le };
const BIG: Order = { u16: u16be, u32: u32be };

function parseFmt(body: Uint8Array, track: TrackRef, order: Order = LITTLE): WavFormat {
  const { u16: u16le, u32: u32le } = order;
  if (body.length < 16) throw new CorruptAudioError(text('refusals.wavFmtShort'), track);
  const format: WavFormat = {
    formatTag: u16le(body, 0),
    codecTag: u16le(body, 0),
    channels: u16le(body, 2),
    sampleRate: u32le(body, 4),
    byteRate: u32le(body, 8),
    blockAlign: u16le(body, 12),
    bitsPerSample: u16le(body, 14),
  };
  if (format.formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (body.length < 40) {
      throw new CorruptAudioError(text('refusals.wavExtensibleShort'), track);
    }
    format.validBitsPerSample = u16le(body, 18);
    format.channelMask = u32le(body, 20);
    const guidTail = Array.from(body.subarray(26, 40));
    format.codecTag = guidTail.every((b, i) => b === GUID_TAIL[i]) ? u16le(body, 24) : -1;
  }
  if (!JOINABLE.has(format.codecTag)) {
    const tag =
      format.codecTag < 0
        ? text('refusals.wavUnknownSubformat')
        : text('refusals.wavFormatTag', hex(format.codecTag));
    throw new UnsupportedAudioError(text('refusals.wavCodec', tag), track);
  }
  if (!format.channels || !format.sampleRate || !format.blockAlign) {
    throw new CorruptAudioError(text('refusals.wavFmtEmpty'), track);
  }
  return format;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

function describe(f: WavFormat): Text {
  const kind =
    f.codecTag === WAVE_FORMAT_IEEE_FLOAT
      ? 'float'
      : f.codecTag === WAVE_FORMAT_ALAW
        ? 'A-law'
        : f.codecTag === WAVE_FORMAT_MULAW
          ? 'µ-law'
          : 'PCM';
  const bits = f.validBitsPerSample ?? f.bitsPerSample;
  return textN('refusals.wavFormat', f.channels, String(bits), kind, String(f.sampleRate));
}

function sameFormat(a: WavFormat, b: WavFormat): boolean {
  return (
    a.codecTag === b.codecTag &&
    a.channels === b.channels &&
    a.sampleRate === b.sampleRate &&
    a.bitsPerSample === b.bitsPerSample &&
    a.blockAlign === b.blockAlign &&
    (a.validBitsPerSample ?? a.bitsPerSample) === (b.validBitsPerSample ?? b.bitsPerSample)
  );
}

/**
 * Parses a RIFF/WAVE or RF64 file's fmt chunk and finds its data chunk, skipping other chunks.
 * A data size that runs past the end of the file (a cut-off download) or that says "unknown"
 * (0xFFFFFFFF, or 0 followed by samples, as streaming writers leave it) means "to the end of the
 * file"; either way only whole sample frames are used.
 */
export async function parseWav(input: LosslessInput): Promise<WavInfo> {
  const { blob } = input;
  const track: TrackRef = { id: input.id, name: input.name };
  if (blob.size === 0) throw new EmptyFileError(track);
  const head = await readRange(blob, 0, HEAD);
  const at = async (pos: number, n: number): Promise<Uint8Array<ArrayBuffer>> =>
    pos + n <= head.length ? head.subarray(pos, pos + n) : readRange(blob, pos, pos + n);

  const riff = ascii(head, 0, 4);
  const container =
    riff === 'RIFF'
      ? 'RIFF'
      : riff === 'RF64' || riff === 'BW64'
        ? 'RF64'
        : riff === 'RIFX'
          ? 'RIFX'
          : '';
  const order = container === 'RIFX' ? BIG : LITTLE;
  const u32le = order.u32;
  if (!container || ascii(head, 8, 4) !== 'WAVE') {
    throw new UnsupportedAudioError(text('refusals.notWav'), track);
  }

  let ds64DataSize: number | undefined;
  let format: WavFormat | undefined;
  let fmtChunk: Uint8Array<ArrayBuffer> | undefined;
  let data: { offset: number; size: number; declared?: number; truncated: boolean } | undefined;
  let ranPastEnd = false;
  let pos = 12;
  for (let count = 0; pos + 8 <= blob.size && count < 10_000; count++) {
    const header = await at(pos, 8);
    const id = ascii(header, 0, 4);
    const size = u32le(header, 4);
    const body = pos + 8;
    if (id === 'ds64' && size >= 16) {
      const ds64 = await at(body, 16);
      ds64DataSize = u32le(ds64, 8) + u32le(ds64, 12) * 2 ** 32;
    } else if (id === 'fmt ') {
      fmtChunk = (await at(body, Math.min(size, 1024))).slice();
      format = parseFmt(fmtChunk, track, order);
    } else if (id === 'data') {
      const available = blob.size - body;
      let declared: number | undefined = size;
      if (container === 'RF64' && size === MAX_U32) declared = ds64DataSize;
      else if (size === MAX_U32) declared = undefined;
      else if (size === 0 && available > 0 && !isChunkId(await at(body, 4))) declared = undefined;
      data = {
        offset: body,
        size: declared === undefined ? available : Math.min(declared, available),
        ...(declared !== undefined ? { declared } : {}),
        truncated: declared !== undefined && declared > available,
      };
      // The fmt chunk nearly always comes first; if not, keep looking past a sized data chunk.
      if (format || declared === undefined || data.truncated) break;
      pos = body + declared + (declared & 1);
      continue;
    }
    const next = body + size + (size & 1);
    if (next > blob.size) {
      ranPastEnd = true;
      break;
    }
    pos = next;
  }
  if (!format || !fmtChunk) {
    if (ranPastEnd || data) {
      throw new TruncatedAudioError(text('refusals.wavEndsBeforeFmt'), track);
    }
    throw new CorruptAudioError(text('refusals.wavNoFmt'), track);
  }
  if (!data) {
    if (ranPastEnd || pos + 8 > blob.size) {
      throw new TruncatedAudioError(text('refusals.wavEndsBeforeData'), track);
    }
    throw new CorruptAudioError(text('refusals.wavNoData'), track);
  }
  return {
    container,
    format,
    fmtChunk,
    dataOffset: data.offset,
    dataSize: data.size - (data.size % format.blockAlign),
    ...(data.declared !== undefined ? { declaredDataSize: data.declared } : {}),
    truncated: data.truncated,
  };
}

/** RIFF header for `dataSize` bytes of `first`'s format, up to and including the data header. */
function buildHeader(first: WavInfo, dataSize: number): Uint8Array<ArrayBuffer> {
  const f = first.format;
  let fmt: Uint8Array<ArrayBuffer>;
  if (f.formatTag === WAVE_FORMAT_EXTENSIBLE) {
    // Keep channel mask and sub-format exactly as the first input had them.
    fmt = first.fmtChunk.slice(0, 40);
    view(fmt).setUint16(16, 22, true);
  } else {
    // PCM gets the canonical 16-byte fmt (a 44-byte header); other tags carry cbSize = 0.
    fmt = new Uint8Array(f.formatTag === WAVE_FORMAT_PCM ? 16 : 18);
    const v = view(fmt);
    v.setUint16(0, f.formatTag, true);
    v.setUint16(2, f.channels, true);
    v.setUint32(4, f.sampleRate, true);
    v.setUint32(8, f.sampleRate * f.blockAlign, true);
    v.setUint16(12, f.blockAlign, true);
    v.setUint16(14, f.bitsPerSample, true);
  }
  // The WAV spec asks for a fact chunk (sample count) for anything that is not integer PCM.
  const fact = f.codecTag !== WAVE_FORMAT_PCM;
  const length = 12 + 8 + fmt.length + (fact ? 12 : 0) + 8;
  const riffSize = length - 8 + dataSize + (dataSize & 1);
  if (riffSize > MAX_U32) {
    const gib = { fixed: dataSize / 2 ** 30, decimals: 2 };
    throw new TooLargeError(text('refusals.wavTooLarge', gib));
  }
  const out = new Uint8Array(length);
  const v = view(out);
  const put = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  v.setUint32(4, riffSize, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, fmt.length, true);
  out.set(fmt, 20);
  let p = 20 + fmt.length;
  if (fact) {
    put(p, 'fact');
    v.setUint32(p + 4, 4, true);
    v.setUint32(p + 8, Math.min(MAX_U32, Math.floor(dataSize / f.blockAlign)), true);
    p += 12;
  }
  put(p, 'data');
  v.setUint32(p + 4, dataSize, true);
  return out;
}

/**
 * Joins WAV inputs without touching the samples. All inputs must share sample format, channel
 * count and rate; the output's header follows the first input's fmt chunk.
 */
export async function joinWav(inputs: LosslessInput[], opts: LosslessOptions = {}): Promise<Blob> {
  if (inputs.length === 0) throw new NothingToJoinError();
  const infos: WavInfo[] = [];
  for (const [i, input] of inputs.entries()) {
    throwIfAborted(opts.signal);
    const info = await parseWav(input);
    throwIfAborted(opts.signal);
    if (info.container === 'RIFX') {
      throw new UnsupportedAudioError(text('refusals.wavRifx'), { id: input.id, name: input.name });
    }
    const first = infos[0];
    if (first && !sameFormat(first.format, info.format)) {
      throw new UnsupportedAudioError(
        text('refusals.wavMismatch', describe(info.format), describe(first.format)),
        { id: input.id, name: input.name },
      );
    }
    infos.push(info);
    opts.onProgress?.((i + 1) / inputs.length);
  }

  const dataSize = infos.reduce((sum, info) => sum + info.dataSize, 0);
  const parts: BlobPart[] = [buildHeader(infos[0]!, dataSize)];
  infos.forEach((info, i) => {
    if (info.dataSize > 0) {
      parts.push(inputs[i]!.blob.slice(info.dataOffset, info.dataOffset + info.dataSize));
    }
  });
  // RIFF chunks are word-aligned: an odd-sized data chunk is followed by a pad byte.
  if (dataSize & 1) parts.push(new Uint8Array(1));
  return new Blob(parts, { type: 'audio/wav' });
}

/**
 * How ffmpeg reads a big-endian WAV right: as raw PCM from its data chunk (ffmpeg 5.1 opens
 * RIFX but reads the samples as little-endian, which is noise). Undefined for a sample format
 * ffmpeg has no raw big-endian reader for. The codec is named as the samples really are.
 */
export function rifxInput(
  info: WavInfo,
): { codec: string; sampleFormat: string; bitsPerSample: number; inputArgs: string[] } | undefined {
  const f = info.format;
  const raw =
    f.codecTag === WAVE_FORMAT_PCM
      ? { 8: 'u8', 16: 's16be', 24: 's24be', 32: 's32be' }[f.bitsPerSample]
      : f.codecTag === WAVE_FORMAT_IEEE_FLOAT
        ? { 32: 'f32be', 64: 'f64be' }[f.bitsPerSample]
        : f.codecTag === WAVE_FORMAT_ALAW
          ? 'alaw'
          : f.codecTag === WAVE_FORMAT_MULAW
            ? 'mulaw'
            : undefined;
  if (!raw || f.blockAlign !== (f.bitsPerSample / 8) * f.channels) return undefined;
  const frames = Math.floor(info.dataSize / f.blockAlign);
  const sampleFormat =
    raw === 'u8'
      ? 'u8'
      : raw.startsWith('f64')
        ? 'dbl'
        : raw.startsWith('f32')
          ? 'flt'
          : raw === 's16be'
            ? 's16'
            : raw.startsWith('s')
              ? 's32'
              : 's16';
  return {
    codec: `pcm_${raw}`,
    sampleFormat,
    bitsPerSample: f.bitsPerSample,
    inputArgs: [
      ...['-f', raw, '-ar', String(f.sampleRate), '-ac', String(f.channels)],
      // The data chunk only: its start, and its length (half a sample over, so the last one is
      // kept whatever the rounding).
      ...['-skip_initial_bytes', String(info.dataOffset)],
      ...['-t', String(Number(((frames + 0.5) / f.sampleRate).toFixed(9)))],
    ],
  };
}
