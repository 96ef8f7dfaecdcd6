/**
 * What edits do to the joined file, in the built extension with ffmpeg.wasm and real audio:
 * trims change the length by exactly the trimmed amount, a crossfade shortens it by its length, a
 * gap lengthens it (with silence), fades and normalization keep it; chapters land where the plan
 * says (M4B, MP3 re-encoded and MP3 lossless); tags and cover art survive (MP3, M4A).
 *
 * Engine-focused: edits are written straight into the track store (IndexedDB "seam", store
 * "tracks", then 'changed' on BroadcastChannel "seam-tracks") and settings into
 * chrome.storage.local ("output", "tags"), as the editor stores them; the editor's own controls are
 * tested in editor.test.ts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import type { TrackEdit } from '@/lib/core/track';
import type { OutputSettings, OutputTags } from '@/lib/core/settings';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import {
  channelSlice,
  decodePcm,
  decodedDuration,
  ffmpeg,
  ffprobe as probe,
  packetHashes,
  rms,
} from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { MP3_SEAM_LEFT_OUT, packetsKeptInOrder } from '../support/gapless';
import { setEdits as storeEdits, storedTracks } from '../support/queue';

const TONES = [
  'tone-440-2s-44100-stereo.mp3',
  'tone-660-2s-44100-stereo.mp3',
  'tone-880-2s-44100-stereo.mp3',
];
const TAGGED = 'with-tags-and-cover.mp3';

type Edit = Partial<TrackEdit>;

let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  seam = await launchSeam();
  page = await seam.openPopup();
  ui = new PopupPage(page);
});

afterAll(async () => {
  await seam?.close();
});

beforeEach(async () => {
  if (page.isClosed()) page = await seam.openPopup();
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  // Tracks go in as listed here (the first one's tags matter), not sorted by name.
  await seam.ext.setPreferences({ sortAddedByName: false });
  await page.reload();
  ui = new PopupPage(page);
});

async function addTracks(names: string[]): Promise<void> {
  await ui.addFilesAndWait(names.map(fixture));
}

/** Writes each named track's edit into the store (as the editor does) and tells open pages. */
const setEdits = (edits: Record<string, Edit>) => storeEdits(inPage(page), edits);

/** Stores output settings (over the defaults) and tags, as the options page would. */
async function setSettings(
  output: Partial<OutputSettings>,
  tags?: Partial<OutputTags>,
): Promise<void> {
  await seam.ext.setOutput(output);
  if (tags) await seam.ext.setTags(tags);
}

const join = () => seam.ext.joinAndWait(() => ui.join(), 60_000);

/** Decoded length of one input, seconds (what the engine measures on add). */
const inputSec = (name: string) => decodedDuration(fixture(name));

describe('lengths', () => {
  test('trims, a crossfade and a gap change the length by exactly their amounts (WAV)', async () => {
    await addTracks(TONES);
    await setSettings({ format: 'wav' });
    const base = (await Promise.all(TONES.map(inputSec))).reduce((a, b) => a + b, 0);
    const lengthNow = async () => decodedDuration((await join()).file);

    // Trims: 0.37 s off the start of track 2, its end at 1.5 s (0.5 s off).
    await setEdits({ [TONES[1]!]: { startSec: 0.37, endSec: 1.5 } });
    await expect.poll(() => ui.planText(), { timeout: 120_000 }).toMatch(/track 2 is trimmed/);
    expect(await lengthNow()).toBeCloseTo(base - 0.87, 2);

    // A 1 s crossfade after track 1 (and no trims).
    await setEdits({
      [TONES[0]!]: { transitionAfter: { kind: 'crossfade', seconds: 1, curve: 'equal-power' } },
      [TONES[1]!]: {},
    });
    await expect
      .poll(() => ui.planText(), { timeout: 120_000 })
      .toMatch(/a crossfade after track 1/);
    expect(await lengthNow()).toBeCloseTo(base - 1, 2);

    // A 1.25 s gap after track 2, silent.
    await setEdits({
      [TONES[0]!]: {},
      [TONES[1]!]: { transitionAfter: { kind: 'gap', seconds: 1.25 } },
    });
    await expect.poll(() => ui.planText(), { timeout: 120_000 }).toMatch(/a gap after track 2/);
    const { file } = await join();
    const pcm = await decodePcm(file, { channels: 1 });
    expect(pcm.samples.length / pcm.rate).toBeCloseTo(base + 1.25, 2);
    const second = 2 + (await inputSec(TONES[1]!));
    expect(rms(channelSlice(pcm, 0, second + 0.1, 1.05))).toBeLessThan(0.001);
    expect(rms(channelSlice(pcm, 0, second - 0.5, 0.4))).toBeGreaterThan(0.05);
  });

  test('a trimmed MP3 re-encode is shorter by the trim, within codec padding', async () => {
    await addTracks(TONES.slice(0, 2));
    const base = (await inputSec(TONES[0]!)) + (await inputSec(TONES[1]!));
    await setEdits({ [TONES[0]!]: { startSec: 0.25, endSec: 1.5 } });
    const { job, file } = await join();
    expect(job.lossless).toBe(false);
    expect(Math.abs((await decodedDuration(file)) - (base - 0.75))).toBeLessThanOrEqual(
      0.05 + 0.03,
    );
  });

  test('fades and loudness normalization keep the length; the fade-in starts silent', async () => {
    await addTracks(TONES);
    await setSettings({ format: 'wav', fadeInSec: 1, fadeOutSec: 1, normalize: true });
    await expect
      .poll(() => ui.planText(), { timeout: 120_000 })
      .toMatch(/fade in; fade out; loudness normalization/);
    const { file } = await join();
    const pcm = await decodePcm(file, { channels: 1 });
    expect(pcm.samples.length / pcm.rate).toBeCloseTo(6, 2);
    const start = rms(channelSlice(pcm, 0, 0, 0.05));
    const middle = rms(channelSlice(pcm, 0, 2.5, 0.5));
    const end = rms(channelSlice(pcm, 0, 5.95, 0.05));
    expect(start).toBeLessThan(middle / 10);
    expect(end).toBeLessThan(middle / 10);
  });
});

