/**
 * Tags at the end of an MP3 (ID3v1 and its "TAG+" extension, APEv1/v2, Lyrics3 v1/v2, an ID3v2
 * tag with a footer): where they begin, so a join leaves them out. Pure (reads a Blob's tail).
 */
import { ascii, readRange, syncsafe, u32le } from '@/lib/core/bytes';
import { ID3V2_HEADER, id3v2TagSize } from '@/lib/containers/id3';

/** Tags can stack (APE, then Lyrics3, then ID3v1); a few rounds peel them all. */
const MAX_ROUNDS = 8;
/** Lyrics3 v1 holds at most 5100 bytes of lyrics between its markers. */
const LYRICS3V1_MAX = 5100;

/** Where the trailing tags of `blob` begin (its size when there are none); never below `floor`. */
export async function trailingTagsStart(blob: Blob, floor: number): Promise<number> {
  let end = blob.size;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = await peel(blob, floor, end);
    if (next === undefined) break;
    end = next;
  }
  return end;
}

/** The start of the one tag that ends at `end`, or undefined when none does. */
async function peel(blob: Blob, floor: number, end: number): Promise<number | undefined> {
  const tail = await readRange(blob, Math.max(floor, end - 8192), end);
  const t0 = end - tail.length;
  const at = (abs: number, n: number) => (abs < t0 ? '' : ascii(tail, abs - t0, n));
  if (end - 128 >= floor && at(end - 128, 3) === 'TAG') {
    return end - 227 - 128 >= floor && at(end - 128 - 227, 4) === 'TAG+' ? end - 355 : end - 128;
  }
  if (end - 32 >= floor && at(end - 32, 8) === 'APETAGEX') {
    const i = end - 32 - t0;
    const size = u32le(tail, i + 12);
    const hasHeader = (u32le(tail, i + 20) & 0x80000000) !== 0;
    const total = size + (hasHeader ? 32 : 0);
    if (size >= 32 && total <= end - floor) return end - total;
  }
  if (end - 15 >= floor && at(end - 9, 9) === 'LYRICS200') {
    const digits = at(end - 15, 6);
    const total = /^\d{6}$/.test(digits) ? Number(digits) + 15 : 0;
    if (total > 15 && total <= end - floor) {
      const begin = await readRange(blob, end - total, end - total + 11);
      if (ascii(begin, 0, 11) === 'LYRICSBEGIN') return end - total;
    }
  }
  if (end - 20 >= floor && at(end - 9, 9) === 'LYRICSEND') {
    const text = ascii(tail, 0, tail.length);
    const begin = text.lastIndexOf('LYRICSBEGIN', tail.length - 9);
    if (begin >= 0 && end - 9 - (t0 + begin) <= LYRICS3V1_MAX + 11) return t0 + begin;
  }
  if (end - ID3V2_HEADER >= floor && at(end - ID3V2_HEADER, 3) === '3DI') {
    // An ID3v2.4 footer repeats the header's size: the tag is that plus header and footer.
    const total = syncsafe(tail, end - ID3V2_HEADER - t0 + 6) + 2 * ID3V2_HEADER;
    if (total <= end - floor) {
      const head = await readRange(blob, end - total, end - total + ID3V2_HEADER);
      if (id3v2TagSize(head) === total) return end - total;
    }
  }
  return undefined;
}
