/**
 * "Match loudness" (issue 23 item 1), without a browser: ebur128's summary parsed, the gains
 * chosen (steps of 1.5 dB, never past the true peak's room), and MP3 frames gained in place —
 * checked with native ffmpeg: the frames differ only in their global_gain fields, the decode
 * is the input's decode times the gain, and the loudness moves by it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEbur128Summary } from '@/lib/media/ebur128';
import { frameHeaderAt } from '@/lib/containers/mp3';
import { scanMp3 } from '@/lib/lossless';
import { gainMp3, globalGainBits, readGlobalGains } from '@/lib/lossless/gain/mp3-gain';
import { AacGainNotPossibleError, gainAacMono } from '@/lib/lossless/gain/aac-gain';
import { GAIN_STEP_DB, matchLoudness } from '@/lib/plan/match-loudness';
import { planJoin } from '@/lib/plan/planner';
import { defaultOutput } from '@/lib/core/settings';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';
import { losslessInput, tempFolder } from './support/files';

beforeAll(requireNativeFfmpeg);
vi.setConfig({ testTimeout: 30_000 });
const temp = tempFolder('loudness');

const SUMMARY = [
  '[Parsed_ebur128_1 @ 0x55ff9a2bed00] [info] Summary:',
  '',
  '  Integrated loudness:',
  '    I:         -42.2 LUFS',
  '    Threshold: -52.2 LUFS',
  '',
  '  Loudness range:',
  '    LRA:        20.0 LU',
  '    Threshold: -62.2 LUFS',
  '    LRA low:   -62.2 LUFS',
  '    LRA high:  -42.2 LUFS',
  '',
  '  True peak:',
  '    Peak:      -41.5 dBFS',
  '[AVIOContext @ 0x55ff9a2b0e00] [verbose] Statistics: 48945 bytes read, 0 seeks',
];

/** ebur128's integrated loudness and true peak of a file, by native ffmpeg. */
function nativeLoudness(file: string): { i: number; tp: number } {
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  return parseEbur128Summary(r.stderr.split('\n'))!;
}

/** A file's decode as 32-bit float samples (interleaved). */
function decodeF32(file: string): Float32Array {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-'], {
    maxBuffer: 1 << 28,
  });
  const b = r.stdout;
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

function makeMp3(name: string, filter: string, sec = 4): string {
  const file = `${temp.dir}/${name}.mp3`;
  const r = spawnSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `${filter}:d=${sec}`],
    ...['-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', file],
  ]);
  expect(r.status).toBe(0);
  return file;
}

describe('parseEbur128Summary', () => {
  it('reads the integrated loudness and the true peak', () => {
    expect(parseEbur128Summary(SUMMARY)).toEqual({ i: -42.2, tp: -41.5 });
  });
  it('reads silence as -70 LUFS and a peak of -inf', () => {
    const silent = SUMMARY.map((l) =>
      l.replace('-42.2 LUFS', '-70.0 LUFS').replace('-41.5 dBFS', '-inf dBFS'),
    );
    expect(parseEbur128Summary(silent)).toEqual({ i: -70, tp: -Infinity });
  });
  it('is undefined without a whole summary, and ignores the 100 ms frame lines', () => {
    expect(parseEbur128Summary(SUMMARY.slice(0, 6))).toBeUndefined();
    expect(
      parseEbur128Summary([
        '[Parsed_ebur128_1 @ 0x1] [verbose] t: 0.1  TARGET:-23 LUFS    M:-120.7 S:-120.7     I: -70.0 LUFS',
      ]),
    ).toBeUndefined();
  });
  it('agrees with native ffmpeg on a real file', () => {
    const r = nativeLoudness(makeMp3('probe', 'sine=f=440'));
    expect(r.i).toBeGreaterThan(-30);
    expect(r.i).toBeLessThan(-10);
    expect(r.tp).toBeLessThan(0);
  });
});

