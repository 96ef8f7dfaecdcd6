/**
 * Real files whose traits one step of a join assumed away (issue 19: 134 files from other media
 * projects' test suites), each remade here with the same trait, joined as the engine joins it
 * (the plan run by native ffmpeg 5.1, the JS passes after it) and checked with native ffmpeg:
 * - an M4A whose first AAC sample lasts 2964 ticks (the rest 1024): its lossless join wrote every
 *   sample at 2964 and decoded to a third of its length;
 * - Opus in CAF: planned as a lossless stream copy, which cannot be written (no Opus header);
 * - ADTS with a broken JPEG in its ID3 tag: accepted, then its M4A join failed on the picture;
 * - 8-bit FLAC joined "Lossless" came out 16-bit;
 * - 32-bit FLAC, which ffmpeg 5.1 decodes to nothing without an error, was called cut short.
 * The FLACs are committed (tests/fixtures/traits/README.md: ffmpeg cannot write those depths);
 * the others are made here with native ffmpeg and byte edits.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultOutput } from '@/lib/core/settings';
import type { FormatId } from '@/lib/core/formats';
import { SeamError, UnsupportedAudioError } from '@/lib/core/errors';
import { render } from '@/lib/core/i18n';
import { closeJoins } from '@/lib/lossless';
import { AAC_ARGS } from '@/lib/engine/junction-coder';
import { decodeCheckArgs, judgeDecode, progressSamples } from '@/lib/media/decode-check';
import { planJoin } from '@/lib/plan/planner';
import { findStep } from '@/lib/plan/steps';
import type { PlanTrack } from '@/lib/plan/types';
import { fixture } from '../support/paths';
import { decodePcm, ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { tempFolder } from './support/files';
import { nativeCoder } from './support/junction-coder-native';
import { decodedSamples, probeTrack, runNative } from './support/segments-native';

vi.setConfig({ hookTimeout: 120_000, testTimeout: 60_000 });
beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('traits').dir;

/** The plan for `paths` to `format`, run as the engine runs it; the output's path. */
async function joinAsEngine(
  paths: readonly string[],
  format: FormatId,
  opts: { exact?: boolean } = {},
): Promise<{ out: string; lossless: boolean; summary: string; tracks: PlanTrack[] }> {
  const tracks = paths.map((p, i) => probeTrack(p, `${i}-${p.split('/').pop()!}`));
  const plan = planJoin(tracks, { ...defaultOutput, format, chapters: 'none' });
  if (plan.kind === 'fast') throw new Error('these traits take ffmpeg: no zero-copy join');
  const byId = new Map(tracks.map((t, i) => [t.id, paths[i]!]));
  const dir = join(tmp, `run-${format}-${Math.random().toString(36).slice(2)}`);
  const run = runNative(plan, dir, (id) => byId.get(id)!);
  let out = run.path;
  const close = findStep(plan.steps, 'close-joins');
  if (close) {
    const closed = await closeJoins(
      close.container,
      new Blob([run.bytes]),
      paths.map((p) => new Blob([readFileSync(p)])),
      opts.exact ? { mp4: nativeCoder(AAC_ARGS) } : {},
    );
    out = join(dir, `closed.${format}`);
    writeFileSync(out, new Uint8Array(await closed.arrayBuffer()));
  }
  return { out, lossless: plan.lossless, summary: plan.summary, tracks };
}

/** Samples a file decodes to (one channel) with native ffmpeg, at its own rate. */
async function samplesOf(path: string): Promise<number> {
  return (await decodePcm(path, { channels: 1 })).samples.length;
}

