/**
 * Closes the joins of a stream copy of Ogg Opus files exactly: the few packets around each join
 * are encoded again from the decoded neighbourhood, every other packet is copied. Pure (Blobs,
 * and a coder the caller supplies: ffmpeg.wasm in the extension, native ffmpeg in tests).
 *
 * The rule is ./seam-plan.ts's, as for MP3 and AAC: B is placed on the output's 960-sample
 * packet grid r samples early (0 <= r < 960), A's last r samples and B's first r overlap in an
 * equal-power crossfade, and the packets from OPUS_MARGINS.before samples before the overlap to
 * OPUS_MARGINS.after after it are encoded again (libopus, 20 ms, the inputs' channels and average
 * bitrate) from A's and B's decoded audio; only A's last packets and B's first are decoded, with
 * WARM_DECODE packets before for the decoder's state. The new encode starts PREROLL packets
 * early on the grid and those are dropped (lib/segments/opus.ts's technique). The packets are
 * paged anew (pageOpus): the first input's OpusHead and pre-skip, granule positions through the
 * whole stream, and a last granule position where the last input's audio ends.
 *
 * CELT-only streams (music at the usual bitrates) only: SILK and hybrid packets (speech, low
 * bitrates) are refused and keep the whole-packet join (./ogg-opus.ts).
 *
 * Not wired into the extension: ffmpeg.wasm's libopus survives only complexity 4 (its stack;
 * lib/plan/graph.ts OPUS_COMPLEXITY), and packets encoded again at complexity 4 among packets
 * libopus coded at 10 decode at 12 to 14 dB SNR near the join (31 to 44 dB at complexity 10,
 * tests/unit/opus-seams-native.test.ts; measured 2026-12-01): a worse click than the whole-packet
 * join's few milliseconds. Opus joins keep whole packets until the engine can encode them well.
 */
import type { Bytes } from '@/lib/core/bytes';
import { throwIfAborted } from '@/lib/core/bytes';
import { SpliceError } from '@/lib/containers/errors';
import { readOgg, type OggStream } from '@/lib/containers/ogg';
import { opusPacketSamples, pageOpus } from '@/lib/containers/ogg-opus';
import type { FrameTiming } from './junctions';
import { inputEnds } from './ogg-opus';
import {
  junctionAudio,
  placeJoin,
  seamFrameRange,
  type JoinPlace,
  type JunctionCoder,
  type SeamMargins,
} from './seam-plan';
import type { JoinOverlap } from './types';

type OggPacket = OggStream['packets'][number];

/** How the junction packets are encoded: as the inputs were. */
export interface OpusEncoding {
  channels: number;
  /** Bits per second. */
  bitrate: number;
}

export type OpusJunctionCoder = JunctionCoder<OpusEncoding>;

const FRAME = 960;
/** libopus's pre-skip at 48 kHz: the samples before its input in its decoded packets. */
const OPUS_ENCODER_LEAD = 312;
/** Packets decoded before the first one used: the decoder's energy and pitch state settles. */
const WARM_DECODE = 4;
/** Packets the new encode starts before the first one kept (dropped). */
const PREROLL = 4;
/**
 * A copied packet shapes the decoded audio a little past its span (CELT's 120-sample overlap,
 * the decoder's state): a packet either side of the overlap is encoded again too.
 */
const OPUS_MARGINS: SeamMargins = { before: FRAME, after: FRAME };
/** The packets encoded again at each join, fewest and most: what the plan says. */
export const OPUS_SEAM_FRAMES = seamFrameRange(FRAME, OPUS_MARGINS);
/** The fewest samples an input needs for its joins to be closed here. */
const OPUS_SEAM_MIN_SAMPLES = 16 * FRAME;

/** Why a join cannot be closed this way; the caller joins by whole packets instead. */
export class OpusSeamNotPossibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpusSeamNotPossibleError';
  }
}

export interface OpusSeamsResult {
  blob: Blob;
  overlaps: JoinOverlap[];
  /** Packets encoded again at each join. */
  newFrames: number[];
}

/**
 * The joined Ogg Opus file `joined` (a stream copy of `inputs`, every packet of each in order)
 * with its joins closed exactly. Throws OpusSeamNotPossibleError when the inputs cannot be
 * joined so, SpliceError when a file is not what that assumes.
 */
