/**
 * Joins in the real extension: built Seam in Chromium, real ffmpeg.wasm, real audio fixtures.
 * Every test checks what a user would notice: what the popup says, which file lands in the
 * downloads, and what that file sounds like (checked with native ffmpeg/ffprobe).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import type { DoneJob } from '../support/extension';
import {
  decodePcm,
  decodedDuration,
  ffmpeg,
  ffprobe,
  packetHashes,
  toneSections,
} from '../support/native-ffmpeg';
import { MP3_SEAM_LEFT_OUT, MP3_SEAM_NEW_FRAMES, packetsKeptInOrder } from '../support/gapless';
import { PopupPage } from '../support/pages';
import { storedTracks } from '../support/queue';
import { fixture } from '../support/paths';
import { until } from '../support/wait';

const TONES = [
  'tone-440-2s-44100-stereo.mp3',
  'tone-660-2s-44100-stereo.mp3',
  'tone-880-2s-44100-stereo.mp3',
];

/** Mixed rates, layouts, codecs and containers, with the tone each holds (make-fixtures.sh). */
const MIXED = [
  { name: 'mono-22050.mp3', hz: 330, mono: true },
  { name: 'stereo-48000.wav', hz: 550, mono: false },
  { name: 'stereo-96000.flac', hz: 990, mono: false },
  { name: 'aac-44100-stereo.m4a', hz: 1100, mono: false },
  { name: 'video-with-audio.mp4', hz: 1760, mono: false },
  { name: 'mono-8000.wav', hz: 770, mono: true },
] as const;

let seam: Seam;
let page: Page;
let ui: PopupPage;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(joinPath(tmpdir(), 'seam-e2e-'));
  seam = await launchSeam();
  page = await seam.openPopup();
  ui = new PopupPage(page);
});

afterAll(async () => {
  await seam?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  if (page.isClosed()) {
    page = await seam.openPopup();
    ui = new PopupPage(page);
  }
  await resetSeam(seam, page);
  // Tracks go in as listed here (their order is what each test checks), not sorted by name.
  await seam.ext.setPreferences({ sortAddedByName: false });
  ui = new PopupPage(page);
});

/** Join, wait for success, and return the job and the saved file's path. */
async function joinAndDownload(): Promise<{ job: DoneJob; file: string }> {
  const { job, file } = await seam.ext.joinAndWait(() => ui.join());
  expect(job.downloadId, 'the done job records its download').toBeTypeOf('number');
  // Playwright saves accepted downloads under a GUID name in its own folder, so the name the
  // user gets is checked on job.fileName (and the "Saved" line), the bytes here.
  expect(file.startsWith(seam.downloadsDir)).toBe(true);
  return { job, file };
}

/**
 * The joined file holds the inputs' MPEG frames byte for byte, in this order, but a few at each
 * join (the exact join encodes the frames around it again, lib/lossless/mp3/seams.ts), and
 * nothing else.
 */
async function expectFramesInOrder(file: string, names: readonly string[]): Promise<void> {
  const each = await Promise.all(names.map((n) => packetHashes(fixture(n))));
  const total = each.reduce((n, h) => n + h.length, 0);
  expect(total).toBeGreaterThan(100);
  const got = await packetHashes(file);
  const kept = packetsKeptInOrder(each, got);
  const joins = names.length - 1;
  console.log(`${names.length} inputs: ${total} frames, ${kept} kept, ${got.length - kept} new`);
  expect(kept).toBeGreaterThanOrEqual(total - MP3_SEAM_LEFT_OUT * joins);
  expect(got.length - kept).toBeLessThanOrEqual(MP3_SEAM_NEW_FRAMES * joins);
}

async function expectSavedInUi(fileName: string): Promise<void> {
  await until(async () => {
    const text = (await ui.status.allInnerTexts()).join(' ');
    if (!text.includes(`Saved ${fileName}`)) throw new Error(`status says ${JSON.stringify(text)}`);
  });
  expect(await page.getByRole('button', { name: 'Show in folder' }).count()).toBe(1);
}

