/**
 * The engine's side of an exact lossless join (lib/lossless/seam-plan.ts: MP3, AAC in MP4,
 * Opus in Ogg): decodes the few frames around a join and encodes them again, each as a short
 * task in ffmpeg.wasm (./task.ts). Only those frames go to the engine, as small Blobs.
 * Offscreen document (Chrome), background page (Firefox).
 */
import { JoinFailedError } from '@/lib/core/errors';
import { text, type Text } from '@/lib/core/i18n';
import type { Mp3Encoding, Mp3JunctionCoder } from '@/lib/lossless/mp3/seams';
import type { AacEncoding, AacJunctionCoder } from '@/lib/lossless/mp4-seams';
import type { OpusEncoding } from '@/lib/lossless/opus-seams';
import type { JunctionCoder } from '@/lib/lossless/seam-plan';
import type { TaskRunner } from './task';

const QUIET = ['-hide_banner', '-loglevel', 'error', '-nostats'];

/** ffmpeg's arguments to decode MP3 frames (no tag) to interleaved float PCM, nothing skipped. */
export function mp3DecodeArgs(input: string, output: string, enc: Mp3Encoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'mp3', '-i', input, '-map', '0:a:0'],
    ...['-ac', String(enc.channels), '-f', 'f32le', output],
  ];
}

/** ffmpeg's arguments to encode interleaved float PCM to MP3 as the inputs were encoded. */
export function mp3EncodeArgs(input: string, output: string, enc: Mp3Encoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'f32le', '-ar', String(enc.sampleRate), '-ac', String(enc.channels), '-i', input],
    ...['-c:a', 'libmp3lame'],
    ...(enc.bitrate ? ['-b:a', `${enc.bitrate}k`] : ['-q:a', String(enc.vbrQuality ?? 2)]),
    ...(enc.channels === 2 ? ['-joint_stereo', enc.jointStereo ? '1' : '0'] : []),
    ...['-id3v2_version', '0', '-write_id3v1', '0', '-f', 'mp3', output],
  ];
}

/** ffmpeg's arguments to decode AAC frames (ADTS) to interleaved float PCM, nothing skipped. */
function aacDecodeArgs(input: string, output: string, enc: AacEncoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'aac', '-i', input, '-map', '0:a:0'],
    ...['-ac', String(enc.channels), '-f', 'f32le', output],
  ];
}

/** ffmpeg's arguments to encode float PCM to AAC-LC in MP4 (native `aac`, the inputs' bitrate). */
function aacEncodeArgs(input: string, output: string, enc: AacEncoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'f32le', '-ar', String(enc.sampleRate), '-ac', String(enc.channels), '-i', input],
    ...['-c:a', 'aac', '-b:a', String(enc.bitrate), '-f', 'mp4', output],
  ];
}

/** ffmpeg's arguments to decode Opus packets (an Ogg stream) to float PCM, nothing skipped. */
function opusDecodeArgs(input: string, output: string, enc: OpusEncoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'ogg', '-i', input, '-map', '0:a:0'],
    ...['-ac', String(enc.channels), '-ar', '48000', '-f', 'f32le', output],
  ];
}

/** ffmpeg's arguments to encode float PCM to Ogg Opus (libopus, the inputs' bitrate, 20 ms). */
function opusEncodeArgs(input: string, output: string, enc: OpusEncoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'f32le', '-ar', '48000', '-ac', String(enc.channels), '-i', input],
    ...['-c:a', 'libopus', '-b:a', String(enc.bitrate), '-frame_duration', '20'],
    ...['-f', 'ogg', output],
  ];
}

/** What a codec's junction coder runs: its file names and its ffmpeg arguments. */
export interface CoderArgs<E> {
  inName: string;
  outName: string;
  decode(input: string, output: string, enc: E): string[];
  encode(input: string, output: string, enc: E): string[];
}

const MP3_ARGS: CoderArgs<Mp3Encoding> = {
  inName: 'in.mp3',
  outName: 'out.mp3',
  decode: mp3DecodeArgs,
  encode: mp3EncodeArgs,
};
export const AAC_ARGS: CoderArgs<AacEncoding> = {
  inName: 'in.aac',
  outName: 'out.m4a',
  decode: aacDecodeArgs,
  encode: aacEncodeArgs,
};
export const OPUS_ARGS: CoderArgs<OpusEncoding> = {
  inName: 'in.ogg',
  outName: 'out.ogg',
  decode: opusDecodeArgs,
  encode: opusEncodeArgs,
};

/** A junction coder on an engine: one task per decode or encode. */
function engineCoder<E>(runner: TaskRunner, args: CoderArgs<E>): JunctionCoder<E> {
  return {
    decode: (frames, enc) =>
      runner.task([{ name: args.inName, blob: frames }], async (t) => {
        const out = t.scratch('out.raw');
        const { code, log } = await t.run('ffmpeg', args.decode(t.path(args.inName), out, enc));
        const bytes = await t.readBytes(out);
        if (code !== 0 || !bytes) throw new JoinFailedError(failure('decode', log));
        return new Float32Array(await bytes.arrayBuffer());
      }),
    encode: (pcm, enc) =>
      runner.task([{ name: 'in.raw', blob: new Blob([pcm.slice()]) }], async (t) => {
        const out = t.scratch(args.outName);
        const { code, log } = await t.run('ffmpeg', args.encode(t.path('in.raw'), out, enc));
        const bytes = await t.readBytes(out);
        if (code !== 0 || !bytes) throw new JoinFailedError(failure('encode', log));
        return new Uint8Array(await bytes.arrayBuffer());
      }),
  };
}

/** The MP3 junction coder on an engine. */
export function engineMp3Coder(runner: TaskRunner): Mp3JunctionCoder {
  return engineCoder(runner, MP3_ARGS);
}

/** The AAC junction coder on an engine. */
export function engineAacCoder(runner: TaskRunner): AacJunctionCoder {
  return engineCoder(runner, AAC_ARGS);
}

/** Why a join's frames could not be decoded or encoded, with ffmpeg's last line as it wrote it. */
function failure(step: 'decode' | 'encode', log: string[]): Text {
  const last = log.filter((l) => l.trim()).slice(-1)[0];
  if (step === 'decode')
    return last ? text('engine.joinDecodeSaid', last) : text('engine.joinDecode');
  return last ? text('engine.joinEncodeSaid', last) : text('engine.joinEncode');
}
