/**
 * What no joiner does (issue 23), through the real extension with real ffmpeg.wasm, each saved
 * file checked with native ffmpeg: "Match loudness" on a lossless MP3 join and on lossless mono
 * and stereo AAC joins (the frames' global gain moved, nothing re-encoded but the joins; for
 * stereo AAC, every packet but those at the join found with only its two gain fields changed)
 * and on a lossless Opus join (one output gain in the OpusHead, the packets untouched); "Find
 * chapters" in one long file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { OptionsPage, field } from '../support/pages';
import { until } from '../support/wait';
import { aacGainOffsets } from '@/lib/lossless/gain/aac-walk';

let seam: Seam;
let page: Page;
let ui: OptionsPage;
let dir: string;

beforeAll(async () => {
  requireNativeFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'seam-no-joiner-'));
  seam = await launchSeam();
  page = await seam.openOptions();
});
afterAll(() => seam?.close());
beforeEach(async () => {
  if (page.isClosed()) page = await seam.openOptions();
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
  ui = new OptionsPage(page);
});

const output = () => page.getByRole('region', { name: 'Output' });

/** Integrated loudness (LUFS) of `file` from `fromSec` for `sec`, by native ffmpeg's ebur128. */
function loudnessOf(file: string, fromSec: number, sec: number): number {
  const r = spawnSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostats', '-ss', String(fromSec), '-t', String(sec), '-i', file],
      ...['-af', 'ebur128=peak=true', '-f', 'null', '-'],
    ],
    { encoding: 'utf8' },
  );
  const m = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+) LUFS/.exec(r.stderr);
  if (!m) throw new Error(`no loudness for ${file}: ${r.stderr.slice(-400)}`);
  return Number(m[1]);
}

/** A file's decode as 32-bit floats, stereo 44.1 kHz, interleaved (native ffmpeg). */
function decodeFloat(file: string): Float32Array {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-ac', '2', '-ar', '44100', '-f', 'f32le', '-'],
    {
      maxBuffer: 1 << 28,
    },
  );
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${file}`);
  const b = r.stdout;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

/** 4 s of pink noise (`seed`) at `amplitude`, then `db` louder, as a person's MP3. */
async function noiseAt(name: string, seed: number, amplitude: number, db = 0): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:seed=${seed}:amplitude=${amplitude}:d=4`],
    ...['-af', `volume=${db}dB`],
    ...['-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', path],
  ]);
  return path;
}

/**
 * The gain (in 1/4 steps of 6.02 dB, MP3's global_gain) that makes `input`'s decode, from
 * `inputFrom` for `length` samples a channel, equal the joined decode from `joinedFrom`, with
 * the largest difference left (full scale 1).
 */
function gainBetween(
  input: Float32Array,
  joined: Float32Array,
  inputFrom: number,
  joinedFrom: number,
  length: number,
): { steps: number; worst: number; why: string } {
  let num = 0;
  let den = 0;
  for (let i = 0; i < length * 2; i++) {
    const a = input[inputFrom * 2 + i]!;
    num += a * joined[joinedFrom * 2 + i]!;
    den += a * a;
  }
  const steps = Math.round(4 * Math.log2(num / den));
  const why = JSON.stringify({
    num,
    den,
    inputLength: input.length,
    joinedLength: joined.length,
    joinedFrom,
    input: Array.from(input.subarray(inputFrom * 2, inputFrom * 2 + 6)),
    joined: Array.from(joined.subarray(joinedFrom * 2, joinedFrom * 2 + 6)),
  });
  const factor = 2 ** (steps / 4);
  let worst = 0;
  for (let i = 0; i < length * 2; i++) {
    const want = input[inputFrom * 2 + i]! * factor;
    worst = Math.max(worst, Math.abs(joined[joinedFrom * 2 + i]! - want));
  }
  return { steps, worst, why };
}

/** Where `input`'s samples from `from` sit in `joined`, within 3000 of `near`: best correlated. */
function findOffset(input: Float32Array, joined: Float32Array, from: number, near: number): number {
  let best = near;
  let bestErr = Infinity;
  const n = 2048;
  for (let off = near - 3000; off <= near + 3000; off++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < n * 2; i++) {
      num += input[from * 2 + i]! * joined[off * 2 + i]!;
      den += joined[off * 2 + i]! ** 2;
    }
    const err = den > 0 ? -num / Math.sqrt(den) : Infinity;
    if (err < bestErr) {
      bestErr = err;
      best = off;
    }
  }
  return best;
}

