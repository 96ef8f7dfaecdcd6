/**
 * Each output codec's frame grid and the overlap a parallel segment needs around it, or why the
 * format is encoded in one engine. Pure.
 *
 * A segment's encoder starts `warm + spread` frames before the segment's nominal first frame and
 * stops `cool + spread` frames after its nominal end; the splicer picks the splice point within
 * `spread` frames of the nominal boundary (MP3: where the bit reservoir's bytes fit), so frames
 * next to either encoder's start or end (priming, psychoacoustic history, a flush) are never kept.
 */
import type { FormatId } from '@/lib/core/formats';

type SegmentCodecId = 'mp3' | 'flac' | 'opus' | 'aac';

export interface SegmentCodec {
  id: SegmentCodecId;
  /** Samples per frame at the output rate: segment boundaries sit on multiples of it. */
  frame: number;
  /** Frames of lead-in an encoder needs before a frame can be kept. */
  warm: number;
  /** Frames after the last kept frame an encoder needs (its flush and look-ahead). */
  cool: number;
  /** How far either way from the nominal boundary the splicer may place a splice point, frames. */
  spread: number;
}

/**
 * LAME: 1152 samples a frame (576 below 32 kHz, MPEG-2 and 2.5). Its frames hold 1105 samples
 * of delay (576 encoder + 529 decoder) and its psychoacoustic model carries history, so the
 * first frames of a segment are not what a single pass writes there; 4 frames of lead-in leave
 * the kept frames within the codec's noise (tests/unit/segments-native.test.ts), and 2 after
 * cover the encoder's look-ahead of 576 samples plus the polyphase filter's 481.
 */
const MP3_WARM = 4;
const MP3_COOL = 2;
/** Splice point candidates either side of the boundary: 9 chances for the reservoir bytes to fit. */
const MP3_SPREAD = 4;

/**
 * ffmpeg's FLAC encoder picks the largest standard block size of at most 105 ms
 * (libavcodec/flacenc.c select_blocksize), and each frame depends on its block alone: segments
 * cut on that grid splice without overlap, bit for bit as one pass writes them.
 */
const FLAC_BLOCK_SIZES = [
  192, 576, 1152, 2304, 4608, 256, 512, 1024, 2048, 4096, 8192, 16384,
] as const;
const FLAC_BLOCK_MS = 105;

export function flacBlockSize(rate: number): number {
  const target = Math.floor((rate * FLAC_BLOCK_MS) / 1000);
  let best = 0;
  for (const size of FLAC_BLOCK_SIZES) if (size <= target && size > best) best = size;
  return best || FLAC_BLOCK_SIZES[0];
}

/**
 * libopus (as ffmpeg drives it): 20 ms packets, 960 samples at 48 kHz, behind 312 samples of
 * pre-skip; CELT predicts each packet's band energies from the one before, so a segment's first
 * packets are dropped until its history matches a single pass's.
 */
const OPUS_FRAME = 960;
const OPUS_WARM = 4;
const OPUS_COOL = 2;

/**
 * ffmpeg's AAC encoder: 1024-sample frames behind 1024 samples of priming; each frame's MDCT
 * spans two frames' samples and its psychoacoustic model looks one frame ahead.
 */
const AAC_FRAME = 1024;
const AAC_WARM = 4;
const AAC_COOL = 2;

// Formats encoded in one engine: OGG (Vorbis streams encoded apart carry their own codebooks
// and block-size history) and WAV (not encoded: decoding is the whole job).

/** The codec grid for a format at an output rate, or undefined when it stays in one engine. */
export function segmentCodec(format: FormatId, rate: number): SegmentCodec | undefined {
  switch (format) {
    case 'mp3':
      return {
        id: 'mp3',
        frame: rate >= 32000 ? 1152 : 576,
        warm: MP3_WARM,
        cool: MP3_COOL,
        spread: MP3_SPREAD,
      };
    case 'm4a':
    case 'm4b':
    case 'm4r':
      return { id: 'aac', frame: AAC_FRAME, warm: AAC_WARM, cool: AAC_COOL, spread: 0 };
    case 'opus':
      return { id: 'opus', frame: OPUS_FRAME, warm: OPUS_WARM, cool: OPUS_COOL, spread: 0 };
    case 'flac':
      return { id: 'flac', frame: flacBlockSize(rate), warm: 0, cool: 0, spread: 0 };
    default:
      return undefined;
  }
}
