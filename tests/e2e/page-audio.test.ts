import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffprobe } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { ARCHIVE_SIZE, startSite } from '../support/site';
import { until } from '../support/wait';

let seam: Seam;
let site: Awaited<ReturnType<typeof startSite>>;
let tabId: number;
let page: Page;
let popup: PopupPage;

beforeAll(async () => {
  [seam, site] = await Promise.all([launchSeam(), startSite()]);
  const tab = await seam.context.newPage();
  await tab.goto(site.url);
  tabId = await seam.tabId(site.url);
});

afterAll(async () => {
  await seam?.close();
  await site?.close();
});

beforeEach(async () => {
  page = await seam.openPopup(`?tab=${tabId}`);
  popup = new PopupPage(page);
  await resetSeam(seam, page);
});

const region = () => popup.onThisPage;
const listed = () => popup.pageItems();
const checkbox = (name: string) => popup.pageCheckbox(name);

describe('On this page', () => {
  it('lists one row per recording, frames included, decoys left out', async () => {
    // Every row is on the page's own host: it is said once, not on each row (issue 21).
    expect(await listed()).toEqual([
      'Lecture feed',
      'Feed episode',
      // "Lecture A again" (a.mp3#t=10) is the same file: one row.
      'Lecture A',
      // b.mp3?session=1 on the page and b.mp3 in the frame are the same file: one row.
      'Lecture B',
      'Lecture C (stream link)',
      'Chapter download',
      'Player C | 0:02',
      'Missing lecture',
      'Broken lecture',
      // A blob: player has no caption of its own: the heading it sits under names it.
      'Lectures | streamed or protected audio cannot be saved',
      'Frame lecture',
    ]);
    await expect(checkbox('Lectures').isDisabled()).resolves.toBe(true);
    await expect(checkbox('Lecture A').isEnabled()).resolves.toBe(true);
  });

  it('adds the picked audio, fetched by the extension, and joins it to the summed length', async () => {
    await popup.addFromPage([
      'Lecture A',
      'Lecture C (stream link)',
      'Frame lecture',
      'Chapter download',
    ]);
    await popup.waitForReady(4);
    // Page order, whatever the order of the clicks.
    expect(await popup.tracks()).toEqual([
      'Lecture A',
      'Lecture C (stream link)',
      'Chapter download',
      'Frame lecture',
    ]);
    // Already-queued items are marked in the page list.
    await expect(
      region().getByRole('listitem').filter({ hasText: 'Lecture A' }).first().innerText(),
    ).resolves.toContain('in the queue');

    const { job, file: out } = await seam.ext.joinAndWait(() => popup.join(), 60_000);
    expect(job.status).toBe('done');
    expect(job.fileName).toBe('Lecture A + 3 more.mp3');
    const probe = await ffprobe(out);
    expect(probe.streams[0]?.codec_name).toBe('mp3');
    // a, b (stream link), c (through a redirect), mono-22050: 2 s each.
    expect(await decodedDuration(out)).toBeCloseTo(8, 0);
  });

  it('a 404 and an HTML page served as MP3 get alerts naming the link; the rest is kept', async () => {
    await popup.addFromPage(['Missing lecture', 'Broken lecture', 'Lecture B']);
    await popup.waitForSettled(3);
    const alerts = await page.getByRole('alert').allInnerTexts();
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Missing lecture: The server \(127\.0\.0\.1:\d+\) answered 404 Not Found\.$/,
        ),
        expect.stringMatching(
          /^Broken lecture: The link \(127\.0\.0\.1:\d+\) gave a web page \(HTML\), not audio\.$/,
        ),
      ]),
    );
    // The badge turns red while a track needs attention.
    expect(await seam.ext.badgeColor()).toEqual([185, 28, 28, 255]);
    await popup.remove('Missing lecture');
    await popup.remove('Broken lecture');
    await popup.waitForReady(1);
    expect(await popup.tracks()).toEqual(['Lecture B']);
  });

  it('a file over the size limit in Settings is refused by name', async () => {
    await seam.ext.setPreferences({ fetchLimitMB: 1 });
    try {
      await seam.menuClick({ menuItemId: 'seam-add-link', linkUrl: `${site.url}big.mp3` }, tabId);
      await popup.waitForSettled(1);
      expect(await page.getByRole('alert').allInnerTexts()).toEqual([
        expect.stringMatching(
          /^big\.mp3: It is \d\.\d MB, over the 1\.0 MB limit set in Settings\.$/,
        ),
      ]);
    } finally {
      await seam.ext.setPreferences(null);
    }
  });

  it('a filter narrows a long list by name', async () => {
    await region().getByRole('searchbox', { name: 'Filter' }).fill('frame');
    expect(await listed()).toEqual([expect.stringMatching(/^Frame lecture/)]);
  });
});

