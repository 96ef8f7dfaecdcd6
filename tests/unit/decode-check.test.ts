/**
 * The decode check's rules on real files (tests/fixtures/corpus), run with native ffmpeg 5.1:
 * the same ffmpeg line as ffmpeg.wasm, and the same commands the engine runs
 * (lib/engine/probe.ts: the full decode, then all but the tail when the full one complained).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptAudioError, SeamError, TruncatedAudioError } from '@/lib/core/errors';
import { render } from '@/lib/core/i18n';
import {
  classifyLog,
  decodeCheckArgs,
  formatsIn,
  headSeconds,
  judgeDecode,
  nextRun,
  progressSamples,
  type DecodeRun,
  type DecodeRuns,
} from '@/lib/media/decode-check';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';

const CORPUS = join(__dirname, '..', 'fixtures', 'corpus');
const verdicts = JSON.parse(readFileSync(join(CORPUS, 'verdicts.json'), 'utf8')) as Record<
  string,
  { sampleRate: number; durationSec: number | null; decodedSamples: number }
>;
let tmp: string;

beforeAll(() => {
  requireNativeFfmpeg();
  tmp = mkdtempSync(join(tmpdir(), 'seam-decode-check-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function decode(file: string, rate: number, limitSec?: number): DecodeRun {
  const progress = join(tmp, 'progress.txt');
  const args = decodeCheckArgs(join(CORPUS, file), progress, {
    sampleRate: rate,
    ...(limitSec ? { limitSec } : {}),
  });
  // One decoder thread, as in ffmpeg.wasm: the error lines are then the same on every run.
  const run = spawnSync('ffmpeg', ['-nostdin', '-threads', '1', ...args], { encoding: 'utf8' });
  const samples = progressSamples(readFileSync(progress, 'utf8')) ?? 0;
  return { samples, log: run.stderr.split('\n').filter((l) => l.trim() !== '') };
}

/** What the engine does: a full decode, a second of all but the tail if needed, the verdict. */
function check(file: string) {
  const v = verdicts[file]!;
  const runs: DecodeRuns = { full: decode(file, v.sampleRate) };
  for (let next = nextRun(runs, v.sampleRate); next; next = nextRun(runs, v.sampleRate))
    runs[next.name] = decode(file, v.sampleRate, next.seconds);
  const full = runs.full;
  const track = { id: file, name: file.split('/').pop()! };
  const info = {
    sampleRate: v.sampleRate,
    ...(v.durationSec ? { statedSec: v.durationSec } : {}),
  };
  return { v, full, verdict: () => judgeDecode(track, info, runs) };
}

function refusal(run: () => unknown): SeamError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SeamError);
    return err as SeamError;
  }
  throw new Error('judgeDecode did not throw');
}

