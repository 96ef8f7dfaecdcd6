/**
 * Firefox smoke test: the Firefox build (.output/firefox-mv2, `npm run build:firefox`) in Debian's
 * firefox-esr, driven by puppeteer-core over WebDriver BiDi. Firefox has no offscreen API, so
 * here the engine runs in the background page: these joins prove ffmpeg.wasm loads and runs
 * there, and that the result reaches the downloads folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, clearQueueInPage, ffprobeJson, fixture, until } from '../e2e/harness';

const BUILD_DIR = join(ROOT, process.env.SEAM_FIREFOX_BUILD_DIR ?? '.output/firefox-mv2');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The add-on id from the manifest (browser_specific_settings.gecko.id). */
const ADDON_ID = 'seam@seam.invalid';
/** Fixed through the pref extensions.webextensions.uuids, so the pages' URLs are known. */
const UUID = '5ea3a11d-0000-4000-8000-5ea3a11d0001';
const BASE = `moz-extension://${UUID}`;

interface Job {
  id: string;
  status: string;
  downloadId?: number;
  lossless?: boolean;
  error?: { message: string };
}
interface Download {
  id: number;
  filename: string;
  state: string;
  error?: string;
}

/** Firefox's promise-based `browser` namespace, as seen inside an extension page. */
type WebExtGlobal = { browser: typeof chrome };

let browser: Browser;
let downloadsDir: string;
let extensionDir: string;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: apt-get install -y firefox-esr`);
  }
  if (!existsSync(join(BUILD_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${BUILD_DIR}: run npm run build:firefox first`);
  }
  downloadsDir = await mkdtemp(join(tmpdir(), 'seam-ff-downloads-'));
  // A private copy of the build, so a rebuild during the run cannot pull files from under it.
  extensionDir = await mkdtemp(join(tmpdir(), 'seam-ff-extension-'));
  await cp(BUILD_DIR, extensionDir, { recursive: true });
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Lets the automation reach moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
      'browser.download.dir': downloadsDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.panel.shown': true,
    },
  });
  const id = await browser.installExtension(extensionDir);
  expect(id).toBe(ADDON_ID);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  for (const dir of [downloadsDir, extensionDir]) {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
});

/** `page.goto` to a moz-extension:// page never resolves: start it and watch the page instead. */
async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `${BASE}/${path}`;
  void page.goto(url).catch(() => undefined);
  await until(async () => {
    const [href, state] = await page.evaluate(() => [location.href, document.readyState]);
    if (href !== url || state !== 'complete') throw new Error(`still loading: ${href} ${state}`);
  }, 20_000);
  return page;
}

/** Track list items' text (the UI contract: a list labelled "Tracks"). */
const itemTexts = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[aria-label="Tracks"] li')].map((li) =>
      (li as HTMLElement).innerText.trim(),
    ),
  );

async function addFiles(page: Page, names: string[]): Promise<void> {
  const input = await page.waitForSelector('input[type=file]');
  await input!.uploadFile(...names.map(fixture));
  await until(async () => {
    const texts = await itemTexts(page);
    // A ready item shows "m:ss · CODEC · rate · layout · size".
    if (texts.length !== names.length || !texts.every((t) => /\d+:\d\d · /.test(t))) {
      throw new Error(`waiting for ${names.length} ready tracks, have ${JSON.stringify(texts)}`);
    }
  }, 30_000);
}

