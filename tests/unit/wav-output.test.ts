import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extensibleFmt,
  parseWav,
  rewriteWavHeader,
  wavHeader as headerFor,
  type PcmFormat,
} from '@/lib/containers/wav';

const wavHeader = (f: PcmFormat, dataSize: number) => headerFor(extensibleFmt(f), dataSize);
/** Where a WAV's samples start, by the one WAV reader. */
const dataOffsetOf = async (bytes: Uint8Array) =>
  (await parseWav({ id: 'x', name: 'x.wav', blob: new Blob([new Uint8Array(bytes)]) })).dataOffset;

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seam-wav-out-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A WAV as ffmpeg's muxer writes it for `channels` channels at `rate`. */
async function ffmpegWav(name: string, channels: number, rate: number): Promise<string> {
  const path = join(dir, name);
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=440:r=${rate}:d=0.5`],
    ...[
      '-ac',
      String(channels),
      '-c:a',
      'pcm_s16le',
      '-fflags',
      '+bitexact',
      '-flags:a',
      '+bitexact',
      path,
    ],
  ]);
  return path;
}

const warnings = async (path: string) =>
  (await run('ffmpeg', ['-nostdin', '-v', 'warning', '-i', path, '-f', 'null', '-'])).stderr.trim();

describe(
  'WAV output: an extensible header with a channel mask, RF64 past 4 GiB',
  { timeout: 60_000 },
  () => {
    it.each([
      [1, 8000],
      [2, 44100],
      [2, 48000],
    ])(
      '%i channel(s) at %i Hz: native ffmpeg guesses nothing, and the samples are the same',
      async (channels, rate) => {
        const src = await ffmpegWav(`in-${channels}-${rate}.wav`, channels, rate);
        // What ffmpeg's own muxer writes makes native ffmpeg guess the speakers.
        expect(await warnings(src)).toMatch(/Guessed Channel Layout/);
        const bytes = await readFile(src);
        const out = await rewriteWavHeader(new Blob([bytes], { type: 'audio/wav' }));
        const path = join(dir, `out-${channels}-${rate}.wav`);
        await writeFile(path, new Uint8Array(await out.arrayBuffer()));
        expect(await warnings(path)).toBe('');
        const dataOffset = await dataOffsetOf(bytes);
        const written = new Uint8Array(await out.arrayBuffer());
        expect(written.subarray(written.length - (bytes.length - dataOffset))).toEqual(
          new Uint8Array(bytes.subarray(dataOffset)),
        );
        expect(out.type).toBe('audio/wav');
      },
    );

    it('a 5 GiB WAV is written as RF64 with its sizes in ds64, and ffprobe reads its length', async () => {
      const format = { codecTag: 1, channels: 2, sampleRate: 48000, bitsPerSample: 16 };
      const dataSize = 5 * 2 ** 30;
      const header = wavHeader(format, dataSize);
      expect(String.fromCharCode(...header.subarray(0, 4))).toBe('RF64');
      expect(String.fromCharCode(...header.subarray(12, 16))).toBe('ds64');
      // A sparse file: the header, then 5 GiB of (unwritten) zeros.
      const path = join(dir, 'big.wav');
      const f = await open(path, 'w');
      await f.write(header, 0, header.length, 0);
      await f.truncate(header.length + dataSize);
      await f.close();
      const { stdout } = await run('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'format=duration:stream=channels,sample_rate',
        '-of',
        'json',
        path,
      ]);
      const probe = JSON.parse(stdout) as {
        format: { duration: string };
        streams: { channels: number }[];
      };
      expect(Number(probe.format.duration)).toBeCloseTo(dataSize / (48000 * 4), 1);
      expect(probe.streams[0]!.channels).toBe(2);
      expect(await dataOffsetOf(header)).toBe(header.length);
    });

    it('stays RIFF under 4 GiB', () => {
      const header = wavHeader(
        { codecTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 },
        1000,
      );
      expect(String.fromCharCode(...header.subarray(0, 4))).toBe('RIFF');
      expect(header.length).toBe(68);
    });
  },
);