describe('an M4A whose first AAC sample lasts 2964 ticks (the rest 1024)', () => {
  let inputs: string[];
  beforeAll(async () => {
    // ffmpeg's own M4A, then the packets after the first moved 1940 ticks later: the muxer
    // writes the first sample's duration as 1024 + 1940, as the real file had it.
    inputs = await Promise.all(
      [
        [440, 1.1],
        [660, 0.9],
      ].map(async ([hz, sec], i) => {
        const plain = join(tmp, `aac-${i}.m4a`);
        const odd = join(tmp, `aac-long-first-${i}.m4a`);
        await ffmpeg([
          ...['-f', 'lavfi', '-i', `sine=f=${hz}:d=${sec}`, '-ac', '2', '-ar', '44100'],
          ...['-c:a', 'aac', '-b:a', '96k', plain],
        ]);
        await ffmpeg([
          '-i',
          plain,
          '-c',
          'copy',
          '-bsf:a',
          'setts=ts=if(gt(N\\,0)\\,TS+1940\\,TS)',
          odd,
        ]);
        return odd;
      }),
    );
    const json = spawnSync('ffprobe', [
      ...['-v', 'error', '-select_streams', 'a', '-show_entries', 'packet=duration'],
      ...['-of', 'json', inputs[0]!],
    ]).stdout.toString();
    const durations = (JSON.parse(json) as { packets: { duration: number }[] }).packets.map((p) =>
      Number(p.duration),
    );
    expect(durations.slice(0, 3)).toEqual([2964, 1024, 1024]);
  });

  it.each([
    ['by whole frames', false],
    ['exactly', true],
  ])('joins losslessly %s to the length native ffmpeg decodes', async (_label, exact) => {
    const { out, lossless, tracks } = await joinAsEngine(inputs, 'm4a', { exact });
    expect(lossless).toBe(true);
    // The samples native ffmpeg decodes from each (the gap after the first frame plays as
    // nothing: timestamps would count it).
    const each = await Promise.all(inputs.map(samplesOf));
    const want = each[0]! + each[1]!;
    expect(tracks.length).toBe(2);
    // Each join leaves out less than a frame of the two tracks' padding and priming.
    const got = await samplesOf(out);
    expect(Math.abs(got - want), `${got} samples decoded, ${want} in the tracks`).toBeLessThan(
      2 * 1024,
    );
  });
});

describe('Opus in a CAF file', () => {
  it('is re-encoded, saying the CAF file holds no Opus header, and the join decodes whole', async () => {
    const inputs = await Promise.all(
      [0.7, 1.2].map(async (sec, i) => {
        const path = join(tmp, `opus-${i}.caf`);
        await ffmpeg([
          ...['-f', 'lavfi', '-i', `sine=f=${500 + 200 * i}:d=${sec}`, '-ac', '2'],
          ...['-c:a', 'libopus', '-b:a', '64k', '-f', 'caf', path],
        ]);
        return path;
      }),
    );
    const { out, lossless, summary, tracks } = await joinAsEngine(inputs, 'opus');
    expect(lossless).toBe(false);
    expect(summary).toContain(
      'Opus audio cannot be copied out of a CAF file (it holds no Opus header): tracks 1 and 2',
    );
    const probe = await ffprobe(out);
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['opus']);
    const want = tracks.reduce((s, t) => s + t.info.durationSec, 0);
    const got = (await samplesOf(out)) / 48000;
    expect(Math.abs(got - want)).toBeLessThan(0.05);
  });
});

/** An ADTS file with an ID3v2.3 tag whose APIC holds a JPEG cut after its first bytes. */
async function adtsWithBrokenCover(path: string, hz: number): Promise<void> {
  const raw = join(tmp, `raw-${hz}.aac`);
  const jpeg = join(tmp, `cover-${hz}.jpg`);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `sine=f=${hz}:d=1`, '-ac', '2', '-c:a', 'aac', '-b:a', '96k'],
    ...['-f', 'adts', raw],
  ]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x64:d=1', '-frames:v', '1', jpeg]);
  // The JFIF start, then zeros: no frame header, so no picture size.
  const broken = new Uint8Array(220);
  broken.set(readFileSync(jpeg).subarray(0, 20));
  const enc = new TextEncoder();
  const apic = new Uint8Array([0, ...enc.encode('image/jpeg'), 0, 3, 0, ...broken]);
  const frame = new Uint8Array(10 + apic.length);
  frame.set(enc.encode('APIC'));
  new DataView(frame.buffer).setUint32(4, apic.length);
  frame.set(apic, 10);
  const size = frame.length;
  const syncsafe = [21, 14, 7, 0].map((s) => (size >> s) & 0x7f);
  const tag = new Uint8Array([...enc.encode('ID3'), 3, 0, 0, ...syncsafe, ...frame]);
  writeFileSync(path, Buffer.concat([tag, readFileSync(raw)]));
}

