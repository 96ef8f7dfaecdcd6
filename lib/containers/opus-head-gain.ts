/**
 * An Ogg Opus file's output gain (RFC 7845 5.1: a signed Q7.8 dB number at byte 16 of the
 * OpusHead packet, which a decoder applies to everything it decodes), moved in place: the first
 * page, which holds the OpusHead alone, written again with its CRC. Pure.
 */
import { oggCrc } from './ogg';
import { SpliceError } from './errors';

/** The most a first page with an OpusHead takes (a header of 27 bytes, 1 lacing value, 19+). */
const MAX_HEAD_PAGE = 27 + 255 + 255 * 255;

/** How many bytes the first page takes, from its header (which `b` starts with). */
export function firstPageLength(b: Uint8Array): number {
  if (b.length < 27 || String.fromCharCode(...b.subarray(0, 4)) !== 'OggS') {
    throw new SpliceError('the file does not start with an Ogg page');
  }
  const segments = b[26]!;
  let len = 27 + segments;
  for (let i = 0; i < segments; i++) len += b[27 + i]!;
  if (len > b.length || len > MAX_HEAD_PAGE) throw new SpliceError('the first Ogg page is cut');
  return len;
}

/**
 * The first page `page` (as firstPageLength measures it) with its OpusHead's output gain moved
 * by `gainDb` (to 1/256 dB, within what the field holds), its CRC computed again.
 *
 * @throws SpliceError when the page does not hold an OpusHead.
 */
export function withOutputGain(page: Uint8Array, gainDb: number): Uint8Array<ArrayBuffer> {
  const out = page.slice();
  const at = 27 + out[26]!;
  if (String.fromCharCode(...out.subarray(at, at + 8)) !== 'OpusHead' || at + 19 > out.length) {
    throw new SpliceError('the first Ogg page holds no OpusHead');
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const gain = view.getInt16(at + 16, true) + Math.round(gainDb * 256);
  view.setInt16(at + 16, Math.max(-32768, Math.min(32767, gain)), true);
  view.setUint32(22, 0, true);
  view.setUint32(22, oggCrc(out), true);
  return out;
}
