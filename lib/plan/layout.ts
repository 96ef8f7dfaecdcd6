/**
 * What the output's samples look like: its channel layout and, for the lossless formats, its
 * sample format. Lossless keeps everything the format can hold: all channels up to 8 (with
 * their layout, or the format's nearest layout of the same count) when every track has them,
 * and every bit of 32-bit integer and 64-bit float WAV. What a format cannot hold is said, as
 * a note the summary shows. Pure.
 */
import type { FormatId } from '@/lib/core/formats';
import type { AudioInfo } from '@/lib/core/track';
import type { OutputSettings } from '@/lib/core/settings';
import { t } from '@/lib/core/i18n';

export interface ChannelTarget {
  count: number;
  /** An ffmpeg channel layout name: "mono", "stereo", "5.1(side)", "7.1"… */
  layout: string;
  /** What the format could not hold, as a sentence; absent when nothing was lost. */
  note?: string;
}

/** ffmpeg's default layout for each channel count (av_get_default_channel_layout). */
const DEFAULT_LAYOUT: Record<number, string> = {
  1: 'mono',
  2: 'stereo',
  3: '3.0',
  4: 'quad',
  5: '5.0',
  6: '5.1',
  7: '6.1',
  8: '7.1',
};

/**
 * The layouts each encoder takes (ffmpeg 5.1's own lists): FLAC's are WAVE order with side
 * surrounds, Vorbis and Opus use the Vorbis mapping (back surrounds, no 4.0), AAC's are the
 * MPEG-4 channel configurations (no 7-channel one), MP3 holds two channels at most. WAV holds
 * any layout.
 */
const LAYOUTS: Partial<Record<FormatId, readonly string[]>> = {
  mp3: ['mono', 'stereo'],
  flac: ['mono', 'stereo', '3.0', 'quad', '5.0(side)', '5.1(side)', '6.1', '7.1'],
  ogg: ['mono', 'stereo', '3.0', 'quad', '5.0', '5.1', '6.1', '7.1'],
  opus: ['mono', 'stereo', '3.0', 'quad', '5.0', '5.1', '6.1', '7.1'],
  m4a: ['mono', 'stereo', '3.0', '4.0', '5.0', '5.1', '7.1'],
  m4b: ['mono', 'stereo', '3.0', '4.0', '5.0', '5.1', '7.1'],
  m4r: ['mono', 'stereo', '3.0', '4.0', '5.0', '5.1', '7.1'],
};

/** The most channels Seam writes (WAVE_FORMAT_EXTENSIBLE and every encoder here go to 8). */
const MAX_CHANNELS = 8;

/**
 * The output's channels. Forced mono or stereo as asked. Otherwise: when every track has the
 * same count, that count (up to 8) in the tracks' own layout when the format takes it, else the
 * format's layout of that count, else the most the format holds (said in `note`); with mixed
 * counts, stereo as soon as one track has two or more channels (a mono voice goes to both
 * speakers), else mono.
 */
export function targetChannels(
  infos: readonly Pick<AudioInfo, 'channels' | 'channelLayout'>[],
  format: FormatId,
  wanted: OutputSettings['channels'] = 'source',
): ChannelTarget {
  if (wanted === 1) return { count: 1, layout: 'mono' };
  if (wanted === 2) return { count: 2, layout: 'stereo' };
  const counts = [...new Set(infos.map((i) => i.channels))];
  if (counts.length !== 1 || counts[0]! <= 2) {
    const stereo = infos.some((i) => i.channels >= 2);
    return stereo ? { count: 2, layout: 'stereo' } : { count: 1, layout: 'mono' };
  }
  if (counts[0]! > MAX_CHANNELS) {
    return {
      count: MAX_CHANNELS,
      layout: LAYOUTS[format]?.includes('7.1') === false ? 'stereo' : '7.1',
      note: t('plan.mixDownMax', MAX_CHANNELS, counts[0]!),
    };
  }
  const source = counts[0]!;
  const layouts = [...new Set(infos.map((i) => i.channelLayout))];
  const own = layouts.length === 1 && isNamed(layouts[0]!) ? layouts[0]! : undefined;
  const allowed = LAYOUTS[format];
  if (!allowed) return { count: source, layout: own ?? DEFAULT_LAYOUT[source]! };
  if (own && allowed.includes(own)) return { count: source, layout: own };
  const same = allowed.find((l) => layoutCount(l) === source);
  if (same) return { count: source, layout: same };
  const most = allowed.filter((l) => layoutCount(l) < source).pop() ?? 'stereo';
  const count = layoutCount(most);
  return {
    count,
    layout: most,
    note:
      most === 'stereo'
        ? t('plan.mixDownStereo', formatName(format), counts[0]!)
        : t('plan.mixDownFormat', formatName(format), count, counts[0]!, most),
  };
}

/** A layout name ffmpeg knows, as opposed to "" or "8 channels" (an unnamed order). */
function isNamed(layout: string): boolean {
  return layout !== '' && layout !== 'unknown' && !/channels/.test(layout);
}

function layoutCount(layout: string): number {
  const known: Record<string, number> = { mono: 1, stereo: 2, quad: 4 };
  if (known[layout]) return known[layout]!;
  // "5.1(side)" → 5 + 1; "3.0" → 3; "7.1" → 8.
  const m = /^(\d)\.(\d)/.exec(layout);
  return m ? Number(m[1]) + Number(m[2]) : 2;
}

