/**
 * The real-file corpus (tests/fixtures/corpus: files from other projects' test suites, with
 * native ffmpeg 5.1's verdict on each in verdicts.json) through the built extension: each file
 * is added with the popup's "Add files" input, and Seam must do what native ffmpeg's verdict
 * says, read with the rules ("Every file ffmpeg reads, Seam reads"):
 * - a file ffmpeg cannot decode is refused with an alert that names it and says why in words;
 * - a file that decodes to much less than its header announces is refused as cut short;
 * - a file whose audio fails to decode between its first moment and its very end is refused
 *   as damaged;
 * - every other file is accepted with ffmpeg's decoded length, channel count and sample
 *   format, and joined to itself (two copies) into its own format where Seam writes one and
 *   into MP3: the output decodes (native ffmpeg) to twice its length.
 *
 * By default a representative subset runs (every source project and every verdict kind, each
 * codec family and the files the issue names); `CORPUS=all` runs every file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { clearQueue, storedTracks, type StoredTrack } from '../support/queue';
import { inPage } from '../support/chromium';
import { until } from '../support/wait';

/** One entry of verdicts.json (tests/fixtures/corpus/README.md says what each field means). */
interface Verdict {
  bytes: number;
  readable: boolean;
  container: string | null;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  sampleFmt: string | null;
  bitsPerRawSample: number | null;
  durationSec: number | null;
  decodedSamples: number;
  decodedSec: number;
  decodeErrors: { count: number; first: string[] };
  decodeErrorsBeforeTail?: number;
  decodeErrorsAtStart?: number;
}

const CORPUS = fixture('corpus');
const VERDICTS = JSON.parse(readFileSync(join(CORPUS, 'verdicts.json'), 'utf8')) as Record<
  string,
  Verdict
>;

// --- What Seam should do with each file, from native ffmpeg's verdict --------------------------

type Expected = 'accept' | 'unreadable' | 'cut' | 'damaged';

/**
 * The rules applied to native ffmpeg's numbers: cut short = more than 2 s and more than
 * 10 % of the announced length does not decode; damaged = more than one complaint between the
 * first moment and the tail, more than one bad frame's worth (4 lines) in the tail, or
 * complaints at the start of a file that also holds more than 10 % less than it announces.
 */
function expected(v: Verdict): Expected {
  if (!v.readable) return 'unreadable';
  const stated = v.durationSec;
  if (stated && stated - v.decodedSec > Math.max(2, stated * 0.1)) return 'cut';
  const beforeTail = v.decodeErrorsBeforeTail ?? 0;
  const atStart = v.decodeErrorsAtStart ?? 0;
  if (beforeTail - atStart > 1 || v.decodeErrors.count - beforeTail > 4) return 'damaged';
  if (beforeTail > 0 && stated && stated - v.decodedSec > stated * 0.1) return 'damaged';
  return 'accept';
}

/** The Format entry for a file's own kind of audio, where Seam writes one. */
function ownFormat(file: string, v: Verdict): FormatId | undefined {
  const codec = v.codec ?? '';
  if (codec === 'mp3') return 'mp3';
  if (codec === 'aac' || codec === 'alac') return file.endsWith('.m4b') ? 'm4b' : 'm4a';
  if (codec === 'vorbis') return 'ogg';
  if (codec === 'opus') return 'opus';
  if (codec === 'flac') return 'flac';
  if (codec.startsWith('pcm_')) return 'wav';
  return undefined;
}

const LABELS: Record<FormatId, string> = {
  mp3: 'MP3',
  m4a: 'M4A',
  m4b: 'M4B',
  m4r: 'M4R',
  ogg: 'OGG',
  opus: 'Opus',
  flac: 'FLAC',
  wav: 'WAV',
};

/**
 * Length slack of a join of two copies: what a codec's frames add at a junction and at the ends
 * (MP3: encoder delay and padding, 2 x 1152 + 529 samples; AAC: 2048 + a frame; Vorbis: a
 * block; Opus: 80 ms), and 50 ms for an encoder's own rounding.
 */
function slackSec(codec: string, rate: number): number {
  const samples: Record<string, number> = { mp3: 3 * 1152, aac: 3 * 1024, vorbis: 2048 };
  const codecSlack = codec === 'opus' ? 0.08 : (samples[codec] ?? 0) / rate;
  return 0.05 + 2 * codecSlack;
}

// --- Which files run ------------------------------------------------------------------------

