/**
 * Whether a re-encode may start before a track's decode check (issue 20 item 1): the file's own
 * tables must hold the length ffprobe stated, in one format (lib/lossless/check.ts
 * `lengthHeld`). Real files made by native ffmpeg, probed by native ffprobe through Seam's own
 * reader (parseProbe); each "held" file is decoded natively to show its stated length is what
 * plays, and each file that is not held is one whose stated length or format a re-encode
 * could not plan on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AudioInfo } from '@/lib/core/track';
import { lengthHeld, type HeldLength } from '@/lib/lossless';
import { parseProbe } from '@/lib/media/probe';
import { copyInfo } from '@/lib/engine/probe';
import { decodedDuration, sampleCount } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';

const tmp = mkdtempSync(join(tmpdir(), 'seam-held-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Seconds of a tone made by native ffmpeg with these output arguments. */
function made(name: string, args: string[], seconds = 3.5, freq = 500): string {
  const path = join(tmp, name);
  execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `sine=frequency=${freq}:sample_rate=44100:duration=${seconds}`, ...args, path],
  ]);
  return path;
}

/** What Seam's probe stores of `path`: native ffprobe's JSON through Seam's parser. */
function probed(path: string): AudioInfo {
  const json = execFileSync('ffprobe', [
    ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'],
    ...['-show_chapters', path],
  ]).toString();
  const bytes = readFileSync(path);
  return parseProbe(json, { id: 't', name: path, size: bytes.length }, '');
}

async function held(path: string, info = probed(path)): Promise<boolean> {
  return (await heldLength(path, info)) !== undefined;
}

function heldLength(path: string, info = probed(path)): Promise<HeldLength | undefined> {
  return lengthHeld({ id: 't', name: path, blob: new Blob([readFileSync(path)]) }, info);
}

