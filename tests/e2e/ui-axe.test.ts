/**
 * axe-core 4.14 on the popup and the full page, in light and dark, in every state a person
 * passes through: empty, with tracks, with broken tracks, while joining and after. Any
 * violation of any rule axe runs by default fails the test, with the rule and the element.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { ffmpeg } from '../support/native-ffmpeg';
import { axeViolations, expectNoAxeViolations } from './ui-support';

const SCHEMES = ['light', 'dark'] as const;
const TONES = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];

let seam: Seam;
let tmp: string;
let long: string;

beforeAll(async () => {
  seam = await launchSeam();
  tmp = await mkdtemp(join(tmpdir(), 'seam-axe-'));
  // Ten minutes at 48 kHz next to 44.1 kHz tones: a re-encode long enough to look at.
  const ten = join(tmp, 'ten.mp3');
  long = join(tmp, 'long-48000.mp3');
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'sine=frequency=300:duration=10:sample_rate=48000', '-ac', '2'],
    ...['-c:a', 'libmp3lame', '-b:a', '128k', ten],
  ]);
  await ffmpeg(['-stream_loop', '59', '-i', ten, '-c', 'copy', long]);
});
afterAll(async () => {
  await seam?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs axe in both colour schemes. */
async function check(page: Page, where: string): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    // Let the page redraw in the scheme (the waveform redraws on the media query).
    await page.waitForTimeout(150);
    await expectNoAxeViolations(page, `${where}, ${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.each([
  ['popup', (s: Seam) => s.openPopup()],
  ['full page', (s: Seam) => s.openOptions()],
] as const)('axe on the %s', (where, open) => {
  test('empty, with tracks, with broken tracks, while joining and after', async () => {
    const page = await open(seam);
    if (where === 'popup') await page.setViewportSize({ width: 400, height: 600 });
    await resetSeam(seam, page);
    await seam.ext.clearSettings();
    await page.reload();
    const ui = new PopupPage(page);
    await page.getByRole('button', { name: 'Join', exact: true }).waitFor();
    await check(page, `${where}, empty`);

    await ui.addFiles(TONES.map(fixture));
    await ui.waitForReady(2);
    if (where === 'full page') {
      // Waveforms drawn, an edited transition and a selected track, as a person leaves them.
      await until(async () => {
        if ((await page.locator('.waveform-status').count()) > 0) throw new Error('drawing');
      });
      await ui.items
        .first()
        .getByRole('combobox', { name: 'Transition' })
        .selectOption({ label: 'Crossfade' });
    }
    await page.getByRole('checkbox', { name: `Select ${TONES[0]}` }).check();
    await check(page, `${where}, with tracks`);

    await ui.addFiles(['empty.mp3', 'corrupt-garbage-middle.mp3'].map(fixture));
    await ui.waitForSettled(4);
    // The damaged one is listed first and found damaged by its decode check after.
    await until(async () => expect(await ui.alerts()).toHaveLength(2), 60_000);
    await check(page, `${where}, with broken tracks`);
    await page.getByRole('button', { name: 'Remove failed tracks' }).click();
    await until(async () => expect2(await ui.items.count()));

    await ui.addFiles([long]);
    await ui.waitForReady(3, 90_000);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await ui.progressbar.waitFor({ timeout: 30_000 });
    // Once the join has run a moment, it says how long it has left.
    await until(async () =>
      expect(await ui.progressbar.getAttribute('aria-valuetext')).toMatch(
        /^Joining: \d+%, (about \d+:\d\d|less than 0:05) left$/,
      ),
    );
    expect(await page.locator('.percent').innerText()).toMatch(/ left$/);
    await check(page, `${where}, joining`);
    await ui.cancelButton.click();
    await seam.ext.waitForJob((j) => j?.status === 'canceled');
    await check(page, `${where}, after a canceled join`);

    await ui.remove('long-48000.mp3');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await seam.ext.waitForJob((j) => j?.status === 'done', 60_000);
    await page.getByText(/^Saved /).waitFor();
    await check(page, `${where}, after a join`);
    await page.close();
  });
});

describe('the check itself', () => {
  test('axe runs in the extension page and sees a planted contrast failure', async () => {
    const page = await seam.openPopup();
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Grey on grey';
      p.style.cssText = 'color:#999;background:#aaa';
      document.querySelector('main')!.append(p);
    });
    const violations = await axeViolations(page);
    expect(violations.map((v) => v.id)).toContain('color-contrast');
    await page.close();
  });
});

/** The broken tracks are gone: two left. */
function expect2(count: number): void {
  if (count !== 2) throw new Error(`${count} tracks, want 2`);
}