describe('Right-click menu', () => {
  it('registers its items on install', async () => {
    for (const id of ['seam-add-link', 'seam-add-media', 'seam-add-page']) {
      await expect(
        seam.worker.evaluate((i) => chrome.contextMenus.update(i, {}), id),
      ).resolves.toBeUndefined();
    }
    await expect(
      seam.worker.evaluate(() => chrome.contextMenus.update('no-such-item', {})),
    ).rejects.toThrow();
  });

  it('"Add to Seam" on a link adds and fetches the track; the badge counts it', async () => {
    const link = `${site.url}media/b.mp3?session=1`;
    await seam.menuClick({ menuItemId: 'seam-add-link', linkUrl: link, pageUrl: site.url }, tabId);
    await popup.waitForReady(1);
    expect(await popup.tracks()).toEqual(['b.mp3']);
    await until(async () => expect(await seam.ext.badgeText()).toBe('1'));
  });

  it('"Add to Seam" on a streamed <audio> shows why it cannot be saved', async () => {
    await seam.menuClick(
      { menuItemId: 'seam-add-media', mediaType: 'audio', srcUrl: 'blob:http://127.0.0.1/x' },
      tabId,
    );
    await until(async () =>
      expect(await page.getByRole('alert').allInnerTexts()).toContain(
        'Streamed audio: Streamed or protected audio cannot be saved.',
      ),
    );
  });

  it('"Add all audio on this page" adds every saveable item', async () => {
    await seam.menuClick({ menuItemId: 'seam-add-page' }, tabId);
    await popup.waitForSettled(10, 90_000);
    const names = await popup.tracks();
    expect(names).toHaveLength(10);
    expect(names).not.toContain('Lectures');
  });
});

describe('Open in a tab', () => {
  it('the full-page view keeps listing the audio of the tab the popup was for', async () => {
    const opened = seam.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Open in a tab' }).click();
    const options = await opened;
    await options.waitForLoadState();
    expect(options.url()).toMatch(new RegExp(`/options\\.html\\?tab=${tabId}$`));
    const list = options.getByRole('region', { name: 'On this page' }).getByRole('listitem');
    await until(async () => expect(await list.count()).toBe(11));
    await options.close();
  });
});

describe('a page of 300 clips', () => {
  it('lists every clip a hundred at a time, and the filter finds one by name', async () => {
    const archive = await seam.context.newPage();
    await archive.goto(`${site.url}archive.html`);
    const archiveTab = await seam.tabId(`${site.url}archive.html`);
    const view = await seam.openPopup(`?tab=${archiveTab}`);
    const section = view.getByRole('region', { name: 'On this page' });
    // Drawn a hundred at a time, so a list of a thousand stays quick.
    await until(async () => expect(await section.getByRole('listitem').count()).toBe(100));
    await section.getByRole('button', { name: `Show 100 more of ${ARCHIVE_SIZE - 100}` }).click();
    await until(async () => expect(await section.getByRole('listitem').count()).toBe(200));
    await section.getByRole('searchbox', { name: 'Filter' }).fill('clip 123');
    await until(async () =>
      expect(await section.getByRole('listitem').allInnerTexts()).toEqual([
        expect.stringMatching(/^Clip 123\b/),
      ]),
    );
    await section.getByRole('checkbox', { name: 'Select all' }).check();
    expect(await section.getByRole('checkbox', { name: 'Clip 123', exact: true }).isChecked()).toBe(
      true,
    );
    await view.close();
    await archive.close();
  });
});
