/**
 * Parallel encoding in the built extension: the same join encoded in parts (two engines, each a
 * segment, spliced) and in one engine, through the popup, both with real ffmpeg.wasm. What a
 * person would notice if the splice points were wrong:
 * - the file is longer or shorter (a lost or doubled frame, encoder padding left in): the two
 *   decode to exactly the same number of samples;
 * - tags or chapters change: native ffprobe reads the same tags and chapters from both;
 * - a click or a dropout at a splice point. The threshold is the unit test's (segments-native):
 *   in every window of 2048 samples (43 ms at 48 kHz),
 *     RMS(parts - one engine) <= K x RMS(one engine - source) + 1e-4 (-80 dBFS),
 *   i.e. splitting moves the audio less than encoding it at all does; K = 1 for MP3 and Opus,
 *   3 for AAC (ffmpeg's encoder carries rate control for seconds; a single pass at 224 instead
 *   of 192 kb/s differs from itself by 2.45 x its error against the source). And near each
 *   splice point (within the splicer's reach of the nominal boundary, plus 256 samples) the peak
 *   difference is at most the one-engine file's own peak error around it.
 * FLAC is lossless: the two decode sample for sample the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import type { OutputSettings } from '@/lib/core/settings';
import { segmentCodec } from '@/lib/segments/codecs';
import { planSegments } from '@/lib/segments/plan';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { OptionsPage, PopupPage, field } from '../support/pages';
import { until } from '../support/wait';
import { decodeFloat, makeMusic, peakDiff, rmsDiff } from '../unit/support/segments-native';

const RATE = 48000;
/** Three tracks of 25 s: 75 s in all, two segments of at least 30 s on two engines. */
const TRACK_SEC = 25;
const TRACKS = 3;
const WINDOW = 2048;
const FLOOR = 1e-4;

let seam: Seam;
let page: Page;
let ui: PopupPage;
const tmp = mkdtempSync(join(tmpdir(), 'seam-parallel-'));
const inputs = Array.from({ length: TRACKS }, (_, i) => join(tmp, `music-${i + 1}.wav`));
let source: Float32Array;

beforeAll(async () => {
  requireNativeFfmpeg();
  inputs.forEach((p, i) => makeMusic(p, TRACK_SEC, RATE, 2, i + 1));
  // The timeline before encoding: the tracks end to end, as float samples.
  const parts = inputs.map((p) => decodeFloat(p, 2));
  source = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    source.set(p, at);
    at += p.length;
  }
  seam = await launchSeam();
  page = await seam.openPopup();
  await resetSeam(seam, page);
  ui = new PopupPage(page);
  await seam.ext.setTags({ title: 'Joined in parts', artist: 'Seam' });
  await page.reload();
  ui = new PopupPage(page);
  await ui.addFilesAndWait(inputs);
}, 180_000);

