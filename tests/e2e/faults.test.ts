/**
 * The fault suite (issue 8): each test names the fault it causes, causes it in the built
 * extension in real Chromium, and checks that nothing is lost: the queue stays, no track carries
 * an error that is not its own, the person is told what happened, and the next Join works.
 *
 * Faults are caused the way they happen: the DevTools protocol crashes the offscreen document
 * (Page.crash; the whole extension process goes, as when it runs out of memory) or stops the
 * service worker (ServiceWorker.stopWorker, as Chrome does when it is idle), the browser is
 * closed and started again on the same profile, and a script in a page tab (the isolated world
 * Seam's scanner runs in) sends Seam's own messages.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PopupPage, getJob, searchDownloads, until, type Job } from './harness';
import { startSite } from './site';
import {
  closeOffscreenDocument,
  crashExtensionProcess,
  hasOffscreenDocument,
  longTracks,
  newMachine,
  startBrowser,
  stopServiceWorker,
  type Browser,
  type Machine,
} from './fault-kit';

const AUDIO_DIR = join(tmpdir(), 'seam-fault-audio');
let tracks: string[];

beforeAll(async () => {
  mkdirSync(AUDIO_DIR, { recursive: true });
  // Four 3-minute tracks: long enough that probing takes a moment and a re-encode many seconds.
  tracks = await longTracks(AUDIO_DIR, 4, 180);
}, 300_000);

let machine: Machine | undefined;
let browser: Browser | undefined;

afterEach(async () => {
  await browser?.close().catch(() => undefined);
  await machine?.dispose();
  browser = undefined;
  machine = undefined;
});

async function start(): Promise<{ browser: Browser; page: Page; ui: PopupPage; sw: Worker }> {
  machine ??= await newMachine();
  browser = await startBrowser(machine);
  const page = await browser.openPopup();
  return { browser, page, ui: new PopupPage(page), sw: await browser.worker() };
}

const job = async (b: Browser): Promise<Job | null> => getJob(await b.worker());
const waitJob = async (b: Browser, ok: (j: Job | null) => boolean, timeout = 120_000) => {
  const deadline = Date.now() + timeout;
  for (;;) {
    const j = await job(b).catch(() => null);
    if (ok(j)) return j;
    if (Date.now() > deadline) throw new Error(`job never matched; last ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
const badge = async (b: Browser) =>
  (await b.worker()).evaluate(() => chrome.action.getBadgeText({}));
const storedTracks = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok) => {
      const req = indexedDB.open('seam');
      req.onsuccess = () => ok(req.result);
    });
    const all = await new Promise<{ id: string; name: string; status: string; error?: unknown }[]>(
      (ok) => {
        const req = db.transaction('tracks').objectStore('tracks').getAll();
        req.onsuccess = () => ok(req.result as never);
      },
    );
    db.close();
    return all;
  });

/** Stores output settings as the options page would. */
const setOutput = async (sw: Worker, format: string) =>
  sw.evaluate(
    (format) =>
      chrome.storage.local.set({
        output: {
          ...{ format, bitrate: 192, mp3Mode: 'cbr', vbrQuality: 2, sampleRate: 'source' },
          ...{ channels: 'source', normalize: false, fadeInSec: 0, fadeOutSec: 0 },
          ...{ chapters: true, cover: 'first' },
        },
      }),
    format,
  );

/** Adds the four long tracks, waits until they are ready, and starts a re-encode (OGG). */
async function startLongJoin(b: Browser, page: Page, ui: PopupPage): Promise<Job> {
  await setOutput(await b.worker(), 'ogg');
  await page.reload();
  await ui.addFiles(tracks);
  await ui.waitForReady(4, 120_000);
  await ui.join();
  return (await waitJob(
    b,
    (j) => j?.status === 'running' && j.phase === 'joining' && (j.percent ?? 0) >= 2,
    120_000,
  ))!;
}