export async function closeOpusSeams(
  joined: Blob,
  inputs: readonly Blob[],
  coder: OpusJunctionCoder,
  signal?: AbortSignal,
): Promise<OpusSeamsResult> {
  const ends = await Promise.all(inputs.map(inputEnds));
  const ogg = readOgg(new Uint8Array(await joined.arrayBuffer()));
  const [head, tags, ...audio] = ogg.packets;
  if (!head || !tags) throw new SpliceError('the joined file is not Ogg Opus');
  const channels = celtChannels(head, audio);
  const timings = inputPackets(ends, audio);
  const enc = opusEncoding(timings, channels);
  const stream: OpusStream = { head: head.data, tags: tags.data, serial: ogg.serial, audio };

  const out: Bytes[] = [];
  const overlaps: JoinOverlap[] = [];
  const newFrames: number[] = [];
  let g = 0;
  let from = 0;
  let trackTime = 0;
  for (let k = 0; k + 1 < timings.length; k++) {
    throwIfAborted(signal);
    const a = timings[k]!;
    const b = timings[k + 1]!;
    const place = placeJoin((g + a.frames) * FRAME - a.tail, b.lead, FRAME, OPUS_MARGINS);
    const { gB, aOut, bOut } = place;
    const encoded = await encodeJoin(stream, coder, enc, { k, a, b, g, from, place }, signal);
    const encFrom = aOut - PREROLL;
    for (let i = from; i < aOut - g; i++) out.push(audio[a.base + i]!.data);
    for (let i = aOut - encFrom; i < bOut - encFrom; i++) out.push(encoded[i]!);
    newFrames.push(bOut - aOut);
    trackTime += (a.frames * FRAME - a.lead - a.tail) / 48000;
    overlaps.push({ atSec: trackTime, overlapSec: place.overlap / 48000 });
    g = gB;
    from = bOut - gB;
  }
  const last = timings[timings.length - 1]!;
  for (let i = from; i < last.frames; i++) out.push(audio[last.base + i]!.data);
  const endGranule = (g + last.frames) * FRAME - last.tail;
  if (out.length !== g + last.frames) throw new SpliceError('the packets do not add up');
  return {
    blob: pageOpus(head.data, tags.data, ogg.serial, out, endGranule),
    overlaps,
    newFrames,
  };
}

/**
 * The stream's channels, once it is known to be what closing its joins assumes: 20 ms CELT
 * packets, mono or stereo.
 */
function celtChannels(head: OggPacket, audio: readonly OggPacket[]): number {
  if (audio.some((p) => opusPacketSamples(p.data) !== FRAME)) {
    throw new OpusSeamNotPossibleError('the packets are not all 20 ms');
  }
  // CELT only (TOC configurations 16 to 31): SILK's and hybrid's predictors carry far more
  // from packet to packet, and a packet encoded again among them decodes far from the inputs
  // (measured: 5 dB SNR at a join of 32 kb/s mono, which libopus codes as hybrid).
  if (audio.some((p) => (p.data[0] ?? 0) >> 3 < 16)) {
    throw new OpusSeamNotPossibleError('the inputs are SILK or hybrid Opus, not CELT');
  }
  const channels = head.data[9]!;
  if (channels < 1 || channels > 2 || head.data[18] !== 0) {
    throw new OpusSeamNotPossibleError('the inputs are not mono or stereo');
  }
  return channels;
}

/** An input's packets in the joined stream: how many, its first, their bytes, what it skips. */
type InputPackets = FrameTiming & { base: number; bytes: number };

/** Each input's packets in the joined stream, which must hold every one and no other. */
function inputPackets(
  ends: readonly { preSkip: number; endGranule: number }[],
  audio: readonly OggPacket[],
): InputPackets[] {
  const timings: InputPackets[] = [];
  let at = 0;
  for (const { preSkip, endGranule } of ends) {
    const frames = Math.ceil(endGranule / FRAME);
    if (frames < 1 || at + frames > audio.length) {
      throw new SpliceError('the joined file does not hold every packet of its inputs');
    }
    let bytes = 0;
    for (let i = at; i < at + frames; i++) bytes += audio[i]!.data.length;
    timings.push({ frames, lead: preSkip, tail: frames * FRAME - endGranule, base: at, bytes });
    at += frames;
  }
  if (at !== audio.length) throw new SpliceError('the joined file holds packets of no input');
  return timings;
}

