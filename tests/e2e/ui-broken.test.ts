/**
 * Broken tracks as a person meets them: Join is off and says which tracks and why; each
 * broken track's alert names it for screen readers without repeating the name on screen;
 * the total length of the good tracks stays; the editor gives broken cards no transition and
 * no Preview; "Remove failed tracks" takes them out (Undo puts them back) and Join works.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { joinAndDownload } from './ui-support';

const GOOD = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];
const BAD = ['empty.mp3', 'text-named.wav'];

let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  seam = await launchSeam();
});
afterAll(() => seam?.close());
beforeEach(async () => {
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});

async function open(kind: 'popup' | 'options'): Promise<void> {
  page = kind === 'popup' ? await seam.openPopup() : await seam.openOptions();
  ui = new PopupPage(page);
  await ui.addFiles([...GOOD, ...BAD].map(fixture));
  await ui.waitForSettled(4);
}

const join = () => page.getByRole('button', { name: 'Join', exact: true });

describe('broken tracks', () => {
  test('popup: Join is off, naming the broken tracks; their alerts say why without repeating the name on screen', async () => {
    await open('popup');
    // Added together, in name order: the broken ones first.
    expect(await ui.tracks()).toEqual([...BAD, ...GOOD]);
    await until(async () => expect(await join().isDisabled()).toBe(true));
    const reason = page.locator('#join-blocked');
    expect(await reason.innerText()).toBe(
      'empty.mp3 and text-named.wav cannot be read. Remove them to join the other 2 tracks.',
    );
    expect(await join().getAttribute('aria-describedby')).toBe('join-blocked');

    for (const name of BAD) {
      const alert = ui.item(name).getByRole('alert');
      // The alert names the track and the reason (what a screen reader hears) ...
      const text = await alert.textContent();
      expect(text).toMatch(new RegExp(`^${name.replace('.', '\\.')}: \\S`));
      // ... but on screen only the reason: the name is right above it.
      const shown = await alert.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.sr-name, .visually-hidden').forEach((n) => n.remove());
        return copy.textContent ?? '';
      });
      expect(shown).not.toContain(name);
      expect(shown.length).toBeGreaterThan(5);
    }
    // The good tracks' length is still said.
    expect(await page.locator('.list-head').innerText()).toMatch(
      /0:04 for the 2 tracks that can be read/,
    );
    // Broken tracks cannot be played.
    for (const name of BAD) {
      expect(await ui.item(name).getByRole('button', { name: 'Play' }).count()).toBe(0);
    }

    await page.getByRole('button', { name: 'Remove failed tracks' }).click();
    await until(async () => expect(await ui.tracks()).toEqual(GOOD));
    await until(async () => expect(await join().isEnabled()).toBe(true));
    expect(await page.getByRole('button', { name: 'Remove failed tracks' }).count()).toBe(0);

    // Undo puts them back, broken as they were.
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await until(async () => expect(await ui.tracks()).toEqual([...BAD, ...GOOD]));
    await until(async () => expect(await join().isDisabled()).toBe(true));
    await page.getByRole('button', { name: 'Remove failed tracks' }).click();
    await until(async () => expect(await join().isEnabled()).toBe(true));
    const { job } = await joinAndDownload(seam, page);
    expect(job.trackIds).toHaveLength(2);
    await page.close();
  });

  test('editor: broken cards get no transition and no Preview; the good pair keeps its junction', async () => {
    await open('options');
    await until(async () =>
      expect(await page.getByRole('group', { name: /^Transition into/ }).count()).toBe(1),
    );
    expect(await page.getByRole('group', { name: `Transition into ${GOOD[1]}` }).count()).toBe(1);
    for (const name of BAD) {
      const item = ui.item(name);
      expect(await item.getByRole('button', { name: /Preview/ }).count()).toBe(0);
      expect(await item.getByRole('combobox', { name: 'Transition' }).count()).toBe(0);
      expect(await item.getByRole('slider').count()).toBe(0);
    }
    expect(
      await page.getByRole('region', { name: 'Output' }).getByRole('heading').first().innerText(),
    ).toMatch(/0:04 in all/);
    // Preview joins waits until the broken tracks are gone.
    expect(await page.getByRole('button', { name: 'Preview joins' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Remove failed tracks' }).click();
    await until(async () => expect(await ui.tracks()).toEqual(GOOD));
    await until(async () =>
      expect(await page.getByRole('button', { name: 'Preview joins' }).isEnabled()).toBe(true),
    );
    await page.close();
  });
});