/** The files the issue names: each case it lists, so the quick run always has them. */
const NAMED = [
  'music-metadata/mp4/issue-127.m4b', // announces 4:22:07, holds nothing
  'music-metadata/matroska/no-duration.webm', // MediaRecorder WebM, no Duration
  'music-metadata/flac/test-unknown-duration.flac', // total_samples = 0
  'lofty/minimal/mpc_sv8.mpc', // Musepack SV8, no length
  'music-metadata/a_kind_of_magic.flac', // ID3v2 before and ID3v1 after the FLAC frames
  'music-metadata/id3-multi-01.mp3', // malformed ID3 text frames
  'wavefile/out/8-channel-16-bit-48kHz-mono-fromScratch.wav',
  'flac-test-files/subset/43_-_8_channels_7.1.flac',
  'tinytag/32bit_pcm.wav',
  'taglib/float64.wav',
  'music-metadata/id3v2.2.mp3',
  'wavefile/out/RIFX-16bit-8kHz-stereo-fromRF64.wav',
  'music-metadata/aiff/Porder.aif', // 9 samples
  'music-metadata/matroska/big-buck-bunny_trailer-short.vp8.webm', // VP8 + a JPEG cover
  'tinytag/test2.m4a', // AAC at 8 kHz
  'mediabunny/malformed-join.mp3', // damaged midway
  'taglib/lame_cbr.mp3', // announces 31 min over a 4 kB excerpt
  'mutagen/emptyfile.mp3', // 0 bytes
];

/** Codec family, for choosing a subset that covers each. */
const family = (v: Verdict) => (v.readable ? (v.codec ?? '?') : 'none');

/**
 * A representative subset: the named files, then one file for each source project and verdict
 * kind, then one for each codec family not yet in it (files in name order, so the choice is
 * stable).
 */
function quickSubset(all: readonly string[]): string[] {
  const chosen = new Set(NAMED.filter((f) => VERDICTS[f]));
  const covered = (key: (f: string) => string) => new Set([...chosen].map(key));
  const cover = (key: (f: string) => string) => {
    const have = covered(key);
    for (const f of all) {
      if (have.has(key(f))) continue;
      chosen.add(f);
      have.add(key(f));
    }
  };
  cover((f) => `${f.split('/')[0]} ${expected(VERDICTS[f]!)}`);
  cover((f) => family(VERDICTS[f]!));
  return all.filter((f) => chosen.has(f));
}

/**
 * The joins of the quick run: the named files Seam accepts, and one file of each own format
 * and of the formats joined to MP3 only (each join takes a few seconds).
 */
function quickJoins(files: readonly string[]): string[] {
  const accepted = files.filter((f) => expected(VERDICTS[f]!) === 'accept');
  const chosen = new Set(accepted.filter((f) => NAMED.includes(f)));
  const kind = (f: string) => ownFormat(f, VERDICTS[f]!) ?? 'mp3 only';
  const have = new Set([...chosen].map(kind));
  for (const f of accepted) {
    if (have.has(kind(f))) continue;
    chosen.add(f);
    have.add(kind(f));
  }
  return accepted.filter((f) => chosen.has(f));
}

const ALL_FILES = Object.keys(VERDICTS).sort();
const FULL = process.env.CORPUS === 'all';
const FILES = FULL ? ALL_FILES : quickSubset(ALL_FILES);
const base = (f: string) => f.split('/').pop()!;

/** Batches of files added at once: at most `size`, no two with the same file name. */
function batches(files: readonly string[], size: number): string[][] {
  const out: string[][] = [];
  for (const f of files) {
    const fit = out.find((b) => b.length < size && !b.some((g) => base(g) === base(f)));
    if (fit) fit.push(f);
    else out.push([f]);
  }
  return out;
}

// --- The run ----------------------------------------------------------------------------------

let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  requireNativeFfmpeg();
  seam = await launchSeam({ name: 'seam-corpus' });
  page = await seam.openPopup();
  ui = new PopupPage(page);
  // Tracks stay in the order they were added, so each list item is known by its place.
  await seam.ext.setPreferences({ sortAddedByName: false });
});

afterAll(async () => {
  await seam?.close();
});

/** What Seam made of one file: its stored track and, when refused, its alert as a person sees it. */
interface Seen {
  track: StoredTrack;
  alert?: string;
}

/** A track is settled once it is refused or ready with its whole audio decoded. */
const settled = (t: StoredTrack) =>
  t.status === 'error' || (t.status === 'ready' && !!t.info?.decoded);

/** Adds a batch through "Add files", waits until every track is settled, and reads them. */
interface Batch {
  seen: Map<string, Seen>;
  /** The full run's join of the batch's accepted files into one MP3: its error, if it failed. */
  joined?: Promise<void>;
}