describe('lossless join', () => {
  test('three matching MP3s join without re-encoding, in list order', async () => {
    await ui.setFormat('MP3');
    await ui.addFiles(TONES.map(fixture));
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual(TONES);
    expect(await ui.plan.innerText()).toMatch(/^Lossless/);

    const { job, file } = await joinAndDownload();
    expect(job.fileName).toBe('tone-440-2s-44100-stereo + 2 more.mp3');
    expect(job.lossless).toBe(true);
    await expectSavedInUi(job.fileName);
    await until(async () => expect(await seam.ext.badgeText()).toBe('3'), 5_000);

    const [item] = await seam.ext.downloads({ id: job.downloadId! });
    expect(item?.mime).toBe('audio/mpeg');

    // The inputs' MPEG frames, byte for byte, in list order (but a few at each join).
    await expectFramesInOrder(file, TONES);
    const probe = await ffprobe(file);
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['mp3']);
    expect(Math.abs((await decodedDuration(file)) - 6)).toBeLessThan(0.15);
  });

  test('reordered tracks (880 moved to the top) join in the new order', async () => {
    await ui.setFormat('MP3');
    await ui.addFiles(TONES.map(fixture));
    await ui.waitForReady(3);
    await ui.moveUp(TONES[2]!);
    await until(async () => expect(await ui.tracks()).toEqual([TONES[0], TONES[2], TONES[1]]));
    await ui.moveUp(TONES[2]!);
    const order = [TONES[2]!, TONES[0]!, TONES[1]!];
    await until(async () => expect(await ui.tracks()).toEqual(order));
    expect(await ui.plan.innerText()).toMatch(/^Lossless/);

    const { job, file } = await joinAndDownload();
    expect(job.fileName).toBe('tone-880-2s-44100-stereo + 2 more.mp3');
    await expectFramesInOrder(file, order);
    // The queue stays as it was after a join.
    expect(await ui.tracks()).toEqual(order);
  });
});

describe('re-encoded join of mixed inputs', () => {
  /** Native decoded length of each mixed input, in seconds. */
  let inputSec: number[];
  beforeAll(async () => {
    inputSec = await Promise.all(MIXED.map((m) => decodedDuration(fixture(m.name))));
  });

  async function addMixed(): Promise<void> {
    await ui.addFiles(MIXED.map((m) => fixture(m.name)));
    await ui.waitForReady(MIXED.length);
    expect(await ui.tracks()).toEqual(MIXED.map((m) => m.name));
    expect(await ui.plan.innerText()).toMatch(/^Re-encoding/);
  }

  function expectDuration(actual: number): void {
    const expected = inputSec.reduce((a, b) => a + b, 0);
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.15 * MIXED.length);
  }

  test('six odd inputs to MP3 192 kb/s: stereo MP3, every tone in its place, mono in both ears', async () => {
    await ui.setFormat('MP3');
    await ui.setBitrate(192);
    await addMixed();

    const { job, file } = await joinAndDownload();
    expect(job.fileName).toBe('mono-22050 + 5 more.mp3');
    expect(job.lossless).toBe(false);
    await expectSavedInUi(job.fileName);

    const probe = await ffprobe(file);
    const audio = probe.streams.filter((s) => s.codec_type === 'audio');
    expect(audio).toHaveLength(1);
    expect(audio[0]!.codec_name).toBe('mp3');
    expect(audio[0]!.channels).toBe(2);
    expectDuration(await decodedDuration(file));

    // Each input's section holds that input's tone (pitch within 3%), at its place in the list.
    const found = toneSections(await decodePcm(file, { channels: 2 }), inputSec);
    for (const [i, m] of MIXED.entries()) {
      const f = found[i]!;
      expect(
        Math.abs(f.hz - m.hz) / m.hz,
        `${m.name}: ${f.hz.toFixed(1)} Hz, want ${m.hz}`,
      ).toBeLessThan(0.03);
      if (m.mono) {
        // A mono track is heard in both speakers, equally loud.
        expect(f.left, `${m.name} left`).toBeGreaterThan(0.01);
        expect(f.right, `${m.name} right`).toBeGreaterThan(0.01);
        expect(Math.abs(f.left - f.right) / Math.max(f.left, f.right)).toBeLessThan(0.1);
      }
    }
  });

  test('the same mixed set to WAV: 16-bit PCM of the right length', async () => {
    await ui.setFormat('WAV');
    await addMixed();

    const { job, file } = await joinAndDownload();
    expect(job.fileName).toBe('mono-22050 + 5 more.wav');
    const probe = await ffprobe(file);
    const audio = probe.streams.filter((s) => s.codec_type === 'audio');
    expect(audio.map((s) => s.codec_name)).toEqual(['pcm_s16le']);
    expect(audio[0]!.channels).toBe(2);
    expectDuration(await decodedDuration(file));
  });
});

