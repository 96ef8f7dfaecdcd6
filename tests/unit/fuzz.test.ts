/**
 * Seeded fuzzing of the readers that take bytes from strangers: the sniffer, the ID3v2 codec,
 * the trailing-tag finder, the MP3 frame scanner and joiner, the WAV parser and joiner, and the
 * fast-path check. Thousands of mutations of the real fixtures (bit flips, truncations, inserted
 * and duplicated runs, huge and zero sizes written where headers keep them); every call must
 * finish quickly and throw nothing but Seam's named errors. A failure prints the seed, case
 * number and mutation, so it can be replayed alone with FUZZ_SEED=s FUZZ_CASE=n.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concat, type Bytes } from '@/lib/core/bytes';
import { SeamError } from '@/lib/core/errors';
import {
  checkFastPath,
  joinMp3,
  joinWav,
  parseWav,
  retagMp3,
  scanMp3,
  type LosslessInput,
} from '@/lib/lossless';
import { id3v2TagSize, leadingId3Size, parseId3v2, readLeadingId3 } from '@/lib/containers/id3';
import { inspectHeader, SNIFF_WINDOW } from '@/lib/media/sniff';
import { trailingTagsStart } from '@/lib/media/trailing-tags';

/** Fixed, so every run tries the same files; FUZZ_SEED explores others (a finding prints it). */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5ea3);
/** Cases per format; with the calls below they take about 10 s on two cores. */
const CASES = { mp3: 1500, wav: 1000 };
/** No reader may take longer than this on inputs of a few KB (a hang shows up as a timeout). */
const CALL_LIMIT_MS = 1000;

const FIXTURES = join(import.meta.dirname, '../fixtures');
const load = (name: string): Bytes => new Uint8Array(readFileSync(join(FIXTURES, name)));

const MP3_SEEDS = [
  'lossless/cbr-64k-44100-stereo.mp3',
  'lossless/vbr-xing.mp3',
  'lossless/vbr-no-xing.mp3',
  'lossless/with-id3v2-and-cover.mp3',
  'lossless/with-apev2-and-id3v1.mp3',
  'lossless/with-leading-junk.mp3',
  'lossless/layer2-44100-stereo.mp2',
  'lossless/mpeg2-22050-mono.mp3',
  'lossless/mpeg25-8000-mono.mp3',
  'with-tags-and-cover.mp3',
  'cat-stereo-then-mono.mp3',
].map(load);

const WAV_SEEDS = [
  'lossless/s16-8000-mono.wav',
  'lossless/wav-with-list-chunk.wav',
  'lossless/rf64-s16-11025-stereo.wav',
  'lossless/streamed-size-ffffffff.wav',
  'lossless/s24-8000-mono-extensible.wav',
  'lossless/f32-8000-mono.wav',
  'lossless/u8-8000-mono-odd-length.wav',
].map(load);

/** mulberry32: small, fast, and the same sequence everywhere for one seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Mutant {
  bytes: Bytes;
  how: string;
}

const SIZES = [0, 1, 0x7f, 0xff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x7f7f7f7f];

/** Offsets where a header keeps a size: after every RIFF chunk id, ID3/APE/Xing fields. */
function sizeFields(b: Uint8Array): number[] {
  const out = [4, 6, 16, 40];
  const text = new TextDecoder('latin1').decode(b.subarray(0, 4096));
  for (const id of ['fmt ', 'data', 'LIST', 'ds64', 'fact', 'Xing', 'Info', 'VBRI', 'LAME']) {
    for (let i = text.indexOf(id); i >= 0; i = text.indexOf(id, i + 1)) {
      out.push(i + 4, i + 8, i + 12, i + 16);
    }
  }
  const tail = Math.max(0, b.length - 4096);
  const end = new TextDecoder('latin1').decode(b.subarray(tail));
  for (const id of ['APETAGEX', 'LYRICS', 'TAG', '3DI']) {
    const i = end.lastIndexOf(id);
    if (i >= 0) out.push(tail + i + id.length, tail + i + 12, tail + i + 6);
  }
  return out.filter((o) => o + 4 <= b.length);
}

function mutate(seed: Bytes, other: Bytes, r: () => number): Mutant {
  const pick = (n: number) => Math.floor(r() * n);
  /** A position, most often among the headers at the start or the tags at the end. */
  const place = (length: number) => {
    const x = r();
    if (x < 0.5) return pick(Math.min(length, 256) + 1);
    if (x < 0.7) return Math.max(0, length - pick(Math.min(length, 256) + 1));
    return pick(length + 1);
  };
  const b = seed.slice();
  const steps: string[] = [];
  let out: Bytes = b;
  const rounds = 1 + pick(3);
  for (let k = 0; k < rounds; k++) {
    const kind = pick(8);
    const at = place(out.length);
    if (kind === 0) {
      const flips = 1 + pick(16);
      // Mostly near the start, where the headers are.
      for (let i = 0; i < flips; i++) {
        const pos = r() < 0.7 ? pick(Math.min(out.length, 512)) : pick(out.length);
        if (out.length) out[pos] = out[pos]! ^ (1 << pick(8));
      }
      steps.push(`flip ${flips}`);
    } else if (kind === 1) {
      out = out.slice(0, at);
      steps.push(`cut at ${at}`);
    } else if (kind === 2) {
      const len = pick(Math.min(4096, out.length) + 1);
      const from = pick(Math.max(1, out.length - len));
      out = concat([out.subarray(0, at), out.slice(from, from + len), out.subarray(at)]);
      steps.push(`duplicate ${len} from ${from} at ${at}`);
    } else if (kind === 3) {
      const len = 1 + pick(64);
      const junk = Uint8Array.from({ length: len }, () => (r() < 0.3 ? 0xff : pick(256)));
      out = concat([out.subarray(0, at), junk, out.subarray(at)]);
      steps.push(`insert ${len} random at ${at}`);
    } else if (kind === 4 || kind === 5) {
      const fields = sizeFields(out);
      if (fields.length === 0) continue;
      const f = fields[pick(fields.length)]!;
      const v = kind === 4 ? SIZES[pick(SIZES.length)]! : 0;
      const le = r() < 0.5;
      for (let i = 0; i < 4; i++) out[f + i] = (v >>> (8 * (le ? i : 3 - i))) & 0xff;
      steps.push(`size ${v.toString(16)} at ${f}${le ? ' LE' : ' BE'}`);
    } else if (kind === 6) {
      const len = pick(Math.min(2048, out.length - at) + 1);
      out = concat([out.subarray(0, at), out.subarray(at + len)]);
      steps.push(`delete ${len} at ${at}`);
    } else {
      const from = pick(other.length);
      const len = pick(Math.min(2048, other.length - from) + 1);
      out = concat([out.subarray(0, at), other.slice(from, from + len), out.subarray(at)]);
      steps.push(`splice ${len} of another file at ${at}`);
    }
  }
  return { bytes: out, how: steps.join(', ') };
}

