/**
 * The engine's side of an exact lossless MP3 join (lib/lossless/mp3/seams.ts): decodes the few
 * frames around a join and encodes them again with LAME, each as a short task in ffmpeg.wasm
 * (./task.ts). Only those frames go to the engine, as small Blobs. Offscreen document (Chrome),
 * background page (Firefox).
 */
import { JoinFailedError } from '@/lib/core/errors';
import { text, type Text } from '@/lib/core/i18n';
import type { Mp3Encoding, Mp3JunctionCoder } from '@/lib/lossless/mp3/seams';
import type { TaskRunner } from './task';

const QUIET = ['-hide_banner', '-loglevel', 'error', '-nostats'];

/** ffmpeg's arguments to decode MP3 frames (no tag) to interleaved float PCM, nothing skipped. */
export function decodeArgs(input: string, output: string, enc: Mp3Encoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'mp3', '-i', input, '-map', '0:a:0'],
    ...['-ac', String(enc.channels), '-f', 'f32le', output],
  ];
}

/** ffmpeg's arguments to encode interleaved float PCM to MP3 as the inputs were encoded. */
export function encodeArgs(input: string, output: string, enc: Mp3Encoding): string[] {
  return [
    ...QUIET,
    ...['-f', 'f32le', '-ar', String(enc.sampleRate), '-ac', String(enc.channels), '-i', input],
    ...['-c:a', 'libmp3lame'],
    ...(enc.bitrate ? ['-b:a', `${enc.bitrate}k`] : ['-q:a', String(enc.vbrQuality ?? 2)]),
    ...(enc.channels === 2 ? ['-joint_stereo', enc.jointStereo ? '1' : '0'] : []),
    ...['-id3v2_version', '0', '-write_id3v1', '0', '-f', 'mp3', output],
  ];
}

/** The junction coder on an engine: one task per decode or encode. */
export function engineMp3Coder(runner: TaskRunner): Mp3JunctionCoder {
  return {
    decode: (frames, enc) =>
      runner.task([{ name: 'in.mp3', blob: frames }], async (t) => {
        const out = t.scratch('out.raw');
        const { code, log } = await t.run('ffmpeg', decodeArgs(t.path('in.mp3'), out, enc));
        const bytes = await t.readBytes(out);
        if (code !== 0 || !bytes) throw new JoinFailedError(failure('decode', log));
        return new Float32Array(await bytes.arrayBuffer());
      }),
    encode: (pcm, enc) =>
      runner.task([{ name: 'in.raw', blob: new Blob([pcm.slice()]) }], async (t) => {
        const out = t.scratch('out.mp3');
        const { code, log } = await t.run('ffmpeg', encodeArgs(t.path('in.raw'), out, enc));
        const bytes = await t.readBytes(out);
        if (code !== 0 || !bytes) throw new JoinFailedError(failure('encode', log));
        return new Uint8Array(await bytes.arrayBuffer());
      }),
  };
}

/** Why a join's frames could not be decoded or encoded, with ffmpeg's last line as it wrote it. */
function failure(step: 'decode' | 'encode', log: string[]): Text {
  const last = log.filter((l) => l.trim()).slice(-1)[0];
  if (step === 'decode')
    return last ? text('engine.joinDecodeSaid', last) : text('engine.joinDecode');
  return last ? text('engine.joinEncodeSaid', last) : text('engine.joinEncode');
}