describe('matchLoudness', () => {
  it('rounds to whole 1.5 dB steps and lands within 0.75 dB', () => {
    const [quiet, loud] = matchLoudness(
      [{ loudness: { i: -30, tp: -20 } }, { loudness: { i: -10.2, tp: -4 } }],
      -16,
      'steps',
    );
    expect(quiet).toMatchObject({ steps: 9, matched: true });
    expect(Math.abs(quiet!.afterLufs! + 16)).toBeLessThanOrEqual(0.753);
    expect(loud).toMatchObject({ steps: -4, matched: true });
  });
  it('never gives more gain than the true peak allows, and says so', () => {
    const [g] = matchLoudness([{ loudness: { i: -30, tp: -3 } }], -16, 'steps');
    // -3 dBTP + 1 step = -1.49: one step would pass the -1.5 dBTP ceiling.
    expect(g).toMatchObject({ steps: 0, matched: false, why: 'peak' });
    const [exact] = matchLoudness([{ loudness: { i: -30, tp: -6 } }], -16, 'exact');
    expect(exact!.gainDb).toBeCloseTo(4.5, 6);
    expect(exact).toMatchObject({ matched: false, why: 'peak' });
  });
  it('leaves unmeasured and silent tracks alone', () => {
    const [a, b] = matchLoudness([{}, { loudness: { i: -70, tp: -Infinity } }], -16, 'steps');
    expect(a).toMatchObject({ steps: 0, matched: false, why: 'unmeasured' });
    expect(b).toMatchObject({ steps: 0, matched: false, why: 'silent' });
  });
});

describe('the plan', () => {
  const info = (i: number, tp: number, codec = 'mp3') => ({
    container: codec === 'mp3' ? 'mp3' : 'mov,mp4,m4a,3gp,3g2,mj2',
    codec,
    sampleRate: 44100,
    channels: 2,
    channelLayout: 'stereo',
    durationSec: 4,
    decoded: true,
    bitRate: 128000,
    audioStreamIndex: 0,
    hasVideo: false,
    hasCover: false,
    tags: {},
    fastPath: { ok: true as const },
    loudness: { i, tp },
  });
  const output = { ...defaultOutput, format: 'mp3' as const, matchLoudness: true };
  it('promises lossless matching only when every MP3 can be matched', () => {
    const plan = planJoin(
      [
        { id: 'a', name: 'a.mp3', info: info(-36, -30) },
        { id: 'b', name: 'b.mp3', info: info(-24, -12) },
      ],
      output,
    );
    expect(plan.lossless).toBe(true);
    expect(plan.summary).toContain('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    expect(plan.steps.pre).toEqual([
      {
        kind: 'gain-mp3',
        tracks: [
          { track: 0, trackId: 'a', steps: 13 },
          { track: 1, trackId: 'b', steps: 5 },
        ],
      },
    ]);
  });
  it('names the track its peaks keep from the target, and promises nothing', () => {
    const plan = planJoin(
      [
        { id: 'a', name: 'a.mp3', info: info(-36, -2) },
        { id: 'b', name: 'b.mp3', info: info(-16, -4) },
      ],
      output,
    );
    expect(plan.summary).not.toContain('within 0.75 dB');
    expect(plan.summary).toContain('Track 1 keeps part of its loudness');
  });
  it('keeps mono AAC-LC in MP4 lossless: a gain step on each track before the copy', () => {
    const mono = (i: number, tp: number) => ({
      ...info(i, tp, 'aac'),
      channels: 1,
      channelLayout: 'mono',
      profile: 'LC',
    });
    const plan = planJoin(
      [
        { id: 'a', name: 'a.m4a', info: mono(-30, -20) },
        { id: 'b', name: 'b.m4a', info: mono(-12, -6) },
      ],
      { ...output, format: 'm4b' },
    );
    expect(plan.lossless).toBe(true);
    expect(plan.summary).toContain('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    expect(plan.steps.pre).toEqual([
      {
        kind: 'gain-aac',
        tracks: [
          { track: 0, trackId: 'a', steps: 9 },
          { track: 1, trackId: 'b', steps: -3 },
        ],
      },
    ]);
  });
  it('re-encodes stereo AAC to match loudness, with each track’s gain in the graph', () => {
    const plan = planJoin(
      [
        { id: 'a', name: 'a.m4a', info: { ...info(-30, -20, 'aac'), profile: 'LC' } },
        { id: 'b', name: 'b.m4a', info: { ...info(-20, -10, 'aac'), profile: 'LC' } },
      ],
      { ...output, format: 'm4a' },
    );
    expect(plan.lossless).toBe(false);
    expect(plan.kind === 'ffmpeg' && plan.args.join(' ')).toMatch(/volume=14dB.*volume=4dB/);
  });
});

