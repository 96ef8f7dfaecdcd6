/** Writes the Xing/Info + LAME frame that heads a joined MP3: frame and byte counts, seek table. */
import { bitrateTable, frameLength, sideInfoSize, type FrameHeader } from '@/lib/containers/mp3';

/** CRC-16 (polynomial 0xA001, reflected, initial 0) as LAME computes it over its tag frame. */
export function lameTagCrc(bytes: Uint8Array, length = bytes.length): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    crc ^= bytes[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

const XING_FIELDS = 8 + 4 + 4 + 100 + 4;
const LAME_SIZE = 36;

export interface XingPlan {
  like: FrameHeader;
  frames: number;
  audioBytes: number;
  /** The shared bitrate (kb/s) when every frame has it, else 0. */
  uniformBitrate: number;
  frameSizes: Uint16Array[];
  quality: number;
  lame?: { tag: Uint8Array; delay: number; padding: number };
}

/**
 * A silent Layer III frame that carries a Xing ("Info" for a constant bitrate) tag for the whole
 * joined stream: frame count, byte count, a seek table computed from the real frame offsets and,
 * when the first input had one, a LAME extension with its encoder delay and the last input's end
 * padding, so gapless decoders trim the ends as they did for the inputs.
 */
export function buildXingFrame(plan: XingPlan): Uint8Array<ArrayBuffer> {
  const { like } = plan;
  const side = sideInfoSize(like);
  const table = bitrateTable(like.version, 3);
  const lengthAt = (index: number) =>
    frameLength(like.version, 3, table[index]!, like.sampleRate, 0);
  const pick = (need: number): number | undefined => {
    // Same bitrate as the audio for CBR, so players that time CBR by bitrate stay right.
    const same = table.indexOf(plan.uniformBitrate);
    if (plan.uniformBitrate && same > 0 && lengthAt(same) >= need) return same;
    for (let i = 1; i < 15; i++) if (lengthAt(i) >= need) return i;
    return undefined;
  };
  let lame = plan.lame;
  let index = pick(4 + side + XING_FIELDS + (lame ? LAME_SIZE : 0));
  if (index === undefined && lame) {
    lame = undefined;
    index = pick(4 + side + XING_FIELDS);
  }
  // Cannot happen: the largest Layer III frame at any rate holds the Xing fields.
  if (index === undefined) throw new Error('no bitrate gives a frame large enough for a Xing tag');

  const length = lengthAt(index);
  const frame = new Uint8Array(length);
  const raw = like.raw;
  frame[0] = 0xff;
  // Protection bit set (no CRC); padding and bitrate replaced; private bit, mode and flags kept.
  frame[1] = ((raw >>> 16) & 0xff) | 0x01;
  frame[2] = (index << 4) | (like.sampleRateIndex << 2) | ((raw >>> 8) & 0x01);
  frame[3] = raw & 0xff;

  const total = length + plan.audioBytes;
  const view = new DataView(frame.buffer);
  let o = 4 + side;
  frame.set(
    [...(plan.uniformBitrate ? 'Info' : 'Xing')].map((c) => c.charCodeAt(0)),
    o,
  );
  view.setUint32(o + 4, 0x0f);
  view.setUint32(o + 8, plan.frames);
  view.setUint32(o + 12, Math.min(total, 0xffffffff));
  frame.set(computeToc(plan), o + 16);
  view.setUint32(o + 116, plan.quality);
  o += XING_FIELDS;

  if (lame) {
    frame.set(lame.tag.subarray(0, LAME_SIZE), o);
    // ReplayGain and MP3Gain described the first input only.
    frame.fill(0, o + 11, o + 19);
    frame[o + 25] = 0;
    const delay = Math.min(lame.delay, 0xfff);
    const padding = Math.min(lame.padding, 0xfff);
    frame[o + 21] = delay >> 4;
    frame[o + 22] = ((delay & 0x0f) << 4) | (padding >> 8);
    frame[o + 23] = padding & 0xff;
    view.setUint32(o + 28, Math.min(total, 0xffffffff));
    // The music CRC would need every audio byte; nothing checks it, so it is left at 0.
    view.setUint16(o + 32, 0);
    view.setUint16(o + 34, lameTagCrc(frame, o + 34));
  }
  return frame;
}

/**
 * Xing TOC: entry i is where i% of the playing time starts, in 1/256ths of the audio, counted from
 * the first audio frame (as LAME writes it and ffmpeg reads it).
 */
function computeToc(plan: XingPlan): Uint8Array<ArrayBuffer> {
  const toc = new Uint8Array(100);
  let frame = 0;
  let offset = 0;
  let list = 0;
  let inList = 0;
  for (let i = 0; i < 100; i++) {
    const target = Math.floor((i * plan.frames) / 100);
    while (frame < target) {
      const sizes = plan.frameSizes[list]!;
      if (inList >= sizes.length) {
        list++;
        inList = 0;
        continue;
      }
      offset += sizes[inList++]!;
      frame++;
    }
    toc[i] = Math.min(255, Math.floor((offset * 256) / plan.audioBytes));
  }
  return toc;
}