describe('ADTS whose ID3 tag holds a broken JPEG', () => {
  it('has no cover, says so, and joins to M4A losslessly', async () => {
    const inputs = [join(tmp, 'broken-cover-a.aac'), join(tmp, 'broken-cover-b.aac')];
    await adtsWithBrokenCover(inputs[0]!, 440);
    await adtsWithBrokenCover(inputs[1]!, 880);
    const { out, lossless, summary, tracks } = await joinAsEngine(inputs, 'm4a');
    expect(tracks.map((t) => t.info.hasCover)).toEqual([false, false]);
    expect(tracks[0]!.info.notes?.map((n) => (typeof n === 'string' ? n : render(n)))).toEqual([
      'has a cover image that cannot be read, which is left out',
    ]);
    expect(lossless, summary).toBe(true);
    const probe = await ffprobe(out);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['audio']);
    const want = tracks.reduce((s, t) => s + decodedSamples(t), 0);
    expect(Math.abs((await samplesOf(out)) - want)).toBeLessThan(2 * 1024);
  });
});

describe('8-bit FLAC', () => {
  it('is not called lossless when joined to FLAC, and every sample value is kept', async () => {
    const inputs = ['traits/flac-8bit-440.flac', 'traits/flac-8bit-660.flac'].map(fixture);
    const { out, lossless, summary } = await joinAsEngine(inputs, 'flac');
    expect(lossless).toBe(false);
    expect(summary).toContain('the output format cannot hold the tracks’ samples as they are');
    expect(summary).toContain('the 8-bit samples are widened to 16 bits, every value kept');
    const pcm = await Promise.all([...inputs, out].map((p) => decodePcm(p, { channels: 1 })));
    const joined = pcm.pop()!.samples;
    const laidEnd = new Int16Array([...pcm[0]!.samples, ...pcm[1]!.samples]);
    expect(joined.length).toBe(laidEnd.length);
    expect(joined.every((v, i) => v === laidEnd[i])).toBe(true);
  });

  it('stays 8-bit and lossless when joined to WAV', async () => {
    const inputs = ['traits/flac-8bit-440.flac', 'traits/flac-8bit-660.flac'].map(fixture);
    const { out, lossless } = await joinAsEngine(inputs, 'wav');
    expect(lossless).toBe(true);
    const audio = (await ffprobe(out)).streams[0]!;
    expect(audio.codec_name).toBe('pcm_u8');
  });
});

describe('32-bit FLAC', () => {
  it('is refused as 32-bit FLAC the decoder cannot read, not as cut short', () => {
    const path = fixture('traits/flac-32bit.flac');
    const info = probeTrack(path, 'flac-32bit.flac').info;
    const progress = join(tmp, 'progress-32.txt');
    const args = decodeCheckArgs(path, progress, { sampleRate: info.sampleRate });
    const run = spawnSync('ffmpeg', ['-nostdin', '-threads', '1', ...args], { encoding: 'utf8' });
    const samples = progressSamples(readFileSync(progress, 'utf8')) ?? 0;
    expect(samples).toBe(0);
    const track = { id: 'x', name: 'flac-32bit.flac' };
    let refused: unknown;
    try {
      judgeDecode(track, info, { full: { samples, log: run.stderr.split('\n') } });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(UnsupportedAudioError);
    expect((refused as SeamError).trackName).toBe('flac-32bit.flac');
    expect((refused as SeamError).message).toMatch(/^It is 32-bit FLAC, which Seam’s decoder/);
  });
});
