/**
 * A v2.4 tag's frames as v2.3 frames, for a tag written as v2.3: text frames decoded and
 * written again in an encoding v2.3 has (UTF-8 is v2.4's only), TDRC as TYER, v2.4's own
 * frames left out, frames marked to be discarded when the audio changes left out, format flags
 * cleared (their bits differ between the versions). Pure.
 */
import type { Id3Frame } from './id3';

/** Frames v2.4 added, which a v2.3 reader does not know. */
const V24_ONLY = new Set([
  'TDEN',
  'TDOR',
  'TDRL',
  'TDTG',
  'TIPL',
  'TMCL',
  'TMOO',
  'TPRO',
  'TSST',
  'ASPI',
  'EQU2',
  'RVA2',
  'SEEK',
  'SIGN',
]);
/** Frames whose body starts with a text encoding byte (besides the T*** frames). */
const ENCODED = new Set(['TXXX', 'COMM', 'USLT', 'APIC', 'WXXX', 'GEOB', 'SYLT', 'USER']);
/** v2.4's "discard this frame when the audio changes". */
const V24_FILE_ALTER_DISCARD = 0x2000;

/** A text frame's value (its encoding byte first), its v2.4 NUL separators as "/". */
function decodeText(body: Uint8Array): string | undefined {
  const enc = body[0];
  const data = body.subarray(1);
  const label = enc === 0 ? 'latin1' : enc === 1 ? 'utf-16' : enc === 2 ? 'utf-16be' : 'utf-8';
  if (enc === undefined || enc > 3) return undefined;
  const text = new TextDecoder(label).decode(data);
  return text.replace(/\0+$/, '').replace(/\0/g, '/');
}

/** `frames` (a v2.4 tag's) as v2.3 frames; `textFrame` writes a v2.3 text frame. */
export function framesAsV23(
  frames: readonly Id3Frame[],
  textFrame: (id: string, value: string) => Id3Frame,
): Id3Frame[] {
  const out: Id3Frame[] = [];
  for (const f of frames) {
    if (V24_ONLY.has(f.id) || f.flags & V24_FILE_ALTER_DISCARD) continue;
    if (f.id.startsWith('T') && f.id !== 'TXXX') {
      const value = decodeText(f.body);
      if (value === undefined) continue;
      if (f.id === 'TDRC') {
        const year = /^\d{4}/.exec(value)?.[0];
        if (year) out.push(textFrame('TYER', year));
      } else out.push(textFrame(f.id, value));
      continue;
    }
    if (ENCODED.has(f.id) && f.body[0] === 3) continue;
    out.push({ ...f, flags: 0 });
  }
  return out;
}
