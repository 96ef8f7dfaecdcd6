/**
 * Trims by mouse, as a person makes them: dragging either handle of a waveform with the real
 * mouse, and clicking the waveform to move the nearer handle. Each is kept after the release,
 * and the joined file is shorter by exactly what was trimmed.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam, inPage } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { decodedDuration } from '../support/native-ffmpeg';
import { joinAndDownload } from './ui-support';
import { storedTracks } from '../support/queue';

const TONES = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];

let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  seam = await launchSeam();
  page = await seam.openOptions();
  await page.setViewportSize({ width: 1000, height: 900 });
});
afterAll(() => seam?.close());
beforeEach(async () => {
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
  ui = new PopupPage(page);
  await ui.addFiles(TONES.map(fixture));
  await ui.waitForReady(2);
  // WAV output: its length is exact, so a trim shows to the sample.
  await ui.setFormat('WAV');
});

/** Where on the screen second `sec` of a track's waveform is. */
async function pointAt(card: Locator, sec: number): Promise<{ x: number; y: number }> {
  const wave = card.locator('.waveform');
  const box = (await wave.boundingBox())!;
  const dur = Number(
    await card.getByRole('slider', { name: 'Trim end' }).getAttribute('aria-valuemax'),
  );
  return { x: box.x + (sec / dur) * box.width, y: box.y + box.height / 2 };
}

async function drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
}

async function handleCentre(card: Locator, name: 'Trim start' | 'Trim end') {
  const b = (await card.getByRole('slider', { name }).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** The stored trims of both tracks once they match `check`. */
async function trimsWhen(
  check: (t: { startSec: number; endSec?: number }[]) => void,
): Promise<{ startSec: number; endSec?: number }[]> {
  let trims: { startSec: number; endSec?: number }[] = [];
  await until(async () => {
    trims = (await storedTracks(inPage(page))).map((t) => t.edit ?? { startSec: 0 });
    check(trims);
  }, 10_000);
  return trims;
}

describe('trims by mouse', () => {
  test('dragging the Start and End handles keeps them on release; the join is shorter by the trims', async () => {
    const [first, second] = [ui.items.nth(0), ui.items.nth(1)];
    const base = (await Promise.all(TONES.map((n) => decodedDuration(fixture(n))))).reduce(
      (a, b) => a + b,
    );

    // Start of track 1 from 0 to about 0.5 s, with the real mouse.
    await drag(await handleCentre(first, 'Trim start'), await pointAt(first, 0.5));
    // End of track 2 from its end to about 1.5 s.
    await drag(await handleCentre(second, 'Trim end'), await pointAt(second, 1.5));

    const [a, b] = await trimsWhen(([x, y]) => {
      expect(x!.startSec).toBeGreaterThan(0.4);
      expect(y!.endSec).toBeLessThan(1.6);
    });
    expect(a!.startSec).toBeCloseTo(0.5, 1);
    expect(b!.endSec).toBeCloseTo(1.5, 1);
    // Released, the handles stay where they were dropped (they used to snap back to 0).
    await page.waitForTimeout(300);
    expect(
      Number(await first.getByRole('slider', { name: 'Trim start' }).getAttribute('aria-valuenow')),
    ).toBe(a!.startSec);
    expect(await first.getByRole('spinbutton', { name: 'Start', exact: true }).inputValue()).toBe(
      String(a!.startSec),
    );

    const secondDur = await decodedDuration(fixture(TONES[1]!));
    const cut = a!.startSec + (secondDur - b!.endSec!);
    const { file } = await joinAndDownload(seam, page);
    expect(await decodedDuration(file)).toBeCloseTo(base - cut, 2);
  });

  test('a click on the waveform moves the nearer handle there', async () => {
    const first = ui.items.nth(0);
    const base = (await Promise.all(TONES.map((n) => decodedDuration(fixture(n))))).reduce(
      (a, b) => a + b,
    );
    // Nearer the end: the End handle comes to 1.6 s.
    const p = await pointAt(first, 1.6);
    await page.mouse.click(p.x, p.y);
    // Nearer the start: the Start handle comes to 0.3 s.
    const q = await pointAt(first, 0.3);
    await page.mouse.click(q.x, q.y);
    const [t] = await trimsWhen(([x]) => {
      expect(x!.startSec).toBeGreaterThan(0.2);
      expect(x!.endSec).toBeLessThan(1.7);
    });
    expect(t!.startSec).toBeCloseTo(0.3, 1);
    expect(t!.endSec).toBeCloseTo(1.6, 1);
    // The handle the click moved has focus, so the keys can fine-tune it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Trim start',
    );

    const firstDur = await decodedDuration(fixture(TONES[0]!));
    const cut = t!.startSec + (firstDur - t!.endSec!);
    const { file } = await joinAndDownload(seam, page);
    expect(await decodedDuration(file)).toBeCloseTo(base - cut, 2);
  });
});
