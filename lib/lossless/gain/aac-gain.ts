/**
 * Loudness changed without decoding, for mono AAC-LC in MP4: each raw data block's first
 * element is a single channel element (ISO 14496-3 4.4.2.1: id_syn_ele 3 bits, element tag 4),
 * whose individual_channel_stream starts with its 8-bit global_gain (4.4.2.7). The scale factors
 * are coded from it, so moving it moves the whole channel by 2^(steps/4): 1.5 dB a step, as for
 * MP3. Stereo (a channel pair element) needs each first channel's spectral data parsed to find
 * the second's gain: not done here (such joins are encoded again). Pure.
 */
import type { Bytes } from '@/lib/core/bytes';
import { findTrack, readMoov, readSamples } from '@/lib/containers/mp4';
import type { LosslessInput } from '../types';

/** An AAC stream whose gain cannot be moved in place (a block that does not start with an SCE). */
export class AacGainNotPossibleError extends Error {
  override name = 'AacGainNotPossibleError';
}

const ID_SCE = 0;
const ID_DSE = 4;
const ID_FIL = 6;

function bits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++, at++) v = (v << 1) | ((b[at >> 3]! >> (7 - (at & 7))) & 1);
  return v;
}

/**
 * Where the global_gain of a raw data block's single channel element starts (in bits), past
 * the fill and data stream elements an encoder may put first (ffmpeg's names itself in a fill
 * element of the first frame); undefined when the first audio element is not an SCE.
 */
function sceGainBit(block: Uint8Array): number | undefined {
  const end = block.length * 8;
  let at = 0;
  // A block holds few elements before its audio; more is not a stream this reads.
  for (let k = 0; k < 8 && at + 3 <= end; k++) {
    const id = bits(block, at, 3);
    at += 3;
    if (id === ID_SCE) return at + 4 + 8 <= end ? at + 4 : undefined;
    if (id === ID_FIL) {
      let count = bits(block, at, 4);
      at += 4;
      if (count === 15) {
        count += bits(block, at, 8) - 1;
        at += 8;
      }
      at += 8 * count;
    } else if (id === ID_DSE) {
      at += 4;
      const align = bits(block, at, 1);
      at += 1;
      let count = bits(block, at, 8);
      at += 8;
      if (count === 255) {
        count += bits(block, at, 8);
        at += 8;
      }
      if (align) at = (at + 7) & ~7;
      at += 8 * count;
    } else return undefined;
  }
  return undefined;
}

/** Moves the global_gain of a raw data block's SCE by `steps`; false when it has none. */
function gainAacBlock(block: Uint8Array, steps: number): boolean {
  const at = sceGainBit(block);
  if (at === undefined) return false;
  const gain = Math.min(255, Math.max(0, bits(block, at, 8) + steps));
  for (let i = 0; i < 8; i++) {
    const bit = at + i;
    const mask = 1 << (7 - (bit & 7));
    if ((gain >> (7 - i)) & 1) block[bit >> 3]! |= mask;
    else block[bit >> 3]! &= ~mask;
  }
  return true;
}

/**
 * The input (an MP4 of one mono AAC-LC track) with every frame's gain moved by `steps`: the
 * same bytes but 8 bits a frame.
 *
 * @throws AacGainNotPossibleError when a frame does not start with a single channel element.
 */
export async function gainAacMono(
  input: LosslessInput,
  steps: number,
): Promise<{ blob: Blob; frames: number }> {
  if (steps === 0) return { blob: input.blob, frames: 0 };
  const { moov } = await readMoov(input.blob);
  const table = readSamples(findTrack(moov, 'soun'));
  const bytes: Bytes = new Uint8Array(await input.blob.arrayBuffer());
  table.sizes.forEach((size, i) => {
    const at = table.offsets[i]!;
    if (!gainAacBlock(bytes.subarray(at, at + size), steps)) {
      throw new AacGainNotPossibleError(
        `frame ${i} of ${input.name} has no single channel element`,
      );
    }
  });
  return { blob: new Blob([bytes], { type: input.blob.type }), frames: table.sizes.length };
}
