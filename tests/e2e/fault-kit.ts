/**
 * What the fault tests need beyond tests/support: the DevTools protocol to crash the offscreen
 * document or stop the service worker, and long inputs made with native ffmpeg. (Starting the
 * browser again on the same profile is `launchSeam({ dirs })`.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, CDPSession } from 'playwright-core';
import type { Seam } from '../support/chromium';
import { ffmpeg } from '../support/native-ffmpeg';
import { until } from '../support/wait';

/** A DevTools session on a blank page, for browser-wide commands (targets, service workers). */
async function devtools(
  context: BrowserContext,
): Promise<{ cdp: CDPSession; done: () => Promise<void> }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { cdp, done: () => page.close() };
}

/** The offscreen document's DevTools target. */
async function offscreenTarget(cdp: CDPSession): Promise<string> {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
  if (!target) throw new Error('no offscreen document');
  return target.targetId;
}

async function untilOffscreenGone(cdp: CDPSession): Promise<void> {
  await until(async () => {
    const now = (await cdp.send('Target.getTargets')).targetInfos;
    if (now.some((t) => t.url.endsWith('/offscreen.html'))) throw new Error('still running');
  }, 10_000);
}

/**
 * The engine's document dies on its own (DevTools closes its target): the rest of the
 * extension, the service worker included, carries on.
 */
export async function closeOffscreenDocument(context: BrowserContext): Promise<void> {
  const { cdp, done } = await devtools(context);
  await cdp.send('Target.closeTarget', { targetId: await offscreenTarget(cdp) });
  await untilOffscreenGone(cdp);
  await done().catch(() => undefined);
}

/**
 * Crashes the offscreen document's renderer (DevTools `Page.crash` on its target). Every context
 * of the extension shares that process, so the service worker dies with it, as when the process
 * runs out of memory; Chrome then keeps the extension's pages blocked until it is loaded again
 * (here: until the browser starts again).
 */
export async function crashExtensionProcess(context: BrowserContext): Promise<void> {
  const { cdp, done } = await devtools(context);
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: await offscreenTarget(cdp),
    flatten: false,
  });
  await cdp.send('Target.sendMessageToTarget', {
    sessionId,
    message: JSON.stringify({ id: 1, method: 'Page.crash' }),
  });
  await untilOffscreenGone(cdp);
  await done().catch(() => undefined);
}

/**
 * Stops the extension's service worker (DevTools `ServiceWorker.stopWorker`), as Chrome does when
 * it is idle, and waits until the one that answers is a fresh start (a marker set in the old one
 * is gone): the engine's next message may start it again at once.
 */
export async function stopServiceWorker(seam: Seam): Promise<void> {
  await seam.worker.evaluate(() => Object.assign(globalThis, { seamFaultMark: 1 }));
  const { cdp, done } = await devtools(seam.context);
  const versions: { versionId: string; scriptURL: string; runningStatus: string }[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => versions.push(...e.versions));
  await cdp.send('ServiceWorker.enable');
  const running = await until(() => {
    const v = versions.find(
      (x) =>
        x.scriptURL.startsWith(`chrome-extension://${seam.extensionId}/`) &&
        x.runningStatus === 'running',
    );
    if (!v) throw new Error('the service worker is not running');
    return v;
  }, 10_000);
  await cdp.send('ServiceWorker.stopWorker', { versionId: running.versionId });
  await until(async () => {
    const mark = await seam.worker
      .evaluate(() => (globalThis as { seamFaultMark?: number }).seamFaultMark)
      .catch(() => 1);
    if (mark !== undefined) throw new Error('the old service worker still answers');
  }, 30_000);
  await done().catch(() => undefined);
}

/** Whether the offscreen document exists now. */
export async function hasOffscreenDocument(context: BrowserContext): Promise<boolean> {
  const { cdp, done } = await devtools(context);
  const { targetInfos } = await cdp.send('Target.getTargets');
  await done().catch(() => undefined);
  return targetInfos.some((t) => t.url.endsWith('/offscreen.html'));
}

/**
 * `count` MP3s of `seconds` each (128 kb/s, 44.1 kHz stereo, a tone over pink noise so the
 * encoder and decoder have real work), made once into `dir`.
 */
export async function longTracks(dir: string, count: number, seconds: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `long-${i + 1}-${seconds}s.mp3`);
    paths.push(path);
    if (existsSync(path)) continue;
    await ffmpeg([
      ...[
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${220 + 110 * i}:sample_rate=44100:duration=${seconds}`,
      ],
      ...[
        '-f',
        'lavfi',
        '-i',
        `anoisesrc=color=pink:amplitude=0.2:sample_rate=44100:duration=${seconds}:seed=${i + 1}`,
      ],
      ...[
        '-filter_complex',
        '[0:a][1:a]amix=inputs=2,pan=stereo|c0=c0|c1=c0[out]',
        '-map',
        '[out]',
      ],
      ...['-c:a', 'libmp3lame', '-b:a', '128k', path],
    ]);
  }
  return paths;
}
