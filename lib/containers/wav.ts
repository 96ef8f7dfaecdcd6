/**
 * WAV, the one reader and writer Seam has for it: the RIFF/RF64/RIFX chunk walk that finds the
 * fmt and data chunks (only chunk headers are read, so the cost does not depend on the length of
 * the audio), and the header written for a joined or engine-made WAV: plain RIFF up to 4 GiB,
 * RF64 (sizes in a ds64 chunk) past it, where RIFF's 32-bit size fields end. The zero-copy join
 * (lib/lossless/wav.ts) and the engine's output (./wav-header rewrite, `rewriteWavHeader`) both
 * write through `wavHeader`. Pure, apart from reading slices of a Blob.
 */
import {
  CorruptAudioError,
  EmptyFileError,
  TruncatedAudioError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { ascii, readRange, u16be, u16le, u32be, u32le, type Bytes } from '@/lib/core/bytes';
import type { TrackRef } from '@/lib/core/track';

const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_IEEE_FLOAT = 3;
export const WAVE_FORMAT_ALAW = 6;
export const WAVE_FORMAT_MULAW = 7;
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

/** The container a file's first four bytes name ('' for none Seam reads). */
function containerOf(riff: string): WavInfo['container'] | '' {
  if (riff === 'RIFF' || riff === 'RIFX') return riff;
  return riff === 'RF64' || riff === 'BW64' ? 'RF64' : '';
}

/** No fmt chunk: the file ends before one (cut short), or it has none. */
function missingFmt(track: TrackRef, cut: boolean): Error {
  return cut
    ? new TruncatedAudioError(text('refusals.wavEndsBeforeFmt'), track)
    : new CorruptAudioError(text('refusals.wavNoFmt'), track);
}

/** No data chunk: the file ends before one (cut short), or it has none. */
function missingData(track: TrackRef, cut: boolean): Error {
  return cut
    ? new TruncatedAudioError(text('refusals.wavEndsBeforeData'), track)
    : new CorruptAudioError(text('refusals.wavNoData'), track);
}

/**
 * Parses a RIFF/WAVE or RF64 file's fmt chunk and finds its data chunk, skipping other chunks.
 * A data size that runs past the end of the file (a cut-off download) or that says "unknown"
 * (0xFFFFFFFF, or 0 followed by samples, as streaming writers leave it) means "to the end of the
 * file"; either way only whole sample frames are used.
 */
export async function parseWav(input: { id: string; name: string; blob: Blob }): Promise<WavInfo> {
  const { blob } = input;
  const track: TrackRef = { id: input.id, name: input.name };
  if (blob.size === 0) throw new EmptyFileError(track);
  const head = await readRange(blob, 0, HEAD);
  const at = async (pos: number, n: number): Promise<Uint8Array<ArrayBuffer>> =>
    pos + n <= head.length ? head.subarray(pos, pos + n) : readRange(blob, pos, pos + n);

  const container = containerOf(ascii(head, 0, 4));
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
  if (!format || !fmtChunk) throw missingFmt(track, ranPastEnd || !!data);
  if (!data) throw missingData(track, ranPastEnd || pos + 8 > blob.size);
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

/**
 * The fmt chunk body a join of WAVs in `first`'s format writes: an extensible one kept exactly as
 * the first input had it (channel mask, sub-format), PCM as the canonical 16 bytes (a 44-byte
 * header), other tags with cbSize = 0.
 */
export function joinedFmt(first: WavInfo): Bytes {
  const f = first.format;
  if (f.formatTag === WAVE_FORMAT_EXTENSIBLE) {
    const fmt = first.fmtChunk.slice(0, 40);
    view(fmt).setUint16(16, 22, true);
    return fmt;
  }
  const fmt = new Uint8Array(f.formatTag === WAVE_FORMAT_PCM ? 16 : 18);
  const v = view(fmt);
  v.setUint16(0, f.formatTag, true);
  v.setUint16(2, f.channels, true);
  v.setUint32(4, f.sampleRate, true);
  v.setUint32(8, f.sampleRate * f.blockAlign, true);
  v.setUint16(12, f.blockAlign, true);
  v.setUint16(14, f.bitsPerSample, true);
  return fmt;
}

/** Speaker masks (SPEAKER_FRONT_LEFT = 1, RIGHT = 2, CENTER = 4, ...) for 1 to 8 channels. */
const CHANNEL_MASKS = [0x4, 0x3, 0x7, 0x33, 0x37, 0x3f, 0x13f, 0x63f];

/** Integer PCM or float samples, as the engine writes them. */
export interface PcmFormat {
  /** WAVE_FORMAT_PCM (1) or WAVE_FORMAT_IEEE_FLOAT (3). */
  codecTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/**
 * A WAVE_FORMAT_EXTENSIBLE fmt chunk body with a channel mask: ffmpeg's WAV muxer writes a plain
 * 16-byte PCM fmt chunk for mono and stereo, and every reader must then guess the speakers
 * (native ffmpeg says "Guessed Channel Layout" at warning level for each such file).
 */
export function extensibleFmt(f: PcmFormat): Bytes {
  const blockAlign = f.channels * (f.bitsPerSample / 8);
  const fmt = new Uint8Array(40);
  const v = view(fmt);
  v.setUint16(0, WAVE_FORMAT_EXTENSIBLE, true);
  v.setUint16(2, f.channels, true);
  v.setUint32(4, f.sampleRate, true);
  v.setUint32(8, f.sampleRate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, f.bitsPerSample, true);
  v.setUint16(16, 22, true); // cbSize
  v.setUint16(18, f.bitsPerSample, true); // valid bits
  v.setUint32(20, CHANNEL_MASKS[f.channels - 1] ?? 0, true);
  v.setUint16(24, f.codecTag === WAVE_FORMAT_IEEE_FLOAT ? 3 : WAVE_FORMAT_PCM, true);
  fmt.set(GUID_TAIL, 26);
  return fmt;
}

/**
 * A complete WAV header, up to and including the data chunk's size, for `dataSize` bytes of
 * samples in the format the fmt chunk body `fmt` says: RIFF when its sizes fit 32 bits, else
 * RF64 with a ds64 chunk (RIFF and data sizes, sample count). The WAV spec asks for a fact
 * chunk (the sample count) for anything that is not integer PCM.
 */
export function wavHeader(fmt: Bytes, dataSize: number): Bytes {
  const tag = u16le(fmt, 0);
  const codec = tag === WAVE_FORMAT_EXTENSIBLE ? u16le(fmt, 24) : tag;
  const blockAlign = u16le(fmt, 12);
  const samples = Math.floor(dataSize / blockAlign);
  const fact = codec !== WAVE_FORMAT_PCM;
  const ds64Size = 28;
  const tail = 8 + fmt.length + (fact ? 12 : 0) + 8;
  const rf64 = 4 + tail + dataSize + (dataSize & 1) > MAX_U32;
  const length = 12 + (rf64 ? 8 + ds64Size : 0) + tail;
  const riffSize = length - 8 + dataSize + (dataSize & 1);
  const out = new Uint8Array(length);
  const v = view(out);
  const put = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const u64 = (at: number, n: number) => {
    v.setUint32(at, n % 2 ** 32, true);
    v.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
  };
  put(0, rf64 ? 'RF64' : 'RIFF');
  v.setUint32(4, rf64 ? MAX_U32 : riffSize, true);
  put(8, 'WAVE');
  let p = 12;
  if (rf64) {
    put(p, 'ds64');
    v.setUint32(p + 4, ds64Size, true);
    u64(p + 8, riffSize);
    u64(p + 16, dataSize);
    u64(p + 24, samples);
    v.setUint32(p + 32, 0, true); // no table of other chunk sizes
    p += 8 + ds64Size;
  }
  put(p, 'fmt ');
  v.setUint32(p + 4, fmt.length, true);
  out.set(fmt, p + 8);
  p += 8 + fmt.length;
  if (fact) {
    put(p, 'fact');
    v.setUint32(p + 4, 4, true);
    v.setUint32(p + 8, Math.min(MAX_U32, samples), true);
    p += 12;
  }
  put(p, 'data');
  v.setUint32(p + 4, rf64 ? MAX_U32 : dataSize, true);
  return out;
}

/**
 * The engine's WAV (ffmpeg's muxer) with Seam's header instead of its own: extensible, with a
 * channel mask, RF64 past 4 GiB. The samples are not touched: the new file is the new header
 * plus a slice of ffmpeg's output (Blob slices share their data).
 */
export async function rewriteWavHeader(written: Blob): Promise<Blob> {
  const { format, dataOffset } = await parseWav({
    id: 'output',
    name: 'output.wav',
    blob: written,
  });
  const frame = format.blockAlign;
  // The samples run to the end of what ffmpeg wrote (its own size fields stop at 4 GiB).
  const dataSize = written.size - dataOffset - ((written.size - dataOffset) % frame);
  const parts: BlobPart[] = [
    wavHeader(extensibleFmt(format), dataSize),
    written.slice(dataOffset, dataOffset + dataSize),
  ];
  if (dataSize & 1) parts.push(new Uint8Array(1));
  return new Blob(parts, { type: written.type || 'audio/wav' });
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
