/**
 * Lossless means lossless: the fast-path check names a stream that changes midway (files joined
 * with `cat`) and a file whose frames hold less than it decodes to; joinMp3 refuses such a file
 * by name instead of carrying part of it; and the planner's re-encode of it keeps all of it.
 * Checked against native ffmpeg's own decode (Debian's 5.1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { NotUniformError, SeamError } from '@/lib/core/errors';
import type { AudioInfo } from '@/lib/core/track';
import { render } from '@/lib/core/i18n';
import {
  checkFastPath,
  joinMp3,
  scanMp3,
  type FastPathCheck,
  type FastPathExpected,
  type LosslessInput,
} from '@/lib/lossless';
import { planJoin, type PlanTrack } from '@/lib/plan/planner';
import { defaultOutput } from '@/lib/core/settings';
import { requireNativeFfmpeg, sampleCount } from '../support/native-ffmpeg';
import { FIXTURES, fixture as path } from '../support/paths';
import { tempFolder } from './support/files';
import { decodedSec, probeFixture as probeInfo } from './support/probe';

beforeAll(requireNativeFfmpeg);
// Each test runs native ffmpeg a few times: on two busy cores that can pass the 5 s default.
vi.setConfig({ testTimeout: 30_000 });
const tmp = tempFolder('fast-path').dir;

const CAT_RATE = 'cat-44100-then-48000.mp3';
const CAT_MONO = 'cat-stereo-then-mono.mp3';

function input(name: string, parts: BlobPart[] = [readFileSync(path(name))]): LosslessInput {
  return { id: name, name, blob: new Blob(parts) };
}

/** Samples per channel a full decode yields, at the file's own (first) sample rate. */
const decodedSamples = async (file: string) => (await sampleCount(file)).samples;

/** A refusal's reason in words (English: the suite's language). */
function said(result: FastPathCheck): string | undefined {
  return result.ok ? undefined : render(result.reason);
}

function expectedOf(info: AudioInfo): FastPathExpected {
  return { sampleRate: info.sampleRate, channels: info.channels, durationSec: info.durationSec };
}

async function check(name: string) {
  const kind = name.endsWith('.wav') ? 'wav' : 'mp3';
  return checkFastPath(kind, input(name), expectedOf(probeInfo(name)));
}

describe('checkFastPath names what a lossless join would lose', () => {
  it.each([
    [CAT_RATE, /^changes sample rate from 44\.1 kHz to 48 kHz at 0:01(\.\d)?$/],
    [CAT_MONO, /^changes from stereo to mono at 0:01(\.\d)?$/],
  ])('%s (made with cat): %s', async (name, reason) => {
    const result = await check(name);
    expect(result.ok).toBe(false);
    expect(said(result)).toMatch(reason);
  });

  it.each([
    ['layer2-44100-stereo.mp2', /^changes MPEG layer from III to II at 0:02$/],
    ['mpeg2-22050-mono.mp3', /^changes MPEG version from MPEG-1 to MPEG-2 at 0:02$/],
  ])('a 2 s MP3 followed by %s: %s', async (second, reason) => {
    const parts = ['cbr-64k-44100-stereo.mp3', second].map((n) =>
      readFileSync(join(FIXTURES, 'lossless', n)),
    );
    const expected = { sampleRate: 44100, channels: 2 };
    const result = await checkFastPath('mp3', input('both.mp3', parts), expected);
    expect(said(result)).toMatch(reason);
  });

  it('an MP3 whose middle is noise: its frames hold less than it decodes to', async () => {
    const result = await check('corrupt-garbage-middle.mp3');
    expect(said(result)).toMatch(/^holds 1\.\d+ s in its frames but decodes to 2\.14 s$/);
  });

  it('a decoded length that differs: MP3 by more than a frame, WAV by more than 5 ms', async () => {
    const mp3 = { sampleRate: 44100, channels: 2, durationSec: 4 };
    expect(said(await checkFastPath('mp3', input('tone-440-2s-44100-stereo.mp3'), mp3))).toBe(
      'holds 2 s in its frames but decodes to 4 s',
    );
    const wav = { sampleRate: 8000, channels: 1, durationSec: 2.01 };
    expect(said(await checkFastPath('wav', input('mono-8000.wav'), wav))).toBe(
      'holds 2 s in its data chunk but decodes to 2.01 s',
    );
  });

  it('parameters the probe disagrees with, and a file it cannot read', async () => {
    const tone = input('tone-440-2s-44100-stereo.mp3');
    expect(said(await checkFastPath('mp3', tone, { sampleRate: 48000, channels: 2 }))).toBe(
      'has frames at 44.1 kHz but decodes at 48 kHz',
    );
    expect(said(await checkFastPath('mp3', tone, { sampleRate: 44100, channels: 1 }))).toBe(
      'has stereo frames but decodes to mono',
    );
    const png = await checkFastPath('mp3', input('png-named.mp3'), {
      sampleRate: 44100,
      channels: 2,
    });
    expect(said(png)).toMatch(/^cannot be read unchanged: no MPEG audio frames/);
  });

  const FINE = [
    'tone-440-2s-44100-stereo.mp3',
    'mono-22050.mp3',
    'with-tags-and-cover.mp3',
    'mono-8000.wav',
    'stereo-48000.wav',
    'truncated-half.wav',
    ...[
      'cbr-64k-44100-stereo.mp3',
      'cbr-64k-48000-stereo.mp3',
      'layer2-44100-stereo.mp2',
      'mpeg2-22050-mono.mp3',
      'mpeg25-8000-mono.mp3',
      'vbr-no-xing.mp3',
      'vbr-xing.mp3',
      'with-apev2-and-id3v1.mp3',
      'with-id3v1.mp3',
      'with-id3v2-and-cover.mp3',
      'with-leading-junk.mp3',
      's16-11025-stereo.wav',
      'wav-with-list-chunk.wav',
      's24-8000-mono-extensible.wav',
      'f32-8000-mono.wav',
      'u8-8000-mono-odd-length.wav',
      'streamed-size-ffffffff.wav',
      'rf64-s16-11025-stereo.wav',
      'truncated-s16-11025-stereo.wav',
    ].map((n) => `lossless/${n}`),
  ];
  it.each(FINE)('%s holds what it decodes to', async (name) => {
    expect(await check(name)).toEqual({ ok: true });
  });
});

