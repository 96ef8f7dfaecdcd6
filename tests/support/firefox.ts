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
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
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
  /** Opens a web page in a new tab and returns the tab and its id (from `page`, an extension page). */
  openTab(url: string, page: Page): Promise<{ tab: Page; tabId: number }>;
  /**
   * Calls the background page's context-menu click handler (the e2e build's `seamMenuClick`) as
   * a click on one of Seam's menu items in tab `tabId`: a native menu cannot be clicked from
   * automation. Runs from `page`, an extension page, through `runtime.getBackgroundPage`.
   */
  menuClick(page: Page, info: Record<string, unknown>, tabId: number): Promise<void>;
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
      // Firefox starts in seconds when the machine is idle; a busy CI machine can take a minute.
      timeout: 120_000,
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
        }, 60_000);
        return page;
      },
      ext: (page) => new Extension(evaluateIn(page)),
      async openTab(url, page) {
        const tab = await b.newPage();
        await tab.goto(url);
        // Match patterns take no port: find the tab by its URL's start instead.
        const tabId = await evaluateIn(page)(async (u) => {
          const api = (globalThis as unknown as { browser: typeof chrome }).browser;
          const tabs = await api.tabs.query({});
          return tabs.find((t) => t.url?.startsWith(u))?.id;
        }, url);
        if (tabId === undefined) throw new Error(`no tab shows ${url}`);
        return { tab, tabId };
      },
      async menuClick(page, info, tabId) {
        await evaluateIn(page)(
          async ({ info, tabId }) => {
            const api = (globalThis as unknown as { browser: typeof chrome }).browser;
            const tab = await api.tabs.get(tabId);
            const bg = (await api.runtime.getBackgroundPage()) as unknown as {
              seamMenuClick: (i: unknown, t: unknown) => Promise<void>;
            };
            await bg.seamMenuClick({ editable: false, pageUrl: tab.url, frameId: 0, ...info }, tab);
          },
          { info, tabId },
        );
      },
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

  /** The list items of the region "On this page", as "name | host | reason" (waits for them). */
  async pageItems(): Promise<string[]> {
    const query = '::-p-aria(On this page[role="region"]) ::-p-aria([role="listitem"])';
    let items: ElementHandle[] = [];
    await until(async () => {
      items = await this.page.$$(query);
      if (items.length === 0) throw new Error('nothing listed "On this page"');
    });
    const texts = await Promise.all(
      items.map((li) => li.evaluate((e) => (e as HTMLElement).innerText)),
    );
    return texts.map((t) =>
      t
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean)
        .join(' | '),
    );
  }

  /** Ticks the named items "On this page" and clicks "Add selected". */
  async addFromPage(names: string[]): Promise<void> {
    const region = await this.page.waitForSelector('::-p-aria(On this page[role="region"])');
    for (const name of names) {
      const box = await region!.waitForSelector(`::-p-aria(${name}[role="checkbox"])`);
      await box!.click();
    }
    const add = await region!.waitForSelector('::-p-aria(Add selected[role="button"])');
    await add!.click();
  }

  /** A form control by role and accessible name, inside the `index`th track's list item. */
  async trackField(index: number, role: string, name: string): Promise<ElementHandle> {
    const items = await this.page.$$('::-p-aria(Tracks[role="list"]) ::-p-aria([role="listitem"])');
    const item = items[index];
    if (!item) throw new Error(`no track number ${index + 1}`);
    const control = await item.waitForSelector(`::-p-aria(${name}[role="${role}"])`);
    return control!;
  }

  /** Types a number into a field and commits it with Enter, as a person does. */
  async enter(field: ElementHandle, value: string): Promise<void> {
    await field.focus();
    // Select what is there (a click does not in Firefox's number fields), then type over it.
    await this.page.keyboard.down('Control');
    await this.page.keyboard.press('a');
    await this.page.keyboard.up('Control');
    await field.type(value);
    await field.press('Enter');
  }

  /** Picks an option of a select (a combobox) by its visible label. */
  async choose(select: ElementHandle, label: string): Promise<void> {
    const value = await select.evaluate(
      (s, l) => [...(s as HTMLSelectElement).options].find((o) => o.label === l)?.value,
      label,
    );
    if (value === undefined) throw new Error(`no option "${label}"`);
    await select.select(value);
  }

  /** The select labelled exactly "Format". */
  async setFormat(label: string): Promise<void> {
    const format = await this.page.waitForSelector('::-p-aria(Format[role="combobox"])');
    await this.choose(format!, label);
  }

  join(): Promise<void> {
    return this.click('Join');
  }

  cancel(): Promise<void> {
    return this.click('Cancel');
  }
}
