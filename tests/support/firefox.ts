/**
 * Seam in Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi (DESIGN.md, "Testing
 * in a real browser"): the Firefox build installed as a temporary add-on, its pages opened at a
 * fixed moz-extension:// UUID. Firefox has no offscreen API: the engine runs in the background
 * page, and the extension's state is read from an extension page with `browser.*`.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Extension, evaluateIn } from './extension';
import { assertReady } from './pages';
import { FIREFOX_E2E_BUILD_DIR } from './paths';
import { clearQueue } from './queue';
import { until } from './wait';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The add-on id from the manifest (browser_specific_settings.gecko.id). */
export const ADDON_ID = 'seam@seam.invalid';
/** Fixed through the pref extensions.webextensions.uuids, so the pages' URLs are known. */
const UUID = '5ea3a11d-0000-4000-8000-5ea3a11d0001';
const BASE = `moz-extension://${UUID}`;

export interface SeamFirefox {
  browser: Browser;
  /** The id Firefox gave the installed add-on (ADDON_ID, from the manifest). */
  addonId: string;
  /** Firefox's download folder for this run. */
  downloadsDir: string;
  /** Opens an extension page (e.g. "popup.html") and waits until it has loaded. */
  openPage(path: string): Promise<Page>;
  /** The extension's state (job, downloads, badge, settings), read from `page`. */
  ext(page: Page): Extension;
  close(): Promise<void>;
}

export async function launchFirefox(buildDir = FIREFOX_E2E_BUILD_DIR): Promise<SeamFirefox> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: apt-get install -y firefox-esr`);
  }
  if (!existsSync(join(buildDir, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${buildDir}: run npm run build:e2e first`);
  }
  const downloadsDir = await mkdtemp(join(tmpdir(), 'seam-ff-downloads-'));
  // A private copy of the build, so a rebuild during the run cannot pull files from under it.
  const extensionDir = await mkdtemp(join(tmpdir(), 'seam-ff-extension-'));
  const cleanUp = async () => {
    for (const dir of [downloadsDir, extensionDir]) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  };
  let browser: Browser | undefined;
  try {
    await cp(buildDir, extensionDir, { recursive: true });
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
    const addonId = await browser.installExtension(extensionDir);
    const b = browser;
    return {
      browser: b,
      addonId,
      downloadsDir,
      async openPage(path) {
        const page = await b.newPage();
        const url = `${BASE}/${path}`;
        // `page.goto` to a moz-extension:// page never resolves: start it and watch the page.
        void page.goto(url).catch(() => undefined);
        await until(async () => {
          const [href, state] = await page.evaluate(() => [location.href, document.readyState]);
          if (href !== url || state !== 'complete') {
            throw new Error(`still loading: ${href} ${state}`);
          }
        }, 20_000);
        return page;
      },
      ext: (page) => new Extension(evaluateIn(page)),
      async close() {
        await b.close().catch(() => undefined);
        await cleanUp();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await cleanUp();
    throw err;
  }
}

/** Empties the queue and forgets the last job, from an extension page. */
export async function resetSeamFirefox(page: Page): Promise<void> {
  await clearQueue(evaluateIn(page));
  await new Extension(evaluateIn(page)).forgetJob();
}

/** The popup in Firefox, over Puppeteer, found by role and accessible name (ARIA queries). */
export class FirefoxPopup {
  constructor(readonly page: Page) {}

  /** Each track's item text, in list order (a list labelled "Tracks"). */
  async itemTexts(): Promise<string[]> {
    const items = await this.page.$$('::-p-aria(Tracks[role="list"]) ::-p-aria([role="listitem"])');
    return Promise.all(items.map((li) => li.evaluate((e) => (e as HTMLElement).innerText.trim())));
  }

  /** Track names in list order (the first line of each item). */
  async tracks(): Promise<string[]> {
    return (await this.itemTexts()).map((t) => t.split('\n')[0]!.trim());
  }

  /** The file input labelled "Add files" (Firefox names a file input differently: by its label). */
  async addFiles(paths: string[]): Promise<void> {
    const label = await this.page.waitForSelector('::-p-text(Add files)');
    const input = await label!.$('input[type=file]');
    if (!input) throw new Error('no file input inside the label "Add files"');
    await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...paths);
  }

  /** Waits until the list has `count` items and every one is probed and ready. */
  async waitForReady(count: number, timeout = 30_000): Promise<void> {
    await until(async () => assertReady(await this.itemTexts(), count), timeout);
  }

  async addFilesAndWait(paths: string[], timeout = 30_000): Promise<void> {
    const before = (await this.itemTexts()).length;
    await this.addFiles(paths);
    await this.waitForReady(before + paths.length, timeout);
  }

  private async click(name: string): Promise<void> {
    const button = await this.page.waitForSelector(`::-p-aria(${name}[role="button"])`);
    await button!.click();
  }

  join(): Promise<void> {
    return this.click('Join');
  }

  cancel(): Promise<void> {
    return this.click('Cancel');
  }
}