/** Runs `fn` within the time limit; anything but a SeamError is a finding. */
async function bounded(name: string, fn: () => unknown): Promise<string | undefined> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('HANG')), CALL_LIMIT_MS);
    });
    await Promise.race([Promise.resolve().then(fn), hang]);
  } catch (err) {
    if (!(err instanceof SeamError)) {
      return `${name}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    }
  } finally {
    clearTimeout(timer);
  }
  // A synchronous loop cannot be raced; it still shows in the time taken.
  const ms = performance.now() - started;
  return ms > CALL_LIMIT_MS ? `${name}: took ${Math.round(ms)} ms` : undefined;
}

/** Every reader that takes this file's bytes. */
async function readAll(bytes: Bytes, kind: 'mp3' | 'wav'): Promise<string[]> {
  const blob = new Blob([bytes]);
  const input: LosslessInput = { id: 'fuzz', name: 'fuzz', blob };
  const good: LosslessInput = { id: 'good', name: 'good', blob: new Blob([MP3_SEEDS[0]!]) };
  const expected = { sampleRate: 44100, channels: 2, durationSec: 2 };
  const calls: [string, () => unknown][] = [
    [
      'inspectHeader',
      () => {
        // The sniffer promises never to throw, not even a SeamError.
        try {
          inspectHeader(bytes.subarray(0, SNIFF_WINDOW), bytes.length);
        } catch (err) {
          throw new Error(`threw ${String(err)}`);
        }
      },
    ],
    [
      'id3v2TagSize/leadingId3Size/parseId3v2',
      () => [id3v2TagSize(bytes), leadingId3Size(bytes), parseId3v2(bytes)],
    ],
    ['readLeadingId3', () => readLeadingId3(blob)],
    ['trailingTagsStart', () => trailingTagsStart(blob, 0)],
  ];
  if (kind === 'mp3') {
    calls.push(
      ['scanMp3', () => scanMp3(input)],
      ['joinMp3', () => joinMp3([good, input])],
      ['retagMp3', () => retagMp3(blob, { set: { title: 'T' }, chapters: [], cover: 'keep' })],
      ['checkFastPath mp3', () => checkFastPath('mp3', input, expected)],
    );
  } else {
    calls.push(
      ['parseWav', () => parseWav(input)],
      ['joinWav', () => joinWav([input, input])],
      ['checkFastPath wav', () => checkFastPath('wav', input, expected)],
    );
  }
  const found: string[] = [];
  for (const [name, fn] of calls) {
    const f = await bounded(name, fn);
    if (f) found.push(f);
  }
  return found;
}

describe.each([
  ['mp3', MP3_SEEDS, CASES.mp3],
  ['wav', WAV_SEEDS, CASES.wav],
] as const)('fuzz %s readers', (kind, seeds, cases) => {
  it(`${cases} mutated files: only named errors, no hangs`, { timeout: 60_000 }, async () => {
    const r = rng(SEED + (kind === 'mp3' ? 0 : 1));
    const only = process.env.FUZZ_CASE ? Number(process.env.FUZZ_CASE) : undefined;
    const findings: string[] = [];
    for (let n = 0; n < cases; n++) {
      const seed = seeds[Math.floor(r() * seeds.length)]!;
      const other = [...MP3_SEEDS, ...WAV_SEEDS][Math.floor(r() * 18)]!;
      const m = mutate(seed, other, r);
      if (only !== undefined && n !== only) continue;
      for (const f of await readAll(m.bytes, kind)) {
        findings.push(`seed ${SEED} ${kind} case ${n} (${m.how}): ${f}`);
      }
      if (findings.length >= 20) break;
    }
    expect(findings).toEqual([]);
  });
});

describe.each([
  ['mp3', MP3_SEEDS, 8],
  ['wav', WAV_SEEDS, 1],
] as const)('fuzz %s readers with every cut in the headers', (kind, seeds, step) => {
  /** Headers sit in the first few hundred bytes: every cut there, one `step` apart. */
  const HEAD = 320;
  it(`each fixture cut at 0..${HEAD} bytes, every ${step}`, { timeout: 60_000 }, async () => {
    const findings: string[] = [];
    for (const [i, seed] of seeds.entries()) {
      for (let cut = 0; cut <= HEAD && findings.length < 20; cut += step) {
        for (const f of await readAll(seed.slice(0, cut), kind)) {
          findings.push(`${kind} seed file ${i} cut at ${cut}: ${f}`);
        }
      }
    }
    expect(findings).toEqual([]);
  });
});
