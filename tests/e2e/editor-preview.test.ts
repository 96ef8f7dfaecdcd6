/**
 * Preview shows a playhead and where the fade lies on both waveforms (issue 22, item 5): a
 * crossfade chosen with the mouse is marked over the end of the first track's waveform and the
 * start of the second's, each as wide as its seconds are of the track; Preview moves a playhead
 * over the first track's tail and then the second's head, and it is gone when the preview ends
 * or is stopped. Generated tones, the real options page; waits for states, never for times.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { requireNativeFfmpeg, sineTones } from '../support/native-ffmpeg';
import { OptionsPage } from '../support/pages';
import { until } from '../support/wait';

let seam: Seam;
let tones: string[];

/** Two mono WAV tones, 5 s and 4 s. */
const makeTones = () =>
  sineTones('seam-editor-preview', [
    ['Intro.wav', 440, 5],
    ['Talk.wav', 660, 4],
  ]);

beforeAll(async () => {
  requireNativeFfmpeg();
  seam = await launchSeam({ name: 'seam-editor-preview' });
  tones = await makeTones();
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});
afterAll(() => seam?.close());

/** A box's left and right edges, in px. */
async function edges(l: Locator): Promise<{ left: number; right: number; width: number }> {
  const b = (await l.boundingBox())!;
  return { left: b.x, right: b.x + b.width, width: b.width };
}

/** Where the playhead in `wave` stands, as a fraction of its width; undefined when there is none. */
async function playheadAt(wave: Locator): Promise<number | undefined> {
  const head = wave.getByTestId('playhead');
  if ((await head.count()) === 0) return undefined;
  const w = await edges(wave);
  const h = await edges(head);
  return (h.left + h.width / 2 - w.left) / w.width;
}

describe('Preview of a crossfade', () => {
  let page: Page;
  let intro: Locator;
  let talk: Locator;
  let introWave: Locator;
  let talkWave: Locator;
  let preview: Locator;

  test('the fade is marked on both waveforms, where and as long as it lies', async () => {
    page = await seam.openOptions();
    await page.setViewportSize({ width: 1100, height: 900 });
    const ui = new OptionsPage(page);
    await ui.addFiles(tones);
    await ui.waitForReady(2);
    intro = ui.item('Intro.wav');
    talk = ui.item('Talk.wav');
    introWave = intro.locator('.waveform');
    talkWave = talk.locator('.waveform');

    const junction = page.getByRole('group', { name: 'Transition into Talk.wav' });
    const kind = junction.getByRole('combobox', { name: 'Transition' });
    await kind.click();
    await kind.selectOption({ label: 'Crossfade' });
    await page.keyboard.press('Escape');

    // The editor's length for a new crossfade: 2 s, over Intro's last 2 of 5 s and Talk's
    // first 2 of 4 s.
    const out = introWave.getByRole('img', { name: 'Crossfade 2 s' });
    const into = talkWave.getByRole('img', { name: 'Crossfade 2 s' });
    await until(async () => {
      expect(await out.count()).toBe(1);
      expect(await into.count()).toBe(1);
    });
    const [a, fa, b, fb] = await Promise.all([
      edges(introWave),
      edges(out),
      edges(talkWave),
      edges(into),
    ]);
    expect(Math.abs(fa.right - a.right)).toBeLessThan(2);
    expect(Math.abs(fa.width - (a.width * 2) / 5)).toBeLessThan(2);
    expect(Math.abs(fb.left - b.left)).toBeLessThan(2);
    expect(Math.abs(fb.width - (b.width * 2) / 4)).toBeLessThan(2);
    // No mark where there is no crossfade: Intro's start, Talk's end.
    expect(await introWave.getByRole('img').count()).toBe(1);
    expect(await talkWave.getByRole('img').count()).toBe(1);

    preview = junction.getByRole('button', { name: 'Preview', exact: true });
  });

  test('Preview moves a playhead over the first track, then the second, and it goes at the end', async () => {
    await preview.click();
    const stop = page.getByRole('button', { name: 'Stop preview', exact: true });
    await until(async () => expect(await stop.count()).toBe(1));
    // On Intro's tail: a playhead that moves.
    let first: number | undefined;
    await until(async () => {
      first = await playheadAt(introWave);
      expect(first).toBeDefined();
    }, 30_000);
    await until(async () => {
      const now = await playheadAt(introWave);
      expect(now === undefined || now > first!).toBe(true);
    }, 30_000);
    // Into Talk's head (the crossfade plays both), moving there too.
    let second: number | undefined;
    await until(async () => {
      second = await playheadAt(talkWave);
      expect(second).toBeDefined();
    }, 30_000);
    await until(async () => {
      const now = await playheadAt(talkWave);
      expect(now === undefined || now > second!).toBe(true);
    }, 30_000);
    // The preview ends by itself: the button says Preview again, and no playhead is left.
    await until(async () => expect(await preview.count()).toBe(1), 30_000);
    expect(await page.getByTestId('playhead').count()).toBe(0);
  });

  test('Stop preview takes the playhead away', async () => {
    await preview.click();
    await until(async () => expect(await playheadAt(introWave)).toBeDefined(), 30_000);
    await page.getByRole('button', { name: 'Stop preview', exact: true }).click();
    await until(async () => expect(await page.getByTestId('playhead').count()).toBe(0));
    expect(await preview.count()).toBe(1);
    await page.close();
  });
});