async function clickJoin(page: Page): Promise<void> {
  const handle = await page.evaluateHandle(() =>
    [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Join'),
  );
  const button = handle.asElement();
  if (!button) throw new Error('no Join button');
  await (button as typeof button & { click(): Promise<void> }).click();
}

/** Waits for the job to finish, then for its download; returns the saved file's path. */
async function joinedFile(page: Page): Promise<{ job: Job; path: string }> {
  const job = await until(async () => {
    const j = await page.evaluate(
      async () =>
        (await (globalThis as unknown as WebExtGlobal).browser.storage.session.get('job')).job as
          Job | undefined,
    );
    if (j?.status === 'failed') throw Object.assign(new Error(j.error?.message), { fatal: true });
    if (j?.status !== 'done') throw new Error(`job not done: ${JSON.stringify(j)}`);
    return j;
  }, 45_000);
  const path = await until(async () => {
    const [item] = await page.evaluate(
      (id) =>
        (globalThis as unknown as WebExtGlobal).browser.downloads.search({ id }) as Promise<
          Download[]
        >,
      job.downloadId!,
    );
    if (item?.state === 'interrupted') throw new Error(`download interrupted: ${item.error}`);
    if (item?.state !== 'complete')
      throw new Error(`download not complete: ${JSON.stringify(item)}`);
    return item.filename;
  }, 20_000);
  return { job, path };
}

/** Empties the queue (IndexedDB "seam") and forgets the last job, as tests/e2e/harness does. */
async function resetSeam(page: Page): Promise<void> {
  await page.evaluate(clearQueueInPage);
  await page.evaluate(async () => {
    await (globalThis as unknown as WebExtGlobal).browser.storage.session.remove('job');
  });
}

describe('Seam in Firefox', () => {
  it('ships a Firefox manifest: MV2, persistent background page, no offscreen', async () => {
    const { readFile } = await import('node:fs/promises');
    const m = JSON.parse(await readFile(join(BUILD_DIR, 'manifest.json'), 'utf8'));
    expect(m.manifest_version).toBe(2);
    expect(m.background).toMatchObject({ persistent: true, scripts: ['background.js'] });
    expect(m.permissions).not.toContain('offscreen');
    expect(m.optional_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(m.content_security_policy).toContain("'wasm-unsafe-eval'");
    expect(m.browser_specific_settings.gecko.id).toBe(ADDON_ID);
    expect(existsSync(join(BUILD_DIR, 'offscreen.html'))).toBe(false);
    // Chrome-only APIs stay out of the Firefox background page.
    const bg = await readFile(join(BUILD_DIR, 'background.js'), 'utf8');
    expect(bg).not.toMatch(/getContexts|createDocument/);
  });

  it('joins three MP3s losslessly into one 6 s MP3 in the downloads folder', async () => {
    const page = await openPage('popup.html');
    try {
      await addFiles(page, [
        'tone-440-2s-44100-stereo.mp3',
        'tone-660-2s-44100-stereo.mp3',
        'tone-880-2s-44100-stereo.mp3',
      ]);
      await clickJoin(page);
      const { job, path } = await joinedFile(page);
      expect(job.lossless).toBe(true);
      expect(path.startsWith(downloadsDir)).toBe(true);
      const probe = await ffprobeJson(path);
      expect(probe.format.format_name).toBe('mp3');
      expect(Number(probe.format.duration)).toBeCloseTo(6, 0);
      // The badge (MV2's browserAction) shows the queue again once the job is done.
      await until(async () => {
        const text = await page.evaluate(() => {
          const ext = (globalThis as unknown as WebExtGlobal).browser;
          const action = ext.browserAction as unknown as { getBadgeText(d: object): string };
          return action.getBadgeText({});
        });
        expect(text).toBe('3');
      }, 5_000);
      await resetSeam(page);
    } finally {
      await page.close();
    }
  });

  it('re-encodes mixed inputs with ffmpeg.wasm in the background page', async () => {
    const page = await openPage('popup.html');
    try {
      await addFiles(page, ['mono-22050.mp3', 'tone-440-2s-44100-stereo.mp3']);
      const mono = Number((await ffprobeJson(fixture('mono-22050.mp3'))).format.duration);
      await clickJoin(page);
      const { job, path } = await joinedFile(page);
      expect(job.lossless).toBe(false);
      const probe = await ffprobeJson(path);
      const audio = probe.streams.find((s) => s.codec_type === 'audio')!;
      expect(audio.codec_name).toBe('mp3');
      expect(audio.channels).toBe(2);
      expect(Number(probe.format.duration)).toBeCloseTo(mono + 2, 0);
      await resetSeam(page);
    } finally {
      await page.close();
    }
  });

  it('Cancel stops a long join at once and keeps the queue', async () => {
    // Ten minutes at 48 kHz beside a 44.1 kHz tone: a re-encode of many seconds in wasm.
    const long = join(downloadsDir, 'long-10min-48000.mp3');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=600'],
      ...['-ar', '48000', '-ac', '2', '-b:a', '96k', long],
    ]);
    const page = await openPage('popup.html');
    try {
      const input = await page.waitForSelector('input[type=file]');
      await input!.uploadFile(long, fixture('tone-440-2s-44100-stereo.mp3'));
      await until(async () => {
        const texts = await itemTexts(page);
        if (texts.length !== 2 || !texts.every((t) => /\d+:\d\d · /.test(t))) {
          throw new Error(`waiting for 2 ready tracks: ${JSON.stringify(texts)}`);
        }
      }, 60_000);
      await clickJoin(page);
      const jobNow = () =>
        page.evaluate(
          async () =>
            (await (globalThis as unknown as WebExtGlobal).browser.storage.session.get('job'))
              .job as (Job & { percent?: number; phase?: string }) | undefined,
        );
      await until(async () => {
        const j = await jobNow();
        if (j?.status !== 'running' || j.phase !== 'joining' || !j.percent) {
          throw new Error(`not joining yet: ${JSON.stringify(j)}`);
        }
      }, 60_000);
      const clicked = Date.now();
      await page.evaluate(() =>
        [...document.querySelectorAll('button')]
          .find((b) => b.textContent?.trim() === 'Cancel')!
          .click(),
      );
      await until(async () => expect((await jobNow())?.status).toBe('canceled'), 3_000);
      expect(Date.now() - clicked).toBeLessThan(3_000);
      expect((await itemTexts(page)).map((t) => t.split('\n')[0])).toEqual([
        'long-10min-48000.mp3',
        'tone-440-2s-44100-stereo.mp3',
      ]);
      await resetSeam(page);
    } finally {
      await page.close();
    }
  });
});
