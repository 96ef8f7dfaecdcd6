/**
 * Firefox parity: what the Chrome e2e tests prove for page audio, the context menu and the
 * editor, proved in the Firefox e2e build (.output/firefox-mv2-e2e) in Debian's firefox-esr,
 * driven by puppeteer-core over WebDriver BiDi. The engine and the page-audio downloads run in
 * the background page here (Firefox has no offscreen documents).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FirefoxPopup,
  launchFirefox,
  resetSeamFirefox,
  type SeamFirefox,
} from '../support/firefox';
import { decodedDuration, ffprobe } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';
import { startSite } from '../support/site';
import { until } from '../support/wait';

let firefox: SeamFirefox;
let site: Awaited<ReturnType<typeof startSite>>;
let tabId: number;
let page: Page;
let ui: FirefoxPopup;

beforeAll(async () => {
  [firefox, site] = await Promise.all([launchFirefox(), startSite()]);
  const probe = await firefox.openPage('popup.html');
  ({ tabId } = await firefox.openTab(site.url, probe));
  await probe.close();
  // Launching Firefox took 6 s on an idle machine and over 40 s on a busy one.
}, 300_000);

afterAll(async () => {
  await firefox?.close();
  await site?.close();
});

/** Empties the queue from one extension page, then opens `path` on the empty queue. */
async function open(path: string): Promise<void> {
  const first = await firefox.openPage('popup.html');
  await resetSeamFirefox(first);
  await first.close();
  page = await firefox.openPage(path);
  ui = new FirefoxPopup(page);
}

beforeEach(async () => {
  await page?.close().catch(() => undefined);
});

describe('page audio in Firefox', () => {
  it('the popup lists the audio on the tab and "Add selected" fetches and joins it', async () => {
    await open(`popup.html?tab=${tabId}`);
    // Every row is on the page's own host: it is said once, not on each row (issue 21).
    const listed = await ui.pageItems();
    expect(listed).toEqual(
      expect.arrayContaining([
        'Lecture A',
        'Chapter download',
        'Frame lecture',
        'Lectures | streamed or protected audio cannot be saved',
      ]),
    );
    expect(listed).not.toContainEqual(expect.stringMatching(/^(About|Cover|Mail)\b/));

    // "Frame lecture" links a redirect, which Seam refuses in both browsers (a fetch shows an
    // extension no redirect's target before it is followed; tests/e2e/page-audio.test.ts).
    await ui.addFromPage(['Chapter download', 'Lecture A']);
    await ui.waitForReady(2, 60_000);
    // Page order, whatever the order of the clicks.
    expect(await ui.tracks()).toEqual(['Lecture A', 'Chapter download']);
    const { job, file } = await firefox.ext(page).joinAndWait(() => ui.join(), 60_000);
    expect(job.fileName).toBe('Lecture A + 1 more.mp3');
    expect((await ffprobe(file)).streams[0]?.codec_name).toBe('mp3');
    // a.mp3 and mono-22050.mp3: 2 s each.
    expect(await decodedDuration(file)).toBeCloseTo(4, 0);
  });
});

describe('context menu in Firefox', () => {
  it('registers its items, and "Add to Seam" on a link adds and fetches the track', async () => {
    await open('popup.html');
    const known = await page.evaluate(async () => {
      const api = (globalThis as unknown as { browser: typeof chrome }).browser;
      const exists = (id: string) =>
        api.contextMenus.update(id, {}).then(
          () => true,
          () => false,
        );
      return Promise.all(
        ['seam-add-link', 'seam-add-media', 'seam-add-page', 'no-such'].map(exists),
      );
    });
    expect(known).toEqual([true, true, true, false]);

    const link = `${site.url}media/b.mp3?session=1`;
    await firefox.menuClick(page, { menuItemId: 'seam-add-link', linkUrl: link }, tabId);
    await ui.waitForReady(1, 60_000);
    expect(await ui.tracks()).toEqual(['b.mp3']);
    await until(async () => expect(await firefox.ext(page).badgeText()).toBe('1'));
  });
});

describe('the editor in Firefox', () => {
  it('joins with a trim and a crossfade set in the options page, to the edited length', async () => {
    await open('options.html');
    await ui.addFilesAndWait(
      ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'].map(fixture),
    );
    await ui.setFormat('WAV');
    await ui.enter(await ui.trackField(0, 'spinbutton', 'Start'), '0.5');
    await ui.choose(await ui.trackField(0, 'combobox', 'Transition'), 'Crossfade');
    await ui.enter(await ui.trackField(0, 'spinbutton', 'Seconds'), '1');
    await until(async () => {
      const text = await (
        await ui.trackField(0, 'spinbutton', 'Seconds')
      ).evaluate((e) => (e as HTMLInputElement).value);
      expect(text).toBe('1');
    });
    const { job, file } = await firefox.ext(page).joinAndWait(() => ui.join(), 60_000);
    expect(job.lossless).toBe(false);
    const probe = await ffprobe(file);
    expect(probe.format.format_name).toBe('wav');
    // 1.5 s kept of the first tone, 2 s of the second, overlapping by 1 s.
    expect(await decodedDuration(file)).toBeCloseTo(2.5, 1);
  });
});
