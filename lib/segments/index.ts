/**
 * Parallel encoding: the segment planner (how many engines, where each segment starts and ends
 * on the codec's frame grid), each segment's ffmpeg command, and a splicer per codec that makes
 * one gapless file of the segments. Formats without a splicer (Vorbis, WAV) stay in one engine.
 */
export { mergeSegments, type SegmentPlan } from './plan';
export { spliceSegments } from './splice';
export { SpliceError } from '@/lib/containers/errors';
