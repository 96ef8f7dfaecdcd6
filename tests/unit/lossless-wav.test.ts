import { execFileSync } from 'node:child_process';
import { describe, expect, it, beforeAll, vi } from 'vitest';
import { JoinCanceledError, SeamError, UnsupportedAudioError } from '@/lib/core/errors';
import {
  canJoinLosslessly,
  joinWav,
  losslessKind,
  parseWav,
  type LosslessInput,
} from '@/lib/lossless';
import { concat } from '@/lib/core/bytes';
import { probeAudio, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';
import { fixtureBytes, losslessInput as input, tempFolder, type Bytes } from './support/files';

beforeAll(requireNativeFfmpeg);
// Each test runs native ffmpeg a few times: on two busy cores that can pass the 5 s default.
vi.setConfig({ testTimeout: 30_000 });
const bytes = (name: string) => fixtureBytes(`lossless/${name}`);
const temp = tempFolder('lossless-wav');
const writeTemp = (blob: Blob) => temp.write(blob, 'wav');

async function blobBytes(blob: Blob): Promise<Bytes> {
  return new Uint8Array(await blob.arrayBuffer());
}

/** The samples as ffmpeg's WAV demuxer delivers them, raw, in the file's own sample format. */
function ffmpegSamples(file: string, codec: string): Buffer {
  return execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-map', '0:a', '-c', 'copy', '-f', codec.replace('pcm_', ''), '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

async function dataOf(i: LosslessInput): Promise<Bytes> {
  const info = await parseWav(i);
  return blobBytes(i.blob.slice(info.dataOffset, info.dataOffset + info.dataSize));
}

const cases: Array<[string, string[], number]> = [
  [
    'PCM, one with a LIST chunk before data',
    ['s16-11025-stereo.wav', 'wav-with-list-chunk.wav'],
    44,
  ],
  [
    'streamed (size 0xFFFFFFFF), RF64 and plain',
    ['streamed-size-ffffffff.wav', 'rf64-s16-11025-stereo.wav', 's16-11025-stereo.wav'],
    44,
  ],
  ['a truncated download last', ['s16-11025-stereo.wav', 'truncated-s16-11025-stereo.wav'], 44],
  [
    '24-bit WAVE_FORMAT_EXTENSIBLE',
    ['s24-8000-mono-extensible.wav', 's24-8000-mono-extensible-b.wav'],
    68,
  ],
  // Float with tag 3 first: 18-byte fmt plus a fact chunk.
  ['float, plain and extensible', ['f32-8000-mono.wav', 'f32-8000-mono-extensible.wav'], 58],
  [
    '8-bit with an odd number of samples',
    ['u8-8000-mono-odd-length.wav', 'u8-8000-mono-odd-length.wav', 'u8-8000-mono-odd-length.wav'],
    44,
  ],
];

describe('joinWav', () => {
  it.each(cases)('%s: header plus the inputs’ data, byte for byte', async (_, names, header) => {
    const inputs = names.map((n) => input(n));
    const out = await joinWav(inputs);
    const info = await parseWav({ id: 'out', name: 'out.wav', blob: out });
    const expected = concat(await Promise.all(inputs.map(dataOf)));

    expect(info.dataOffset).toBe(header);
    expect(info.dataSize).toBe(expected.length);
    expect(info.truncated).toBe(false);
    expect(info.declaredDataSize).toBe(expected.length);
    expect(await blobBytes(out.slice(header, header + expected.length))).toEqual(expected);
    // RIFF size covers everything after its own field, including the pad byte of odd data.
    const riff = new DataView(await out.slice(4, 8).arrayBuffer()).getUint32(0, true);
    expect(riff).toBe(out.size - 8);
    expect(out.size).toBe(header + expected.length + (expected.length & 1));
    const first = await parseWav(inputs[0]!);
    expect(info.format).toEqual(first.format);
  });

  it.each(cases)(
    '%s: ffmpeg decodes the summed duration and identical samples',
    async (_, names) => {
      const inputs = names.map((n) => input(n));
      const out = await writeTemp(await joinWav(inputs));
      const probed = await probeAudio(out);
      const infos = await Promise.all(inputs.map((i) => parseWav(i)));
      const frames = infos.reduce((n, i) => n + i.dataSize / i.format.blockAlign, 0);
      expect(probed.durationSec).toBeCloseTo(frames / probed.sampleRate, 4);

      // ffmpeg passes on a cut-off sample frame's stray bytes; the join keeps whole frames only.
      const expected = Buffer.concat(
        names.map((n, i) => {
          const samples = ffmpegSamples(fixture(`lossless/${n}`), probed.codec);
          const align = infos[i]!.format.blockAlign;
          return samples.subarray(0, samples.length - (samples.length % align));
        }),
      );
      const actual = ffmpegSamples(out, probed.codec);
      expect(actual.length).toBe(expected.length);
      expect(actual.equals(expected)).toBe(true);
    },
  );

  it('uses what is there of a truncated data chunk, in whole sample frames', async () => {
    const info = await parseWav(input('truncated-s16-11025-stereo.wav'));
    expect(info.truncated).toBe(true);
    expect(info.declaredDataSize).toBe(44100);
    // 30001 bytes - 44 header = 29957, rounded down to 4-byte frames.
    expect(info.dataSize).toBe(29956);
  });

  it.each([
    ['RIFF and data sizes of 0', 0, 0, 44100],
    ['data size 0xFFFFFFFF', 0xffffffff, 0xffffffff, 44100],
  ])('reads a streamed file with %s to the end', async (_, riffSize, dataSize, expected) => {
    const file = bytes('s16-11025-stereo.wav').slice();
    const v = new DataView(file.buffer);
    v.setUint32(4, riffSize, true);
    v.setUint32(40, dataSize, true);
    const info = await parseWav(input('streamed.wav', [file]));
    expect(info.dataSize).toBe(expected);
    expect(info.declaredDataSize).toBeUndefined();
  });

  it('treats a data size of 0 followed by another chunk as empty', async () => {
    const file = bytes('s16-11025-stereo.wav').slice(0, 44);
    new DataView(file.buffer).setUint32(40, 0, true);
    const list = Uint8Array.from('LIST\x04\x00\x00\x00INFO', (c) => c.charCodeAt(0));
    const info = await parseWav(input('empty-data.wav', [file, list]));
    expect(info.dataSize).toBe(0);
    const out = await joinWav([
      input('s16-11025-stereo.wav'),
      input('empty-data.wav', [file, list]),
    ]);
    expect(out.size).toBe(44 + 44100);
  });

  it('skips an odd-sized chunk and its pad byte before data', async () => {
    const plain = bytes('s16-11025-stereo.wav');
    const odd = Uint8Array.from('junk\x03\x00\x00\x00abc\x00', (c) => c.charCodeAt(0));
    const file = concat([plain.subarray(0, 36), odd, plain.subarray(36)]);
    new DataView(file.buffer).setUint32(4, file.length - 8, true);
    const info = await parseWav(input('odd-chunk.wav', [file]));
    expect(info.dataOffset).toBe(44 + odd.length);
    expect(info.dataSize).toBe(44100);
  });

  it('reports progress per input up to 1', async () => {
    const progress: number[] = [];
    await joinWav([input('s16-8000-mono.wav'), input('s16-8000-mono.wav')], {
      onProgress: (f) => progress.push(f),
    });
    expect(progress).toEqual([0.5, 1]);
  });
});

describe('joinWav errors', () => {
  it.each([
    ['rate and channels', 's16-8000-mono.wav', /16-bit PCM, 8000 Hz, 1 channel.*11025 Hz, 2/],
    ['sample format', 'f32-8000-mono.wav', /32-bit float/],
  ])('refuses inputs that differ in %s, naming the input', async (_, other, message) => {
    const err = await joinWav([input('s16-11025-stereo.wav'), input(other)]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnsupportedAudioError);
    expect((err as SeamError).trackName).toBe(other);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a file that is not a WAV', async () => {
    const err = await joinWav([input('png-renamed.mp3')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedAudioError);
    expect((err as SeamError).trackName).toBe('png-renamed.mp3');
  });

  it('refuses a WAV whose samples are not PCM', async () => {
    const file = bytes('s16-11025-stereo.wav').slice();
    new DataView(file.buffer).setUint16(20, 0x55, true); // MPEG Layer 3 in WAV
    await expect(parseWav(input('mp3-in-wav.wav', [file]))).rejects.toThrow(/0x0055/);
  });

  it('writes a join over 4 GiB as RF64, its sizes in ds64', async () => {
    const header = bytes('s16-11025-stereo.wav').slice(0, 44);
    const size = 3 * 2 ** 30;
    new DataView(header.buffer).setUint32(40, size, true);
    // A stand-in for a 3 GiB file: only its header is ever read.
    const huge = {
      size: 44 + size,
      slice: (start = 0, end = 44 + size) =>
        new Blob([header.subarray(Math.min(start, 44), Math.min(end, 44))]),
    } as unknown as Blob;
    const inputs = [1, 2].map((n) => ({ id: `${n}`, name: `huge-${n}.wav`, blob: huge }));
    const joined = await joinWav(inputs);
    const head = new Uint8Array(await joined.slice(0, 80).arrayBuffer());
    const v = new DataView(head.buffer);
    expect(String.fromCharCode(...head.subarray(0, 4))).toBe('RF64');
    expect(v.getUint32(4, true)).toBe(0xffffffff);
    expect(String.fromCharCode(...head.subarray(12, 16))).toBe('ds64');
    // ds64: RIFF size, data size, sample count (64-bit little-endian each).
    expect(Number(v.getBigUint64(28, true))).toBe(2 * size);
    expect(Number(v.getBigUint64(36, true))).toBe((2 * size) / 4);
    const parsed = await parseWav({ id: 'j', name: 'j.wav', blob: joined });
    expect(parsed.container).toBe('RF64');
    expect(parsed.declaredDataSize).toBe(2 * size);
  });

  it('throws JoinCanceledError when aborted', async () => {
    const before = new AbortController();
    before.abort();
    await expect(
      joinWav([input('s16-8000-mono.wav')], { signal: before.signal }),
    ).rejects.toBeInstanceOf(JoinCanceledError);

    const during = new AbortController();
    await expect(
      joinWav([input('s16-8000-mono.wav'), input('s16-8000-mono.wav')], {
        signal: during.signal,
        onProgress: () => during.abort(),
      }),
    ).rejects.toBeInstanceOf(JoinCanceledError);
  });
});

describe('losslessKind', () => {
  const mp3 = { codec: 'mp3', container: 'mp3', sampleRate: 44100, channels: 2 };
  const wav = { codec: 'pcm_s16le', container: 'wav', sampleRate: 44100, channels: 2 };
  it.each([
    ['mp3', [mp3, mp3], 'mp3'],
    ['mp3', [mp3, { ...mp3, sampleRate: 48000 }], undefined],
    ['mp3', [mp3, { ...mp3, channels: 1 }], undefined],
    ['mp3', [mp3, { ...mp3, container: 'mov,mp4,m4a,3gp,3g2,mj2' }], undefined],
    ['m4a', [mp3, mp3], undefined],
    ['wav', [wav, wav], 'wav'],
    [
      'wav',
      [
        { ...wav, codec: 'pcm_f32le' },
        { ...wav, codec: 'pcm_f32le' },
      ],
      'wav',
    ],
    ['wav', [wav, { ...wav, codec: 'pcm_s24le' }], undefined],
    ['wav', [wav, { ...wav, container: 'aiff' }], undefined],
    ['wav', [{ ...wav, codec: 'adpcm_ms' }], undefined],
    ['mp3', [wav], undefined],
    ['wav', [], undefined],
  ] as const)('%s from %j -> %s', (format, inputs, expected) => {
    expect(losslessKind(format, [...inputs])).toBe(expected);
    expect(canJoinLosslessly(format, [...inputs])).toBe(expected !== undefined);
  });
});