describe('Match loudness', () => {
  test('two MP3s 34 dB apart join losslessly, each within 0.8 dB of -16 LUFS', async () => {
    const quiet = await noiseAt('Part 1 quiet.mp3', 7, 0.03);
    const loud = await noiseAt('Part 2 loud.mp3', 8, 0.3, 14);
    const before = [loudnessOf(quiet, 0, 4), loudnessOf(loud, 0, 4)];
    // About -46 and -12 LUFS: one far below the target, one above it.
    expect(before[0]).toBeLessThan(-40);
    expect(before[1]).toBeGreaterThan(-14);
    await ui.addFilesAndWait([quiet, loud]);
    await ui.setFormat('MP3');
    await field(output(), 'checkbox', 'Match loudness').check();
    // The promise is a line of its own under the plan's head line.
    const promise = page.getByText('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    await until(async () => expect(await promise.count()).toBe(1));
    expect(await ui.planText()).toMatch(/^Lossless/);

    const { file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    const probe = await ffprobe(file);
    expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('mp3');
    expect(Number(probe.format.duration)).toBeCloseTo(8, 0);
    // Each half, away from the join (whose few frames are encoded again), is at the target.
    const after = [loudnessOf(file, 0.5, 3), loudnessOf(file, 4.5, 3)];
    console.log(
      `MP3 book, integrated loudness (native ebur128), before → after: ` +
        `${before[0]} → ${after[0]} LUFS, ${before[1]} → ${after[1]} LUFS`,
    );
    for (const l of after) expect(Math.abs(l + 16)).toBeLessThanOrEqual(0.8);

    // Every other frame is the input's, only louder or softer: the decode is the input's
    // decode times 2^(steps/4), to float rounding (ffmpeg's float MP3 decoder: the gain is a
    // factor on the dequantized values, and the synthesis filter is linear).
    const joined = decodeFloat(file);
    const q = decodeFloat(quiet);
    const l = decodeFloat(loud);
    const rate = 44100;
    // Where each input's audio sits in the joined file (the exact joins may move a track by a
    // few samples), then sample for sample.
    const a = gainBetween(q, joined, rate, findOffset(q, joined, rate, rate), 2 * rate);
    expect(a.steps, a.why).toBeGreaterThan(0);
    expect(a.worst, a.why).toBeLessThan(1e-4);
    const at = findOffset(l, joined, rate, 5 * rate);
    const b = gainBetween(l, joined, rate, at, 2 * rate);
    expect(b.steps, b.why).toBeLessThan(0);
    expect(b.worst, b.why).toBeLessThan(1e-4);
  });
});

describe('Match loudness, mono AAC', () => {
  test('two mono AAC M4As 30 dB apart join to an M4B without re-encoding, each at -16 LUFS', async () => {
    const make = async (name: string, seed: number, amplitude: number) => {
      const path = join(dir, name);
      await ffmpeg([
        ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:seed=${seed}:amplitude=${amplitude}:d=4`],
        ...['-ac', '1', '-ar', '44100', '-c:a', 'aac', '-b:a', '64k', path],
      ]);
      return path;
    };
    const quiet = await make('Part 1 quiet.m4a', 3, 0.02);
    const loud = await make('Part 2 loud.m4a', 4, 0.6);
    expect(loudnessOf(loud, 0, 4) - loudnessOf(quiet, 0, 4)).toBeGreaterThan(25);
    await ui.addFilesAndWait([quiet, loud]);
    await ui.setFormat('M4B');
    await field(output(), 'checkbox', 'Match loudness').check();
    const promise = page.getByText('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    await until(async () => expect(await promise.count()).toBe(1));
    expect(await ui.planText()).toMatch(/^Lossless/);
    const { file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    const probe = await ffprobe(file);
    expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    for (const l of [loudnessOf(file, 0.5, 3), loudnessOf(file, 4.5, 3)]) {
      expect(Math.abs(l + 16)).toBeLessThanOrEqual(0.8);
    }
  });
});

/** The audio packets of `file` (native ffprobe: where each lies and how long it is). */
function packetsOf(file: string): Uint8Array[] {
  const out = spawnSync(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'a', '-show_entries', 'packet=pos,size'],
      ...['-of', 'csv=p=0', file],
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const bytes = new Uint8Array(readFileSync(file));
  return out.stdout
    .split('\n')
    .filter((l) => /^\d+,\d+/.test(l))
    .map((l) => {
      const [size, pos] = l.split(',').map(Number) as [number, number];
      return bytes.subarray(pos, pos + size);
    });
}

/** `n` bits of `b` from bit `at`. */
function bitsAt(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++, at++) v = (v << 1) | ((b[at >> 3]! >> (7 - (at & 7))) & 1);
  return v;
}

/** A packet with its global_gain fields (at `gains`, bits) zeroed, as text to compare. */
function withoutGains(p: Uint8Array, gains: readonly number[]): string {
  const c = p.slice();
  for (const g of gains)
    for (let k = 0; k < 8; k++) c[(g + k) >> 3]! &= ~(1 << (7 - ((g + k) & 7)));
  return Buffer.from(c).toString('hex');
}

/**
 * How many of `input`'s packets appear in `joined`, in order, the same bytes but for their
 * global_gain fields, and by how many steps those moved (each packet's gain fields found by
 * the walk of lib/lossless/gain/aac-walk.ts; every other bit must be equal).
 */
function samePacketsButGain(
  input: Uint8Array[],
  joined: Uint8Array[],
  freqIndex: number,
): { matched: number; steps: Set<number> } {
  const index = new Map<string, number[]>();
  joined.forEach((q, i) => {
    const key = withoutGains(q, aacGainOffsets(q, freqIndex));
    index.set(key, [...(index.get(key) ?? []), i]);
  });
  const steps = new Set<number>();
  let matched = 0;
  let last = -1;
  for (const p of input) {
    const gains = aacGainOffsets(p, freqIndex);
    const at = index.get(withoutGains(p, gains))?.find((i) => i > last);
    if (at === undefined) continue;
    for (const g of gains) steps.add(bitsAt(joined[at]!, g, 8) - bitsAt(p, g, 8));
    matched++;
    last = at;
  }
  return { matched, steps };
}

/** 4 s of stereo AAC-LC (pink noise left, a tune right: sine's 1/8 times `tune`), native ffmpeg. */
async function stereoAac(
  name: string,
  seed: number,
  amplitude: number,
  tune = amplitude,
): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:seed=${seed}:amplitude=${amplitude}:d=4`],
    ...['-f', 'lavfi', '-i', `sine=frequency=${220 * seed}:duration=4,volume=${tune}`],
    ...['-filter_complex', '[0:a][1:a]join=inputs=2:channel_layout=stereo'],
    ...['-ar', '44100', '-c:a', 'aac', '-b:a', '128k', path],
  ]);
  return path;
}

describe('Match loudness, stereo AAC', () => {
  test('two stereo AAC M4As 30 dB apart join to an M4A without re-encoding, each at -16 LUFS', async () => {
    const quiet = await stereoAac('Part 1 quiet.m4a', 2, 0.02);
    const loud = await stereoAac('Part 2 loud.m4a', 3, 0.5, 6);
    const before = [loudnessOf(quiet, 0, 4), loudnessOf(loud, 0, 4)];
    // One far below the target, one above it.
    expect(before[0]).toBeLessThan(-40);
    expect(before[1]).toBeGreaterThan(-12);
    await ui.addFilesAndWait([quiet, loud]);
    await ui.setFormat('M4A');
    await field(output(), 'checkbox', 'Match loudness').check();
    // Said once every frame of both has been walked (the tracks' checks).
    const promise = page.getByText('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    await until(async () => expect(await promise.count()).toBe(1), 120_000);
    expect(await ui.planText()).toMatch(/^Lossless/);
    const { file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    const probe = await ffprobe(file);
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(audio?.codec_name).toBe('aac');
    expect(audio?.channels).toBe(2);
    expect(Number(probe.format.duration)).toBeCloseTo(8, 0);
    const after = [loudnessOf(file, 0, 4), loudnessOf(file, 4, 4)];
    console.log(
      `stereo AAC book, integrated loudness (native ebur128), before → after: ` +
        `${before[0]} → ${after[0]} LUFS, ${before[1]} → ${after[1]} LUFS`,
    );
    for (const l of after) expect(Math.abs(l + 16)).toBeLessThanOrEqual(0.8);

    // The joined file's packets are the inputs' but for both channels' gain fields: all but
    // the few frames at the join (encoded again to close it exactly) are found, in order.
    const joined = packetsOf(file);
    const freqIndex = 4; // 44.1 kHz
    const q = samePacketsButGain(packetsOf(quiet), joined, freqIndex);
    const l = samePacketsButGain(packetsOf(loud), joined, freqIndex);
    const inputs = [packetsOf(quiet).length, packetsOf(loud).length];
    console.log(
      `stereo AAC packets: ${q.matched} of ${inputs[0]} and ${l.matched} of ${inputs[1]} ` +
        `found with only their gain moved (${[...q.steps]} and ${[...l.steps]} steps)`,
    );
    expect(q.matched).toBeGreaterThan(inputs[0]! - 8);
    expect(l.matched).toBeGreaterThan(inputs[1]! - 8);
    // One gain for each track, the same for every frame and both channels.
    expect([...q.steps]).toHaveLength(1);
    expect([...l.steps]).toHaveLength(1);
    expect([...q.steps][0]).toBeGreaterThan(0);
    expect([...l.steps][0]).toBeLessThan(0);
  });
});

/** The audio packets' payloads of `file`, one after another (native ffmpeg's stream copy). */
function payloadOf(file: string): Buffer {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-map', '0:a', '-c', 'copy', '-f', 'data', '-'],
    {
      maxBuffer: 1 << 26,
    },
  );
  if (r.status !== 0) throw new Error(`ffmpeg could not read ${file}`);
  return r.stdout;
}

/** How many bytes `a` and `b` share at their start (or, with `fromEnd`, at their end). */
function shared(a: Buffer, b: Buffer, fromEnd = false): number {
  let n = 0;
  const at = (x: Buffer, i: number) => x[fromEnd ? x.length - 1 - i : i];
  while (n < a.length && n < b.length && at(a, n) === at(b, n)) n++;
  return n;
}

describe('Match loudness, Opus', () => {
  test('two Opus files 1 dB apart join without re-encoding, one output gain bringing each to -16 LUFS', async () => {
    const make = async (name: string, seed: number, amplitude: number) => {
      const path = join(dir, name);
      await ffmpeg([
        ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:seed=${seed}:amplitude=${amplitude}:d=4`],
        ...['-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '96k', path],
      ]);
      return path;
    };
    const a = await make('Part 1.opus', 5, 0.05);
    const b = await make('Part 2.opus', 6, 0.055);
    const before = [loudnessOf(a, 0, 4), loudnessOf(b, 0, 4)];
    expect(Math.abs(before[0]! - before[1]!)).toBeLessThan(1.5);
    expect(before[0]).toBeLessThan(-25);
    await ui.addFilesAndWait([a, b]);
    await ui.setFormat('Opus');
    await field(output(), 'checkbox', 'Match loudness').check();
    const promise = page.getByText('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    await until(async () => expect(await promise.count()).toBe(1));
    expect(await ui.planText()).toMatch(/^Lossless/);
    const { file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    const probe = await ffprobe(file);
    expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('opus');
    const after = [loudnessOf(file, 0.5, 3), loudnessOf(file, 4.5, 3)];
    console.log(
      `Opus book, integrated loudness (native ebur128), before → after: ` +
        `${before[0]} → ${after[0]} LUFS, ${before[1]} → ${after[1]} LUFS`,
    );
    for (const l of after) expect(Math.abs(l + 16)).toBeLessThanOrEqual(0.8);
    // The audio packets are the inputs' (but the few at the join, encoded again to close it):
    // the gain is the OpusHead's, not the audio's.
    const joined = payloadOf(file);
    const pa = payloadOf(a);
    const pb = payloadOf(b);
    expect(shared(joined, pa)).toBeGreaterThan(pa.length * 0.9);
    expect(shared(joined, pb, true)).toBeGreaterThan(pb.length * 0.9);
  });
});

/** Three 5 s tones with 2 s of silence between them (19 s), as one long MP3. */
async function threeTones(name: string): Promise<string> {
  const path = join(dir, name);
  const tone = (f: number) => `sine=frequency=${f}:duration=5`;
  await ffmpeg([
    ...['-f', 'lavfi', '-i', tone(440), '-f', 'lavfi', '-i', tone(660)],
    ...['-f', 'lavfi', '-i', tone(880), '-filter_complex'],
    '[0]apad=pad_dur=2[a];[1]apad=pad_dur=2[b];[a][b][2]concat=n=3:v=0:a=1',
    ...['-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', path],
  ]);
  return path;
}

describe('Find chapters', () => {
  test('a long file’s two pauses become markers; accepted, they are the M4B’s and the MP3’s chapters', async () => {
    const path = await threeTones('Lecture.mp3');
    await ui.addFilesAndWait([path]);
    const card = ui.items.nth(0);
    await card.getByRole('button', { name: 'Find chapters' }).click();
    const markers = card.getByRole('slider', { name: /^Chapter \d+ marker$/ });
    await until(async () => expect(await markers.count()).toBe(2));
    const at = await markers.evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('aria-valuenow'))),
    );
    // Just before each next tone: 7 s and 14 s.
    expect(Math.abs(at[0]! - 7)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(at[1]! - 14)).toBeLessThanOrEqual(0.5);

    // Drag the first to 7.2 s over the waveform (its box is the track's length).
    const wave = (await card.locator('.waveform').boundingBox())!;
    const grip = (await markers.nth(0).boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(wave.x + wave.width * (7.2 / 19), grip.y + grip.height / 2, {
      steps: 5,
    });
    await page.mouse.up();
    await until(async () =>
      expect(
        Math.abs(Number(await markers.nth(0).getAttribute('aria-valuenow')) - 7.2),
      ).toBeLessThan(0.3),
    );

    // Name one, nudge one with the keyboard, add one and delete it again.
    await field(card, 'textbox', 'Chapter 2 title').fill('The middle tone');
    await field(card, 'textbox', 'Chapter 2 title').press('Enter');
    await markers.nth(1).focus();
    await markers.nth(1).press('ArrowRight');
    await until(async () =>
      expect(Number(await markers.nth(1).getAttribute('aria-valuenow'))).toBeCloseTo(
        at[1]! + 0.1,
        2,
      ),
    );
    // A marker added goes in the middle of the widest stretch without one; Delete removes it.
    await card.getByRole('button', { name: 'Add marker' }).click();
    await until(async () => expect(await markers.count()).toBe(3));
    const values = await markers.evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('aria-valuenow'))),
    );
    const added = values.findIndex((v) => Math.abs(v - 7.2) > 0.5 && Math.abs(v - 14) > 0.5);
    expect(added).toBeGreaterThanOrEqual(0);
    await card.getByRole('button', { name: `Delete chapter ${added + 2}` }).click();
    await until(async () => expect(await markers.count()).toBe(2));
    await card.getByRole('button', { name: 'Accept chapters' }).click();
    await until(async () => expect(await card.getByText('3 chapters marked').count()).toBe(1));

    await ui.setFormat('M4B');
    const m4b = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    const probe = await ffprobe(m4b.file);
    expect(probe.chapters.map((c) => c.tags?.title)).toEqual([
      'Chapter 1',
      'The middle tone',
      'Chapter 3',
    ]);
    const starts = probe.chapters.map((c) => Number(c.start_time));
    expect(starts[0]).toBe(0);
    expect(Math.abs(starts[1]! - 7)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(starts[2]! - 14)).toBeLessThanOrEqual(0.5);

    // The same chapters as ID3 CHAP in an MP3 (joined without re-encoding).
    await ui.setFormat('MP3');
    const mp3 = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    const id3 = await ffprobe(mp3.file);
    expect(id3.chapters.map((c) => c.tags?.title)).toEqual([
      'Chapter 1',
      'The middle tone',
      'Chapter 3',
    ]);
    expect(Math.abs(Number(id3.chapters[2]!.start_time) - 14)).toBeLessThanOrEqual(0.5);
  });
});
