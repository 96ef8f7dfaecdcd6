/**
 * Seam in German (Chromium started with --lang=de): the UI contract holds by role, with the
 * names locales/de.yml gives (read here from the same file the build turns into _locales/);
 * no English name is left; numbers are written the German way; nothing is cut off or scrolls
 * sideways at the popup's 400 x 600. A representative set: the popup's add and join, the
 * editor's controls, a broken file's alert.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { readerFor } from '../support/language';
import { probeAudio } from '../support/native-ffmpeg';
import { assertReady } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { copies } from './ui-support';

const TONES = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];
const read = readerFor('de');
/** A German message by key, as the extension shows it. */
const de = (key: string, ...subs: string[]) => read(key, undefined, subs);

let seam: Seam;
let page: Page;

beforeAll(async () => {
  seam = await launchSeam({ name: 'seam-de', args: ['--lang=de'] });
});
afterAll(() => seam?.close());
beforeEach(async () => {
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});

const list = () => page.getByRole('list', { name: de('list.label'), exact: true });
const button = (name: string, scope: Locator | Page = page) =>
  scope.getByRole('button', { name, exact: true });
const itemTexts = async () =>
  (await list().count()) > 0 ? list().getByRole('listitem').allInnerTexts() : [];

async function open(kind: 'popup' | 'options', files: string[]): Promise<void> {
  page = kind === 'popup' ? await seam.openPopup() : await seam.openOptions();
  await page.setViewportSize({ width: 400, height: 600 });
  await page.getByLabel(de('app.addFiles'), { exact: true }).setInputFiles(files.map(fixture));
}

/**
 * What does not fit at this size: sideways scrolling of the page, and every element whose own
 * text is clipped (it hides its overflow and its content is wider than its box). Names the
 * elements, so a failure says which words did not fit.
 */
