/**
 * Loudness changed without decoding, for AAC-LC in MP4, mono or stereo: every raw data block's
 * channels (a single channel element, or the two channels of a channel pair element, ISO
 * 14496-3 4.4.2.1) each start their individual_channel_stream with an 8-bit global_gain
 * (4.4.2.7). The scale factors, the noise energies and the intensity positions are all coded
 * from it, so moving it moves the whole channel by 2^(steps/4): 1.5 dB a step, as for MP3. The
 * second channel's gain of a pair lies past the first channel's spectral data: ./aac-walk.ts
 * walks each block to its END to find it. Pure.
 */
import type { Bytes } from '@/lib/core/bytes';
import { aacConfig, findTrack, mustChild, readMoov, readSamples } from '@/lib/containers/mp4';
import type { LosslessInput } from '../types';
import { aacGainOffsets, AacWalkError } from './aac-walk';

/** An AAC stream whose gain cannot be moved in place; the message names the frame and why. */
export class AacGainNotPossibleError extends Error {
  override name = 'AacGainNotPossibleError';
}

/** Moves the 8-bit field at bit `at` by `steps`, within 0 to 255. */
function moveGain(block: Uint8Array, at: number, steps: number): void {
  let gain = 0;
  for (let i = 0; i < 8; i++)
    gain = (gain << 1) | ((block[(at + i) >> 3]! >> (7 - ((at + i) & 7))) & 1);
  gain = Math.min(255, Math.max(0, gain + steps));
  for (let i = 0; i < 8; i++) {
    const bit = at + i;
    const mask = 1 << (7 - (bit & 7));
    if ((gain >> (7 - i)) & 1) block[bit >> 3]! |= mask;
    else block[bit >> 3]! &= ~mask;
  }
}

/** The input's frames (the MP4's audio samples) and its sampling frequency index. */
async function aacFrames(input: LosslessInput): Promise<{
  bytes: Bytes;
  offsets: readonly number[];
  sizes: readonly number[];
  freqIndex: number;
}> {
  const { moov } = await readMoov(input.blob);
  const trak = findTrack(moov, 'soun');
  const config = aacConfig(mustChild(trak, 'mdia/minf/stbl/stsd').payload);
  if (!config || config.objectType !== 2) {
    throw new AacGainNotPossibleError(`${input.name} is not AAC-LC`);
  }
  // The file's size bounds the tables' counts before anything is allocated for them.
  const table = readSamples(trak, input.blob.size);
  const bytes: Bytes = new Uint8Array(await input.blob.arrayBuffer());
  return { bytes, offsets: table.offsets, sizes: table.sizes, freqIndex: config.frequencyIndex };
}

/** Every frame's global_gain offsets (bits into the frame), or the error that refuses one. */
function gainOffsets(
  frames: Awaited<ReturnType<typeof aacFrames>>,
  name: string,
): (readonly number[])[] {
  return frames.sizes.map((size, i) => {
    const at = frames.offsets[i]!;
    try {
      return aacGainOffsets(frames.bytes.subarray(at, at + size), frames.freqIndex);
    } catch (e) {
      if (!(e instanceof AacWalkError)) throw e;
      throw new AacGainNotPossibleError(`frame ${i + 1} of ${name}: ${e.message}`);
    }
  });
}

/**
 * The input (an MP4 of one AAC-LC track, mono or stereo) with every channel's gain in every
 * frame moved by `steps`: the same bytes but 8 bits a channel a frame. Every frame is walked
 * before any is changed.
 *
 * @throws AacGainNotPossibleError when a frame cannot be walked to its END.
 */
export async function gainAac(
  input: LosslessInput,
  steps: number,
): Promise<{ blob: Blob; frames: number }> {
  if (steps === 0) return { blob: input.blob, frames: 0 };
  const frames = await aacFrames(input);
  const offsets = gainOffsets(frames, input.name);
  offsets.forEach((gains, i) => {
    const at = frames.offsets[i]!;
    const block = frames.bytes.subarray(at, at + frames.sizes[i]!);
    for (const g of gains) moveGain(block, g, steps);
  });
  return { blob: new Blob([frames.bytes], { type: input.blob.type }), frames: offsets.length };
}

/**
 * Whether every frame's gain of this AAC-LC MP4 can be moved in place: undefined when it can,
 * else why not (a sentence's end: "frame 12 of a.m4a: a codeword is in no codebook").
 */
export async function aacGainRefusal(input: LosslessInput): Promise<string | undefined> {
  try {
    gainOffsets(await aacFrames(input), input.name);
    return undefined;
  } catch (e) {
    if (e instanceof AacGainNotPossibleError) return e.message;
    throw e;
  }
}