async function addBatch(files: readonly string[]): Promise<Batch> {
  await resetSeam(seam, page, 300_000);
  ui = new PopupPage(page);
  await ui.addFiles(files.map((f) => join(CORPUS, f)));
  const tracks = await until(
    async () => {
      const all = await storedTracks(inPage(page));
      if (all.length !== files.length || !all.every(settled)) {
        const waiting = all.filter((t) => !settled(t)).map((t) => `${t.name} ${t.status}`);
        throw new Error(`waiting for ${files.length} tracks (${all.length} stored): ${waiting}`);
      }
      return all;
    },
    60_000 + files.length * 10_000,
    250,
  );
  const seen = new Map<string, Seen>();
  await ui.waitForSettled(files.length, 60_000);
  for (const [i, f] of files.entries()) {
    const track = tracks.find((t) => t.name === base(f));
    if (!track) throw new Error(`${f} is not in the queue`);
    const entry: Seen = { track };
    if (track.status === 'error') {
      const item = ui.items.nth(i);
      expect((await ui.tracks())[i]).toBe(base(f));
      entry.alert = (await item.getByRole('alert').textContent())?.trim() ?? '';
    }
    seen.set(f, entry);
  }
  const batch: Batch = { seen };
  if (FULL) {
    batch.joined = joinAccepted(files, tracks);
    // Settled before the next batch starts; its test reads the outcome.
    await batch.joined.catch(() => undefined);
  }
  return batch;
}

/**
 * The full run joins every accepted file of a batch into one MP3, as a person would after
 * "Remove failed tracks": its decoded length is the sum of theirs (each file's own MP3 join is
 * in the quick set only, at a few seconds a join).
 */
async function joinAccepted(files: readonly string[], tracks: readonly StoredTrack[]) {
  const ready = files.filter((f) => tracks.find((t) => t.name === base(f))?.status === 'ready');
  if (ready.length === 0) return;
  if (ready.length < files.length) {
    await page.getByRole('button', { name: 'Remove failed tracks', exact: true }).click();
    await ui.waitForSettled(ready.length, 60_000);
  }
  await ui.setFormat('MP3');
  await expect.poll(() => ui.planText()).not.toBe('');
  const { file } = await seam.ext.joinAndWait(() => ui.join(), 600_000);
  const probe = await ffprobe(file);
  const audio = probe.streams.filter((s) => s.codec_type === 'audio');
  expect(audio.map((s) => s.codec_name)).toEqual(['mp3']);
  const rate = Number(audio[0]!.sample_rate);
  const want = ready.reduce((sum, f) => sum + VERDICTS[f]!.decodedSec, 0);
  const len = await decodedDuration(file, { rate });
  // Each file may be resampled and its end rounded to the output's samples: 5 ms a file.
  expect(Math.abs(len - want), `${len} s, wanted ${want} s`).toBeLessThanOrEqual(
    0.05 + 0.005 * ready.length,
  );
}

const BATCH = 40;
const runs = new Map<string, Promise<Batch>>();
const plannedBatches = batches(FILES, BATCH);
/** What Seam made of `file`: its batch is added the first time one of its files asks. */
function batchOf(files: readonly string[]): Promise<Batch> {
  const key = files.join('\n');
  let run = runs.get(key);
  if (!run) {
    run = addBatch(files);
    runs.set(key, run);
  }
  return run;
}
const seen = async (file: string): Promise<Seen> =>
  (await batchOf(plannedBatches.find((x) => x.includes(file))!)).seen.get(file)!;

/** Empties the queue (as Clear all would) without reloading the popup, and waits for the list to. */
async function emptyQueue(): Promise<void> {
  await seam.ext.waitForJob((j) => j?.status !== 'running', 300_000);
  await clearQueue(inPage(page));
  await seam.ext.forgetJob();
  await until(async () => expect(await ui.items.count()).toBe(0));
}

/** An alert a person can read: names the file, says why in words, no code or object dump. */
function expectReadableAlert(alert: string | undefined, file: string): void {
  expect(alert, 'a refused file shows an alert').toBeTruthy();
  const text = alert!;
  expect(text.startsWith(`${base(file)}:`), text).toBe(true);
  expect(text, 'no object dump').not.toMatch(/\[object \w+\]|undefined|null/);
  // Raw decoder casing such as "(cRC mismatch!)": a lower-case letter fused to capitals.
  expect(text, 'no raw decoder casing').not.toMatch(/\b[a-z][A-Z]{2,}/);
  const reason = text.slice(base(file).length + 1).trim();
  expect(reason, 'a sentence in words').toMatch(/^[A-Z][a-z]*\b.*\b[a-z]{3,} [a-z]{2,}.*[.!]$/);
}