describe('cancel and closing the popup', () => {
  test('Cancel stops a long join at once, keeps the queue, saves nothing; the next Join works', async () => {
    // Ten minutes of 48 kHz stereo MP3: with 44.1/22.05 kHz neighbours it must be re-encoded.
    const tenSec = joinPath(tmp, 'ten-seconds.mp3');
    const long = joinPath(tmp, 'long-10min-48000.mp3');
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'sine=frequency=500:duration=10:sample_rate=48000', '-ac', '2'],
      ...['-c:a', 'libmp3lame', '-b:a', '128k', tenSec],
    ]);
    await ffmpeg(['-stream_loop', '59', '-i', tenSec, '-c', 'copy', long]);
    expect(await decodedDuration(long)).toBeGreaterThan(590);

    const names = ['mono-22050.mp3', 'long-10min-48000.mp3', TONES[0]!];
    await ui.setFormat('MP3');
    await ui.setBitrate(320);
    await ui.addFiles([fixture(names[0]!), long, fixture(names[2]!)]);
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual(names);
    expect(await ui.plan.innerText()).toMatch(/^Re-encoding/);
    const downloadsBefore = (await seam.ext.downloads()).length;

    await ui.join();
    // Wait until ffmpeg is really at work (progress above 0 in the joining phase).
    await until(async () => {
      const now = Number(await ui.progressbar.getAttribute('aria-valuenow', { timeout: 1000 }));
      const text = (await ui.progressbar.getAttribute('aria-valuetext')) ?? '';
      if (!(now > 0 && /^Joining/.test(text))) throw new Error(`progress ${now} ${text}`);
    }, 60_000);
    const running = await seam.ext.job();
    expect(running?.status).toBe('running');
    // The toolbar badge shows the progress while joining.
    expect(await seam.ext.badgeText()).toMatch(/^\d{1,2}%$/);

    await ui.cancelButton.click();
    // No timing is asserted (a shared, noisy machine): the join ends as canceled, not done.
    await until(async () => {
      if ((await ui.progressbar.count()) !== 0) throw new Error('progressbar still shown');
    }, 20_000);
    const job = await seam.ext.waitForJob((j) => j?.status !== 'running', 20_000);
    expect(job?.status).toBe('canceled');
    expect(job?.id).toBe(running?.id);
    await until(async () => expect((await ui.status.allInnerTexts()).join(' ')).toMatch(/cancel/i));
    expect(await ui.tracks()).toEqual(names);
    expect(await ui.joinButton.isEnabled()).toBe(true);
    // The badge goes back to the track count, not a frozen percentage.
    await until(async () => expect(await seam.ext.badgeText()).toBe('3'), 5_000);

    // The decode checks the join started without run to their end, those the Cancel stopped
    // included (none stays "checking…")...
    await until(async () => {
      const tracks = await storedTracks(inPage(page));
      expect(tracks.map((t) => [t.status, t.info?.decoded])).toEqual([
        ['ready', true],
        ['ready', true],
        ['ready', true],
      ]);
    }, 120_000);
    // ...and ffmpeg's memory is freed: the engine's offscreen document is closed once idle.
    await until(async () => {
      const contexts = await seam.worker.evaluate(() =>
        chrome.runtime.getContexts({
          contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
        }),
      );
      expect(contexts).toHaveLength(0);
    }, 120_000);

    // Nothing was saved, not even late.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await seam.ext.downloads()).length).toBe(downloadsBefore);
    expect((await seam.ext.job())?.status).toBe('canceled');

    // The engine still works: join the two small tracks (a re-encode, 22.05 + 44.1 kHz).
    await ui.remove('long-10min-48000.mp3');
    expect(await ui.tracks()).toEqual([names[0], names[2]]);
    const { job: next, file } = await joinAndDownload();
    expect(next.id).not.toBe(running?.id);
    expect(next.fileName).toBe('mono-22050 + 1 more.mp3');
    const expected = (await decodedDuration(fixture(names[0]!))) + 2;
    expect(Math.abs((await decodedDuration(file)) - expected)).toBeLessThan(0.3);
  });

  test('closing the popup right after Join does not stop the join; a reopened popup shows the result', async () => {
    await ui.setFormat('MP3');
    await ui.setBitrate(192);
    await ui.addFiles(MIXED.map((m) => fixture(m.name)));
    await ui.waitForReady(MIXED.length);

    await ui.join();
    await new Promise((r) => setTimeout(r, 150));
    const atClose = await seam.ext.job();
    await page.close();
    // The popup went away while the join was still to come or running, not after it was done.
    expect(atClose === null || atClose.status === 'running', JSON.stringify(atClose)).toBe(true);

    const job = await seam.ext.finishedJob();
    expect(job.fileName).toBe('mono-22050 + 5 more.mp3');
    const file = await seam.ext.downloadedFile(job.downloadId!);
    const probe = await ffprobe(file);
    expect(probe.streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).toEqual([
      'mp3',
    ]);
    expect(await decodedDuration(file)).toBeGreaterThan(8);

    page = await seam.openPopup();
    ui = new PopupPage(page);
    await expectSavedInUi(job.fileName);
    expect(await ui.tracks()).toEqual(MIXED.map((m) => m.name));
  });
});

