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
import { aacGainRefusal, AacGainNotPossibleError, gainAac } from '@/lib/lossless/gain/aac-gain';
import { aacGainOffsets, AacWalkError } from '@/lib/lossless/gain/aac-walk';
import { findTrack, readMoov, readSamples } from '@/lib/containers/mp4';
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
  it('keeps stereo AAC-LC lossless once the check has walked every frame', () => {
    const stereo = (i: number, tp: number) => ({
      ...info(i, tp, 'aac'),
      profile: 'LC',
      aacGain: { ok: true as const },
    });
    const plan = planJoin(
      [
        { id: 'a', name: 'a.m4a', info: stereo(-30, -20) },
        { id: 'b', name: 'b.m4a', info: stereo(-12, -6) },
      ],
      { ...output, format: 'm4a' },
    );
    expect(plan.lossless).toBe(true);
    expect(plan.summary).toContain('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    expect(plan.steps.pre[0]).toMatchObject({ kind: 'gain-aac' });
  });
  it('encodes stereo AAC again when a frame cannot be walked, and says which', () => {
    const reason = 'frame 7 of b.m4a: a codeword is in no codebook';
    const plan = planJoin(
      [
        {
          id: 'a',
          name: 'a.m4a',
          info: { ...info(-30, -20, 'aac'), profile: 'LC', aacGain: { ok: true as const } },
        },
        {
          id: 'b',
          name: 'b.m4a',
          info: {
            ...info(-20, -10, 'aac'),
            profile: 'LC',
            aacGain: { ok: false as const, reason },
          },
        },
      ],
      { ...output, format: 'm4a' },
    );
    expect(plan.lossless).toBe(false);
    expect(plan.summary).not.toContain('Lossless');
    expect(plan.summary).toContain(`a frame’s gain cannot be moved in place: ${reason}`);
    expect(plan.kind === 'ffmpeg' && plan.args.join(' ')).toMatch(/volume=14dB.*volume=4dB/);
  });
  it('re-encodes stereo AAC not yet walked, with each track’s gain in the graph', () => {
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

describe('gainAac', () => {
  it('moves every mono AAC frame’s global_gain: the decode is the input’s times the gain', async () => {
    const file = `${temp.dir}/mono.m4a`;
    const r = spawnSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=pink:seed=6:a=0.05:d=4'],
      ...['-ac', '1', '-ar', '44100', '-c:a', 'aac', '-b:a', '64k', file],
    ]);
    expect(r.status).toBe(0);
    const input = losslessInput('mono.m4a', [readFileSync(file)]);
    const steps = 8;
    const { blob, frames } = await gainAac(input, steps);
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
  it('refuses a stream that is not AAC-LC (AAC Main), naming the file', async () => {
    const file = `${temp.dir}/main.m4a`;
    const r = spawnSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=pink:a=0.05:d=1'],
      ...['-ac', '2', '-c:a', 'aac', '-profile:a', 'aac_main', file],
    ]);
    expect(r.status).toBe(0);
    const input = losslessInput('main.m4a', [readFileSync(file)]);
    await expect(gainAac(input, 2)).rejects.toThrow(AacGainNotPossibleError);
    expect(await aacGainRefusal(input)).toMatch(/main\.m4a/);
  });
});

/** `n` bits of `b` from bit `at`. */
function readBits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++, at++) v = (v << 1) | ((b[at >> 3]! >> (7 - (at & 7))) & 1);
  return v;
}

