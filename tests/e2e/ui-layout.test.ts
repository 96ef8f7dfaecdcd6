/**
 * The popup at its real size (400 x 600) and the full page as a person meets them: Join, its
 * progress and its result always in view with 30 tracks and a page full of audio; nothing the
 * keyboard focuses is hidden under the Join bar; Join a handful of key presses from the first
 * track; no sideways scrolling on a 360 px wide screen.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { until } from '../support/wait';
import { startSite } from '../support/site';
import { copies, focusedCoverage, joinAndDownload, sidewaysScroll } from './ui-support';

let seam: Seam;
let site: Awaited<ReturnType<typeof startSite>>;
let tabId: number;
let parts: string[];

beforeAll(async () => {
  [seam, site] = await Promise.all([launchSeam(), startSite()]);
  const tab = await seam.context.newPage();
  await tab.goto(site.url);
  tabId = await seam.tabId(site.url);
  // Thirty parts, picked in reverse: the queue sorts them as people count.
  const names = Array.from({ length: 30 }, (_, i) => `Part ${30 - i}.mp3`);
  parts = (await copies('tone-440-2s-44100-stereo.mp3', names)).paths;
});
afterAll(async () => {
  await seam?.close();
  await site?.close();
});

let page: Page;
let ui: PopupPage;

async function openPopup(): Promise<void> {
  page = await seam.openPopup(`?tab=${tabId}`);
  await page.setViewportSize({ width: 400, height: 600 });
  ui = new PopupPage(page);
}

beforeEach(async () => {
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});

/** Whether `name`'s button is on screen and nothing covers its middle. */
async function inView(page: Page, name: string): Promise<boolean> {
  const button = page.getByRole('button', { name, exact: true });
  const box = await button.boundingBox();
  if (!box) return false;
  const vp = page.viewportSize()!;
  if (box.y < 0 || box.y + box.height > vp.height || box.x < 0 || box.x + box.width > vp.width)
    return false;
  return button.evaluate(
    (el, p) => {
      const hit = document.elementFromPoint(p.x, p.y);
      return hit === el || el.contains(hit);
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
}

/** Presses Tab up to `max` times; returns how many until `done()` holds for the focus. */
async function tabsUntil(page: Page, done: () => Promise<boolean>, max = 60): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (await done()) return n;
  }
  return Number.POSITIVE_INFINITY;
}

const focusedIsJoin = (page: Page) => () =>
  page.evaluate(
    () =>
      document.activeElement?.tagName === 'BUTTON' &&
      document.activeElement.textContent?.trim() === 'Join',
  );

/** Tabs through the whole page, failing on any focused control hidden under the Join bar. */
async function expectNothingFocusedHidden(page: Page, presses: number): Promise<number> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  let seen = 0;
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const f = await focusedCoverage(page);
    if (!f) continue;
    seen++;
    expect(f.hidden, `${f.name} is hidden under the Join bar after ${i + 1} Tabs`).toBe(false);
  }
  return seen;
}

