/**
 * Whether a probed file can take the zero-copy fast path: its frames (MP3) or data chunk (WAV)
 * must hold exactly the audio it decodes to, in one stream. Run at probe time; a "no" comes
 * with the reason in plain words, naming the time, for the planner to show as it re-encodes.
 */
import { JoinCanceledError, NotUniformError, SeamError } from '@/lib/core/errors';
import { text, type Text } from '@/lib/core/i18n';
import { channelText, khzText, secondsText } from '@/lib/core/text';
import { channelCount } from '@/lib/containers/mp3';
import { scanMp3 } from './mp3/scan';
import type { LosslessInput, LosslessKind } from './types';
import { parseWav } from '@/lib/containers/wav';
import type { AudioInfo } from '@/lib/core/track';
import { readHeader } from '@/lib/media/headers';

/**
 * `reason` is a verb phrase that follows the track's name or number: "changes sample rate
 * from 44.1 kHz to 48 kHz at 0:10", "holds 10 s in its frames but decodes to 20 s"; `change`
 * marks the first kind (the stream changes midway). It is a sentence as data (`Text`): the check
 * runs in the engine (Chrome's offscreen document, which has no `browser.i18n`), and the reason
 * is put into words where it is shown (lib/plan/words.ts), in the person's language.
 */
export type FastPathCheck = { ok: true } | { ok: false; reason: Text; change?: boolean };

/** What the probe found: the decoded stream's parameters and length. */
export interface FastPathExpected {
  sampleRate: number;
  channels: number;
  /** The decoded length; leave it out when only the container's estimate is known. */
  durationSec?: number;
}

/**
 * A WAV's data chunk is exact to the sample; ffmpeg reports its decoded length to the
 * microsecond, so a few milliseconds cover rounding and nothing more.
 */
const WAV_SLACK_SEC = 0.005;

/**
 * Scans `input` as `kind` and compares what its frames or data chunk hold with what it decodes
 * to (`expected`, from the probe). Never throws for a file it cannot read: the reason is
 * returned instead; only a cancellation (JoinCanceledError) is thrown.
 */
export async function checkFastPath(
  kind: LosslessKind,
  input: LosslessInput,
  expected: FastPathExpected,
  opts: { signal?: AbortSignal } = {},
): Promise<FastPathCheck> {
  try {
    const reason =
      kind === 'mp3' ? await mp3Reason(input, expected, opts) : await wavReason(input, expected);
    return reason === undefined ? { ok: true } : { ok: false, reason };
  } catch (err) {
    if (err instanceof SeamError && !(err instanceof JoinCanceledError)) {
      // A change of stream midway (files joined with `cat`): `change` says so, for the plan.
      const said = err.text ?? text('fastPath.said', err.message);
      if (err instanceof NotUniformError) return { ok: false, reason: said, change: true };
      return { ok: false, reason: text('fastPath.unreadable', said) };
    }
    throw err;
  }
}

async function mp3Reason(
  input: LosslessInput,
  expected: FastPathExpected,
  opts: { signal?: AbortSignal },
): Promise<Text | undefined> {
  const scan = await scanMp3(input, opts);
  const h = scan.header;
  const params = paramsReason('frames', h.sampleRate, channelCount(h), expected);
  if (params || expected.durationSec === undefined) return params;
  // Decoders trim the encoder delay and padding a LAME tag announces, and only then.
  const frameSec = h.samplesPerFrame / h.sampleRate;
  const held = framesHold(scan);
  const lame = held.lame;
  const gross = held.gross / h.sampleRate;
  const net = held.net / h.sampleRate;
  const decoded = expected.durationSec;
  // One frame either way: a decoder may keep or drop a cut-off last frame.
  if (decoded > gross + frameSec + 1e-3 || decoded < net - frameSec - 1e-3) {
    return text('fastPath.framesHold', secondsText(lame ? net : gross), secondsText(decoded));
  }
  return undefined;
}

async function wavReason(
  input: LosslessInput,
  expected: FastPathExpected,
): Promise<Text | undefined> {
  const info = await parseWav(input);
  if (info.container === 'RIFX') {
    return text('fastPath.rifx');
  }
  const f = info.format;
  const params = paramsReason('header', f.sampleRate, f.channels, expected);
  if (params || expected.durationSec === undefined) return params;
  const held = info.dataSize / f.blockAlign / f.sampleRate;
  if (Math.abs(held - expected.durationSec) > WAV_SLACK_SEC + 1 / f.sampleRate) {
    return text('fastPath.dataHolds', secondsText(held), secondsText(expected.durationSec));
  }
  return undefined;
}

function paramsReason(
  what: 'frames' | 'header',
  rate: number,
  channels: number,
  expected: FastPathExpected,
): Text | undefined {
  if (rate !== expected.sampleRate) {
    const key = what === 'frames' ? 'fastPath.framesRate' : 'fastPath.headerRate';
    return text(key, khzText(rate), khzText(expected.sampleRate));
  }
  if (channels !== expected.channels) {
    const key = what === 'frames' ? 'fastPath.framesChannels' : 'fastPath.headerChannels';
    return text(key, channelText(channels), channelText(expected.channels));
  }
  return undefined;
}