afterAll(async () => {
  await seam?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The cores the offscreen engine host plans the next join for (a test build's hook). */
async function useCores(cores: number): Promise<void> {
  await seam.worker.evaluate(async (n) => {
    await chrome.runtime.sendMessage({ seamE2eCores: n }).catch(() => undefined);
  }, cores);
}

async function joinWith(cores: number): Promise<{ file: string; parts: number | undefined }> {
  await useCores(cores);
  const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 240_000);
  return { file, parts: job.parts };
}

async function metadataOf(path: string) {
  const p = await ffprobe(path);
  return {
    tags: p.format.tags,
    chapters: (p.chapters ?? []).map((c) => [c.start_time, c.end_time, c.tags?.title]),
    streams: p.streams.map((s) => [s.codec_type, s.codec_name, s.sample_rate, s.channels]),
  };
}

const CASES: [label: string, format: FormatId, output: Partial<OutputSettings>, k: number][] = [
  ['MP3 CBR 192k with a chapter per track', 'mp3', { bitrate: 192, mp3Mode: 'cbr' }, 1],
  ['M4B (AAC) 128k with a chapter per track', 'm4b', { bitrate: 128 }, 3],
  ['Opus 96k', 'opus', { bitrate: 96 }, 1],
  ['FLAC', 'flac', {}, 0],
];

describe('a re-encode in two parts at once', () => {
  test.each(CASES)(
    '%s: the same samples’ count, tags and chapters as one engine; splice points within the codec’s noise',
    async (label, format, output, k) => {
      await seam.ext.setOutput({
        format,
        sampleRate: 'source',
        chapters: 'per-track',
        ...output,
      });
      await page.reload();
      ui = new PopupPage(page);
      await ui.waitForReady(TRACKS);
      // How the engines share the work is theirs to know: the popup says a re-encode (FLAC from
      // WAV: lossless, written again), no parts. (The list shows a track's length from its
      // header while ffprobe still reads it: the plan line waits for that.)
      await expect
        .poll(() => ui.planText(), { timeout: 60_000 })
        .toMatch(format === 'flac' ? /^Lossless/ : /^Re-encoding/);
      expect(await ui.planText()).not.toMatch(/\bparts?\b/i);

      const inParts = await joinWith(2);
      const inOne = await joinWith(1);
      await useCores(0);
      expect(inParts.parts).toBe(2);
      expect(inOne.parts).toBeUndefined();
      const parts = inParts.file;
      const one = inOne.file;

      expect(await metadataOf(parts)).toEqual(await metadataOf(one));
      const a = decodeFloat(parts, 2);
      const b = decodeFloat(one, 2);
      expect(a.length / 2, `${label}: samples`).toBe(b.length / 2);
      if (k === 0) {
        expect(peakDiff(a, b, 2, 0, b.length / 2)).toBe(0);
        return;
      }
      const frames = b.length / 2;
      const over: string[] = [];
      for (let at = 0; at < frames; at += WINDOW) {
        const diff = rmsDiff(a, b, 2, at, at + WINDOW);
        const noise = rmsDiff(b, source, 2, at, at + WINDOW);
        if (diff > k * noise + FLOOR) over.push(`${at}: ${diff} > ${k} x ${noise}`);
      }
      expect(over).toEqual([]);
      // Where the splice point is: the planner's boundary, give or take the splicer's reach.
      const codec = segmentCodec(format, RATE)!;
      const seg = planSegments(codec, {
        totalSamples: TRACKS * TRACK_SEC * RATE,
        rate: RATE,
        cores: 2,
      });
      expect(seg.splicePoints.length).toBe(1);
      for (const j of seg.splicePoints) {
        const at = j.nominal * codec.frame;
        const reach = (codec.spread + 1) * codec.frame + 256;
        const click = peakDiff(a, b, 2, at - reach, at + reach);
        const codecPeak = peakDiff(b, source, 2, at - reach - WINDOW, at + reach + WINDOW);
        expect(click, `splice point near sample ${at}`).toBeLessThanOrEqual(codecPeak + FLOOR);
      }
    },
    600_000,
  );
});

/**
 * Issue 19's reproduction: three mixed tracks (2:16 in all) joined to M4B and to MP3 with a chapter
 * per track, a title, an artist and a cover image of the person's own, in two parts at once. It
 * failed after the first seconds with "It stopped without saying why": the first part's command
 * read the image, which was not mounted for it.
 */
describe('a join in parts with an own cover image, chapters and tags', () => {
  test('M4B and MP3: the cover, three chapters, the tags and the whole length', async () => {
    const mixed = [
      ['Chapter 1.mp3', 50, ['-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k']],
      ['Chapter 2.wav', 40, ['-ar', '48000', '-ac', '1']],
      ['Chapter 3.flac', 46, ['-ar', '44100', '-ac', '2']],
    ] as const;
    const paths = mixed.map(([name]) => join(tmp, name));
    for (const [i, [, sec, args]] of mixed.entries()) {
      const tone = `sine=frequency=${330 + 110 * i}:duration=${sec}`;
      await ffmpeg(['-f', 'lavfi', '-i', tone, ...args, paths[i]!]);
    }
    const cover = join(tmp, 'own cover.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'color=teal:s=120x120', '-frames:v', '1', cover]);
    const options = await seam.openOptions();
    await resetSeam(seam, options);
    await seam.ext.setOutput({ chapters: 'per-track', sampleRate: 'source', bitrate: 128 });
    await seam.ext.setTags({ title: 'Mixed book', artist: 'Seam' });
    await options.reload();
    const editor = new OptionsPage(options);
    await editor.addFilesAndWait(paths, 120_000);
    const output = options.getByRole('region', { name: 'Output' });
    await output.getByLabel('Choose an image').setInputFiles(cover);
    await until(async () =>
      expect(await field(output, 'combobox', 'Cover').inputValue()).toBe('image'),
    );
    await useCores(2);
    try {
      for (const format of ['M4B', 'MP3']) {
        await editor.setFormat(format);
        const { job, file } = await seam.ext.joinAndWait(() => editor.join(), 240_000);
        expect(job.parts, format).toBe(2);
        const probe = await ffprobe(file);
        expect(probe.format.tags?.title ?? probe.format.tags?.TITLE).toBe('Mixed book');
        expect(probe.format.tags?.artist ?? probe.format.tags?.ARTIST).toBe('Seam');
        expect(probe.chapters.map((c) => c.tags?.title)).toEqual([
          'Chapter 1',
          'Chapter 2',
          'Chapter 3',
        ]);
        expect(probe.streams.filter((s) => s.disposition?.attached_pic === 1)).toHaveLength(1);
        expect(await decodedDuration(file)).toBeCloseTo(136, 1);
      }
    } finally {
      await useCores(0);
      await options.close();
    }
  }, 600_000);
});
