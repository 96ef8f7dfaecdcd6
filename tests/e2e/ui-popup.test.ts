/**
 * The popup as a place to live in (issue 22): at 400 x 600 with eight mixed tracks the Join bar
 * says one short line and leaves five tracks in view; messages belong to the queue they were
 * about; Sort and Reverse can be undone; a selection's actions stay in view; "Open in a tab"
 * brings the open editor to the front. Real files, the real engine, one browser.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { until } from '../support/wait';
import { copies } from './ui-support';

let seam: Seam;
let eight: string[];

/** Eight episodes of mixed codecs and rates (MP3 44.1 and 22.05 kHz, WAV 48 kHz, Vorbis). */
async function mixedEpisodes(): Promise<string[]> {
  const tones = await copies(
    'tone-440-2s-44100-stereo.mp3',
    [1, 2, 3, 4, 5].map((n) => `Episode ${n} - Welcome to the show.mp3`),
  );
  const dir = tones.dir;
  const more = [
    ...(await copies('mono-22050.mp3', ['Episode 6 - Interview.mp3'], dir)).paths,
    ...(await copies('stereo-48000.wav', ['Episode 7 - Live.wav'], dir)).paths,
    ...(await copies('vorbis-32000.ogg', ['Episode 8 - Outro.ogg'], dir)).paths,
  ];
  return [...tones.paths, ...more];
}

beforeAll(async () => {
  seam = await launchSeam({ name: 'seam-ui-popup' });
  eight = await mixedEpisodes();
});
afterAll(() => seam?.close());
beforeEach(async () => {
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});

let page: Page;
let ui: PopupPage;

async function openPopup(): Promise<void> {
  page = await seam.openPopup();
  await page.setViewportSize({ width: 400, height: 600 });
  ui = new PopupPage(page);
}

/** How many rows of the Tracks list are wholly on screen above the Join bar. */
function rowsInView(p: Page): Promise<number> {
  return p.getByRole('list', { name: 'Tracks' }).evaluate((list) => {
    const bar = document.querySelector('section.join')!.getBoundingClientRect();
    return [...list.children].filter((li) => {
      const r = li.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= bar.top + 0.5;
    }).length;
  });
}

