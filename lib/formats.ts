/**
 * Output formats: one table, used by the Format select, the planner and the download name.
 * `copyCodecs` are the input codecs that can be stream-copied into this container unchanged.
 */
export type FormatId = 'mp3' | 'm4a' | 'm4b' | 'm4r' | 'ogg' | 'opus' | 'flac' | 'wav';

export interface FormatSpec {
  id: FormatId;
  /** Name shown in the Format select. */
  label: string;
  extension: string;
  mime: string;
  /** ffmpeg muxer name (`-f`). */
  muxer: string;
  /** Input codecs that can go into this container without re-encoding. */
  copyCodecs: readonly string[];
  /** Whether a bitrate choice applies. */
  lossy: boolean;
  /** Sample rates the encoder accepts; the planner picks the nearest at or above the source. */
  sampleRates?: readonly number[];
}

export const FORMATS: readonly FormatSpec[] = [
  {
    id: 'mp3',
    label: 'MP3',
    extension: 'mp3',
    mime: 'audio/mpeg',
    muxer: 'mp3',
    copyCodecs: ['mp3'],
    lossy: true,
    sampleRates: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000],
  },
  {
    id: 'm4a',
    label: 'M4A',
    extension: 'm4a',
    mime: 'audio/mp4',
    muxer: 'ipod',
    copyCodecs: ['aac', 'alac'],
    lossy: true,
    sampleRates: [
      8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000,
    ],
  },
  {
    id: 'm4b',
    label: 'M4B',
    extension: 'm4b',
    mime: 'audio/mp4',
    muxer: 'ipod',
    copyCodecs: ['aac', 'alac'],
    lossy: true,
    sampleRates: [
      8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000,
    ],
  },
  {
    id: 'm4r',
    label: 'M4R',
    extension: 'm4r',
    mime: 'audio/mp4',
    muxer: 'ipod',
    copyCodecs: ['aac'],
    lossy: true,
    sampleRates: [
      8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000,
    ],
  },
  {
    id: 'ogg',
    label: 'OGG',
    extension: 'ogg',
    mime: 'audio/ogg',
    muxer: 'ogg',
    copyCodecs: ['vorbis'],
    lossy: true,
  },
  {
    id: 'opus',
    label: 'Opus',
    extension: 'opus',
    mime: 'audio/ogg',
    muxer: 'opus',
    copyCodecs: ['opus'],
    lossy: true,
    sampleRates: [48000],
  },
  {
    id: 'flac',
    label: 'FLAC',
    extension: 'flac',
    mime: 'audio/flac',
    muxer: 'flac',
    copyCodecs: ['flac'],
    lossy: false,
  },
  {
    id: 'wav',
    label: 'WAV',
    extension: 'wav',
    mime: 'audio/wav',
    muxer: 'wav',
    copyCodecs: ['pcm_s16le', 'pcm_s24le', 'pcm_f32le', 'pcm_u8'],
    lossy: false,
  },
];

export function formatSpec(id: FormatId): FormatSpec {
  const spec = FORMATS.find((f) => f.id === id);
  if (!spec) throw new Error(`unknown format ${id}`);
  return spec;
}

/** CBR bitrates offered for lossy formats, in kb/s (MP3's own ladder from 96 up). */
export const BITRATES = [96, 128, 160, 192, 224, 256, 320] as const;
export type Bitrate = (typeof BITRATES)[number];