describe('gainAac on stereo', () => {
  /** Stereo AAC-LC by native ffmpeg: `filter` for the left channel, `right` for the right. */
  function makeStereoAac(name: string, left: string, right: string, args: string[]): string {
    const file = `${temp.dir}/${name}.m4a`;
    const r = spawnSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', left, '-f', 'lavfi', '-i', right],
      ...['-filter_complex', '[0:a][1:a]join=inputs=2:channel_layout=stereo'],
      ...['-c:a', 'aac', ...args, file],
    ]);
    expect(r.status, r.stderr?.toString()).toBe(0);
    return file;
  }
  const cases = [
    {
      name: 'pink noise and a tune, 44.1 kHz 128k (M/S, intensity, noise bands)',
      left: 'anoisesrc=c=pink:seed=7:a=0.08:d=6,aresample=44100',
      right: 'sine=f=330:d=6:sample_rate=44100,volume=0.2',
      args: ['-ar', '44100', '-b:a', '128k'],
      steps: 5,
    },
    {
      name: 'clicks and silence at 48 kHz 256k (short windows, escape codebook, empty bands)',
      left: 'aevalsrc=if(lt(mod(t\\,0.5)\\,0.01)\\,0.9*sin(2*PI*2000*t)\\,0):s=48000:d=5',
      right: 'anoisesrc=c=white:seed=3:a=0.3:d=5:r=48000',
      args: ['-ar', '48000', '-b:a', '256k'],
      steps: -3,
    },
    {
      name: 'the same voice in both channels at 32 kHz 48k, M/S forced',
      left: 'anoisesrc=c=brown:seed=9:a=0.1:d=5:r=32000',
      right: 'anoisesrc=c=brown:seed=9:a=0.1:d=5:r=32000',
      args: ['-ar', '32000', '-b:a', '48k', '-aac_ms', '1', '-aac_is', '0'],
      steps: 7,
    },
    {
      name: 'noise and its own high band at 96k (intensity stereo bands)',
      left: 'anoisesrc=c=pink:seed=4:a=0.2:d=6:r=44100',
      right: 'anoisesrc=c=pink:seed=4:a=0.2:d=6:r=44100,volume=0.5,highpass=f=3000',
      args: ['-aac_is', '1', '-aac_coder', 'twoloop', '-b:a', '96k'],
      steps: -6,
    },
  ];
  it('refuses a frame cut short, or one with bytes after its END', async () => {
    const file = makeStereoAac('cut', cases[0]!.left, cases[0]!.right, cases[0]!.args);
    const bytes = new Uint8Array(readFileSync(file));
    const { moov } = await readMoov(new Blob([bytes]));
    const table = readSamples(findTrack(moov, 'soun'));
    for (let i = 10; i < 40; i++) {
      const at = table.offsets[i]!;
      const frame = bytes.subarray(at, at + table.sizes[i]!);
      expect(aacGainOffsets(frame, 4)).toHaveLength(2);
      expect(() => aacGainOffsets(frame.subarray(0, frame.length - 3), 4)).toThrow(AacWalkError);
      const longer = new Uint8Array(frame.length + 2);
      longer.set(frame);
      expect(() => aacGainOffsets(longer, 4)).toThrow(AacWalkError);
    }
  });
  it.each(cases)('$name: only the gains change, the decode by the gain', async (c) => {
    const file = makeStereoAac(c.name.split(' ')[0]!, c.left, c.right, c.args);
    const input = losslessInput('stereo.m4a', [readFileSync(file)]);
    expect(await aacGainRefusal(input)).toBeUndefined();
    const { blob, frames } = await gainAac(input, c.steps);
    expect(frames).toBeGreaterThan(100);
    const before = new Uint8Array(await input.blob.arrayBuffer());
    const after = new Uint8Array(await blob.arrayBuffer());
    expect(after.length).toBe(before.length);
    // The differing bits form at most two 8-bit fields a frame: both channels' global_gain,
    // each moved by the steps.
    let bytesChanged = 0;
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) bytesChanged++;
    expect(bytesChanged).toBeGreaterThan(frames);
    expect(bytesChanged).toBeLessThanOrEqual(4 * frames);
    const { moov } = await readMoov(input.blob);
    const table = readSamples(findTrack(moov, 'soun'));
    const freqIndex = c.args.includes('48000') ? 3 : c.args.includes('32000') ? 5 : 4;
    const inGain = new Set<number>();
    table.sizes.forEach((size, i) => {
      const at = table.offsets[i]!;
      const gains = aacGainOffsets(before.subarray(at, at + size), freqIndex);
      expect(gains).toHaveLength(2);
      for (const g of gains) {
        expect(readBits(after, at * 8 + g, 8)).toBe(readBits(before, at * 8 + g, 8) + c.steps);
        for (let k = 0; k < 8; k++) inGain.add(at * 8 + g + k);
      }
    });
    for (let i = 0; i < before.length; i++) {
      for (let k = 0; k < 8; k++) {
        if (((before[i]! ^ after[i]!) >> (7 - k)) & 1) expect(inGain.has(i * 8 + k)).toBe(true);
      }
    }
    const out = await temp.write(blob, 'm4a');
    const a = decodeF32(file);
    const b = decodeF32(out);
    expect(b.length).toBe(a.length);
    const factor = 2 ** (c.steps / 4);
    let worst = 0;
    const peak = [0, 0];
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(b[i]! - a[i]! * factor));
      peak[i % 2] = Math.max(peak[i % 2]!, Math.abs(b[i]!));
    }
    // Both channels sound, and each sample is the input's times the gain, to float rounding.
    expect(Math.min(...peak)).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(1e-4);
    const la = nativeLoudness(file);
    const lb = nativeLoudness(out);
    expect(Math.abs(lb.i - la.i - c.steps * GAIN_STEP_DB)).toBeLessThanOrEqual(0.11);
  });
});