/** Whether the Join button is on screen and nothing covers its middle. */
async function joinInView(p: Page, name = 'Join'): Promise<boolean> {
  const button = p.getByRole('button', { name, exact: true });
  const box = await button.boundingBox();
  if (!box) return false;
  if (box.y < 0 || box.y + box.height > p.viewportSize()!.height) return false;
  return button.evaluate(
    (el, at) => {
      const hit = document.elementFromPoint(at.x, at.y);
      return hit === el || el.contains(hit);
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
}

describe('the popup at 400 x 600', () => {
  test('eight mixed tracks: one short line, five rows and Join in view, the reasons under Details', async () => {
    await openPopup();
    await ui.addFiles(eight);
    await ui.waitForReady(8, 120_000);
    await until(async () => expect(await ui.planText()).toMatch(/^Re-encoding/));

    const line = (await page.locator('.sums').innerText()).trim();
    expect(line).toMatch(/^0:\d\d in all · about [\d.]+ [KM]B · saved as “Episode 1 - Welcome/);
    expect(line).toMatch(/\+ 7 more\.mp3”$/);
    // No engine words reach the person.
    expect(await page.locator('section.join').innerText()).not.toMatch(/\bparts?\b|at once/);
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(5);
    expect(await joinInView(page)).toBe(true);
    const barHeight = await page.locator('section.join').evaluate((el) => el.clientHeight);
    expect(barHeight).toBeLessThan(200);

    // Details shows every reason and the settings, and hides them again.
    const details = page.getByRole('button', { name: 'Details', exact: true });
    expect(await details.getAttribute('aria-expanded')).toBe('false');
    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    await until(async () =>
      expect(await page.locator('#join-details').innerText()).toMatch(/^Next join: MP3 192 kb\/s/m),
    );
    expect(await ui.planText()).toMatch(/sample rates differ|codecs differ/);
    await details.click();
    expect(await page.locator('#join-details').count()).toBe(0);
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(5);
  });
});

describe('messages belong to the queue', () => {
  test('Clear all and new files clear an earlier failure and the Undo notice; nothing about a next join while one runs', async () => {
    await openPopup();
    const first = eight.slice(0, 2);
    await ui.addFilesAndWait(first);
    // A join of these tracks failed earlier (as a crashed engine leaves it in the job record).
    await seam.ext.evaluate(async () => {
      const api = chrome;
      const tracks = await new Promise<string[]>((ok, fail) => {
        const req = indexedDB.open('seam');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const tx = req.result.transaction('tracks');
          const all = tx.objectStore('tracks').getAll();
          all.onsuccess = () =>
            ok(
              (all.result as { id: string; position: number }[])
                .sort((a, b) => a.position - b.position)
                .map((x) => x.id),
            );
          all.onerror = () => fail(all.error);
        };
      });
      await api.storage.session.set({
        job: {
          id: 'earlier',
          trackIds: tracks,
          format: 'mp3',
          fileName: 'x.mp3',
          startedAt: Date.now() - 5000,
          finishedAt: Date.now() - 1000,
          status: 'failed',
          error: { code: 'job-interrupted', message: 'The join was cut off.' },
        },
      });
    }, undefined);
    await until(async () => expect((await ui.alerts()).join('\n')).toMatch(/cut off/));

    await page.getByRole('button', { name: 'Clear all', exact: true }).click();
    await until(async () => expect(await ui.status.innerText()).toMatch(/Removed 2 tracks\./));
    expect(await ui.alerts()).toEqual([]);

    // New files: the notice about the old queue goes (its Undo would mix two queues).
    await ui.addFilesAndWait(eight.slice(2, 5));
    expect(await page.getByRole('button', { name: 'Undo', exact: true }).count()).toBe(0);
    expect(await ui.alerts()).toEqual([]);

    // While the join runs, the bar says nothing about a next join: watched on every change.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { progress: number; stale: number } };
      w.seen = { progress: 0, stale: 0 };
      new MutationObserver(() => {
        if (!document.querySelector('[role="progressbar"]')) return;
        w.seen.progress++;
        if (document.querySelector('section.join .headline, section.join .next')) w.seen.stale++;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await ui.setFormat('OGG');
    await seam.ext.joinAndWait(() => ui.join());
    const seen = await page.evaluate(
      () => (window as unknown as { seen: { progress: number; stale: number } }).seen,
    );
    expect(seen.progress).toBeGreaterThan(0);
    expect(seen.stale).toBe(0);
  });
});

describe('order', () => {
  test('Sort by name and Reverse replace a hand-made order with Undo, as Clear all does', async () => {
    await openPopup();
    const names = eight.slice(0, 4).map((p) => p.split('/').at(-1)!);
    await ui.addFilesAndWait(eight.slice(0, 4));
    // A hand-made order: Episode 3 first.
    await ui.moveUp(names[2]!);
    await ui.moveUp(names[2]!);
    const hand = [names[2], names[0], names[1], names[3]];
    await until(async () => expect(await ui.tracks()).toEqual(hand));

    const sortBy = async (choice: string) => {
      await page.getByRole('button', { name: 'Sort', exact: true }).click();
      await page.getByRole('button', { name: choice, exact: true }).click();
    };
    await sortBy('Reverse order');
    await until(async () => expect(await ui.tracks()).toEqual([...hand].reverse()));
    expect(await ui.status.innerText()).toMatch(/Reversed the order\./);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await until(async () => expect(await ui.tracks()).toEqual(hand));

    await sortBy('By name');
    await until(async () => expect(await ui.tracks()).toEqual(names));
    expect(await ui.status.innerText()).toMatch(/Sorted the tracks\./);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await until(async () => expect(await ui.tracks()).toEqual(hand));
  });

  test('in the editor, a Shift-selection far down keeps its actions in view', async () => {
    const many = await copies(
      'tone-440-2s-44100-stereo.mp3',
      Array.from({ length: 24 }, (_, i) => `Part ${i + 1}.mp3`),
    );
    page = await seam.openOptions();
    await page.setViewportSize({ width: 900, height: 700 });
    ui = new PopupPage(page);
    await ui.addFiles(many.paths);
    await ui.waitForReady(24, 120_000);
    const box = (n: number) => ui.item(`Part ${n}.mp3`).getByRole('checkbox').first();
    await box(20).scrollIntoViewIfNeeded();
    await box(20).click();
    await box(23).click({ modifiers: ['Shift'] });
    const bar = page.getByRole('group', { name: '4 selected' });
    await bar.waitFor();
    const r = (await bar.boundingBox())!;
    expect(r.y).toBeGreaterThanOrEqual(0);
    expect(r.y + r.height).toBeLessThanOrEqual(700);
    expect(await joinInView(page, 'Remove selected')).toBe(true);
    await page.getByRole('button', { name: 'Remove selected', exact: true }).click();
    await until(async () => expect(await ui.items.count()).toBe(20));
  });
});

describe('Open in a tab', () => {
  test('brings the open editor to the front instead of opening a second one', async () => {
    for (const p of seam.context.pages()) if (p.url().includes('/options.html')) await p.close();
    await openPopup();
    const editors = () =>
      seam.worker.evaluate(async () => {
        const url = chrome.runtime.getURL('/options.html');
        const all = await chrome.tabs.query({});
        return all.filter((x) => x.url?.startsWith(url)).map((x) => ({ active: x.active }));
      });
    const opened = seam.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Open in a tab', exact: true }).click();
    const editor = await opened;
    await editor.waitForLoadState();
    await until(async () => expect(await editors()).toHaveLength(1));

    // The popup's tab in front again, then Open in a tab once more.
    await page.bringToFront();
    await until(async () => expect((await editors())[0]?.active).toBe(false));
    await page.getByRole('button', { name: 'Open in a tab', exact: true }).click();
    await until(async () => expect(await editors()).toEqual([{ active: true }]));
    await editor.close();
  });
});
