/**
 * Opus in Ogg: the samples a packet decodes to (its TOC byte) and a stream of packets paged anew
 * behind its OpusHead and OpusTags. Read by the parallel splicer (lib/segments/opus.ts) and the
 * lossless Opus joins (lib/lossless/ogg-opus.ts, opus-seams.ts). Pure.
 */
import type { Bytes } from '@/lib/core/bytes';
import { SpliceError } from './errors';
import { lacingCount, oggPage } from './ogg';

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
    // No valid Opus packet outgrows a page (RFC 6716 caps one at 61,440 bytes); one that does
    // would be paged empty forever.
    if (page.length === 0) throw new SpliceError('an Opus packet larger than an Ogg page');
    const eos = i === packets.length;
    pages.push(
      oggPage(page, { serial, sequence: sequence++, granule: eos ? endGranule : granule, eos }),
    );
  }
  return new Blob(pages, { type: 'audio/ogg' });
}