describe('lengthHeld: a re-encode may plan on the stated length', () => {
  it.each([
    ['MP3 CBR with an Info/LAME header', () => fixture('tone-440-2s-44100-stereo.mp3')],
    ['MP3 behind an ID3v2 tag with a cover', () => fixture('with-tags-and-cover.mp3')],
    ['MP3 VBR (Xing)', () => made('vbr.mp3', ['-ac', '2', '-c:a', 'libmp3lame', '-q:a', '4'])],
    [
      'MP3 CBR without a Xing header',
      () => made('bare.mp3', ['-c:a', 'libmp3lame', '-b:a', '96k', '-write_xing', '0']),
    ],
    ['WAV 48 kHz stereo', () => fixture('stereo-48000.wav')],
    ['WAV 24-bit', () => made('s24.wav', ['-c:a', 'pcm_s24le'])],
    ['FLAC 96 kHz', () => fixture('stereo-96000.flac')],
    ['Ogg Opus', () => fixture('opus-48000.opus')],
    ['Ogg Vorbis 32 kHz', () => fixture('vorbis-32000.ogg')],
    ['M4A (AAC)', () => fixture('aac-44100-stereo.m4a')],
    ['M4A with moov in front', () => made('fast.m4a', ['-c:a', 'aac', '-movflags', '+faststart'])],
    ['MP3 VBR 22.05 kHz mono', () => made('v22.mp3', ['-ar', '22050', '-c:a', 'libmp3lame'], 61.7)],
    ['MP3 48 kHz, a minute', () => made('m48.mp3', ['-ar', '48000', '-b:a', '192k'], 61.7)],
    ['FLAC, a minute', () => made('m.flac', ['-c:a', 'flac'], 61.7)],
    ['Vorbis, a minute', () => made('m.ogg', ['-c:a', 'libvorbis'], 61.7)],
    ['Opus from 44.1 kHz, a minute', () => made('m.opus', ['-c:a', 'libopus'], 61.7)],
  ])('%s: held, and the samples it says are what decodes', async (_, path) => {
    const file = path();
    const info = probed(file);
    const length = await heldLength(file, info);
    expect(length).toBeDefined();
    const decoded = await sampleCount(file, { rate: info.sampleRate });
    if (info.codec === 'aac') {
      // AAC's decoder keeps the last frame's padding the edit list leaves out: no count, and
      // ffprobe's length within the output check's slack (lib/plan/output-check.ts).
      expect(length!.samples).toBeUndefined();
      expect(Math.abs(decoded.samples / info.sampleRate - info.durationSec)).toBeLessThan(0.06);
    } else {
      // Exact: a re-encode in parts leaves the tracks before its part out on this count.
      expect(length!.samples).toBe(decoded.samples);
    }
  });

  it('refuses MP3s joined with cat: the second file’s Xing frame and delays sit in the audio', async () => {
    const a = made('a.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k'], 3, 440);
    const b = made('b.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k'], 3, 660);
    const cat = join(tmp, 'cat.mp3');
    writeFileSync(cat, Buffer.concat([readFileSync(a), readFileSync(b)]));
    const info = probed(cat);
    // ffprobe states 6.09 s from the file's size; 6.04 s plays: the frames do not say which.
    expect(Math.abs((await decodedDuration(cat)) - info.durationSec)).toBeGreaterThan(0.04);
    expect(await held(cat, info)).toBe(false);
  });

  it('refuses an MP3 whose format changes midway', async () => {
    const a = made('r44.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0'], 2);
    const b = made('r48.mp3', ['-c:a', 'libmp3lame', '-ar', '48000', '-write_xing', '0'], 2);
    const cat = join(tmp, 'rates.mp3');
    writeFileSync(cat, Buffer.concat([readFileSync(a), readFileSync(b)]));
    expect(await held(cat)).toBe(false);
  });

  it('refuses a VBR MP3 without a Xing header: ffprobe’s length is a guess', async () => {
    const file = made('vbr-bare.mp3', ['-c:a', 'libmp3lame', '-q:a', '9', '-write_xing', '0'], 8);
    const info = probed(file);
    // The guess from the first frame's bitrate is seconds away from what plays.
    expect(Math.abs((await decodedDuration(file)) - info.durationSec)).toBeGreaterThan(0.1);
    expect(await held(file, info)).toBe(false);
  });

  it('refuses a chained Ogg file, whose second link may differ in format', async () => {
    const a = made('a.ogg', ['-c:a', 'libvorbis', '-ac', '1'], 2);
    const b = made('b.ogg', ['-c:a', 'libvorbis', '-ac', '2'], 2);
    const chain = join(tmp, 'chain.ogg');
    writeFileSync(chain, Buffer.concat([readFileSync(a), readFileSync(b)]));
    expect(await held(chain)).toBe(false);
  });

  it('refuses what ffprobe saw cut short, a file read with input options, or no stated length', async () => {
    const file = fixture('tone-440-2s-44100-stereo.mp3');
    const info = probed(file);
    expect(await held(file, { ...info, cutShort: true })).toBe(false);
    expect(await held(file, { ...info, inputArgs: ['-f', 's16be'] })).toBe(false);
    const rest: AudioInfo = { ...info };
    delete rest.statedSec;
    expect(await held(file, rest)).toBe(false);
  });

  it('refuses a FLAC whose STREAMINFO says another length than ffprobe', async () => {
    const file = fixture('stereo-96000.flac');
    const info = probed(file);
    expect(await held(file, { ...info, durationSec: info.durationSec + 1 })).toBe(false);
  });
});

describe('a copy of held files needs no second read of them', () => {
  it.each([
    ['MP3 CBR', () => fixture('tone-440-2s-44100-stereo.mp3')],
    ['MP3 VBR (Xing)', () => made('vbr2.mp3', ['-ac', '2', '-c:a', 'libmp3lame', '-q:a', '4'])],
    ['WAV 48 kHz stereo', () => fixture('stereo-48000.wav')],
  ])('%s: the zero-copy check a copy asks for is what reading the file says', async (_, path) => {
    const file = path();
    const info = probed(file);
    const blob = new Blob([readFileSync(file)]);
    expect(await heldLength(file, info)).toBeDefined();
    const track = { id: 't', name: file };
    // Read: the file scanned whole. Held: taken from the probe's own reading of it.
    const read = await copyInfo(track, blob, info);
    expect(read.fastPath).toEqual({ ok: true });
    const fromProbe = await copyInfo(track, new Blob(['not audio']), { ...info, lengthHeld: true });
    expect(fromProbe.fastPath).toEqual(read.fastPath);
    // Not held: the file is read (and this one is not audio at all).
    const unread = await copyInfo(track, new Blob(['not audio']), info);
    expect(unread.fastPath?.ok).toBe(false);
  });
});