describe('the popup, 400 x 600', () => {
  test('with 30 tracks and page audio, Join is in view; the list sorts the parts as people count', async () => {
    await openPopup();
    await ui.addFiles(parts);
    await ui.waitForReady(30, 120_000);
    expect(await ui.tracks()).toEqual(Array.from({ length: 30 }, (_, i) => `Part ${i + 1}.mp3`));
    await until(async () =>
      expect(
        await page.getByRole('region', { name: 'On this page' }).getByRole('listitem').count(),
      ).toBeGreaterThan(5),
    );
    expect(await inView(page, 'Join')).toBe(true);
    // Scrolled to the end of the page audio, Join is still there.
    await page.getByRole('button', { name: 'Add selected' }).scrollIntoViewIfNeeded();
    expect(await inView(page, 'Join')).toBe(true);
    expect(await sidewaysScroll(page)).toBe(0);

    // From the first track, Join is a handful of Tab presses away.
    await ui.items.first().getByRole('checkbox').focus();
    // The first row's tools (Reorder, Play, Move down, Remove, its transition), then the bar's
    // Details, Format, Bitrate and Join: nine, and a notice's Undo or Close while it shows.
    const presses = await tabsUntil(page, focusedIsJoin(page));
    expect(presses).toBeLessThanOrEqual(14);

    // Nothing the keyboard reaches is hidden under the bar.
    expect(await expectNothingFocusedHidden(page, 45)).toBeGreaterThan(20);
    await page.close();
  });

  test('the progress while joining and the result after it are in view', async () => {
    await openPopup();
    await ui.addFiles(parts.slice(-12));
    await ui.waitForReady(12, 60_000);
    await ui.setFormat('WAV');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await until(async () => {
      const bar = await ui.progressbar.boundingBox().catch(() => null);
      const result = await page.getByText(/^Saved /).count();
      if (!bar && result === 0) throw new Error('neither progress nor the result yet');
      if (bar) expect(bar.y + bar.height).toBeLessThanOrEqual(600);
    }, 60_000);
    await until(async () => expect(await page.getByText(/^Saved /).count()).toBe(1), 60_000);
    const saved = (await page.getByText(/^Saved /).boundingBox())!;
    expect(saved.y).toBeGreaterThanOrEqual(0);
    expect(saved.y + saved.height).toBeLessThanOrEqual(600);
    expect(await inView(page, 'Show in folder')).toBe(true);
    await page.close();
  });

  test('a "Saved" line goes once the queue changes after it', async () => {
    await openPopup();
    await ui.addFiles(parts.slice(-2));
    await ui.waitForReady(2);
    await joinAndDownload(seam, page);
    await until(async () => expect(await page.getByText(/^Saved /).count()).toBe(1));
    await ui.remove('Part 2.mp3');
    await until(async () => expect(await page.getByText(/^Saved /).count()).toBe(0));
    await page.close();
  });

  test('each track has Play, and its buttons are described by its name', async () => {
    await openPopup();
    await ui.addFiles(parts.slice(-2));
    await ui.waitForReady(2);
    const first = ui.items.first();
    const play = first.getByRole('button', { name: 'Play', exact: true });
    expect(await play.count()).toBe(1);
    for (const name of ['Play', 'Move up', 'Move down', 'Remove']) {
      const b = first.getByRole('button', { name, exact: true });
      const described = await b.evaluate(
        (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent,
      );
      expect(described, name).toBe('Part 1.mp3');
    }
    await play.click();
    await until(async () =>
      expect(await first.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(1),
    );
    await first.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.close();
  });
});

describe('the full page', () => {
  test('collapses a long list to one line a track; Join is a few Tab presses from the first track; nothing focused is hidden', async () => {
    page = await seam.openOptions();
    await page.setViewportSize({ width: 1000, height: 800 });
    ui = new PopupPage(page);
    await ui.addFiles(parts);
    await ui.waitForReady(30, 120_000);
    // Collapsed: no waveforms or transitions until a card is opened.
    expect(await page.getByRole('slider').count()).toBe(0);
    expect(await page.getByRole('group', { name: /^Transition into/ }).count()).toBe(0);
    // One line a track: the 30 cards take what two open cards used to.
    const list = (await ui.list.boundingBox())!;
    expect(list.height).toBeLessThan(30 * 64);

    await ui.items.first().getByRole('checkbox').focus();
    // The first card's tools, whatever notices the page shows meanwhile, then the bar's.
    expect(await tabsUntil(page, focusedIsJoin(page))).toBeLessThanOrEqual(14);
    expect(await expectNothingFocusedHidden(page, 80)).toBeGreaterThan(40);

    // The arrow keys move along the list; Enter on a name opens its card with the contract's
    // fields.
    await ui.items.first().getByRole('button', { name: 'Part 1.mp3' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe('Part 3.mp3');
    await page.keyboard.press('Enter');
    const third = ui.items.nth(2);
    for (const [role, name] of [
      ['spinbutton', 'Start'],
      ['spinbutton', 'End'],
      ['slider', 'Trim start'],
      ['slider', 'Trim end'],
      ['textbox', 'Chapter title'],
    ] as const) {
      expect(await third.getByRole(role, { name, exact: true }).count(), name).toBe(1);
    }
    const junction = third.getByRole('group', { name: 'Transition into Part 4.mp3' });
    for (const [role, name] of [['combobox', 'Transition']] as const) {
      expect(await junction.getByRole(role, { name, exact: true }).count()).toBe(1);
    }
    await junction.getByRole('combobox', { name: 'Transition' }).selectOption('crossfade');
    // The edit is stored, then drawn: wait for the crossfade's fields.
    await until(async () => {
      expect(await junction.getByRole('spinbutton', { name: 'Seconds' }).count()).toBe(1);
      expect(await junction.getByRole('combobox', { name: 'Curve' }).count()).toBe(1);
    }, 10_000);
    await page.close();
  });

  test('at 360 px wide nothing scrolls sideways, open cards included', async () => {
    page = await seam.openOptions();
    await page.setViewportSize({ width: 360, height: 740 });
    ui = new PopupPage(page);
    await ui.addFiles(parts.slice(-3));
    await ui.waitForReady(3);
    await until(async () => expect(await page.getByRole('slider').count()).toBe(6));
    expect(await sidewaysScroll(page)).toBe(0);
    expect(await expectNothingFocusedHidden(page, 60)).toBeGreaterThan(30);
    await page.close();
  });
});