/**
 * The small edit of issue 8 that once ran out of memory: eight mixed tracks of 4:51 in all
 * (same-rate MP3s, an Ogg Vorbis, an 8 kHz mono WAV, an AAC, a 96 kHz FLAC), track 1 trimmed, a
 * 3 s equal-power crossfade, a 2 s gap and a 10 s crossfade, fades of 2 s and 3 s, loudness
 * normalization, MP3 VBR. Made here with native ffmpeg: a tone over pink noise, so the encoders
 * and loudnorm have real work.
 */
const SMALL_EDIT: {
  name: string;
  seconds: number;
  rate: number;
  mono?: boolean;
  codec: string[];
}[] = [
  { name: 'edit-1.mp3', seconds: 40, rate: 44100, codec: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
  { name: 'edit-2.mp3', seconds: 36, rate: 44100, codec: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
  { name: 'edit-3.ogg', seconds: 38, rate: 44100, codec: ['-c:a', 'libvorbis', '-q:a', '4'] },
  { name: 'edit-4.wav', seconds: 35, rate: 8000, mono: true, codec: ['-c:a', 'pcm_s16le'] },
  { name: 'edit-5.mp3', seconds: 34, rate: 44100, codec: ['-c:a', 'libmp3lame', '-b:a', '192k'] },
  { name: 'edit-6.m4a', seconds: 37, rate: 44100, codec: ['-c:a', 'aac', '-b:a', '128k'] },
  { name: 'edit-7.flac', seconds: 36, rate: 96000, codec: ['-c:a', 'flac'] },
  { name: 'edit-8.mp3', seconds: 35, rate: 44100, codec: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
];

async function smallEditInputs(): Promise<string[]> {
  const dir = joinPath(tmpdir(), 'seam-small-edit');
  mkdirSync(dir, { recursive: true });
  return Promise.all(
    SMALL_EDIT.map(async (t, i) => {
      const path = joinPath(dir, t.name);
      if (existsSync(path)) return path;
      const rate = `sample_rate=${t.rate}:duration=${t.seconds}`;
      const part = joinPath(dir, `part-${t.name}`);
      await ffmpeg([
        ...['-f', 'lavfi', '-i', `sine=frequency=${220 + 55 * i}:${rate}`],
        ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.1:${rate}:seed=${i + 1}`],
        '-filter_complex',
        `[0:a][1:a]amix=inputs=2${t.mono ? '' : ',pan=stereo|c0=c0|c1=c0'}[out]`,
        ...['-map', '[out]', ...t.codec, part],
      ]);
      // Written aside and renamed, so an interrupted run leaves no half file to be reused.
      await rename(part, path);
      return path;
    }),
  );
}

describe('the small edit that ran out of memory', () => {
  test('eight mixed tracks, a trim, crossfades of 3 s and 10 s, a gap, fades and loudness normalization join as MP3 VBR with the planned length', async () => {
    const inputs = await smallEditInputs();
    await ui.addFilesAndWait(inputs, 120_000);
    const names = SMALL_EDIT.map((t) => t.name);
    await setEdits({
      [names[0]!]: { startSec: 5 },
      [names[1]!]: { transitionAfter: { kind: 'crossfade', seconds: 3, curve: 'equal-power' } },
      [names[3]!]: { transitionAfter: { kind: 'gap', seconds: 2 } },
      [names[5]!]: { transitionAfter: { kind: 'crossfade', seconds: 10, curve: 'equal-power' } },
    });
    await setSettings({
      format: 'mp3',
      mp3Mode: 'vbr',
      vbrQuality: 2,
      fadeInSec: 2,
      fadeOutSec: 3,
      normalize: true,
    });
    await expect.poll(() => ui.planText(), { timeout: 120_000 }).toMatch(/loudness normalization/);
    const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 300_000);
    expect(job.lossless).toBe(false);
    const total = SMALL_EDIT.reduce((a, t) => a + t.seconds, 0);
    expect(total).toBe(291);
    const audio = (await probe(file)).streams.find((st) => st.codec_type === 'audio');
    expect(audio?.codec_name).toBe('mp3');
    // 4:51, less the 5 s trim and the two crossfades' overlaps, plus the gap.
    expect(Math.abs((await decodedDuration(file)) - (total - 5 - 3 + 2 - 10))).toBeLessThan(0.1);
  }, 400_000);
});

describe('chapters', () => {
  const edits: Record<string, Edit> = {
    [TONES[0]!]: {
      transitionAfter: { kind: 'crossfade', seconds: 0.5, curve: 'linear' },
      chapterTitle: 'Opening',
    },
    [TONES[1]!]: { transitionAfter: { kind: 'gap', seconds: 0.5 } },
  };

  test.each<[string, FormatId]>([
    ['M4B', 'm4b'],
    ['MP3', 'mp3'],
  ])(
    '%s: one per track, starting where each track starts (after crossfade and gap)',
    async (_l, format) => {
      await addTracks(TONES);
      await setSettings({ format }, { title: 'Three Tones', artist: 'Seam' });
      await setEdits(edits);
      await expect.poll(() => ui.planText(), { timeout: 120_000 }).toMatch(/^Re-encoding/);
      const { file } = await join();
      const p = await probe(file);
      const [a, b] = await Promise.all([inputSec(TONES[0]!), inputSec(TONES[1]!)]);
      // Chapter 2 starts where the crossfade starts; chapter 3 after the gap.
      const starts = [0, a - 0.5, a - 0.5 + b + 0.5];
      expect(p.chapters.map((c) => Number(c.start_time))).toHaveLength(3);
      p.chapters.forEach((c, i) => expect(Number(c.start_time)).toBeCloseTo(starts[i]!, 2));
      expect(p.chapters.map((c) => c.tags?.title)).toEqual([
        'Opening',
        'tone-660-2s-44100-stereo',
        'tone-880-2s-44100-stereo',
      ]);
      expect(p.format.tags).toMatchObject({ title: 'Three Tones', artist: 'Seam' });
    },
  );

  test('MP3 lossless: chapters and tags without touching a frame', async () => {
    await addTracks(TONES);
    await setSettings({ format: 'mp3' }, { title: 'Tones, joined' });
    await expect.poll(() => ui.planText(), { timeout: 120_000 }).toMatch(/^Lossless/);
    const { job, file } = await join();
    expect(job.lossless).toBe(true);
    const p = await probe(file);
    expect(p.chapters.map((c) => c.tags?.title)).toEqual([
      'tone-440-2s-44100-stereo',
      'tone-660-2s-44100-stereo',
      'tone-880-2s-44100-stereo',
    ]);
    // Each track starts where the ones before it end, less each join's overlap (under a frame,
    // lib/lossless/mp3/seams.ts): the chapters follow.
    const frameSec = 1152 / 44100;
    p.chapters.forEach((c, i) => {
      expect(Number(c.start_time)).toBeLessThanOrEqual(2 * i + 0.001);
      expect(Number(c.start_time)).toBeGreaterThanOrEqual(2 * i - i * frameSec);
    });
    expect(p.format.tags?.title).toBe('Tones, joined');
    // The inputs' frames in order, but a few at each join (lib/lossless/mp3/seams.ts).
    const each = await Promise.all(TONES.map((n) => packetHashes(fixture(n))));
    const total = each.reduce((n, h) => n + h.length, 0);
    expect(packetsKeptInOrder(each, await packetHashes(file))).toBeGreaterThanOrEqual(
      total - MP3_SEAM_LEFT_OUT * (TONES.length - 1),
    );
  });
});

describe('tags and cover', () => {
  test.each<[string, FormatId]>([
    ['MP3 (lossless)', 'mp3'],
    ['M4A (re-encoded)', 'm4a'],
  ])('%s keeps the first track’s tags and cover', async (_l, format) => {
    await addTracks([TAGGED, TONES[0]!]);
    await setSettings({ format }, { year: '2031' });
    const { job, file } = await join();
    expect(job.lossless).toBe(format === 'mp3');
    const p = await probe(file);
    expect(p.format.tags).toMatchObject({
      title: 'Seam Test Tone',
      artist: 'Seam Fixtures',
      album: 'Odd Files',
      date: '2031',
    });
    // No "Lavf" encoder tag of ours.
    expect(p.format.tags?.encoder ?? '').not.toMatch(/^Lavf\d/);
    const pic = p.streams.filter((s) => s.disposition?.attached_pic === 1);
    expect(pic.map((s) => s.codec_name)).toEqual(['png']);
  });

  test('cover "none" leaves it out; another track’s cover is used when chosen', async () => {
    await addTracks([TONES[0]!, TAGGED]);
    await setSettings({ format: 'mp3', cover: 'none' });
    let p = await probe((await join()).file);
    expect(p.streams.some((s) => s.disposition?.attached_pic === 1)).toBe(false);

    const taggedId = (await storedTracks(inPage(page))).find((t) => t.name === TAGGED)!.id;
    await setSettings({ format: 'm4a', cover: { trackId: taggedId } });
    p = await probe((await join()).file);
    expect(p.streams.filter((s) => s.disposition?.attached_pic === 1)).toHaveLength(1);
  });
});