describe('fault suite', () => {
  test('fault: Cancel while probing — the probes finish, all four tracks end ready, the message is true, Join works at once', async () => {
    const { browser: b, page, ui } = await start();
    await ui.addFiles(tracks);
    // Join while the engine is reading the others (ffmpeg loaded, a probe running), as a person
    // who presses Join right after adding does.
    await until(async () => {
      const texts = await ui.itemTexts();
      const ready = texts.filter((t) => /\d+:\d\d · /.test(t)).length;
      if (texts.length !== 4 || ready < 1) throw new Error(`not yet: ${JSON.stringify(texts)}`);
    }, 120_000);
    await ui.join();
    const checking = (await ui.itemTexts()).filter((t) => /checking…/.test(t)).length;
    await ui.cancelButton.click({ timeout: 20_000 }).catch(async (err: Error) => {
      const state = JSON.stringify({ job: await job(b), alerts: await ui.alerts() });
      throw new Error(`${err.message.split('\n')[0]}; ${state}`);
    });
    // The fault only happens if Cancel came while tracks were still being read.
    expect(checking).toBeGreaterThan(0);
    await waitJob(b, (j) => j?.status === 'canceled', 30_000);

    await ui.waitForSettled(4, 120_000);
    for (const t of await storedTracks(page)) {
      expect(t.error, t.name).toBeUndefined();
      expect(t.status, t.name).toBe('ready');
    }
    await expect
      .poll(() => ui.status.allInnerTexts())
      .toContain('Join canceled. The queue is as it was.');
    const alerts = await ui.alerts();
    expect(alerts.join(' ')).not.toMatch(/terminate|problem|could not be read/i);

    const canceled = await job(b);
    await ui.join();
    const next = await waitJob(
      b,
      (j) => j !== null && j.id !== canceled?.id && j.status !== 'running',
    );
    expect(next?.status).toBe('done');
  });

  test('fault: service worker stopped mid-join — the join finishes and its file is saved', async () => {
    const { browser: b, page, ui } = await start();
    const running = await startLongJoin(b, page, ui);
    await stopServiceWorker(b);
    expect(await hasOffscreenDocument(b.context)).toBe(true);
    // Nothing wakes it but the engine's own messages: no page is asked to open.
    const done = await waitJob(b, (j) => j?.id === running.id && j.status !== 'running', 300_000);
    expect(done?.status).toBe('done');
    const [item] = await searchDownloads(await b.worker(), { id: done!.downloadId! });
    await until(async () => {
      const [now] = await searchDownloads(await b.worker(), { id: done!.downloadId! });
      if (now?.state !== 'complete') throw new Error(`download ${JSON.stringify(now)}`);
    }, 60_000);
    expect(item).toBeDefined();
  });

  test('fault: offscreen document crashed mid-join (its target closed) — the next page says why, with Retry; the queue intact, the badge cleared', async () => {
    const { browser: b, page, ui } = await start();
    const running = await startLongJoin(b, page, ui);
    await closeOffscreenDocument(b.context);
    await page.close();

    const reopened = await b.openPopup();
    const again = new PopupPage(reopened);
    await expect
      .poll(() => again.alerts(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/^The join stopped because Seam’s engine closed/));
    expect(await job(b)).toMatchObject({
      id: running.id,
      status: 'failed',
      error: { code: 'job-interrupted' },
    });
    await again.waitForReady(4, 120_000);
    expect(await badge(b)).toBe('4');

    await reopened.getByRole('button', { name: 'Retry' }).click();
    const retried = await waitJob(
      b,
      (j) => j !== null && j.id !== running.id && j.status !== 'running',
      300_000,
    );
    expect(retried?.status).toBe('done');
  });

  test('fault: extension process crashed mid-join (Page.crash on the offscreen document) — once Seam runs again, the popup says the join stopped, with Retry', async () => {
    const { browser: b, page, ui } = await start();
    const running = await startLongJoin(b, page, ui);
    await crashExtensionProcess(b.context);
    // Chrome blocks a crashed extension's pages until it is loaded again: here, by starting
    // the browser again on the same profile.
    await expect(b.openPopup()).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT|ERR_ABORTED/);
    await b.close();

    const { browser: b2, page: page2, ui: ui2 } = await start();
    await expect
      .poll(() => ui2.alerts(), { timeout: 30_000 })
      .toContainEqual(
        expect.stringMatching(/^The join stopped because Seam closed before it finished/),
      );
    expect(await job(b2)).toMatchObject({
      id: running.id,
      status: 'failed',
      error: { code: 'job-interrupted' },
    });
    await ui2.waitForReady(4, 120_000);
    expect(await badge(b2)).toBe('4');
    await page2.getByRole('button', { name: 'Retry' }).click();
    const retried = await waitJob(
      b2,
      (j) => j !== null && j.id !== running.id && j.status !== 'running',
      300_000,
    );
    expect(retried?.status).toBe('done');
  });

  test('fault: browser relaunched on the same profile with a queue — the queue is intact and ready', async () => {
    const { browser: b, ui } = await start();
    await ui.addFiles(tracks.slice(0, 2));
    await ui.waitForReady(2, 120_000);
    await b.close();

    const { browser: b2, ui: ui2 } = await start();
    await ui2.waitForReady(2, 60_000);
    expect(await ui2.tracks()).toEqual(['long-1-180s.mp3', 'long-2-180s.mp3']);
    expect(await job(b2)).toBeNull();
    expect(await ui2.alerts()).toEqual([]);
  });

  test('fault: browser relaunched on the same profile with a job in flight — the popup says the join stopped, with Retry', async () => {
    const { browser: b, page, ui } = await start();
    const running = await startLongJoin(b, page, ui);
    await b.close();

    const { browser: b2, page: page2, ui: ui2 } = await start();
    await expect
      .poll(() => ui2.alerts(), { timeout: 60_000 })
      .toContainEqual(
        expect.stringMatching(
          /^The join stopped because Seam closed before it finished: the browser was closed/,
        ),
      );
    expect(await job(b2)).toMatchObject({
      id: running.id,
      status: 'failed',
      error: { code: 'job-interrupted' },
    });
    await ui2.waitForReady(4, 120_000);
    expect(await badge(b2)).toBe('4');

    await page2.getByRole('button', { name: 'Retry' }).click();
    const retried = await waitJob(
      b2,
      (j) => j !== null && j.id !== running.id && j.status !== 'running',
      300_000,
    );
    expect(retried?.status).toBe('done');
  });

  test('fault: forged messages from a page tab — each is refused: no download, no job change, no track change', async () => {
    const { browser: b, page, ui } = await start();
    const site = await startSite();
    try {
      await ui.addFiles(tracks.slice(0, 1));
      await ui.waitForReady(1, 120_000);
      const before = await storedTracks(page);
      const tab = await b.context.newPage();
      await tab.goto(site.url);
      const sw = await b.worker();
      const tabId = await sw.evaluate(async (url) => {
        const all = await chrome.tabs.query({});
        return all.find((t) => t.url?.startsWith(url))!.id!;
      }, site.url);
      const trackId = before[0]!.id;
      // Sent from the page's isolated world, where Seam's scanner is injected: the same
      // runtime.sendMessage a content script has, in webext-core's message format. The attack
      // of issue 8 first: start a join, then report it done with a URL of the site, which the
      // downloads API would fetch with the site's cookies. Then every other message type.
      const answers = await sw.evaluate(
        async ({ tabId, trackId, siteUrl }) => {
          const [r] = await chrome.scripting.executeScript({
            target: { tabId },
            args: [trackId, siteUrl],
            func: async (trackId: string, siteUrl: string) => {
              const out: string[] = [];
              const send = async (type: string, data?: unknown) => {
                const res = (await chrome.runtime
                  .sendMessage({ id: 1, type, data, timestamp: Date.now() })
                  .catch((e: Error) => ({ err: { message: e.message } }))) as
                  { res?: { jobId?: string }; err?: { message: string } } | undefined;
                out.push(`${type}: ${JSON.stringify(res)}`);
                return res;
              };
              const started = await send('bg:startJoin');
              const jobId = started?.res?.jobId ?? 'x';
              await send('bg:progress', { jobId, phase: 'joining', percent: 50, lossless: false });
              await send('bg:done', {
                jobId,
                url: `${siteUrl}media/a.mp3`,
                bytes: 1,
                lossless: true,
              });
              await send('bg:failed', { jobId, error: { code: 'join-failed', message: 'forged' } });
              await send('bg:cancelJoin', jobId);
              await send('bg:tracksAdded', [trackId]);
              await send('bg:fetchTracks', [trackId]);
              await send('bg:checkIn');
              await send('bg:idle');
              await send('off:ping');
              await send('off:probe', [trackId]);
              await send('off:fetch', { trackIds: [trackId], limitBytes: 1 });
              await send('off:join', {
                jobId: 'forged',
                trackIds: [trackId],
                output: {},
                options: {},
              });
              await send('off:cancel', jobId);
              await send('off:release', 'blob:x');
              return out;
            },
          });
          return r!.result as string[];
        },
        { tabId, trackId, siteUrl: site.url },
      );
      expect(answers).toHaveLength(15);
      // Every bg:* is refused by the background; off:* by the engine's document, or they find
      // no receiver at all when it has closed.
      for (const a of answers) {
        if (a.startsWith('bg:')) expect(a).toMatch(/Seam refused/);
        else expect(a).toMatch(/Seam refused|Receiving end does not exist|port closed|undefined/);
      }
      await new Promise((r) => setTimeout(r, 3000));
      expect(await job(b)).toBeNull();
      expect(await searchDownloads(await b.worker())).toEqual([]);
      expect(await storedTracks(page)).toEqual(before);
      expect(await ui.alerts()).toEqual([]);
    } finally {
      await site.close();
    }
  });
});
