/**
 * Listing from JavaScript first (issue 20 item 3): a track's codec, rate, channels and length
 * read from its header, checked against native ffprobe on real files of every format Seam
 * lists this way.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHeader } from '@/lib/media/headers';
import { probeAudio } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';

const tmp = mkdtempSync(join(tmpdir(), 'seam-headers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A 3.5 s tone made by native ffmpeg with these output arguments. */
function made(name: string, args: string[]): string {
  const path = join(tmp, name);
  execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi'],
    ...['-i', 'sine=frequency=500:sample_rate=44100:duration=3.5', ...args, path],
  ]);
  return path;
}

const blobOf = (path: string) => new Blob([readFileSync(path)]);

describe('readHeader: what ffprobe will say, before it runs', () => {
  it.each([
    ['MP3 CBR with an Info/LAME header', () => fixture('tone-440-2s-44100-stereo.mp3')],
    ['MP3 mono 22.05 kHz', () => fixture('mono-22050.mp3')],
    ['MP3 behind an ID3v2 tag with a cover', () => fixture('with-tags-and-cover.mp3')],
    ['MP3 VBR (Xing)', () => made('vbr.mp3', ['-ac', '2', '-c:a', 'libmp3lame', '-q:a', '4'])],
    [
      'MP3 CBR without a Xing header (estimated from the bitrate)',
      () => made('bare.mp3', ['-c:a', 'libmp3lame', '-b:a', '96k', '-write_xing', '0']),
    ],
    ['WAV 8 kHz mono', () => fixture('mono-8000.wav')],
    ['WAV 48 kHz stereo', () => fixture('stereo-48000.wav')],
    ['WAV 24-bit', () => made('s24.wav', ['-c:a', 'pcm_s24le'])],
    ['FLAC 96 kHz', () => fixture('stereo-96000.flac')],
    ['Ogg Opus', () => fixture('opus-48000.opus')],
    ['Ogg Vorbis 32 kHz', () => fixture('vorbis-32000.ogg')],
    ['M4A (AAC)', () => fixture('aac-44100-stereo.m4a')],
    ['MP4 video with audio', () => fixture('video-with-audio.mp4')],
    ['M4A with moov in front', () => made('fast.m4a', ['-c:a', 'aac', '-movflags', '+faststart'])],
  ])('%s', async (_, path) => {
    const file = path();
    const [header, probe] = await Promise.all([readHeader(blobOf(file)), probeAudio(file)]);
    expect(header).toBeDefined();
    expect(header!.codec).toBe(probe.codec);
    expect(header!.sampleRate).toBe(probe.sampleRate);
    expect(header!.channels).toBe(probe.channels);
    // Container statements (a Xing count, an edit list, a pre-skip) differ by a frame or two.
    expect(header!.durationSec).toBeDefined();
    expect(Math.abs(header!.durationSec! - probe.durationSec)).toBeLessThan(
      Math.max(0.1, probe.durationSec * 0.02),
    );
  });

  it.each([
    ['a PNG named .mp3', 'png-named.mp3'],
    ['text named .wav', 'text-named.wav'],
    ['an empty file', 'empty.mp3'],
    ['a video without audio', 'video-no-audio.mp4'],
  ])('says nothing of %s (ffprobe gives the reason)', async (_, name) => {
    expect(await readHeader(blobOf(fixture(name)))).toBeUndefined();
  });

  it('reads a cut-short file without throwing', async () => {
    const bytes = readFileSync(fixture('aac-44100-stereo.m4a'));
    for (const cut of [10, 100, 1000, bytes.length >> 1]) {
      await expect(readHeader(new Blob([bytes.subarray(0, cut)]))).resolves.not.toThrow;
    }
  });
});
