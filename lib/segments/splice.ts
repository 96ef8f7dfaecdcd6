/** One entry to the splicers: the segments' outputs, in order, into one file. Pure. */
import type { Bytes } from '@/lib/core/bytes';
import { spliceAac } from './aac';
import { spliceFlac } from './flac';
import { spliceMp3, type Mp3SpliceOptions, type SplicedPoint } from './mp3';
import { spliceOpus } from './opus';
import type { SegmentPlan } from './plan';

export type SpliceResult =
  | { ok: true; blob: Blob; splicePoints?: SplicedPoint[] }
  /** MP3 only: merge each of these segments with the one before it (mergeSegments), again. */
  | { ok: false; failed: number[] };

export function spliceSegments(
  plan: SegmentPlan,
  outputs: readonly Bytes[],
  mp3?: Mp3SpliceOptions,
): SpliceResult {
  const placed = outputs.map((bytes, i) => ({ bytes, firstFrame: plan.segments[i]!.firstFrame }));
  switch (plan.codec.id) {
    case 'mp3': {
      const res = spliceMp3(placed, plan.splicePoints, mp3);
      return res.ok ? { ok: true, blob: res.blob, splicePoints: res.splicePoints } : res;
    }
    case 'flac':
      return {
        ok: true,
        blob: spliceFlac(
          outputs.map((bytes, i) => ({ bytes, firstSample: plan.segments[i]!.encodeStart })),
        ),
      };
    case 'opus':
      return { ok: true, blob: spliceOpus(placed, plan.splicePoints, plan.codec.frame) };
    case 'aac':
      return { ok: true, blob: spliceAac(placed, plan.splicePoints) };
  }
}
