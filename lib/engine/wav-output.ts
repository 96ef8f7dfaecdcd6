/**
 * The header of a WAV that Seam's engine writes, replaced by one that says everything:
 *
 * - WAVE_FORMAT_EXTENSIBLE with a channel mask. ffmpeg's WAV muxer writes a plain 16-byte PCM
 *   fmt chunk for mono and stereo, and every reader must then guess the speakers (native ffmpeg
 *   says "Guessed Channel Layout" at warning level for each such file).
 * - RF64 (with a ds64 chunk) when the file passes 4 GiB, where a RIFF size field ends; below
 *   that, plain RIFF, which every player reads.
 *
 * The samples are not touched: the new file is the new header plus a slice of ffmpeg's output
 * (Blob slices share their data). Pure, apart from reading the first bytes of a Blob.
 */

const MAX_U32 = 0xffffffff;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** KSDATAFORMAT_SUBTYPE_* GUIDs end the same way; the first two bytes are the format tag. */
const GUID_TAIL = [
  0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];
/** Speaker masks (SPEAKER_FRONT_LEFT = 1, RIGHT = 2, CENTER = 4, ...) for 1 to 8 channels. */
const CHANNEL_MASKS = [0x4, 0x3, 0x7, 0x33, 0x37, 0x3f, 0x13f, 0x63f];

export interface PcmFormat {
  /** WAVE_FORMAT_PCM (1) or WAVE_FORMAT_IEEE_FLOAT (3). */
  codecTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/** Where ffmpeg's WAV keeps its samples, and their format. */
export interface WrittenWav {
  format: PcmFormat;
  dataOffset: number;
}

/** Reads ffmpeg's own header: its fmt chunk and where the data chunk's bytes start. */
export function readWrittenWav(head: Uint8Array): WrittenWav {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const id = (at: number) => String.fromCharCode(...head.subarray(at, at + 4));
  if (!['RIFF', 'RF64'].includes(id(0)) || id(8) !== 'WAVE') {
    throw new Error('the engine’s WAV output has no RIFF/WAVE header');
  }
  let format: PcmFormat | undefined;
  for (let p = 12; p + 8 <= head.length;) {
    const size = v.getUint32(p + 4, true);
    if (id(p) === 'fmt ') {
      const tag = v.getUint16(p + 8, true);
      format = {
        codecTag: tag === WAVE_FORMAT_EXTENSIBLE ? v.getUint16(p + 8 + 24, true) : tag,
        channels: v.getUint16(p + 10, true),
        sampleRate: v.getUint32(p + 12, true),
        bitsPerSample: v.getUint16(p + 22, true),
      };
    } else if (id(p) === 'data') {
      if (!format) break;
      return { format, dataOffset: p + 8 };
    }
    p += 8 + size + (size & 1);
  }
  throw new Error('the engine’s WAV output has no fmt and data chunks where expected');
}

/** A complete header (up to and including the data chunk's size) for `dataSize` bytes. */
export function wavHeader(f: PcmFormat, dataSize: number): Uint8Array<ArrayBuffer> {
  const blockAlign = f.channels * (f.bitsPerSample / 8);
  const fmtSize = 40;
  const rf64 = 4 + (8 + fmtSize) + 8 + dataSize + (dataSize & 1) > MAX_U32;
  const ds64Size = 28;
  const length = 12 + (rf64 ? 8 + ds64Size : 0) + 8 + fmtSize + 8;
  const riffSize = length - 8 + dataSize + (dataSize & 1);
  const out = new Uint8Array(length);
  const v = new DataView(out.buffer);
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
    u64(p + 24, Math.floor(dataSize / blockAlign));
    v.setUint32(p + 32, 0, true); // no table of other chunk sizes
    p += 8 + ds64Size;
  }
  put(p, 'fmt ');
  v.setUint32(p + 4, fmtSize, true);
  v.setUint16(p + 8, WAVE_FORMAT_EXTENSIBLE, true);
  v.setUint16(p + 10, f.channels, true);
  v.setUint32(p + 12, f.sampleRate, true);
  v.setUint32(p + 16, f.sampleRate * blockAlign, true);
  v.setUint16(p + 20, blockAlign, true);
  v.setUint16(p + 22, f.bitsPerSample, true);
  v.setUint16(p + 24, 22, true); // cbSize
  v.setUint16(p + 26, f.bitsPerSample, true); // valid bits
  v.setUint32(p + 28, CHANNEL_MASKS[f.channels - 1] ?? 0, true);
  v.setUint16(p + 32, f.codecTag === WAVE_FORMAT_IEEE_FLOAT ? 3 : WAVE_FORMAT_PCM, true);
  out.set(GUID_TAIL, p + 34);
  p += 8 + fmtSize;
  put(p, 'data');
  v.setUint32(p + 4, rf64 ? MAX_U32 : dataSize, true);
  return out;
}

/** ffmpeg's WAV output with Seam's header instead of its own (see the file comment). */
export async function rewriteWavHeader(written: Blob): Promise<Blob> {
  const head = new Uint8Array(await written.slice(0, 64 * 1024).arrayBuffer());
  const { format, dataOffset } = readWrittenWav(head);
  const frame = format.channels * (format.bitsPerSample / 8);
  // The samples run to the end of what ffmpeg wrote (its own size fields stop at 4 GiB).
  const dataSize = written.size - dataOffset - ((written.size - dataOffset) % frame);
  const parts: BlobPart[] = [
    wavHeader(format, dataSize),
    written.slice(dataOffset, dataOffset + dataSize),
  ];
  if (dataSize & 1) parts.push(new Uint8Array(1));
  return new Blob(parts, { type: written.type || 'audio/wav' });
}
