/**
 * Parallel encoding: the segment planner (how many engines, where each segment starts and ends
 * on the codec's frame grid), each segment's ffmpeg command, and a splicer per codec that makes
 * one gapless file of the segments. Formats without a splicer (Vorbis, WAV) stay in one engine.
 */
export { segmentCodec, SINGLE_ENGINE_REASONS, type SegmentCodec } from './codecs';
export {
  engineCount,
  mergeSegments,
  MIN_SEGMENT_SEC,
  planSegments,
  type Junction,
  type Segment,
  type SegmentPlan,
} from './plan';
export { spliceSegments, type SpliceResult } from './splice';
export { SpliceError } from '@/lib/containers/errors';
export { spliceMp3, type Mp3Splice, type SplicedJunction } from './mp3';
export { spliceFlac } from './flac';
export { spliceOpus } from './opus';
export { spliceAac } from './aac';
