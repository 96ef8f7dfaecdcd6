/**
 * Checks off the person's clock (issue 20 item 1): a lossless join, or a re-encode of tracks
 * whose tables hold their length, pressed right after adding starts without waiting for the
 * tracks' decode checks, and a track the check finds damaged
 * after the join copied it says so, on the saved line and in the track, with the file saved.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import { storedTracks } from '../support/queue';
import {
  channelSlice,
  decodePcm,
  decodedDuration,
  ffmpeg,
  ffprobe,
  probeAudio,
  toneFrequency,
} from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';

/** Three 4-minute 64k mono MP3 chapters, told apart by their tone. */
const PARTS = [
  { name: 'Part 1.mp3', hz: 330 },
  { name: 'Part 2.mp3', hz: 550 },
  { name: 'Part 3.mp3', hz: 770 },
];
const PART_SEC = 240;

let seam: Seam;
let page: Page;
let ui: PopupPage;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(joinPath(tmpdir(), 'seam-checks-'));
  await Promise.all([
    ...PARTS.map((p) =>
      ffmpeg([
        ...['-f', 'lavfi', '-i', `sine=frequency=${p.hz}:sample_rate=44100:duration=${PART_SEC}`],
        ...['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', joinPath(tmp, p.name)],
      ]),
    ),
    launchSeam().then((s) => (seam = s)),
  ]);
  page = await seam.openPopup();
  ui = new PopupPage(page);
});

afterAll(async () => {
  await seam?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  await resetSeam(seam, page);
  await seam.ext.setPreferences({ sortAddedByName: false });
  ui = new PopupPage(page);
});

describe('Checks off the clock', () => {
  it('a lossless join pressed right after adding long-ish files saves them whole, in order', async () => {
    await ui.setFormat('MP3');
    await ui.addFiles(PARTS.map((p) => joinPath(tmp, p.name)));
    const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);
    expect(job.lossless).toBe(true);
    expect((await ffprobe(file)).streams[0]?.codec_name).toBe('mp3');
    const pcm = await decodePcm(file, { channels: 1, rate: 8000 });
    expect(pcm.samples.length / 8000).toBeCloseTo(PARTS.length * PART_SEC, 0);
    for (const [i, p] of PARTS.entries()) {
      const middle = channelSlice(pcm, 0, (i + 0.5) * PART_SEC, 1);
      expect(toneFrequency(middle, 8000)).toBeCloseTo(p.hz, -1);
    }
  });

  it('a re-encode pressed right after adding saves them whole, in order, and the checks finish after', async () => {
    await ui.setFormat('M4A');
    await ui.addFiles(PARTS.map((p) => joinPath(tmp, p.name)));
    const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
    expect(job.lossless).toBe(false);
    expect((await ffprobe(file)).streams[0]?.codec_name).toBe('aac');
    const pcm = await decodePcm(file, { channels: 1, rate: 8000 });
    expect(pcm.samples.length / 8000).toBeCloseTo(PARTS.length * PART_SEC, 0);
    for (const [i, p] of PARTS.entries()) {
      const middle = channelSlice(pcm, 0, (i + 0.5) * PART_SEC, 1);
      expect(toneFrequency(middle, 8000)).toBeCloseTo(p.hz, -1);
    }
    // Every track's decode check still runs to its end, and finds nothing wrong.
    await until(async () => {
      const tracks = await storedTracks(inPage(page));
      expect(tracks.map((t) => [t.status, t.info?.decoded])).toEqual(
        PARTS.map(() => ['ready', true]),
      );
    }, 120_000);
  });

  it('a track is stored with what its header says (length, codec, rate, channels), before ffprobe', async () => {
    const names = [
      'aac-44100-stereo.m4a',
      'mono-22050.mp3',
      'stereo-96000.flac',
      'opus-48000.opus',
    ];
    await ui.addFiles(names.map(fixture));
    await until(async () => expect(await storedTracks(inPage(page))).toHaveLength(names.length));
    const stored = await storedTracks(inPage(page));
    for (const name of names) {
      const header = stored.find((t) => t.name === name)?.header;
      const probe = await probeAudio(fixture(name));
      expect(header, name).toMatchObject({
        codec: probe.codec,
        sampleRate: probe.sampleRate,
        channels: probe.channels,
      });
      expect(Math.abs(header!.durationSec! - probe.durationSec), name).toBeLessThan(0.1);
    }
    // ffprobe confirms after: the list shows the probed length and format.
    await ui.waitForReady(names.length);
    expect(await ui.item('mono-22050.mp3').innerText()).toMatch(/0:02 · MP3 · 22\.05 kHz · mono/);
  });

  it('a file with damaged frames joined losslessly saves, and the saved line and the track say so', async () => {
    const names = [
      'tone-440-2s-44100-stereo.mp3',
      'corrupt-garbage-middle.mp3',
      'tone-880-2s-44100-stereo.mp3',
    ];
    await ui.setFormat('MP3');
    await ui.addFiles(names.map(fixture));
    const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 60_000);
    expect(job.lossless).toBe(true);
    const probe = await ffprobe(file);
    expect(probe.streams[0]?.codec_name).toBe('mp3');
    // 2 s + what the damaged file's frames hold (as native ffmpeg decodes it) + 2 s, in order.
    const damagedSec = await decodedDuration(fixture(names[1]!));
    expect(Number(probe.format.duration)).toBeCloseTo(4 + damagedSec, 0);
    const pcm = await decodePcm(file, { channels: 1, rate: 44100 });
    expect(toneFrequency(channelSlice(pcm, 0, 0.5, 1), 44100)).toBeCloseTo(440, -1);
    expect(toneFrequency(channelSlice(pcm, 0, 3 + damagedSec, 0.5), 44100)).toBeCloseTo(880, -1);

    const carried = 'the joined file carries it as it was.';
    await until(async () => {
      const saved = await page.getByRole('status').allInnerTexts();
      expect(saved.join(' ')).toContain(`Damaged audio in corrupt-garbage-middle.mp3: ${carried}`);
    }, 60_000);
    const alert = ui.item('corrupt-garbage-middle.mp3').getByRole('alert');
    await expect(alert.innerText()).resolves.toMatch(
      /^corrupt-garbage-middle\.mp3: The audio is damaged.* The joined file carries it as it was\.$/s,
    );
  });
});
