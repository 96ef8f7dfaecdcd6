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
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { OutputSettings } from '@/lib/core/settings';
import { inPage, launchSeam, removeDirs, type Seam, type SeamDirs } from '../support/chromium';
import type { Job } from '../support/extension';
import {
  decodedDuration,
  ffmpeg,
  ffprobe,
  probeAudio,
  requireNativeFfmpeg,
} from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { storedTracks } from '../support/queue';
import { startSite } from '../support/site';
import { sleep, until } from '../support/wait';
import {
  closeOffscreenDocument,
  crashExtensionProcess,
  hasOffscreenDocument,
  longTracks,
  stopServiceWorker,
} from './fault-kit';

const AUDIO_DIR = join(tmpdir(), 'seam-fault-audio');
let tracks: string[];

beforeAll(async () => {
  requireNativeFfmpeg();
  mkdirSync(AUDIO_DIR, { recursive: true });
  // Four 3-minute tracks: long enough that checking them takes a moment and a re-encode some
  // seconds, so a fault can land in the middle.
  tracks = await longTracks(AUDIO_DIR, 4, 180);
}, 300_000);

/** The browsers a test started, and the folders kept for starting one again. */
let open: Seam[] = [];
let kept: SeamDirs | undefined;

afterEach(async () => {
  for (const s of open) await s.close({ keepDirs: true });
  if (kept) await removeDirs(kept);
  open = [];
  kept = undefined;
});

/** Starts Seam (on `dirs`: again on the same profile) with the popup open. */
async function start(dirs?: SeamDirs): Promise<{ seam: Seam; page: Page; ui: PopupPage }> {
  const seam = await launchSeam({ name: 'seam-fault', dirs });
  open.push(seam);
  kept = seam.dirs;
  const page = await seam.openPopup();
  return { seam, page, ui: new PopupPage(page) };
}

/**
 * Polls the job record until `ok` holds. It is read in whichever service worker answers
 * (`seam.ext` asks the newest): one the test stopped or crashed throws, and the next poll asks
 * its successor.
 */
async function waitJob(seam: Seam, ok: (j: Job) => boolean, timeout = 120_000): Promise<Job> {
  return until(async () => {
    const job = await seam.ext.job();
    if (!job || !ok(job)) throw new Error(`job never matched; last ${JSON.stringify(job)}`);
    return job;
  }, timeout);
}

/** A finished job other than `previousId`: the join that a click started, once it ends. */
const nextJob = (seam: Seam, previousId: string | undefined, timeout = 300_000) =>
  waitJob(seam, (j) => j.id !== previousId && j.status !== 'running', timeout);

const OGG: Partial<OutputSettings> = { format: 'ogg', bitrate: 192 };

/** The tracks a mid-join fault joins: two of the long ones (six minutes to re-encode). */
const joined = () => tracks.slice(0, 2);

/** Adds two long tracks, waits until they are ready, and starts a re-encode (OGG). */
async function startLongJoin(seam: Seam, page: Page, ui: PopupPage): Promise<Job> {
  await seam.ext.setOutput(OGG);
  await page.reload();
  await ui.addFilesAndWait(joined(), 180_000);
  await ui.join();
  return waitJob(
    seam,
    (j) => j.status === 'running' && j.phase === 'joining' && j.percent >= 2,
    120_000,
  );
}

/** The popup says the join stopped and why, with Retry; the queue and badge are the queue's. */
async function expectStoppedWithRetry(
  seam: Seam,
  page: Page,
  running: Job,
  why: RegExp,
): Promise<void> {
  const ui = new PopupPage(page);
  await until(async () => {
    expect((await ui.alerts()).join('\n')).toMatch(why);
  }, 60_000);
  await page.getByRole('button', { name: 'Retry' }).waitFor({ timeout: 10_000 });
  expect(await seam.ext.job()).toMatchObject({
    id: running.id,
    status: 'failed',
    error: { code: 'job-interrupted' },
  });
  await ui.waitForReady(joined().length, 120_000);
  expect(await ui.tracks()).toEqual(joined().map((t) => basename(t)));
  expect(await seam.ext.badgeText()).toBe(String(joined().length));
}

