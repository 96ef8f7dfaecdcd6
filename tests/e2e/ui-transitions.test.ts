/**
 * A transition set from the popup (issue 22, item 5): one control between two rows (None, Gap,
 * Crossfade and its seconds) stores the same edit the editor shows, and the join is as long as
 * the two tracks less the crossfade. Generated tones, the real engine, the mouse.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffprobe, requireNativeFfmpeg, sineTones } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { storedTracks } from '../support/queue';
import { until } from '../support/wait';
import { joinAndDownload } from './ui-support';

let seam: Seam;
let tones: string[];

/** Two mono WAV tones, 5 s and 4 s (lengths exact to the sample). */
const makeTones = () =>
  sineTones('seam-ui-transitions', [
    ['Intro.wav', 440, 5],
    ['Talk.wav', 660, 4],
  ]);

beforeAll(async () => {
  requireNativeFfmpeg();
  seam = await launchSeam({ name: 'seam-ui-transitions' });
  tones = await makeTones();
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});
afterAll(() => seam?.close());

describe('a transition from the popup', () => {
  test('Crossfade 2 s set with the mouse is the editor’s crossfade, and the join is 2 s shorter', async () => {
    const page: Page = await seam.openPopup();
    await page.setViewportSize({ width: 400, height: 600 });
    const ui = new PopupPage(page);
    await ui.addFiles(tones);
    await ui.waitForReady(2);
    await ui.setFormat('WAV');

    const kind = page.getByRole('combobox', { name: 'Transition between Intro.wav and Talk.wav' });
    expect(await kind.inputValue()).toBe('none');
    await kind.click();
    await kind.selectOption({ label: 'Crossfade' });
    await page.keyboard.press('Escape');
    const seconds = page.getByRole('spinbutton', {
      name: 'Seconds of the transition between Intro.wav and Talk.wav',
    });
    // The editor's length for a new crossfade, by mouse as by keyboard.
    await until(async () => expect(await seconds.inputValue()).toBe('2'));
    await until(async () => {
      const [first] = await storedTracks(inPage(page));
      expect(first?.edit?.transitionAfter).toEqual({
        kind: 'crossfade',
        seconds: 2,
        curve: 'equal-power',
      });
    });

    // A length typed in the field is stored too; then back to 2 s with the mouse and keys.
    await seconds.click({ clickCount: 3 });
    await page.keyboard.type('1.5');
    await page.keyboard.press('Enter');
    await until(async () => {
      const [first] = await storedTracks(inPage(page));
      expect(first?.edit?.transitionAfter).toMatchObject({ kind: 'crossfade', seconds: 1.5 });
    });
    await seconds.click({ clickCount: 3 });
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await until(async () => {
      const [first] = await storedTracks(inPage(page));
      expect(first?.edit?.transitionAfter).toMatchObject({ kind: 'crossfade', seconds: 2 });
    });

    // The editor shows the same crossfade.
    const editor = await seam.openOptions();
    const group = editor.getByRole('group', { name: 'Transition into Talk.wav' });
    await until(async () =>
      expect(await group.getByRole('combobox', { name: 'Transition' }).inputValue()).toBe(
        'crossfade',
      ),
    );
    expect(await group.getByRole('spinbutton', { name: 'Seconds' }).inputValue()).toBe('2');
    await editor.close();

    // The join: 5 s + 4 s less the 2 s crossfade.
    const { file } = await joinAndDownload(seam, page);
    const probed = Number((await ffprobe(file)).format.duration);
    expect(Math.abs(probed - 7), `ffprobe says ${probed} s`).toBeLessThanOrEqual(0.15);
    const decoded = await decodedDuration(file);
    expect(Math.abs(decoded - 7), `decodes to ${decoded} s`).toBeLessThanOrEqual(0.15);
    await page.close();
  });
});
