/**
 * Issue 22, item 8: a damaged file whose first part decodes can be joined for what decodes.
 * An MP3 cut short (its Info header announces 12 s, its bytes hold about 6 s) is refused with
 * an alert that names it and offers "Keep what plays"; pressing it keeps the track, says
 * "keeps 0:06 of 0:12", and Join saves the good 2 s tone plus what plays.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { joinAndDownload } from './ui-support';

const GOOD = 'tone-440-2s-44100-stereo.mp3';
const CUT = 'cut-short.mp3';
const STATED_SEC = 12;

let seam: Seam;
let page: Page;
let tmp: string;
let cutPath: string;
let playsSec: number;

beforeAll(async () => {
  requireNativeFfmpeg();
  tmp = await mkdtemp(joinPath(tmpdir(), 'seam-keep-'));
  // A 12 s CBR MP3 (LAME writes its Info header: 12 s, all the bytes), cut to its first half.
  const whole = joinPath(tmp, 'whole.mp3');
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `sine=frequency=550:duration=${STATED_SEC}:sample_rate=44100`],
    ...['-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', whole],
  ]);
  const bytes = await readFile(whole);
  cutPath = joinPath(tmp, CUT);
  await writeFile(cutPath, bytes.subarray(0, Math.floor(bytes.length / 2)));
  playsSec = await decodedDuration(cutPath);
  expect(playsSec).toBeGreaterThan(5);
  expect(playsSec).toBeLessThan(7);
  seam = await launchSeam();
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});
afterAll(async () => {
  await seam?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('keep what plays', () => {
  test('a cut MP3 is kept for what decodes and joined at that length', async () => {
    page = await seam.openPopup();
    const ui = new PopupPage(page);
    await ui.addFiles([fixture(GOOD), cutPath]);
    await ui.waitForSettled(2);

    // The alert names the track and says it is cut short; Join is off.
    const alert = ui.item(CUT).getByRole('alert');
    await until(async () => expect(await alert.count()).toBe(1), 60_000);
    const said = (await alert.textContent()) ?? '';
    expect(said).toMatch(/^cut-short\.mp3: The file is cut short/);
    const join = page.getByRole('button', { name: 'Join', exact: true });
    expect(await join.isDisabled()).toBe(true);

    await ui.item(CUT).getByRole('button', { name: 'Keep what plays' }).click();
    await until(async () => expect(await ui.item(CUT).getByRole('alert').count()).toBe(0));
    const kept = `keeps 0:0${Math.round(playsSec)} of 0:${STATED_SEC}`;
    expect(kept).toMatch(/^keeps 0:0[5-7] of 0:12$/);
    await until(async () =>
      expect(await ui.item(CUT).getByRole('status').textContent()).toBe(kept),
    );
    await until(async () => expect(await join.isEnabled()).toBe(true));

    const { file } = await joinAndDownload(seam, page);
    const saved = Number((await ffprobe(file)).format.duration);
    expect(Math.abs(saved - (2 + playsSec))).toBeLessThan(0.3);
  });
});