// Each test starts its own browser and adds long tracks: minutes on a busy 2-core machine.
describe('fault suite', { timeout: 360_000 }, () => {
  test('fault: Cancel while probing — the checks finish, all four tracks end ready, the message is true, Join works at once', async () => {
    const { seam, page, ui } = await start();
    await seam.ext.setOutput({ format: 'mp3', bitrate: 128, mp3Mode: 'cbr' });
    await page.reload();
    await ui.addFiles(tracks);
    // Join while the engine is still reading some of them (listed ones are decoded to their end
    // after), as a person who presses Join right after adding does.
    await until(async () => {
      const texts = await ui.itemTexts();
      const ready = texts.filter((t) => /\d+:\d\d · /.test(t)).length;
      if (texts.length !== 4 || ready < 1) throw new Error(`not yet: ${JSON.stringify(texts)}`);
    }, 120_000);
    await ui.join();
    // Still being read: probed ("checking…") or decoded to its end (listed, checked after).
    const unread = (await storedTracks(inPage(page))).filter(
      (t) => t.status === 'probing' || !t.info?.decoded,
    ).length;
    await ui.cancelButton.click({ timeout: 20_000 });
    // The fault only happens if Cancel came while tracks were still being read.
    expect(unread).toBeGreaterThan(0);
    const canceled = await waitJob(seam, (j) => j.status === 'canceled', 30_000);

    await ui.waitForSettled(4, 180_000);
    for (const t of await storedTracks(inPage(page))) {
      expect(t.error, t.name).toBeUndefined();
      expect(t.status, t.name).toBe('ready');
    }
    await until(async () =>
      expect(await ui.status.allInnerTexts()).toContain('Join canceled. The queue is as it was.'),
    );
    expect((await ui.alerts()).join(' ')).not.toMatch(/terminate|problem|could not be read/i);

    await ui.join();
    const next = await nextJob(seam, canceled.id);
    expect(next.status, JSON.stringify(next)).toBe('done');
  });

  test('fault: Join pressed while a canceled join unwinds — that Join can be canceled too, and saves nothing', async () => {
    const { seam, page, ui } = await start();
    const first = await startLongJoin(seam, page, ui);
    await ui.cancelButton.click();
    // Join again the moment it is offered, while the first join's engine is still stopping.
    await ui.joinButton.click({ timeout: 30_000 });
    const second = await waitJob(seam, (j) => j.id !== first.id, 30_000);
    await ui.cancelButton.click({ timeout: 30_000 });
    const ended = await nextJob(seam, first.id, 60_000);
    expect(ended).toMatchObject({ id: second.id, status: 'canceled' });
    await until(async () =>
      expect(await ui.status.allInnerTexts()).toContain('Join canceled. The queue is as it was.'),
    );
    await expect(ui.joinButton.isEnabled()).resolves.toBe(true);
    // Whatever the engine was still finishing is not saved (the host's side of this race, job
    // by job, is in tests/unit/engine-host-cancel.test.ts).
    await sleep(3000);
    expect(await seam.ext.job()).toMatchObject({ id: second.id, status: 'canceled' });
    expect(await seam.ext.downloads()).toEqual([]);
  });

  test('fault: service worker stopped mid-join — the join finishes and its file is saved', async () => {
    const { seam, page, ui } = await start();
    const running = await startLongJoin(seam, page, ui);
    await stopServiceWorker(seam);
    expect(await hasOffscreenDocument(seam.context)).toBe(true);
    // Nothing wakes it but the engine's own messages: no page is asked to open.
    const done = await nextJob(seam, undefined);
    if (done.status !== 'done') throw new Error(`the join did not finish: ${JSON.stringify(done)}`);
    expect(done.id).toBe(running.id);
    const file = await seam.ext.downloadedFile(done.downloadId!, 60_000);
    const audio = await probeAudio(file);
    expect(audio.codec).toBe('vorbis');
    expect(audio.durationSec).toBeGreaterThan(joined().length * 180 - 1);
  });

  test('fault: offscreen document crashed mid-join (DevTools closes its target) — the next page says why, with Retry; the queue intact, the badge cleared', async () => {
    const { seam, page, ui } = await start();
    const running = await startLongJoin(seam, page, ui);
    await closeOffscreenDocument(seam.context);
    await page.close();

    const reopened = await seam.openPopup();
    await expectStoppedWithRetry(
      seam,
      reopened,
      running,
      /^The join stopped because Seam’s engine closed before it finished/m,
    );
    await reopened.getByRole('button', { name: 'Retry' }).click();
    const retried = await nextJob(seam, running.id);
    expect(retried.status, JSON.stringify(retried)).toBe('done');
  });

  test('fault: extension process crashed mid-join (DevTools Page.crash on the offscreen document) — once Seam runs again, the popup says the join stopped, with Retry', async () => {
    const { seam, page, ui } = await start();
    const running = await startLongJoin(seam, page, ui);
    await crashExtensionProcess(seam.context);
    // Chrome blocks a crashed extension's pages until it is loaded again: here, by starting the
    // browser again on the same profile.
    await expect(seam.openPopup()).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT|ERR_ABORTED/);
    await seam.close({ keepDirs: true });

    const again = await start(seam.dirs);
    await expectStoppedWithRetry(
      again.seam,
      again.page,
      running,
      /^The join stopped because Seam closed before it finished/m,
    );
  });

  test('fault: browser relaunched on the same profile with a queue — the queue is intact and ready', async () => {
    const { seam, ui } = await start();
    await ui.addFilesAndWait(tracks.slice(0, 2), 120_000);
    await seam.close({ keepDirs: true });

    const again = await start(seam.dirs);
    await again.ui.waitForReady(2, 60_000);
    expect(await again.ui.tracks()).toEqual(['long-1-180s.mp3', 'long-2-180s.mp3']);
    expect(await again.seam.ext.job()).toBeNull();
    expect(await again.ui.alerts()).toEqual([]);
    expect(await again.seam.ext.badgeText()).toBe('2');
  });

  test('fault: browser relaunched on the same profile with a job in flight — the popup says the join stopped, with Retry, and Retry joins', async () => {
    const { seam, page, ui } = await start();
    const running = await startLongJoin(seam, page, ui);
    await seam.close({ keepDirs: true });

    const again = await start(seam.dirs);
    await expectStoppedWithRetry(
      again.seam,
      again.page,
      running,
      /^The join stopped because Seam closed before it finished: the browser was closed/m,
    );
    await again.page.getByRole('button', { name: 'Retry' }).click();
    const retried = await nextJob(again.seam, running.id);
    expect(retried.status, JSON.stringify(retried)).toBe('done');
  });

  test('fault: forged messages from a page tab — each is refused: no download, no job, no track change', async () => {
    const { seam, page, ui } = await start();
    const site = await startSite();
    try {
      await ui.addFilesAndWait([fixture('tone-440-2s-44100-stereo.mp3')]);
      // The track is listed, then decode-checked in the background: snapshot it once checked.
      await until(async () =>
        expect((await storedTracks(inPage(page)))[0]?.info?.decoded).toBe(true),
      );
      const before = await storedTracks(inPage(page));
      const tab = await seam.context.newPage();
      await tab.goto(site.url);
      const tabId = await seam.tabId(site.url);
      const trackId = before[0]!.id;
      // Sent from the page's isolated world, where Seam's scanner is injected: the same
      // runtime.sendMessage a content script has, in webext-core's message format. The attack
      // of issue 8 first: start a join, then report it done with a URL of the site, which the
      // downloads API would fetch with the site's cookies. Then every other message type.
      const answers = await seam.worker.evaluate(
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
              await send('bg:done', { jobId, url: `${siteUrl}a.mp3`, bytes: 1, lossless: true });
              await send('bg:failed', { jobId, error: { code: 'join-failed', message: 'forged' } });
              await send('bg:cancelJoin', jobId);
              await send('bg:tracksAdded', [trackId]);
              await send('bg:fetchTracks', [trackId]);
              await send('bg:tracksRemoved', [trackId]);
              await send('bg:checkIn');
              await send('bg:idle');
              await send('off:ping');
              await send('off:probe', [trackId]);
              await send('off:fetch', { trackIds: [trackId], limitBytes: 1 });
              await send('off:removed', [trackId]);
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
      expect(answers).toHaveLength(17);
      // Every bg:* is refused by the background; off:* by the engine's document, or they find
      // no receiver at all when it has closed.
      for (const a of answers) {
        if (a.startsWith('bg:')) expect(a).toMatch(/Seam refused/);
        else expect(a).toMatch(/Seam refused|Receiving end does not exist|port closed|undefined/);
      }
      // Nothing happens later either (a refused message leaves nothing running to finish).
      await sleep(3000);
      expect(await seam.ext.job()).toBeNull();
      expect(await seam.ext.downloads()).toEqual([]);
      expect(await storedTracks(inPage(page))).toEqual(before);
      expect(await ui.alerts()).toEqual([]);
    } finally {
      await site.close();
    }
  });

  test('fault: storage quota exhausted while adding local files — refused by name, nothing stored, and adding works once there is room', async () => {
    const { seam, page, ui } = await start();
    await ui.addFilesAndWait([fixture('tone-440-2s-44100-stereo.mp3')]);
    // DevTools shrinks the extension's storage quota to what it already uses plus 100 kB.
    const cdp = await seam.context.newCDPSession(page);
    const origin = `chrome-extension://${seam.extensionId}`;
    const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 100_000 });
    const big = tracks[0]!;
    await ui.addFiles([big]);
    await until(async () =>
      expect(await ui.alerts()).toContainEqual(
        expect.stringMatching(/^There is not enough free space (for|to add) “long-1-180s\.mp3”/),
      ),
    );
    expect(await ui.tracks()).toEqual(['tone-440-2s-44100-stereo.mp3']);
    expect((await storedTracks(inPage(page))).map((t) => t.name)).toEqual([
      'tone-440-2s-44100-stereo.mp3',
    ]);

    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await ui.addFilesAndWait([big], 120_000);
    expect(await ui.tracks()).toEqual(['tone-440-2s-44100-stereo.mp3', 'long-1-180s.mp3']);
  });

  test.each([
    ['cat-44100-then-48000.mp3', /track 2 changes sample rate from 44\.1 kHz to 48 kHz at 0:01/],
    ['cat-stereo-then-mono.mp3', /track 2 changes from stereo to mono at 0:01/],
  ])(
    'fault: an MP3 made with cat (%s) — not copied: the plan names the change, decodes that track first, and the join holds all of both tracks',
    async (name, reason) => {
      const { seam, ui } = await start();
      // A first track like the cat file's own header (ffmpeg reads the rate change as 48 kHz,
      // the mono tail as stereo), so the only reason not to copy frames is the change inside.
      const first = join(AUDIO_DIR, name.includes('48000') ? 'a-48000.mp3' : 'a-44100.mp3');
      const rate = name.includes('48000') ? 48000 : 44100;
      await ffmpeg([
        ...['-f', 'lavfi', '-i', `sine=frequency=550:sample_rate=${rate}:duration=2`],
        ...['-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', first],
      ]);
      const inputs = [first, fixture(name)];
      await seam.ext.setOutput({ format: 'mp3', bitrate: 128, mp3Mode: 'cbr' });
      await seam.ext.setPreferences({ sortAddedByName: false });
      await ui.page.reload();
      await ui.addFilesAndWait(inputs);
      await until(async () => {
        const plan = await ui.planText();
        expect(plan).toMatch(/^Re-encoding/);
        expect(plan).toMatch(reason);
        expect(plan).toMatch(/track 2 changes .* at 0:01, so it is decoded first/);
      });
      const previous = await seam.ext.job();
      await ui.join();
      const ended = await nextJob(seam, previous?.id, 120_000);
      if (ended.status !== 'done')
        throw new Error(`the join did not finish: ${JSON.stringify(ended)}`);
      // Native ffmpeg decodes each input whole; the join holds all of it, to within one MP3
      // frame (and no more than the encoder's delay and padding over).
      const lengths = await Promise.all(inputs.map((p) => decodedDuration(p, { rate })));
      const want = lengths[0]! + lengths[1]!;
      const file = await seam.ext.downloadedFile(ended.downloadId!);
      const probe = await ffprobe(file);
      expect(probe.streams.map((s) => [s.codec_name, Number(s.sample_rate), s.channels])).toEqual([
        ['mp3', rate, 2],
      ]);
      const got = await decodedDuration(file, { rate });
      console.info(`${name}: joined ${got} s, inputs ${want} s`);
      expect(got, `${got} s joined, ${want} s in the inputs`).toBeGreaterThan(want - 1152 / rate);
      expect(got).toBeLessThan(want + (3 * 1152) / rate);
    },
  );
});
