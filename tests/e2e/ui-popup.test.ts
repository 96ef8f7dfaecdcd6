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

describe('progress', () => {
  test('a join of many short tracks: the progress text changes, never "Reading tracks 0%" or "Joining 100%"', async () => {
    await openPopup();
    const many = await copies(
      'tone-440-2s-44100-stereo.mp3',
      Array.from({ length: 14 }, (_, i) => `Take ${i + 1}.mp3`),
    );
    await ui.addFiles(many.paths);
    await ui.waitForReady(14, 120_000);
    await ui.setFormat('OGG');
    // Every text the progress shows, in order, watched on every change until the join ends.
    await page.evaluate(() => {
      const w = window as unknown as { said: string[] };
      w.said = [];
      new MutationObserver(() => {
        const now = document.querySelector('.progress-row .percent')?.textContent?.trim();
        if (now && w.said.at(-1) !== now) w.said.push(now);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await seam.ext.joinAndWait(() => ui.join());
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said.length, said.join(' | ')).toBeGreaterThanOrEqual(3);
    expect(said.filter((x) => /^Reading tracks 0%|^Joining 100%/.test(x))).toEqual([]);
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

/** Presses the mouse on a row's Reorder handle; returns the handle's box. */
async function grab(p: Page, name: string) {
  const handle = p
    .getByRole('listitem')
    .filter({ hasText: name })
    .getByRole('button', { name: 'Reorder' });
  const box = (await handle.boundingBox())!;
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await p.mouse.down();
  return box;
}

describe('drag to reorder', () => {
  test('in the popup, with the mouse: a track dragged below two others lands there, nothing selected', async () => {
    await openPopup();
    const four = eight.slice(0, 4);
    const names = four.map((p) => p.split('/').at(-1)!);
    await ui.addFilesAndWait(four);
    await ui.item(names[0]!).scrollIntoViewIfNeeded();
    const start = await grab(page, names[0]!);
    const third = (await ui.item(names[2]!).boundingBox())!;
    await page.mouse.move(start.x + 5, third.y + third.height * 0.8, { steps: 8 });
    await until(async () => expect(await page.locator('.track.lifted').count()).toBe(1));
    await page.mouse.up();
    await until(async () =>
      expect(await ui.tracks()).toEqual([names[1], names[2], names[0], names[3]]),
    );
    expect(await page.evaluate(() => getSelection()?.toString() ?? '')).toBe('');
    // The keyboard moves are still there.
    await ui.moveDown(names[0]!);
    await until(async () =>
      expect(await ui.tracks()).toEqual([names[1], names[2], names[3], names[0]]),
    );
  });

  test('in the editor, a drag to the window’s edge scrolls: Part 35 of 40 goes to the end', async () => {
    const forty = await copies(
      'tone-440-2s-44100-stereo.mp3',
      Array.from({ length: 40 }, (_, i) => `Part ${i + 1}.mp3`),
    );
    for (const p of seam.context.pages()) if (p.url().includes('/options.html')) await p.close();
    page = await seam.openOptions();
    await page.setViewportSize({ width: 900, height: 700 });
    ui = new PopupPage(page);
    await ui.addFiles(forty.paths);
    await ui.waitForReady(40, 120_000);
    // Open cards, as a person editing trims has them: tall, so the list is long.
    await page.getByRole('button', { name: 'Expand all', exact: true }).click();
    await page.getByRole('button', { name: 'Collapse all', exact: true }).waitFor();
    await ui.item('Part 35.mp3').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // The list's end is out of view, under the Join bar: only scrolling can reach it.
    const hidden = await ui.item('Part 40.mp3').evaluate((el) => {
      const bar = document.querySelector('section.join')!.getBoundingClientRect().top;
      return el.getBoundingClientRect().top > bar;
    });
    expect(hidden).toBe(true);
    const start = await grab(page, 'Part 35.mp3');
    // Down to the Join bar's edge and held there: the page scrolls until the end of the list.
    const barTop = await page
      .locator('section.join')
      .evaluate((el) => el.getBoundingClientRect().top);
    await page.mouse.move(start.x + 5, barTop - 4, { steps: 6 });
    await until(
      async () => expect(await page.locator('.track.drop-after').innerText()).toMatch(/^Part 40/),
      30_000,
    );
    await page.mouse.up();
    await until(async () => expect((await ui.tracks())[39]).toBe('Part 35.mp3'));
    expect((await ui.tracks())[34]).toBe('Part 36.mp3');
    await page.close();
  });
});

describe('cover and tags', () => {
  test('the cover shows as a thumbnail; Reset to defaults forgets it completely; Title is wide', async () => {
    const cover = (await copies('png-named.mp3', ['my cover.png'])).paths[0]!;
    for (const p of seam.context.pages()) if (p.url().includes('/options.html')) await p.close();
    page = await seam.openOptions();
    await page.setViewportSize({ width: 1000, height: 800 });
    ui = new PopupPage(page);
    await ui.addFilesAndWait(eight.slice(0, 2));
    const output = page.getByRole('region', { name: /^Output/ });
    await output.getByLabel('Choose an image').setInputFiles(cover);
    const thumb = output.getByRole('img', { name: 'Cover: my cover.png' });
    await thumb.waitFor();
    await until(async () =>
      expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0),
    );
    const width = (name: string) =>
      output
        .getByRole('textbox', { name, exact: true })
        .evaluate((el) => el.getBoundingClientRect().width);
    expect(await width('Title')).toBeGreaterThan(2 * (await width('Genre')));

    // Reset, from the Join bar's Details: nothing of the image is left.
    await page.getByRole('button', { name: 'Details', exact: true }).click();
    await page.getByRole('button', { name: 'Reset to defaults', exact: true }).click();
    await until(async () => expect(await thumb.count()).toBe(0));
    expect(await output.getByText('Choose another image').count()).toBe(0);
    expect(await output.getByRole('button', { name: 'Forget the image' }).count()).toBe(0);
    expect(await output.getByText('Choose an image').count()).toBe(1);
    expect(
      await output.getByRole('combobox', { name: 'Cover', exact: true }).inputValue(),
    ).not.toBe('image');
    await page.close();
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