function formatName(format: FormatId): string {
  return format === 'mp3' ? 'MP3' : format === 'flac' ? 'FLAC' : format.toUpperCase();
}

// --- Sample formats ---------------------------------------------------------------------------

/** Codecs that hold samples exactly: decoding them and writing PCM or FLAC loses nothing. */
const LOSSLESS_CODECS = /^(pcm_|flac$|alac$|wavpack$|ape$|tta$|mp4als$|wmalossless$|mlp$|truehd$)/;

/** A source's samples: bits, and whether they are floating point. */
interface SampleDepth {
  bits: number;
  float: boolean;
}

/**
 * What a track's samples hold, for a lossless source; undefined for a lossy one (its decoded
 * samples are an approximation anyway: 16-bit WAV and FLAC are its usual home).
 */
function sampleDepth(
  info: Pick<AudioInfo, 'codec' | 'sampleFormat' | 'bitsPerSample'>,
): SampleDepth | undefined {
  if (!LOSSLESS_CODECS.test(info.codec)) return undefined;
  // A-law and µ-law bytes hold 13- and 14-bit samples: 16-bit PCM keeps them.
  if (/^pcm_(alaw|mulaw)/.test(info.codec)) return { bits: 16, float: false };
  const fmt = (info.sampleFormat ?? '').replace(/p$/, '');
  if (/^pcm_f64/.test(info.codec) || fmt === 'dbl') return { bits: 64, float: true };
  if (/^pcm_f(32|24|16)/.test(info.codec) || fmt === 'flt') return { bits: 32, float: true };
  const bits =
    info.bitsPerSample ?? (fmt === 's32' ? 32 : fmt === 'u8' ? 8 : fmt === 's16' ? 16 : 16);
  return { bits, float: false };
}

export interface PcmTarget {
  /** The encoder (`-c:a`). */
  encoder: string;
  /** How the summary names it: "WAV (24-bit PCM)". */
  label: string;
}

/**
 * The WAV encoder that keeps every source's samples: the widest integer depth, or float when a
 * source is float (64-bit when one is, or when 32-bit integers meet float, which 32-bit float
 * would round). Lossy sources count as 16-bit.
 */
export function wavTarget(
  infos: readonly Pick<AudioInfo, 'codec' | 'sampleFormat' | 'bitsPerSample'>[],
): PcmTarget {
  const depths = infos.map((i) => sampleDepth(i) ?? { bits: 16, float: false });
  const floats = depths.filter((d) => d.float);
  const intBits = Math.max(0, ...depths.filter((d) => !d.float).map((d) => d.bits));
  if (floats.length > 0) {
    const wide = floats.some((d) => d.bits > 32) || intBits > 24;
    return wide
      ? { encoder: 'pcm_f64le', label: wavLabel(64, true) }
      : { encoder: 'pcm_f32le', label: wavLabel(32, true) };
  }
  if (intBits <= 8 && depths.every((d) => d.bits <= 8))
    return { encoder: 'pcm_u8', label: wavLabel(8) };
  if (intBits <= 16) return { encoder: 'pcm_s16le', label: wavLabel(16) };
  if (intBits <= 24) return { encoder: 'pcm_s24le', label: wavLabel(24) };
  return { encoder: 'pcm_s32le', label: wavLabel(32) };
}

/** "WAV (24-bit PCM)", "WAV (32-bit float)". */
export function wavLabel(bits: number, float = false): string {
  return t('plan.wav', t(float ? 'plan.floatBits' : 'plan.pcmBits', String(bits)));
}

/** FLAC in ffmpeg 5.1 writes at most 24 bits a sample. */
const FLAC_MAX_BITS = 24;

/** What FLAC cannot hold of these sources, as a sentence; undefined when it holds it all. */
export function flacDepthNote(
  infos: readonly Pick<AudioInfo, 'codec' | 'sampleFormat' | 'bitsPerSample'>[],
): string | undefined {
  const depths = infos.map((i) => sampleDepth(i)).filter((d) => d !== undefined);
  const over = depths.filter((d) => d.float || d.bits > FLAC_MAX_BITS);
  if (over.length > 0) {
    const what = over.some((d) => d.float)
      ? t('plan.floatSamples')
      : t('plan.bitSamples', over[0]!.bits);
    return t('plan.flacDepth', FLAC_MAX_BITS, what);
  }
  // ffmpeg 5.1's FLAC encoder writes 16 or 24 bits a sample, nothing else: 8-bit FLAC comes
  // out 16-bit (every value kept, the file no longer as it was).
  const odd = depths.find((d) => d.bits !== 16 && d.bits !== FLAC_MAX_BITS);
  if (!odd) return undefined;
  return t('plan.flacWidened', t('plan.bitSamples', odd.bits), odd.bits < 16 ? 16 : FLAC_MAX_BITS);
}

/** True when every source's samples are exact (PCM, FLAC, ALAC…), so a lossless re-write is. */
export function allLossless(infos: readonly Pick<AudioInfo, 'codec'>[]): boolean {
  return infos.every((i) => LOSSLESS_CODECS.test(i.codec));
}
