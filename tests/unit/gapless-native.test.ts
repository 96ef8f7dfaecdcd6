/**
 * Gapless lossless joins, measured with native ffmpeg (tests/support/gapless.ts): the planner's
 * lossless plan for three inputs of each format runs as the engine would run it (the zero-copy
 * joiners in JS, the stream copy with native ffmpeg 5.1, the ffmpeg.wasm core's version), and
 * the output is decoded against the inputs: its length is their sum within one codec frame, each
 * next input starts where the ones before it end (within one frame), and no join has a run of
 * digital silence the inputs did not have. The inputs are music-like (no silence of their own)
 * and their lengths fall off every codec's frame grid.
 */
import { findStep } from '@/lib/plan/steps';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import { defaultOutput } from '@/lib/core/settings';
import { closeJoins, joinLosslessly } from '@/lib/lossless';
import { planJoin } from '@/lib/plan/planner';
import { ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { describeFigures, measureGapless, type GaplessFigures } from '../support/gapless';
import { tempFolder } from './support/files';
import { makeMusic, probeTrack, runNative } from './support/segments-native';

// Native ffmpeg runs a few times per case: on busy shared cores that can take a while.
vi.setConfig({ hookTimeout: 180_000, testTimeout: 60_000 });
beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('gapless').dir;

/** Lengths off every frame grid (1152, 1024, 960, 4096 samples). */
const SECONDS = [1.37, 0.83, 1.11];

interface Case {
  label: string;
  format: FormatId;
  ext: string;
  rate: number;
  /** Samples per codec frame: the tolerance. */
  frame: number;
  encode: string[];
}

const CASES: Case[] = [
  {
    label: 'MP3',
    format: 'mp3',
    ext: 'mp3',
    rate: 44100,
    frame: 1152,
    encode: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  },
  { label: 'WAV', format: 'wav', ext: 'wav', rate: 44100, frame: 1, encode: ['-c:a', 'pcm_s16le'] },
  {
    label: 'M4A (AAC)',
    format: 'm4a',
    ext: 'm4a',
    rate: 44100,
    frame: 1024,
    encode: ['-c:a', 'aac', '-b:a', '128k'],
  },
  {
    label: 'M4B (AAC)',
    format: 'm4b',
    ext: 'm4a',
    rate: 22050,
    frame: 1024,
    encode: ['-c:a', 'aac', '-b:a', '64k'],
  },
  {
    label: 'FLAC',
    format: 'flac',
    ext: 'flac',
    rate: 44100,
    frame: 4608,
    encode: ['-c:a', 'flac'],
  },
  {
    label: 'Opus',
    format: 'opus',
    ext: 'opus',
    rate: 48000,
    frame: 960,
    encode: ['-c:a', 'libopus', '-b:a', '96k'],
  },
];

async function makeInputs(c: Case): Promise<string[]> {
  return Promise.all(
    SECONDS.map(async (sec, i) => {
      const wav = join(tmp, `${c.format}-${i}.wav`);
      makeMusic(wav, sec, c.rate, 2, i + 1);
      const path = join(tmp, `${c.format}-${i}.${c.ext}`);
      if (c.ext !== 'wav') await ffmpeg(['-i', wav, ...c.encode, path]);
      return c.ext === 'wav' ? wav : path;
    }),
  );
}

/** Runs the lossless plan for `paths` to `format` as the engine would; the output's path. */
async function joinLossless(c: Case, paths: string[]): Promise<{ out: string; summary: string }> {
  const tracks = paths.map((p, i) => probeTrack(p, `track-${i}.${c.ext}`));
  const plan = planJoin(tracks, { ...defaultOutput, format: c.format, chapters: 'none' });
  expect(plan.lossless, plan.summary).toBe(true);
  const byId = new Map(tracks.map((t, i) => [t.id, paths[i]!]));
  if (plan.kind === 'fast') {
    const blob = await joinLosslessly(
      plan.steps.main.kind === 'fast-mp3' ? 'mp3' : 'wav',
      tracks.map((t, i) => ({ id: t.id, name: t.name, blob: new Blob([readFileSync(paths[i]!)]) })),
    );
    const out = join(tmp, `${c.format}-joined.${c.ext}`);
    writeFileSync(out, new Uint8Array(await blob.arrayBuffer()));
    return { out, summary: plan.summary };
  }
  const run = runNative(plan, join(tmp, `run-${c.format}`), (id) => byId.get(id)!);
  const close = findStep(plan.steps, 'close-joins');
  if (!close) return { out: run.path, summary: plan.summary };
  // The engine's pass after the stream copy (lib/engine/host.ts).
  const closed = await closeJoins(
    close.container,
    new Blob([run.bytes]),
    paths.map((p) => new Blob([readFileSync(p)])),
  );
  const out = join(tmp, `${c.format}-closed.${c.ext}`);
  writeFileSync(out, new Uint8Array(await closed.arrayBuffer()));
  return { out, summary: plan.summary };
}

/** Samples an input plays by its container's own account (ffprobe's stream duration). */
async function playedSamples(path: string): Promise<number> {
  const audio = (await ffprobe(path)).streams.find((s) => s.codec_type === 'audio')!;
  return Math.round(Number(audio.duration) * Number(audio.sample_rate));
}

const figures = new Map<string, GaplessFigures>();

describe.each(CASES)('a lossless $label join', (c) => {
  let paths: string[];
  let out: string;
  let f: GaplessFigures;
  beforeAll(async () => {
    paths = await makeInputs(c);
    ({ out } = await joinLossless(c, paths));
    // ffmpeg 5.1 plays an M4A's end padding; what the file says it plays is its edit list's.
    const lengths = c.ext === 'm4a' ? await Promise.all(paths.map(playedSamples)) : undefined;
    f = await measureGapless(paths, out, lengths ? { lengths } : {});
    figures.set(c.label, f);
    console.log(describeFigures(c.label, f));
  });

  it('decodes to the inputs’ summed length within one codec frame', () => {
    expect(Math.abs(f.output - f.expected)).toBeLessThanOrEqual(c.frame);
  });

  it('puts each next input where the ones before it end, within half a codec frame', () => {
    for (const j of f.joins) {
      expect(j.match).toBeGreaterThan(0.9);
      expect(Math.abs(j.shift)).toBeLessThanOrEqual(Math.ceil(c.frame / 2));
    }
  });

  it('adds no silence at a join longer than half a codec frame', () => {
    // Whole frames are dropped, not re-encoded: what is left of the padding is under half a frame.
    for (const j of f.joins) {
      expect(j.silenceRun).toBeLessThanOrEqual(j.inputsSilenceRun + Math.ceil(c.frame / 2));
    }
  });

  it('states a finite duration that matches the decode (not the first file’s, not infinite)', async () => {
    const probe = await ffprobe(out);
    const stated = Number(probe.format.duration);
    expect(Number.isFinite(stated)).toBe(true);
    // ffprobe counts MP3 and AAC frames whole, with the encoder delay and padding.
    expect(Math.abs(stated * f.rate - f.output)).toBeLessThanOrEqual(2 * c.frame);
  });
});
