/**
 * Splices Ogg Opus segments encoded in parallel into one stream. Pure.
 *
 * libopus writes 20 ms packets (960 samples at 48 kHz) behind 312 samples of pre-skip, so a
 * segment encoded from a sample on the 960 grid has packets on the timeline's grid: packet i
 * covers what a single pass's packet `firstFrame + i` covers. The splicer keeps the earlier
 * segment's packets before global packet j and the later one's from j on (its first packets,
 * still finding the energy and pitch history a single pass has there, are dropped), writes the
 * first segment's OpusHead (its pre-skip) and OpusTags, and pages the packets anew with granule
 * positions counted through the whole stream; the last page's granule ends the stream at the
 * last segment's end, as that segment's own last granule did.
 */
import type { Bytes } from '@/lib/core/bytes';
import { SpliceError } from '@/lib/containers/errors';
import { readOgg } from '@/lib/containers/ogg';
import { opusPacketSamples, pageOpus } from '@/lib/containers/ogg-opus';
import type { SplicePoint } from './plan';

export interface OpusSegment {
  bytes: Bytes;
  /** Global index of its first audio packet (Segment.firstFrame). */
  firstFrame: number;
}

/** Splices Opus segments (in order) at the splice points the plan gives; a Blob of Ogg pages. */
export function spliceOpus(
  segments: readonly OpusSegment[],
  splicePoints: readonly SplicePoint[],
  frame = 960,
): Blob {
  if (segments.length === 0) throw new SpliceError('nothing to splice');
  const streams = segments.map((s, i) => {
    const ogg = readOgg(s.bytes, i);
    const [head, tags, ...audio] = ogg.packets;
    if (!head || !tags || String.fromCharCode(...head.data.subarray(0, 8)) !== 'OpusHead') {
      throw new SpliceError(`segment ${i} is not Ogg Opus`);
    }
    audio.forEach((p, k) => {
      const n = opusPacketSamples(p.data);
      if (n !== frame)
        throw new SpliceError(`segment ${i} packet ${k} holds ${n} samples, not ${frame}`);
    });
    const preSkip = head.data[10]! | (head.data[11]! << 8);
    const endGranule = audio[audio.length - 1]?.granule ?? -1;
    if (endGranule < 0) throw new SpliceError(`segment ${i} does not end a page`);
    return { serial: ogg.serial, head, tags, audio, preSkip, endGranule, firstFrame: s.firstFrame };
  });
  const first = streams[0]!;
  const last = streams[streams.length - 1]!;
  if (streams.some((s) => s.preSkip !== first.preSkip)) throw new SpliceError('pre-skips differ');

  const kept: Bytes[] = [];
  let from = 0;
  streams.forEach((s, k) => {
    const splicePoint = splicePoints[k];
    const to = splicePoint ? splicePoint.nominal - s.firstFrame : s.audio.length;
    if (to > s.audio.length || to <= from)
      throw new SpliceError(`splice point ${k + 1} is outside segment ${k}`);
    for (let i = from; i < to; i++) kept.push(s.audio[i]!.data);
    if (splicePoint) from = splicePoint.nominal - streams[k + 1]!.firstFrame;
  });
  // The last segment's own end: its decoded length, placed after the frames before it.
  const endGranule = last.firstFrame * frame + last.endGranule;

  return pageOpus(first.head.data, first.tags.data, first.serial, kept, endGranule);
}