async function cutOff(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) {
      out.push(`page scrolls sideways by ${root.scrollWidth - root.clientWidth} px`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) {
        continue;
      }
      const ownText = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && /\p{L}/u.test(n.textContent ?? ''),
      );
      // Screen-reader-only text (1 px boxes), and the person's own file names, which are cut
      // with an ellipsis by design (their full name is the title): not Seam's words.
      const r = el.getBoundingClientRect();
      if (!ownText || el.classList.contains('visually-hidden') || r.width <= 1) continue;
      if (el.closest('.name-text, .track-name, .page-name, .file-name')) continue;
      // The Join bar's one line is cut to fit by design, with Details (and its title) for all.
      if (el.closest('.plan-line, .sums')) continue;
      const clips = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
      if (clips && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}.${el.className}: "${el.innerText.slice(0, 60)}"`);
      }
      if (r.width > 0 && (r.right > innerWidth + 1 || r.left < -1)) {
        out.push(`outside the window: "${el.innerText.slice(0, 60)}"`);
      }
    }
    return out;
  });
}

describe('Seam in German', () => {
  test('popup: add, the contract by German names, join; nothing cut off at 400 x 600', async () => {
    await open('popup', TONES);
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^de/);
    await until(async () => assertReady(await itemTexts(), 2), 60_000);

    // Each track: its name, and Move up / Move down / Remove by their German names.
    const items = list().getByRole('listitem');
    for (const [i, name] of TONES.entries()) {
      const item = items.nth(i);
      expect(await item.innerText()).toContain(name);
      // A row is listed from the file's headers before its probe: Play comes once it is ready.
      for (const key of ['track.moveUp', 'track.moveDown', 'track.remove', 'track.play']) {
        await until(async () => expect(await button(de(key), item).count(), key).toBe(1));
      }
      // German numbers: "44,1 kHz", and the channel layout in German.
      expect(await item.innerText()).toMatch(/44,1 kHz · Stereo/);
    }
    expect(
      await page.getByRole('combobox', { name: de('output.format'), exact: true }).count(),
    ).toBe(1);
    expect(
      await page.getByRole('region', { name: de('page.region'), exact: true }).count(),
    ).toBeLessThanOrEqual(1);
    // No English name is left for what the contract names.
    for (const english of ['Join', 'Move up', 'Remove', 'Add files']) {
      expect(await page.getByRole('button', { name: english, exact: true }).count(), english).toBe(
        0,
      );
    }
    expect(await page.getByText(read('tracks.count', 2, ['2'])).count()).toBeGreaterThan(0);
    expect(await cutOff(page)).toEqual([]);

    const { file } = await seam.ext.joinAndWait(() => button(de('join.join')).click());
    const status = page.getByRole('status').filter({ hasText: 'gespeichert' });
    await until(async () => expect(await status.count()).toBe(1));
    expect(await button(de('join.showInFolder')).count()).toBe(1);
    const out = await probeAudio(file);
    expect(out.durationSec).toBeGreaterThan(3.9);
    expect(out.durationSec).toBeLessThan(4.2);
    expect(await cutOff(page)).toEqual([]);
    await page.close();
  });

  test('editor: trims, transition, output and settings by their German names', async () => {
    await open('options', TONES);
    await until(async () => assertReady(await itemTexts(), 2), 60_000);
    const first = list().getByRole('listitem').first();
    await until(async () => expect(await first.getByRole('slider').count()).toBe(2));
    for (const key of ['editor.trimStart', 'editor.trimEnd']) {
      expect(await first.getByRole('slider', { name: de(key), exact: true }).count(), key).toBe(1);
    }
    for (const key of ['editor.start', 'editor.end']) {
      expect(await first.getByRole('spinbutton', { name: de(key), exact: true }).count(), key).toBe(
        1,
      );
    }
    expect(
      await first.getByRole('textbox', { name: de('editor.chapterTitle'), exact: true }).count(),
    ).toBe(1);

    const junction = page.getByRole('group', {
      name: de('transition.group', TONES[1]!),
      exact: true,
    });
    const kind = junction.getByRole('combobox', { name: de('transition.transition'), exact: true });
    await kind.selectOption({ label: de('transition.crossfade') });
    await until(async () => {
      expect(
        await junction
          .getByRole('spinbutton', { name: de('transition.seconds'), exact: true })
          .count(),
      ).toBe(1);
      expect(
        await junction.getByRole('combobox', { name: de('transition.curve'), exact: true }).count(),
      ).toBe(1);
    });

    const output = page.getByRole('region', { name: de('output.heading') });
    for (const [role, key] of [
      ['combobox', 'output.format'],
      ['combobox', 'output.chapters'],
      ['checkbox', 'output.chapterFiles'],
      ['combobox', 'output.chapterTitles'],
      ['textbox', 'output.title'],
      ['textbox', 'output.artist'],
      ['textbox', 'output.album'],
      ['textbox', 'output.year'],
      ['combobox', 'output.cover'],
    ] as const) {
      expect(await output.getByRole(role, { name: de(key), exact: true }).count(), key).toBe(1);
    }
    const chapters = output.getByRole('combobox', { name: de('output.chapters'), exact: true });
    expect(await chapters.locator('option').allTextContents()).toEqual([
      de('output.chapterPerTrack'),
      de('output.chapterKeep'),
      de('output.chapterNone'),
    ]);
    expect(
      await page.getByRole('region', { name: de('settings.heading'), exact: true }).count(),
    ).toBe(1);
    expect(await cutOff(page)).toEqual([]);
    await page.close();
  });

  test('plan: a reason the engine made (offscreen, no browser.i18n) is German, not a key', async () => {
    // One file changes sample rate midway: the engine's frame scan says where, as data
    // (lib/lossless/check.ts), and the popup puts it into German words.
    await open('popup', [TONES[0]!, 'cat-44100-then-48000.mp3']);
    await until(async () => assertReady(await itemTexts(), 2), 60_000);
    await button(de('join.details')).click();
    // Said in the head line or as a note (the tracks' rates differ too), by its number.
    const said =
      /Titel \d wechselt die Abtastrate von 44,1 kHz zu 48 kHz bei 0:01\b.*zuerst dekodiert/;
    await until(async () => expect(await page.locator('body').innerText()).toMatch(said), 60_000);
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/\b(fastPath|formatChange|refusals|units|audio)\.\w/);
    expect(body).not.toMatch(/changes sample rate|decoded first/);
    await page.close();
  });

  test('popup, 400 x 600: eight mixed tracks leave five rows and Join in view; the name in German words', async () => {
    const dir = (
      await copies(
        TONES[0]!,
        [1, 2, 3, 4, 5].map((n) => `Folge ${n} - Willkommen.mp3`),
      )
    ).dir;
    await copies('mono-22050.mp3', ['Folge 6 - Gespräch.mp3'], dir);
    await copies('stereo-48000.wav', ['Folge 7 - Live.wav'], dir);
    await copies('vorbis-32000.ogg', ['Folge 8 - Abspann.ogg'], dir);
    page = await seam.openPopup();
    await page.setViewportSize({ width: 400, height: 600 });
    const names = [1, 2, 3, 4, 5]
      .map((n) => `Folge ${n} - Willkommen.mp3`)
      .concat(['Folge 6 - Gespräch.mp3', 'Folge 7 - Live.wav', 'Folge 8 - Abspann.ogg']);
    await page
      .getByLabel(de('app.addFiles'), { exact: true })
      .setInputFiles(names.map((n) => join(dir, n)));
    await until(async () => assertReady(await itemTexts(), 8), 120_000);
    await until(async () =>
      expect(await page.locator('.plan-line').innerText()).toMatch(/^Neu codiert/),
    );
    expect(await page.locator('.sums').innerText()).toMatch(
      /insgesamt · etwa [\d,]+ [KM]B · gespeichert als „Folge 1 - Willkommen \+ 7 weitere\.mp3“/,
    );
    const rows = await list().evaluate((ul) => {
      const bar = document.querySelector('section.join')!.getBoundingClientRect();
      return [...ul.children].filter((li) => {
        const r = li.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= bar.top + 0.5;
      }).length;
    });
    expect(rows).toBeGreaterThanOrEqual(5);
    const joinBox = await button(de('join.join')).boundingBox();
    expect(joinBox!.y + joinBox!.height).toBeLessThanOrEqual(600);
    expect(await cutOff(page)).toEqual([]);
    await page.close();
  });

  test('alerts: a broken file is named with the reason in German, by role', async () => {
    await open('popup', ['empty.mp3', TONES[0]!]);
    const alert = list().getByRole('listitem').first().getByRole('alert');
    await until(async () => expect(await alert.count()).toBe(1), 60_000);
    const text = (await alert.textContent())!.trim();
    expect(text.startsWith('empty.mp3:')).toBe(true);
    expect(text).toContain(de('errors.emptyFile'));
    await until(async () => expect(await button(de('join.join')).isDisabled()).toBe(true));
    expect(await cutOff(page)).toEqual([]);
    await page.close();
  });
});