describe('decodeCheckArgs', () => {
  it('counts samples as bytes of 8-bit mono at the probed rate, not from timestamps', () => {
    const args = decodeCheckArgs('/in/a', '/p.txt', {
      sampleRate: 8000,
      limitSec: 1.5,
      inputArgs: ['-f', 's16be'],
    });
    expect(args).toEqual([
      ...['-hide_banner', '-loglevel', 'level+verbose', '-nostats'],
      ...['-f', 's16be', '-t', '1.5', '-i', '/in/a'],
      ...['-map', '0:a:0', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_u8'],
      ...['-progress', '/p.txt', '-f', 'u8', '-y', '/dev/null'],
    ]);
  });

  it.each([
    // WMA's timestamps start at 64 ms: counted from them, the length came out doubled.
    'tinytag/silence.wma',
    'music-metadata/matroska/no-duration.webm',
    // Channels change midway: ffmpeg's filters restart there, and so would a count by timestamp.
    'flac-test-files/uncommon/02_-_increasing_number_of_channels.flac',
  ])('gives the exact sample count of %s', (file) => {
    const { v, full } = check(file);
    expect(full.samples).toBe(v.decodedSamples);
  });
});

describe('judgeDecode on the corpus', () => {
  it.each([
    ['music-metadata/a_kind_of_magic.flac', 'an ID3v1 tag after the FLAC frames'],
    ['mediabunny/vorbis-eos.ogg', 'an Ogg end-of-stream quirk'],
    ['taglib/tagged.wv', 'an APE tag after WavPack blocks'],
  ])('accepts %s (%s) with a note: its only complaint is at the very end', (file) => {
    const { verdict } = check(file);
    const v = verdict();
    expect(v.notes.map(render)).toContain(
      'ends with a moment that does not decode cleanly; the rest is whole',
    );
  });

  it.each([
    ['music-metadata/id3-multi-01.mp3', 'has a damaged tag, which is ignored'],
    ['taglib/empty.aiff', 'ends with an incomplete sample, which is left out'],
    [
      'flac-test-files/uncommon/11_-_file_starting_with_unparsable_data.flac',
      'starts with data that is not audio, which is skipped',
    ],
    [
      'taglib/invalid-frames3.mp3',
      'starts with a frame that needs audio from before the file began (a moment of silence)',
    ],
  ])('accepts %s: "%s"', (file, note) => {
    expect(check(file).verdict().notes.map(render)).toContain(note);
  });

  it.each([
    'mutagen/bad-TYER-frame.mp3',
    'music-metadata/flac/test-unknown-duration.flac',
    'music-metadata/aiff/Fnonull.aif',
  ])('accepts %s as it is, without a note', (file) => {
    const { v, verdict } = check(file);
    const out = verdict();
    expect(out.notes).toEqual([]);
    expect(out.samples).toBe(v.decodedSamples);
  });

  it.each([
    ['music-metadata/mp4/issue-127.m4b', /^The file is cut short: none of the 4:22:07 /],
    ['file-type/fixture2.mkv', /^The file is cut short: it holds 1.7 s of the 18:52 /],
    ['music-metadata/incomplete.mp3', /^The file is cut short: it holds 49.2 s of the 1:02 /],
  ])('refuses %s as cut short', (file, message) => {
    const err = refusal(check(file).verdict);
    expect(err).toBeInstanceOf(TruncatedAudioError);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/\.$/);
  });

  it.each([
    'mediabunny/malformed-join.mp3',
    // Every frame after the change fails, so the failures look like an end: too many for one.
    'flac-test-files/uncommon/04_-_changing_bitdepth.flac',
    // Its failures are all at the start, but only 0.13 s of the 1.4 s it announces decodes.
    'lofty/minimal/mp4_codec_als.mp4',
  ])('refuses %s: damaged before its end, in words', (file) => {
    const err = refusal(check(file).verdict);
    expect(err).toBeInstanceOf(CorruptAudioError);
    expect(err.message).toMatch(/^The audio is damaged: part of it cannot be decoded \(ffmpeg/);
    expect(err.message).not.toMatch(/object Object|\(\w[A-Z]/);
  });

  it('refuses a file that decodes to nothing and states no length', () => {
    const err = refusal(() =>
      judgeDecode(
        { id: 'a', name: 'a.ogg' },
        { sampleRate: 8000 },
        { full: { samples: 0, log: [] } },
      ),
    );
    expect(err).toBeInstanceOf(CorruptAudioError);
    expect(err.message).toBe('No audio in it can be decoded.');
  });
});

describe('classifyLog', () => {
  it('keeps tag trouble, a partial last sample and a restated error apart from damage', () => {
    const sorted = classifyLog([
      '[mp3 @ 0x1] Cannot read BOM value, input too short',
      '[mp3 @ 0x1] Error reading frame TENC, skipped',
      'Last message repeated 2 times',
      '[pcm_s16le @ 0x2] Invalid PCM packet, data has size 1 but at least a size of 2 was expected',
      '[flac @ 0x3] frame CRC mismatch',
      'Error while decoding stream #0:0: Invalid data found when processing input',
    ]);
    expect(sorted.tags).toHaveLength(2);
    expect(sorted.partialSample).toHaveLength(1);
    expect(sorted.damage).toEqual([
      'frame CRC mismatch',
      'Error while decoding stream #0:0: Invalid data found when processing input',
    ]);
  });

  it('decodes all but the last tenth, at most half a second and at least 20 ms', () => {
    expect(headSeconds(2)).toBe(1.8);
    expect(headSeconds(60)).toBe(59.5);
    expect(headSeconds(0.1)).toBe(0.08);
    expect(headSeconds(0.01)).toBeUndefined();
  });
});

describe('formatsIn', () => {
  it.each([
    [
      'flac-test-files/uncommon/02_-_increasing_number_of_channels.flac',
      ['mono s16 44100', 'stereo s16 44100', '5.1(side) s16 44100'],
    ],
    ['taglib/sinewave.flac', ['stereo s16 44100']],
  ])('lists each format the decoded stream takes on (%s)', (file, want) => {
    const run = decode(file, verdicts[file]!.sampleRate);
    expect(formatsIn(run.log).map((f) => `${f.layout} ${f.sampleFormat} ${f.sampleRate}`)).toEqual(
      want,
    );
  });

  it.each([
    ['cat-44100-then-48000.mp3', ['48000', '44100', '48000']],
    ['cat-stereo-then-mono.mp3', ['stereo', 'mono']],
  ])('finds the change in an MP3 made with cat (%s)', (file, want) => {
    const progress = join(tmp, 'progress.txt');
    const args = decodeCheckArgs(join(__dirname, '..', 'fixtures', file), progress, {
      sampleRate: 44100,
    });
    const run = spawnSync('ffmpeg', ['-nostdin', '-threads', '1', ...args], { encoding: 'utf8' });
    const formats = formatsIn(run.stderr.split('\n'));
    expect(formats.map((f) => (file.includes('mono') ? f.layout : String(f.sampleRate)))).toEqual(
      want,
    );
  });

  it('judges only error lines of a tagged log, with their repeats', () => {
    const sorted = classifyLog([
      '[flac @ 0x1] [verbose] something at verbose',
      '    Last message repeated 3 times',
      '[flac @ 0x1] [warning] number of channels change detected',
      '[flac @ 0x1] [error] decode_frame() failed',
      '    Last message repeated 2 times',
      '[error] Error while decoding stream #0:0: Invalid data found when processing input',
    ]);
    expect(sorted.damage).toEqual([
      'decode_frame() failed',
      'Last message repeated 2 times',
      'Error while decoding stream #0:0: Invalid data found when processing input',
    ]);
  });
});