describe('gainMp3', () => {
  it('changes only the global_gain fields, and the decode by exactly the gain', async () => {
    const file = makeMp3('noise', 'anoisesrc=c=pink:seed=5:a=0.1');
    const input = losslessInput('noise.mp3', [readFileSync(file)]);
    const steps = 4;
    const { blob, result } = await gainMp3(input, steps);
    const before = new Uint8Array(await input.blob.arrayBuffer());
    const after = new Uint8Array(await blob.arrayBuffer());
    expect(after.length).toBe(before.length);
    const scan = await scanMp3(input);
    expect(result.frames).toBe(scan.frameCount);

    // Every bit that differs lies in a frame's global_gain field, and each field moved by 4.
    const gainBits = new Set<number>();
    for (const [from, to] of scan.ranges) {
      for (let at = from; at < to;) {
        const h = frameHeaderAt(before, at)!;
        for (const bit of globalGainBits(h))
          for (let k = 0; k < 8; k++) gainBits.add(at * 8 + bit + k);
        const a = readGlobalGains(before.subarray(at), h);
        const b = readGlobalGains(after.subarray(at), h);
        expect(b).toEqual(a.map((g) => g + steps));
        at += h.frameLength;
      }
    }
    let differing = 0;
    for (let i = 0; i < before.length; i++) {
      const x = before[i]! ^ after[i]!;
      for (let k = 0; k < 8; k++) {
        if ((x >> (7 - k)) & 1) {
          differing++;
          expect(gainBits.has(i * 8 + k)).toBe(true);
        }
      }
    }
    expect(differing).toBeGreaterThan(0);

    const out = await temp.write(blob, 'mp3');
    const a = decodeF32(file);
    const b = decodeF32(out);
    expect(b.length).toBe(a.length);
    const factor = 2 ** (steps / 4);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(b[i]! - a[i]! * factor));
    // ffmpeg's float MP3 decoder: the same samples times 2, to float rounding.
    expect(worst).toBeLessThan(1e-4);
    const la = nativeLoudness(file);
    const lb = nativeLoudness(out);
    // ebur128 prints tenths: each reading is within 0.05 LU.
    expect(Math.abs(lb.i - la.i - steps * GAIN_STEP_DB)).toBeLessThanOrEqual(0.11);
  });
});

describe('gainAacMono', () => {
  it('moves every mono AAC frame’s global_gain: the decode is the input’s times the gain', async () => {
    const file = `${temp.dir}/mono.m4a`;
    const r = spawnSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=pink:seed=6:a=0.05:d=4'],
      ...['-ac', '1', '-ar', '44100', '-c:a', 'aac', '-b:a', '64k', file],
    ]);
    expect(r.status).toBe(0);
    const input = losslessInput('mono.m4a', [readFileSync(file)]);
    const steps = 8;
    const { blob, frames } = await gainAacMono(input, steps);
    expect(frames).toBeGreaterThan(100);
    const before = new Uint8Array(await input.blob.arrayBuffer());
    const after = new Uint8Array(await blob.arrayBuffer());
    // Two bytes a frame at most differ: the 8 bits of its global_gain.
    let bytesChanged = 0;
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) bytesChanged++;
    expect(bytesChanged).toBeGreaterThan(0);
    expect(bytesChanged).toBeLessThanOrEqual(2 * frames);
    const out = await temp.write(blob, 'm4a');
    const a = decodeF32(file);
    const b = decodeF32(out);
    expect(b.length).toBe(a.length);
    const factor = 2 ** (steps / 4);
    let worst = 0;
    let peak = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(b[i]! - a[i]! * factor));
      peak = Math.max(peak, Math.abs(b[i]!));
    }
    expect(peak).toBeGreaterThan(0.05);
    expect(worst).toBeLessThan(1e-4);
  });
  it('refuses a stereo stream (its frames start with a channel pair)', async () => {
    const file = `${temp.dir}/stereo.m4a`;
    spawnSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=pink:a=0.05:d=1'],
      ...['-ac', '2', '-c:a', 'aac', file],
    ]);
    await expect(gainAacMono(losslessInput('stereo.m4a', [readFileSync(file)]), 2)).rejects.toThrow(
      AacGainNotPossibleError,
    );
  });
});
