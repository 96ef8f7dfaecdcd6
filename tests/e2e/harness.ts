/**
 * End-to-end harness: the built extension (.output/chrome-mv3) in Debian's Chromium, driven by
 * playwright-core, plus native ffmpeg/ffprobe to check what comes out.
 *
 * One browser per test file (`launchSeam()` in beforeAll, `close()` in afterAll); `resetSeam()`
 * empties the queue and forgets the last job between tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  chromium,
  type BrowserContext,
  type Locator,
  type Page,
  type Worker,
} from 'playwright-core';
import { vi } from 'vitest';

const run = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '../..');
/**
 * The e2e build (`wxt build --mode e2e`): the shipped extension plus host access to 127.0.0.1,
 * standing in for the grant a person's click gives, so tests can serve pages locally.
 * tests/e2e/manifest.test.ts checks the shipped build asks for no host access.
 */
export const BUILD_DIR = join(ROOT, process.env.SEAM_BUILD_DIR ?? '.output/chrome-mv3-e2e');
export const SHIPPED_BUILD_DIR = join(ROOT, '.output/chrome-mv3');
export const FIXTURES = join(ROOT, 'tests/fixtures');

/** Absolute path of a fixture file. */
export const fixture = (name: string): string => join(FIXTURES, name);

/** The job record the background keeps in storage.session under "job" (see lib/job.ts). */
export interface Job {
  id: string;
  status: 'running' | 'done' | 'failed' | 'canceled';
  trackIds: string[];
  format: string;
  phase?: string;
  percent?: number;
  lossless?: boolean;
  fileName?: string;
  bytes?: number;
  downloadId?: number;
  error?: { code: string; message: string; trackName?: string };
}

/** What `chrome.downloads.search` returns, the parts the tests look at. */
export interface DownloadItem {
  id: number;
  filename: string;
  state: 'in_progress' | 'interrupted' | 'complete';
  error?: string;
  fileSize: number;
  mime: string;
}

export interface Seam {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker (the current one, should Chrome have restarted it). */
  readonly worker: Worker;
  /** Opens popup.html as a normal tab; `query` like "?tab=3". */
  openPopup(query?: string): Promise<Page>;
  openOptions(): Promise<Page>;
  /** Where Playwright puts accepted downloads (under GUID names). */
  downloadsDir: string;
  close(): Promise<void>;
}