/** Joins the queue (two copies of `file`) into `format`; returns the saved file. */
async function joinTo(format: FormatId): Promise<{ file: string; lossless: boolean }> {
  await ui.setFormat(LABELS[format]);
  await expect.poll(() => ui.planText()).not.toBe('');
  const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
  expect(job.fileName.endsWith(`.${format}`)).toBe(true);
  return { file, lossless: job.lossless };
}

/** Checks a join of two copies: codec, channels, sample format where kept, and the length. */
async function checkJoin(
  path: string,
  format: FormatId,
  v: Verdict,
  out: { file: string; lossless: boolean },
): Promise<void> {
  const probe = await ffprobe(out.file);
  const audio = probe.streams.filter((s) => s.codec_type === 'audio');
  expect(audio, 'one audio stream').toHaveLength(1);
  const a = audio[0]!;
  const codec = a.codec_name;
  if (format === 'mp3') {
    expect(codec).toBe('mp3');
    expect(a.channels).toBe(Math.min(2, v.channels!));
  } else if (format === 'wav' || format === 'flac' || (out.lossless && v.codec === 'alac')) {
    // Lossless keeps every channel and the sample format.
    expect(a.channels).toBe(v.channels);
    if (format === 'wav' && v.sampleFmt && !/^pcm_(alaw|mulaw)/.test(v.codec ?? '')) {
      expect(a.sample_fmt?.replace(/p$/, '')).toBe(v.sampleFmt.replace(/p$/, ''));
    }
    if (format === 'flac' && v.bitsPerRawSample) {
      expect(Number(a.bits_per_raw_sample)).toBe(Math.min(24, v.bitsPerRawSample));
    }
  }
  const rate = Number(a.sample_rate);
  const len = await decodedDuration(out.file, { rate });
  // MP3 pads a join shorter than one frame to one frame (lib/plan/graph.ts minSamples).
  const want = Math.max(2 * v.decodedSec, format === 'mp3' ? 1152 / rate : 0);
  const slack = out.lossless && codec !== v.codec ? 0.05 : slackSec(codec, rate);
  expect(
    Math.abs(len - want),
    `${path} joined to ${format}: ${len} s, wanted ${want} s`,
  ).toBeLessThanOrEqual(out.lossless && /^(pcm_|flac|alac)/.test(codec) ? 0.002 : slack);
}

describe(`the corpus: ${FILES.length} of ${ALL_FILES.length} files`, () => {
  test.each(FILES)(
    '%s: added, Seam says what native ffmpeg says',
    async (file) => {
      const v = VERDICTS[file]!;
      const want = expected(v);
      const { track, alert } = await seen(file);
      if (want !== 'accept') {
        expect(track.status, `${file} is refused (${want})`).toBe('error');
        expectReadableAlert(alert, file);
        if (want === 'cut') expect(track.error?.code).toBe('truncated-audio');
        if (want === 'damaged') expect(track.error?.code).toBe('corrupt-audio');
        return;
      }
      expect(track.status, `${file}: ${alert ?? ''}`).toBe('ready');
      const info = track.info!;
      expect(info.decoded).toBe(true);
      // The decoded length to the sample (ffmpeg.wasm and native ffmpeg 5.1 decode alike).
      expect(Math.abs(info.durationSec - v.decodedSec), `${info.durationSec} s`).toBeLessThan(
        0.002,
      );
      expect(info.channels).toBe(v.channels);
      expect(info.sampleRate).toBe(v.sampleRate);
      if (v.sampleFmt) expect(info.sampleFormat).toBe(v.sampleFmt);
    },
    900_000,
  );

  if (FULL) {
    test.each(plannedBatches.map((b, i) => [i + 1, b] as const))(
      'batch %i: every file Seam accepts joins into one MP3 of their total length',
      async (_, files) => {
        await (
          await batchOf(files)
        ).joined;
      },
      900_000,
    );
  }

  const joinable = quickJoins(FILES);
  test.each(joinable)(
    '%s: two copies join to its own format and to MP3',
    async (file) => {
      const v = VERDICTS[file]!;
      await emptyQueue();
      ui = new PopupPage(page);
      await ui.addFiles([join(CORPUS, file), join(CORPUS, file)]);
      await until(async () => {
        const all = await storedTracks(inPage(page));
        if (all.length !== 2 || !all.every(settled)) throw new Error(`waiting: ${file}`);
        if (!all.every((t) => t.status === 'ready')) throw new Error(`refused: ${file}`);
      }, 120_000);
      const formats = [...new Set([ownFormat(file, v), 'mp3' as const])].filter(
        (f): f is FormatId => f !== undefined,
      );
      for (const format of formats) {
        const out = await joinTo(format);
        await checkJoin(file, format, v, out);
      }
    },
    300_000,
  );
});