describe('joinMp3 never outputs fewer samples than its inputs decode to (but at the joins)', () => {
  const cases: [string, string[]][] = [
    ['a tone, then a file that changes rate', ['tone-440-2s-44100-stereo.mp3', CAT_RATE]],
    ['a file that changes rate, then a tone', [CAT_RATE, 'tone-440-2s-44100-stereo.mp3']],
    ['a tone, then a file that turns mono', ['tone-440-2s-44100-stereo.mp3', CAT_MONO]],
    ['CBR, then ID3v1 tagged', ['lossless/cbr-64k-44100-stereo.mp3', 'lossless/with-id3v1.mp3']],
    ['VBR with and without Xing', ['lossless/vbr-xing.mp3', 'lossless/vbr-no-xing.mp3']],
    [
      'leading junk, then CBR',
      ['lossless/with-leading-junk.mp3', 'lossless/cbr-64k-44100-stereo.mp3'],
    ],
    ['MPEG-2.5 twice', ['lossless/mpeg25-8000-mono.mp3', 'lossless/mpeg25-8000-mono.mp3']],
    ['a cut-off download, then a tone', ['truncated-half.mp3', 'tone-660-2s-44100-stereo.mp3']],
    ['two tones', ['tone-440-2s-44100-stereo.mp3', 'tone-880-2s-44100-stereo.mp3']],
  ];
  let written = 0;

  it.each(cases)('%s', async (_, names) => {
    const joined = await joinMp3(names.map((n) => input(n))).catch((e: unknown) => e);
    if (names.some((n) => n.startsWith('cat-'))) {
      // Refused by name, never cut short.
      expect(joined).toBeInstanceOf(NotUniformError);
      const err = joined as SeamError;
      expect(err.trackName).toBe(names.find((n) => n.startsWith('cat-')));
      expect(err.message).toMatch(/^changes .* at 0:01/);
      return;
    }
    expect(joined).toBeInstanceOf(Blob);
    const out = join(tmp, `joined-${written++}.mp3`);
    writeFileSync(out, new Uint8Array(await (joined as Blob).arrayBuffer()));
    const counts = await Promise.all(names.map((n) => decodedSamples(path(n))));
    const inputs = counts.reduce((sum, n) => sum + n, 0);
    // The joins drop whole frames of encoder delay and padding (lib/lossless/junctions.ts): the
    // next track's audio starts within half a frame of where it belongs. Behind leading junk
    // native ffmpeg misses a file's LAME tag and plays its delay and padding; the join skips them.
    const scans = await Promise.all(names.map((n) => scanMp3(input(n))));
    const unread = scans.reduce(
      (sum, s, i) =>
        counts[i] === s.frameCount * s.header.samplesPerFrame && s.vbrTag?.lame
          ? sum + (s.vbrTag.delay ?? 0) + (s.vbrTag.padding ?? 0)
          : sum,
      0,
    );
    const half = scans[0]!.header.samplesPerFrame / 2;
    expect(await decodedSamples(out)).toBeGreaterThanOrEqual(inputs - half - unread);
  });
});

describe('the planner re-encodes a file the check finds unfit, and keeps all of it', () => {
  // ffprobe reads the whole of a short file and reports its last parameters: the file that
  // turns 48 kHz probes as 48 kHz, so it follows a 48 kHz file here.
  it.each([
    ['lossless/cbr-64k-48000-stereo.mp3', CAT_RATE],
    ['tone-440-2s-44100-stereo.mp3', CAT_MONO],
  ])('%s, then %s, to MP3', async (...names) => {
    const tracks: PlanTrack[] = [];
    for (const name of names) {
      const info = probeInfo(name);
      const fastPath = await checkFastPath('mp3', input(name), expectedOf(info));
      tracks.push({ id: name, name, info: { ...info, fastPath } });
    }
    const plan = planJoin(tracks, { ...defaultOutput, format: 'mp3' });
    if (plan.kind !== 'ffmpeg') throw new Error('expected a re-encode');
    expect(plan.lossless).toBe(false);
    expect(plan.reencodeReasons[0]).toMatch(/^track 2 changes .* at 0:01/);
    expect(plan.summary).toContain(plan.reencodeReasons[0]);

    const dir = mkdtempSync(join(tmp, 'plan-'));
    const local = (s: string) => s.replaceAll('/in/', `${dir}/`).replaceAll('/out/', `${dir}/`);
    plan.inputs.forEach((p, i) => writeFileSync(local(p.path), readFileSync(path(names[i]!))));
    for (const f of plan.files) writeFileSync(local(f.path), f.text);
    const args = plan.args.map(local).filter((a) => a !== '-stats');
    const res = spawnSync('ffmpeg', ['-nostdin', '-y', ...args], { encoding: 'utf8' });
    expect(res.status, res.stderr.slice(-2000)).toBe(0);
    const expected = tracks.reduce((sum, t) => sum + t.info.durationSec, 0);
    // The MP3 encoder's own delay and padding, no more.
    expect(Math.abs(decodedSec(local(plan.outputPath)) - expected)).toBeLessThan(0.06);
  });
});