function chromePath(): string {
  const path = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium) or set CHROME_PATH`,
    );
  }
  return path;
}

export interface LaunchOptions {
  /** More Chromium flags (e.g. `--host-resolver-rules=...` for a test serving many hosts). */
  args?: string[];
  /** More host permissions in this launch's copy of the manifest, standing in for grants. */
  hosts?: string[];
}

export async function launchSeam(opts: LaunchOptions = {}): Promise<Seam> {
  const executablePath = chromePath();
  if (!existsSync(join(BUILD_DIR, 'manifest.json'))) {
    throw new Error(`No built extension in ${BUILD_DIR}: run npm run build:e2e first`);
  }
  const profileDir = await mkdtemp(join(tmpdir(), 'seam-e2e-profile-'));
  const downloadsDir = await mkdtemp(join(tmpdir(), 'seam-e2e-downloads-'));
  // A private copy of the build, so a rebuild during the run cannot pull files from under it.
  const extensionDir = await mkdtemp(join(tmpdir(), 'seam-e2e-extension-'));
  const cleanUp = async () => {
    for (const dir of [profileDir, downloadsDir, extensionDir]) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  };
  let context: BrowserContext | undefined;
  try {
    await cp(BUILD_DIR, extensionDir, { recursive: true });
    if (opts.hosts?.length) {
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
    const open = async (path: string) => {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    };
    return {
      context: ctx,
      extensionId,
      get worker() {
        const workers = ctx
          .serviceWorkers()
          .filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
        return workers[workers.length - 1] ?? first;
      },
      openPopup: (query = '') => open(`popup.html${query}`),
      openOptions: () => open('options.html'),
      downloadsDir,
      async close() {
        await ctx.close().catch(() => undefined);
        await cleanUp();
      },
    };
  } catch (err) {
    await context?.close().catch(() => undefined);
    await cleanUp();
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `check` until it stops throwing; on timeout throws its last error. */
export function until<T>(check: () => Promise<T> | T, timeout = 30_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 100 });
}

/** The job record, or null when none was started since the last reset. */
export async function getJob(worker: Worker): Promise<Job | null> {
  return worker.evaluate(async () => {
    const { job } = await chrome.storage.session.get('job');
    return (job as Job | undefined) ?? null;
  });
}

/** Polls storage.session until `predicate(job)` holds; returns that job. */
export async function waitForJob(
  worker: Worker | (() => Worker),
  predicate: (job: Job | null) => boolean,
  timeout = 60_000,
): Promise<Job | null> {
  const w = typeof worker === 'function' ? worker : () => worker;
  const deadline = Date.now() + timeout;
  let last: Job | null = null;
  for (;;) {
    last = await getJob(w());
    if (predicate(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `waitForJob: timed out after ${timeout} ms; last job: ${JSON.stringify(last)}`,
      );
    }
    await sleep(100);
  }
}

export async function searchDownloads(
  worker: Worker,
  query: chrome.downloads.DownloadQuery = {},
): Promise<DownloadItem[]> {
  return worker.evaluate((q) => chrome.downloads.search(q), query) as Promise<DownloadItem[]>;
}

/** Waits until the download is complete and returns the absolute path of the saved file. */
export async function downloadedFile(
  worker: Worker,
  downloadId: number,
  timeout = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [item] = await searchDownloads(worker, { id: downloadId });
    if (item?.state === 'complete') return item.filename;
    if (item?.state === 'interrupted') {
      throw new Error(`download ${downloadId} was interrupted: ${item.error ?? 'no reason'}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `download ${downloadId} not complete after ${timeout} ms: ${JSON.stringify(item)}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Runs inside an extension page (Playwright's or Puppeteer's `page.evaluate`, so it must stand
 * alone): empties the queue in IndexedDB "seam" and tells open pages to redraw.
 */
export async function clearQueueInPage(): Promise<void> {
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const req = indexedDB.open('seam');
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  const names = ['tracks', 'audio'].filter((n) => db.objectStoreNames.contains(n));
  if (names.length > 0) {
    const tx = db.transaction(names, 'readwrite');
    for (const n of names) tx.objectStore(n).clear();
    await new Promise<void>((ok, fail) => {
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
    });
  }
  db.close();
  const ch = new BroadcastChannel('seam-tracks');
  ch.postMessage('changed');
  ch.close();
}

/** Empties the queue (IndexedDB "seam"), tells open pages, and forgets the last job. */
export async function resetSeam(seam: Seam, page: Page): Promise<void> {
  await waitForJob(seam.worker, (j) => j?.status !== 'running', 60_000);
  await page.evaluate(clearQueueInPage);
  await seam.worker.evaluate(() => chrome.storage.session.remove('job'));
  await page.reload();
}

// ---------------------------------------------------------------------------------------------
// Native ffmpeg / ffprobe

export interface ProbeJson {
  format: { format_name: string; duration?: string; size?: string };
  streams: {
    index: number;
    codec_type: string;
    codec_name: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
  }[];
}

export async function ffprobeJson(path: string): Promise<ProbeJson> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  return JSON.parse(stdout) as ProbeJson;
}

/** md5 of every audio packet's bytes, in order, without decoding (`-c copy -f framemd5`). */
export async function packetHashes(path: string): Promise<string[]> {
  const { stdout } = await run(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'framemd5', '-'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return (
    stdout
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      // "stream, dts, pts, duration, size, hash" and then, on some packets, side data
      // ("S=1, size, hash": the encoder delay and end padding), which is not the packet.
      .map((l) => l.split(',')[5]!.trim())
  );
}

/**
 * The audio decoded to signed 16-bit PCM, interleaved. Without `rate` the first audio stream's
 * own sample rate is kept.
 */
export async function decodePcm(
  path: string,
  opts: { channels?: number; rate?: number } = {},
): Promise<{ samples: Int16Array; rate: number; channels: number }> {
  const probe = await ffprobeJson(path);
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  if (!audio) throw new Error(`${basename(path)} has no audio stream`);
  const rate = opts.rate ?? Number(audio.sample_rate);
  const channels = opts.channels ?? audio.channels ?? 1;
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0'],
      ...['-ac', String(channels), '-ar', String(rate), '-f', 's16le', '-'],
    ],
    { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
  );
  const buf = stdout as Buffer;
  const samples = new Int16Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 2));
  return { samples: samples.slice(), rate, channels };
}

/** Seconds of audio a full decode yields (sample-exact, at the stream's own rate). */
export async function decodedDuration(path: string): Promise<number> {
  const { samples, rate } = await decodePcm(path, { channels: 1 });
  return samples.length / rate;
}

/** One channel of interleaved PCM, from `startSec` for `lengthSec`. */
export function channelSlice(
  pcm: { samples: Int16Array; rate: number; channels: number },
  channel: number,
  startSec: number,
  lengthSec: number,
): Float64Array {
  const from = Math.max(0, Math.round(startSec * pcm.rate));
  const frames = Math.floor(pcm.samples.length / pcm.channels);
  const to = Math.min(frames, from + Math.round(lengthSec * pcm.rate));
  const out = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = pcm.samples[i * pcm.channels + channel]! / 32768;
  return out;
}

export function rms(x: Float64Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return x.length ? Math.sqrt(sum / x.length) : 0;
}

/**
 * The frequency of a pure tone from its zero crossings (with a small hysteresis so coding noise
 * near zero does not count twice): rising crossings per second.
 */
export function toneFrequency(x: Float64Array, rate: number): number {
  const level = rms(x);
  const hyst = level * 0.1;
  let armed = false;
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < -hyst) armed = true;
    else if (armed && v > hyst) {
      armed = false;
      // Interpolated position of the crossing, counted from the first one.
      const prev = x[i - 1] ?? 0;
      const pos = i - 1 + (hyst - prev) / (v - prev || 1);
      if (first < 0) first = pos;
      else count++;
      last = pos;
    }
  }
  if (count === 0) return 0;
  return (count * rate) / (last - first);
}

// ---------------------------------------------------------------------------------------------
// Page object for the popup / options page (the UI contract in DESIGN.md)

export class PopupPage {
  constructor(readonly page: Page) {}

  get list(): Locator {
    return this.page.getByRole('list', { name: 'Tracks' });
  }

  get items(): Locator {
    return this.list.getByRole('listitem');
  }

  /** The list item that shows this file name. */
  item(name: string): Locator {
    return this.items.filter({ hasText: name });
  }

  async addFiles(paths: string[]): Promise<void> {
    await this.page.getByLabel('Add files').setInputFiles(paths);
  }

  /** Track names in list order (the first line of each item is its file name). */
  async tracks(): Promise<string[]> {
    if ((await this.list.count()) === 0) return [];
    const texts = await this.items.allInnerTexts();
    return texts.map((t) => t.trim().split('\n')[0]!.trim());
  }

  async moveUp(name: string): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Move up' }).click();
  }

  async moveDown(name: string): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Move down' }).click();
  }

  async remove(name: string): Promise<void> {
    const before = await this.items.count();
    await this.item(name).getByRole('button', { name: 'Remove' }).click();
    await until(async () => {
      const now = await this.items.count();
      if (now !== before - 1) throw new Error(`Remove ${name}: ${now} items, wanted ${before - 1}`);
    });
  }

  async setFormat(label: string): Promise<void> {
    // getByLabel would see the wrapping label's text plus every option's; the role's accessible
    // name is exactly "Format".
    await this.page.getByRole('combobox', { name: 'Format', exact: true }).selectOption({ label });
  }

  async setBitrate(kbps: number): Promise<void> {
    await this.page
      .getByRole('combobox', { name: 'Bitrate', exact: true })
      .selectOption({ label: `${kbps} kb/s` });
  }

  get joinButton(): Locator {
    return this.page.getByRole('button', { name: 'Join', exact: true });
  }

  get cancelButton(): Locator {
    return this.page.getByRole('button', { name: 'Cancel', exact: true });
  }

  get progressbar(): Locator {
    return this.page.getByRole('progressbar');
  }

  /** Clicks Join (Playwright waits for it to be enabled). */
  async join(): Promise<void> {
    await this.joinButton.click();
  }

  async itemTexts(): Promise<string[]> {
    if ((await this.list.count()) === 0) return [];
    return this.items.allInnerTexts();
  }

  /** Waits until the list has `count` items and every one is probed and ready. */
  async waitForReady(count: number, timeout = 60_000): Promise<void> {
    await until(async () => {
      const texts = await this.itemTexts();
      // A ready item shows "m:ss · CODEC · rate · layout · size".
      if (texts.length !== count || !texts.every((t) => /\d+:\d\d · /.test(t))) {
        throw new Error(`waiting for ${count} ready tracks, have ${JSON.stringify(texts)}`);
      }
    }, timeout);
  }

  /** Waits until the list has `count` items and none is still being checked or fetched. */
  async waitForSettled(count: number, timeout = 60_000): Promise<void> {
    await until(async () => {
      const texts = await this.itemTexts();
      if (texts.length !== count || texts.some((t) => /checking…|Downloading/.test(t))) {
        throw new Error(`waiting for ${count} settled tracks, have ${JSON.stringify(texts)}`);
      }
    }, timeout);
  }

  async alerts(): Promise<string[]> {
    return (await this.page.getByRole('alert').allInnerTexts()).map((t) => t.trim());
  }

  /** The plan line ("Lossless: ..." or "Re-encoding ..."). */
  get plan(): Locator {
    return this.page.getByText(/^(Lossless|Re-encoding)/);
  }

  get status(): Locator {
    return this.page.getByRole('status');
  }
}

/** Runs native ffmpeg (for making long inputs at test time). */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
}