/**
 * How far a header's length may lie from ffprobe's and still be the same statement: an MP4's
 * `mdhd` counts the encoder's priming that ffprobe's edit list leaves out (2112 samples, 48 ms
 * at 44.1 kHz), an Opus header's pre-skip is a few ms.
 */
const HEADER_SLACK_SEC = 0.1;

/** What a file's own tables hold (`lengthHeld`). */
export interface HeldLength {
  /**
   * The sample frames ffmpeg 5.1 decodes it to, when the tables say exactly (an MP3's frames
   * less the delay and padding its LAME tag announces, a WAV's data chunk, FLAC's STREAMINFO,
   * an Ogg stream's last granule less Opus's pre-skip); undefined for AAC in MP4, whose decoder
   * keeps the last frame's padding that the tables leave out.
   */
  samples?: number;
}

/**
 * Whether the file's own tables hold the length ffprobe stated, in one format, so that a
 * re-encode may be planned on them before the decode check has measured it
 * (`AudioInfo.lengthHeld`): an MP3's frames (scanned whole: one stream, one frame either way of
 * the stated length, as the zero-copy check compares), a WAV's data chunk, and for FLAC, Ogg
 * and MP4 a header that states the same codec, rate, channels and length, in one stream (not
 * an Ogg chain, not an MP4 track of two sample descriptions). Undefined for a file ffprobe saw
 * cut short, one read with input options or without a stated length, and any other. Never
 * throws but for a cancellation.
 */
export async function lengthHeld(
  input: LosslessInput,
  info: Pick<
    AudioInfo,
    'container' | 'codec' | 'sampleRate' | 'channels' | 'durationSec' | 'statedSec'
  > &
    Partial<Pick<AudioInfo, 'cutShort' | 'inputArgs'>>,
  opts: { signal?: AbortSignal } = {},
): Promise<HeldLength | undefined> {
  if (info.cutShort || info.inputArgs || info.statedSec === undefined) return undefined;
  const expected = {
    sampleRate: info.sampleRate,
    channels: info.channels,
    durationSec: info.durationSec,
  };
  if (info.container === 'mp3' && info.codec === 'mp3') return mp3Held(input, expected, opts);
  if (info.container === 'wav' && info.codec.startsWith('pcm_')) {
    if (!(await checkFastPath('wav', input, expected, opts)).ok) return undefined;
    const wav = await parseWav(input);
    return { samples: wav.dataSize / wav.format.blockAlign };
  }
  const header = await readHeader(input.blob);
  const same =
    header !== undefined &&
    header.uniform !== false &&
    header.codec === info.codec &&
    header.sampleRate === info.sampleRate &&
    header.channels === info.channels &&
    header.durationSec !== undefined &&
    Math.abs(header.durationSec - info.durationSec) <= HEADER_SLACK_SEC;
  if (!same) return undefined;
  if (info.codec === 'aac') return {};
  return { samples: Math.round(header.durationSec! * header.sampleRate) };
}

/** An MP3 whose frames hold its stated length: what they decode to, exactly. */
async function mp3Held(
  input: LosslessInput,
  expected: FastPathExpected & { durationSec: number },
  opts: { signal?: AbortSignal },
): Promise<HeldLength | undefined> {
  let scan: Awaited<ReturnType<typeof scanMp3>>;
  try {
    scan = await scanMp3(input, opts);
  } catch (err) {
    if (err instanceof SeamError && !(err instanceof JoinCanceledError)) return undefined;
    throw err;
  }
  const h = scan.header;
  if (h.sampleRate !== expected.sampleRate || channelCount(h) !== expected.channels)
    return undefined;
  // A last frame cut off decodes or not as the decoder sees fit.
  if (scan.cutFrame) return undefined;
  const { gross, net, lame } = framesHold(scan);
  const stated = expected.durationSec * h.sampleRate;
  // ffprobe states the frames' whole length, or the tag's net one: one frame either way.
  if (stated > gross + h.samplesPerFrame || stated < net - h.samplesPerFrame) return undefined;
  return { samples: lame ? net : gross };
}

/**
 * Samples an MP3's frames hold: all of them (`gross`), and less the encoder delay and padding
 * its LAME tag announces (`net`, what decoders give when the tag is there, and only then).
 */
function framesHold(scan: Awaited<ReturnType<typeof scanMp3>>): {
  gross: number;
  net: number;
  lame: boolean;
} {
  const gross = scan.frameCount * scan.header.samplesPerFrame;
  const tag = scan.vbrTag?.lame ? scan.vbrTag : undefined;
  return { gross, net: gross - (tag?.delay ?? 0) - (tag?.padding ?? 0), lame: tag !== undefined };
}
