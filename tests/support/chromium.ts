/**
 * Seam in Debian's Chromium, driven by playwright-core: the persistent-context recipe in
 * DESIGN.md ("Testing in a real browser"). One browser per test file (`launchSeam()` in
 * beforeAll, `close()` in afterAll); `resetSeam()` empties the queue between tests.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { Extension, evaluateIn, type Evaluate } from './extension';
import { E2E_BUILD_DIR } from './paths';
import { clearQueue } from './queue';

export interface Seam {
  context: BrowserContext;
  /** The extension's id: the host of its service worker's URL. */
  extensionId: string;
  /** The extension's service worker (the current one, should Chrome have restarted it). */
  readonly worker: Worker;
  /** The extension's state (job, downloads, badge, settings), read in the service worker. */
  ext: Extension;
  /** Opens popup.html as a normal tab; `query` like "?tab=3". */
  openPopup(query?: string): Promise<Page>;
  openOptions(query?: string): Promise<Page>;
  /** Where Playwright puts accepted downloads (under GUID names). */
  downloadsDir: string;
  /** The folders this browser runs on: pass them to `launchSeam({ dirs })` to start it again. */
  dirs: SeamDirs;
  /** The id of the first tab whose URL starts with `url`. */
  tabId(url: string): Promise<number>;
  /**
   * Calls the background's context-menu click handler as a click on one of Seam's menu items in
   * tab `tabId` would (a native menu cannot be clicked from Playwright). e2e build only.
   */
  menuClick(info: Record<string, unknown>, tabId: number): Promise<void>;
  /**
   * Closes the browser and removes its folders; with `keepDirs` the folders stay, for a launch
   * on the same profile (the browser closed and started again).
   */
  close(opts?: { keepDirs?: boolean }): Promise<void>;
}

/** A launch's folders: its profile, its copy of the build (whose path fixes the extension's id), its downloads. */
export interface SeamDirs {
  profileDir: string;
  extensionDir: string;
  downloadsDir: string;
}

/** Removes a launch's folders (after `close({ keepDirs: true })`). */
export async function removeDirs(dirs: SeamDirs): Promise<void> {
  for (const dir of [dirs.profileDir, dirs.downloadsDir, dirs.extensionDir]) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

export function chromePath(): string {
  const path = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium) or set CHROME_PATH`,
    );
  }
  return path;
}

/**
 * Launches headless Chromium on a fresh profile with a private copy of the build loaded (so a
 * rebuild during the run cannot pull files from under it) and finds the extension's id.
 */
export interface LaunchOptions {
  buildDir?: string;
  name?: string;
  /** More Chromium flags (e.g. `--host-resolver-rules=...` for a test serving many hosts). */
  args?: string[];
  /** More host permissions in this launch's copy of the manifest, standing in for grants. */
  hosts?: string[];
  /**
   * Starts again on a previous launch's folders (`seam.dirs` after `close({ keepDirs: true })`):
   * the same profile and the same extension copy, so the extension keeps its id, its storage and
   * its IndexedDB, as when a person quits the browser and opens it again.
   */
  dirs?: SeamDirs;
}

export async function launchSeam(opts: LaunchOptions = {}): Promise<Seam> {
  const buildDir = opts.buildDir ?? E2E_BUILD_DIR;
  const name = opts.name ?? 'seam-e2e';
  const executablePath = chromePath();
  if (!existsSync(join(buildDir, 'manifest.json'))) {
    throw new Error(
      `No built extension in ${buildDir}: run ${buildDir === E2E_BUILD_DIR ? 'npm run build:e2e' : 'npm run build'} first`,
    );
  }
  const reused = opts.dirs !== undefined;
  const dirs: SeamDirs = opts.dirs ?? {
    profileDir: await mkdtemp(join(tmpdir(), `${name}-profile-`)),
    downloadsDir: await mkdtemp(join(tmpdir(), `${name}-downloads-`)),
    extensionDir: await mkdtemp(join(tmpdir(), `${name}-extension-`)),
  };
  const { profileDir, downloadsDir, extensionDir } = dirs;
  const cleanUp = async () => {
    if (!reused) await removeDirs(dirs);
  };
  let context: BrowserContext | undefined;
  try {
    if (!reused) await cp(buildDir, extensionDir, { recursive: true });
    if (opts.hosts?.length && !reused) {
      const path = join(extensionDir, 'manifest.json');
      const manifest = JSON.parse(await readFile(path, 'utf8')) as { host_permissions?: string[] };
      manifest.host_permissions = [...(manifest.host_permissions ?? []), ...opts.hosts];
      await writeFile(path, JSON.stringify(manifest));
    }
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      acceptDownloads: true,
      downloadsPath: downloadsDir,
      args: [
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...(opts.args ?? []),
      ],
    });
    const ctx = context;
    const first = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
    const extensionId = new URL(first.url()).host;
    const worker = () => {
      const workers = ctx
        .serviceWorkers()
        .filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
      return workers[workers.length - 1] ?? first;
    };
    const inWorker = evaluateIn(worker);
    const open = async (path: string) => {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    };
    return {
      context: ctx,
      extensionId,
      get worker() {
        return worker();
      },
      ext: new Extension(inWorker),
      openPopup: (query = '') => open(`popup.html${query}`),
      openOptions: (query = '') => open(`options.html${query}`),
      downloadsDir,
      dirs,
      async tabId(url) {
        const id = await inWorker(
          async (u) => (await chrome.tabs.query({ url: `${u}*` }))[0]?.id,
          url,
        );
        if (id === undefined) throw new Error(`no tab shows ${url}`);
        return id;
      },
      async menuClick(info, tabId) {
        await inWorker(
          async ({ info, tabId }) => {
            const tab = await chrome.tabs.get(tabId);
            const hook = globalThis as unknown as {
              seamMenuClick: (i: unknown, t: unknown) => Promise<void>;
            };
            await hook.seamMenuClick(
              { editable: false, pageUrl: tab.url, frameId: 0, ...info },
              tab,
            );
          },
          { info, tabId },
        );
      },
      async close(closeOpts) {
        await ctx.close().catch(() => undefined);
        if (!closeOpts?.keepDirs) await removeDirs(dirs);
      },
    };
  } catch (err) {
    await context?.close().catch(() => undefined);
    await cleanUp();
    throw err;
  }
}

/** Runs a function in an extension page (see `evaluateIn`). */
export const inPage = (page: Page): Evaluate => evaluateIn(page);

/**
 * Between tests: waits for a running job to end, empties the queue, forgets the last job and
 * reloads `page` (an extension page) so it shows the empty queue.
 */
export async function resetSeam(seam: Seam, page: Page, timeout = 60_000): Promise<void> {
  await seam.ext.waitForJob((j) => j?.status !== 'running', timeout);
  await clearQueue(inPage(page));
  await seam.ext.forgetJob();
  await page.reload();
}
