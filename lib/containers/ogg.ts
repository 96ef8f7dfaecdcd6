/** Ogg pages: reading packets with their pages' granule positions, and writing pages. Pure. */
import { concat, type Bytes } from '@/lib/core/bytes';
import { SpliceError } from './errors';

interface OggPacket {
  data: Bytes;
  /** The granule position of the page this packet ends on, when it is the page's last; else -1. */
  granule: number;
}

export interface OggStream {
  serial: number;
  packets: OggPacket[];
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, initial 0). */
export function oggCrc(b: Bytes): number {
  let c = 0;
  for (let i = 0; i < b.length; i++) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ b[i]!) & 0xff]!) >>> 0;
  return c;
}

/** The packets of the first logical stream in `bytes` (one stream is all an engine writes). */
export function readOgg(bytes: Bytes, index = 0): OggStream {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: OggPacket[] = [];
  let serial = -1;
  let pending: Bytes[] = [];
  let p = 0;
  while (p + 27 <= bytes.length) {
    if (view.getUint32(p) !== 0x4f676753)
      throw new SpliceError(`segment ${index}: no Ogg page at ${p}`);
    const granule = Number(view.getBigInt64(p + 6, true));
    const pageSerial = view.getUint32(p + 14, true);
    const count = bytes[p + 26]!;
    const lacing = bytes.subarray(p + 27, p + 27 + count);
    let q = p + 27 + count;
    if (serial === -1) serial = pageSerial;
    const mine = pageSerial === serial;
    let lastEnd = -1;
    for (let i = 0; i < count; i++) {
      const n = lacing[i]!;
      if (mine) pending.push(bytes.subarray(q, q + n));
      q += n;
      if (n < 255 && mine) {
        packets.push({ data: pending.length === 1 ? pending[0]! : concat(pending), granule: -1 });
        pending = [];
        lastEnd = packets.length - 1;
      }
    }
    if (q > bytes.length) throw new SpliceError(`segment ${index}: an Ogg page is cut short`);
    if (mine && lastEnd >= 0) packets[lastEnd]!.granule = granule;
    p = q;
  }
  if (serial === -1) throw new SpliceError(`segment ${index} has no Ogg pages`);
  return { serial, packets };
}

export interface PageOptions {
  serial: number;
  sequence: number;
  granule: number;
  bos?: boolean;
  eos?: boolean;
}

/** One page holding whole `packets` (their lacing must fit 255 segments). */
export function oggPage(packets: readonly Bytes[], o: PageOptions): Bytes {
  const lacing: number[] = [];
  for (const pk of packets) {
    for (let n = pk.length; ; n -= 255) {
      lacing.push(Math.min(255, n));
      if (n < 255) break;
    }
  }
  if (lacing.length > 255) throw new RangeError('too many packets for one Ogg page');
  const size = packets.reduce((s, pk) => s + pk.length, 0);
  const page = new Uint8Array(27 + lacing.length + size);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53], 0);
  page[5] = (o.bos ? 2 : 0) | (o.eos ? 4 : 0);
  view.setBigInt64(6, BigInt(o.granule), true);
  view.setUint32(14, o.serial, true);
  view.setUint32(18, o.sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const pk of packets) {
    page.set(pk, at);
    at += pk.length;
  }
  view.setUint32(22, oggCrc(page), true);
  return page;
}

/** Lacing values a packet takes. */
export function lacingCount(packet: Bytes): number {
  return Math.floor(packet.length / 255) + 1;
}