describe('bad input', () => {
  /** The alerts that name `name` and say something more than the name. */
  async function alertsNaming(name: string): Promise<string[]> {
    return (await ui.alerts()).filter((a) => a.includes(name) && a.length > name.length + 5);
  }

  /** Join is off while a track cannot be read, and says which and why beside it. */
  async function expectJoinBlockedBy(name: string): Promise<void> {
    await until(async () => expect(await ui.joinButton.isDisabled()).toBe(true));
    const reason = await page.locator('#join-blocked').innerText();
    expect(reason).toContain(`${name} cannot be read`);
    expect(await ui.joinButton.getAttribute('aria-describedby')).toBe('join-blocked');
  }

  test('a PNG named .mp3 is refused by name, the rest stay, Join is off saying why, and works once it is removed', async () => {
    const names = [TONES[0]!, 'png-named.mp3', TONES[1]!];
    await ui.setFormat('MP3');
    await ui.addFiles(names.map(fixture));
    await ui.waitForSettled(3);
    expect(await ui.tracks()).toEqual(names);
    const before = await alertsNaming('png-named.mp3');
    expect(before, `alerts: ${JSON.stringify(await ui.alerts())}`).toHaveLength(1);
    // The good tracks are ready.
    for (const n of [TONES[0]!, TONES[1]!]) {
      expect(await ui.item(n).innerText()).toMatch(/\d+:\d\d · MP3 · 44\.1 kHz · stereo/);
    }

    // Join is off (issue 10): it would fail on the broken track.
    await expectJoinBlockedBy('png-named.mp3');
    expect(await ui.tracks()).toEqual(names);

    await ui.remove('png-named.mp3');
    expect(await ui.tracks()).toEqual([TONES[0], TONES[1]]);
    // The failure is settled with its track gone: no stale alert before the next Join.
    await until(async () => expect(await ui.alerts()).toEqual([]));
    const { job, file } = await joinAndDownload();
    expect(job.fileName).toBe('tone-440-2s-44100-stereo + 1 more.mp3');
    await expectFramesInOrder(file, [TONES[0]!, TONES[1]!]);
    await until(async () => expect(await ui.alerts()).toEqual([]));
  });

  test.each([
    { bad: 'empty.mp3', reason: /empty/i },
    { bad: 'text-named.wav', reason: /not an audio file|not audio|unsupported/i },
    { bad: 'video-no-audio.mp4', reason: /no audio/i },
    { bad: 'truncated-half.mp3', reason: /cut short|truncated|incomplete/i },
    { bad: 'truncated-half.wav', reason: /cut short|truncated|incomplete/i },
    { bad: 'corrupt-garbage-middle.mp3', reason: /damaged|corrupt/i },
  ])(
    '$bad gets an alert naming it and why; Join is off naming it, Remove failed tracks clears it',
    async ({ bad, reason }) => {
      await ui.addFiles([fixture(TONES[0]!), fixture(bad)]);
      await ui.waitForSettled(2);
      expect(await ui.tracks()).toEqual([TONES[0], bad]);
      await until(async () => {
        const alerts = await alertsNaming(bad);
        if (alerts.length === 0) {
          throw new Error(`no alert names ${bad}: ${JSON.stringify(await ui.alerts())}`);
        }
        expect(alerts[0]).toMatch(reason);
      }, 5_000);
      expect(await ui.item(TONES[0]!).innerText()).toMatch(/\d+:\d\d · MP3/);

      await expectJoinBlockedBy(bad);
      expect(await ui.tracks()).toEqual([TONES[0], bad]);
      await page.getByRole('button', { name: 'Remove failed tracks' }).click();
      await until(async () => expect(await ui.tracks()).toEqual([TONES[0]]));
      await until(async () => expect(await ui.joinButton.isEnabled()).toBe(true));
    },
  );
});

describe('the queue', () => {
  test('persists across pages: the options page shows the same tracks in order; the badge counts them', async () => {
    const names = [TONES[1]!, 'mono-22050.mp3', TONES[0]!];
    await ui.addFiles(names.map(fixture));
    await ui.waitForSettled(3);
    await page.close();

    const options = await seam.openOptions();
    const optionsUi = new PopupPage(options);
    await optionsUi.waitForSettled(3);
    expect(await optionsUi.tracks()).toEqual(names);
    await until(async () => expect(await seam.ext.badgeText()).toBe('3'));
    await options.close();
  });
});
