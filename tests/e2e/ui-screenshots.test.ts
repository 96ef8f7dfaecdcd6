/**
 * Screenshots of the popup (400 x 600) and the full-page editor, in light and dark, saved to
 * .output/screenshots/ (`npm run screenshots`). The README shows two of them, copied to docs/.
 * The audio is made here: pink noise shaped like speech, so the waveforms look like a show's.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { ROOT } from '../support/paths';
import { until } from '../support/wait';
import { ffmpeg } from '../support/native-ffmpeg';

const OUT = join(ROOT, '.output/screenshots');
const EPISODES = [
  'Episode 1 - Welcome.mp3',
  'Episode 2 - The harbour.mp3',
  'Episode 3 - Night ferry.mp3',
  'Episode 4 - Island voices.mp3',
  'Episode 10 - Back home.mp3',
];

let seam: Seam;
let tmp: string;
let files: string[];

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  seam = await launchSeam();
  tmp = await mkdtemp(join(tmpdir(), 'seam-shots-'));
  files = [];
  for (const [i, name] of EPISODES.entries()) {
    const path = join(tmp, name);
    // Phrases: noise under a slow, uneven swell, different for each episode.
    const env = `0.15+0.85*abs(sin(2*PI*${0.31 + i * 0.07}*t)*sin(2*PI*${1.3 + i * 0.2}*t))`;
    await ffmpeg([
      ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.5:duration=${18 + i * 3}`],
      ...['-af', `volume='${env}':eval=frame,lowpass=f=3000`, '-ac', '2', '-ar', '44100'],
      ...['-c:a', 'libmp3lame', '-b:a', '96k', '-metadata', `title=Episode ${i + 1}`, path],
    ]);
    files.push(path);
  }
});
afterAll(async () => {
  await seam?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `${name}-${colorScheme}.png`) });
  }
}

test('the popup and the editor, light and dark', async () => {
  const page = await seam.openPopup();
  await page.setViewportSize({ width: 400, height: 600 });
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
  const ui = new PopupPage(page);
  await ui.addFiles(files);
  await ui.waitForReady(EPISODES.length, 60_000);
  await shoot(page, 'popup');

  const editor = await seam.openOptions();
  await editor.setViewportSize({ width: 1100, height: 900 });
  const ed = new PopupPage(editor);
  await ed.waitForReady(EPISODES.length);
  // Five tracks: every card is open. Trim the first, a crossfade into the second.
  const first = ed.items.nth(0);
  await first.getByRole('spinbutton', { name: 'Start', exact: true }).fill('1.5');
  await first.getByRole('spinbutton', { name: 'Start', exact: true }).press('Enter');
  await first
    .getByRole('combobox', { name: 'Transition', exact: true })
    .selectOption({ label: 'Crossfade' });
  await editor
    .getByRole('region', { name: 'Output' })
    .getByRole('textbox', { name: 'Title', exact: true })
    .fill('Island Stories');
  await editor.keyboard.press('Enter');
  await until(async () => {
    if ((await editor.locator('.waveform-status').count()) > 0) throw new Error('still drawing');
  }, 60_000);
  await editor.evaluate(() => window.scrollTo(0, 0));
  await shoot(editor, 'editor');
  await editor.close();
  await page.close();
  expect(files).toHaveLength(EPISODES.length);
});
