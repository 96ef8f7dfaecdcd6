import { browser } from '#imports';
import { ENGINE_IDLE_MS, offscreen } from '@/lib/protocol';

const OFFSCREEN_PATH = '/offscreen.html';

let creating: Promise<void> | undefined;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

export async function hasDocument(): Promise<boolean> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
    documentUrls: [url],
  });
  return contexts.length > 0;
}

/** Creates the offscreen document unless it exists; one creation in flight at a time. */
export async function ensureOffscreen(): Promise<void> {
  cancelIdleClose();
  if (await hasDocument()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['BLOBS' as chrome.offscreen.Reason, 'WORKERS' as chrome.offscreen.Reason],
      justification: 'Runs ffmpeg.wasm to join audio files and holds the result for the download.',
    })
    .catch(async (err: unknown) => {
      // Another context may have won the race; only a missing document is a failure.
      if (!(await hasDocument())) throw err;
    })
    .finally(() => {
      creating = undefined;
    });
  await creating;
  // The document registers its listeners as it loads; wait until it answers.
  await waitForReady();
}

async function waitForReady(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      if ((await offscreen.sendMessage('off:ping', undefined)) === 'pong') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cancelIdleClose(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
}

/** Closes the document after a grace period (or at once), freeing ffmpeg's memory. */
export function closeOffscreenSoon(delayMs = ENGINE_IDLE_MS): void {
  cancelIdleClose();
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    void closeOffscreen();
  }, delayMs);
}

async function closeOffscreen(): Promise<void> {
  if (creating) await creating.catch(() => undefined);
  if (await hasDocument()) await chrome.offscreen.closeDocument().catch(() => undefined);
}
