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
import { lacingCount, oggPage, readOgg } from '@/lib/containers/ogg';
import type { Junction } from './plan';

export interface OpusSegment {
  bytes: Bytes;
  /** Global index of its first audio packet (Segment.firstFrame). */
  firstFrame: number;
}

/** Samples (at 48 kHz) an Opus packet decodes to, from its TOC byte (RFC 6716, 3.1). */
export function opusPacketSamples(packet: Bytes): number {
  const toc = packet[0] ?? 0;
  const config = toc >> 3;
  const frame =
    config < 12
      ? [480, 960, 1920, 2880][config & 3]!
      : config < 16
        ? [480, 960][config & 1]!
        : [120, 240, 480, 960][config & 3]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frame * frames;
}

/** ffmpeg's Ogg muxer flushes a page a second; 50 packets of 20 ms do the same. */
const PACKETS_PER_PAGE = 50;

/** Splices Opus segments (in order) at the junctions the plan gives; a Blob of Ogg pages. */
export function spliceOpus(
  segments: readonly OpusSegment[],
  junctions: readonly Junction[],
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
    const junction = junctions[k];
    const to = junction ? junction.nominal - s.firstFrame : s.audio.length;
    if (to > s.audio.length || to <= from)
      throw new SpliceError(`junction ${k + 1} is outside segment ${k}`);
    for (let i = from; i < to; i++) kept.push(s.audio[i]!.data);
    if (junction) from = junction.nominal - streams[k + 1]!.firstFrame;
  });
  // The last segment's own end: its decoded length, placed after the frames before it.
  const endGranule = last.firstFrame * frame + last.endGranule;

  return pageOpus(first.head.data, first.tags.data, first.serial, kept, endGranule);
}

/**
 * One Ogg Opus stream of `packets` (after its OpusHead and OpusTags), paged anew: granule
 * positions counted through the whole stream (each packet's samples from its TOC byte), the last
 * page's set to `endGranule`, which ends the stream there.
 */
export function pageOpus(
  head: Bytes,
  tags: Bytes,
  serial: number,
  packets: readonly Bytes[],
  endGranule: number,
): Blob {
  let sequence = 0;
  const pages: Bytes[] = [
    oggPage([head], { serial, sequence: sequence++, granule: 0, bos: true }),
    oggPage([tags], { serial, sequence: sequence++, granule: 0 }),
  ];
  let granule = 0;
  for (let i = 0; i < packets.length;) {
    const page: Bytes[] = [];
    let lacing = 0;
    while (i < packets.length && page.length < PACKETS_PER_PAGE) {
      const n = lacingCount(packets[i]!);
      if (lacing + n > 255) break;
      lacing += n;
      granule += opusPacketSamples(packets[i]!);
      page.push(packets[i++]!);
    }
    const eos = i === packets.length;
    pages.push(
      oggPage(page, { serial, sequence: sequence++, granule: eos ? endGranule : granule, eos }),
    );
  }
  return new Blob(pages, { type: 'audio/ogg' });
}
