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
  /** Whether Seam writes chapters into this format (ID3 CHAP for MP3, MP4 chapters for M4A/M4B). */
  chapters: boolean;
  /** Whether the format carries cover art as Seam writes it (an attached picture). */
  cover: boolean;
  /** Whether title/artist/album/year are written (WAV's LIST tags are left out: few players read them). */
  tags: boolean;
  /** ffmpeg encoder (`-c:a`). */
  encoder: string;
}

/** What M4A, M4B and M4R share: AAC in an MP4 ("ipod") container, and AAC's sample rates. */
const MP4_AAC = {
  mime: 'audio/mp4',
  muxer: 'ipod',
  lossy: true,
  cover: true,
  tags: true,
  encoder: 'aac',
  sampleRates: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000],
} as const;

export const FORMATS: readonly FormatSpec[] = [
  {
    id: 'mp3',
    label: 'MP3',
    extension: 'mp3',
    mime: 'audio/mpeg',
    muxer: 'mp3',
    copyCodecs: ['mp3'],
    lossy: true,
    chapters: true,
    cover: true,
    tags: true,
    encoder: 'libmp3lame',
    sampleRates: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000],
  },
  {
    id: 'm4a',
    label: 'M4A',
    extension: 'm4a',
    ...MP4_AAC,
    copyCodecs: ['aac', 'alac'],
    chapters: true,
  },
  {
    id: 'm4b',
    label: 'M4B',
    extension: 'm4b',
    ...MP4_AAC,
    copyCodecs: ['aac', 'alac'],
    chapters: true,
  },
  {
    id: 'm4r',
    label: 'M4R',
    extension: 'm4r',
    ...MP4_AAC,
    copyCodecs: ['aac'],
    chapters: false,
  },
  {
    id: 'ogg',
    label: 'OGG',
    extension: 'ogg',
    mime: 'audio/ogg',
    muxer: 'ogg',
    // Each Vorbis file carries its own codebooks, which a stream copy cannot merge.
    copyCodecs: [],
    lossy: true,
    chapters: false,
    cover: false,
    tags: true,
    encoder: 'libvorbis',
  },
  {
    id: 'opus',
    label: 'Opus',
    extension: 'opus',
    mime: 'audio/ogg',
    muxer: 'opus',
    copyCodecs: ['opus'],
    lossy: true,
    chapters: false,
    cover: false,
    tags: true,
    encoder: 'libopus',
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
    chapters: false,
    cover: true,
    tags: true,
    encoder: 'flac',
  },
  {
    id: 'wav',
    label: 'WAV',
    extension: 'wav',
    mime: 'audio/wav',
    muxer: 'wav',
    // Every PCM a WAV holds as it is (the zero-copy join takes them all, lib/lossless).
    copyCodecs: [
      'pcm_u8',
      'pcm_s16le',
      'pcm_s24le',
      'pcm_s32le',
      'pcm_f32le',
      'pcm_f64le',
      'pcm_alaw',
      'pcm_mulaw',
    ],
    lossy: false,
    chapters: false,
    cover: false,
    tags: false,
    encoder: 'pcm_s16le',
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

/** Ringtones longer than this may be refused by iPhone. */
export const RINGTONE_MAX_SEC = 40;

/**
 * libvorbis refuses most `-b:a` targets outside a narrow range per rate and channel count (it
 * fails to set up at 320k mono, 96k at 8 kHz, ...), so Seam asks for a quality level instead:
 * the level whose nominal 44.1 kHz stereo bitrate matches the chosen one.
 */
export function vorbisQuality(kbps: number): number {
  const ladder: [number, number][] = [
    [96, 2],
    [128, 4],
    [160, 5],
    [192, 6],
    [224, 7],
    [256, 8],
    [320, 9],
  ];
  for (const [rate, q] of ladder) if (kbps <= rate) return q;
  return 9;
}

/** libopus takes at most 256 kb/s per channel. */
export function opusBitrate(kbps: number, channels: number): number {
  return Math.min(kbps, 256 * Math.max(1, channels));
}

/** LAME's average bitrate at each VBR quality 0 (best) to 9 (smallest), kb/s, from its own table. */
export const VBR_KBPS = [245, 225, 190, 175, 165, 130, 115, 100, 85, 65] as const;