/** The new packets' encoding (the inputs' highest bitrate); refuses an input too short. */
function opusEncoding(timings: readonly InputPackets[], channels: number): OpusEncoding {
  if (timings.some((t) => t.frames * FRAME - t.lead - t.tail < OPUS_SEAM_MIN_SAMPLES)) {
    throw new OpusSeamNotPossibleError('an input is too short');
  }
  const kbps = Math.max(...timings.map((t) => (t.bytes * 8 * 48) / (t.frames * FRAME)));
  return { channels, bitrate: Math.max(6, Math.round(kbps)) * 1000 };
}

/** The joined stream's headers and audio packets. */
interface OpusStream {
  head: Bytes;
  tags: Bytes;
  serial: number;
  audio: readonly OggPacket[];
}

/** A stream of packets [from, to) to decode: pre-skip 0 and no end trim, so nothing is skipped. */
function packetsBlob(stream: OpusStream, from: number, to: number): Blob {
  const rawHead = stream.head.slice();
  rawHead[10] = 0;
  rawHead[11] = 0;
  const packets = stream.audio.slice(from, to).map((p) => p.data);
  return pageOpus(rawHead, stream.tags, stream.serial, packets, packets.length * FRAME);
}

/** One join of closeOpusSeams: its inputs, where A sits in the output, and where it falls. */
interface JoinAt {
  k: number;
  a: InputPackets;
  b: InputPackets;
  /** Output packet index of A's packet 0, and A's first copied packet. */
  g: number;
  from: number;
  place: JoinPlace;
}

/**
 * Decodes the audio either side of a join and encodes it again across the join: the new
 * packets, the first one output packet aOut - PREROLL. Refuses an input too short for them.
 */
async function encodeJoin(
  stream: OpusStream,
  coder: OpusJunctionCoder,
  enc: OpusEncoding,
  { k, a, b, g, from, place }: JoinAt,
  signal: AbortSignal | undefined,
): Promise<Bytes[]> {
  const { gB, aOut, bOut } = place;
  const encFrom = aOut - PREROLL;
  const encTo = bOut;
  if (aOut - g <= from) throw new OpusSeamNotPossibleError(`input ${k + 1} is too short`);
  const bNeed = encTo - gB + 2;
  if (bNeed > b.frames) throw new OpusSeamNotPossibleError(`input ${k + 2} is too short`);

  const aDec = Math.max(0, encFrom - g - WARM_DECODE);
  const aPcm = await coder.decode(packetsBlob(stream, a.base + aDec, a.base + a.frames), enc);
  const bPcm = await coder.decode(packetsBlob(stream, b.base, b.base + bNeed), enc);
  throwIfAborted(signal);
  const y0 = encFrom * FRAME + OPUS_ENCODER_LEAD;
  const y1 = (encTo + 2) * FRAME;
  const pcm = junctionAudio(
    aPcm,
    (g + aDec) * FRAME,
    bPcm,
    gB * FRAME,
    place,
    y0,
    y1,
    enc.channels,
  );
  const encoded = encodedPackets(await coder.encode(pcm, enc));
  if (encoded.length < encTo - encFrom) throw new SpliceError('the junction encode is short');
  return encoded;
}

/** The packets of the junction coder's Ogg Opus, after checking its pre-skip and packets. */
function encodedPackets(file: Uint8Array): Bytes[] {
  const bytes = file.buffer instanceof ArrayBuffer ? (file as Bytes) : new Uint8Array(file);
  const [head, , ...audio] = readOgg(bytes).packets;
  const preSkip = head ? head.data[10]! | (head.data[11]! << 8) : -1;
  if (preSkip !== OPUS_ENCODER_LEAD) {
    throw new SpliceError(`the junction encoder's pre-skip is ${preSkip}, not 312`);
  }
  if (audio.some((p) => opusPacketSamples(p.data) !== FRAME)) {
    throw new SpliceError('the junction encode has packets other than 20 ms');
  }
  return audio.map((p) => p.data);
}
