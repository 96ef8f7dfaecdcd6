import { browser } from '#imports';
import { ENGINE_IDLE_MS, offscreen } from '@/lib/protocol';

const OFFSCREEN_PATH = '/offscreen.html';

let creating: Promise<void> | undefined;
let closing: Promise<void> | undefined;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
/** Counts the uses of the document: a close decided before the latest use is dropped. */
let uses = 0;

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
  uses++;
  cancelIdleClose();
  // A close already under way finishes first; then the document is made again.
  if (closing) await closing;
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

/**
 * Closes the document unless it was used since the close was decided or its engine is busy: an
 * idle event sent before a join arrived can be read after it, and closing then would take the
 * running join with it.
 */
async function closeOffscreen(): Promise<void> {
  const decidedAt = uses;
  if (creating) await creating.catch(() => undefined);
  if (closing || uses !== decidedAt || !(await hasDocument())) return;
  closing = (async () => {
    const busy = await offscreen.sendMessage('off:busy', undefined).catch(() => false);
    if (busy || uses !== decidedAt) return;
    await chrome.offscreen.closeDocument().catch(() => undefined);
  })().finally(() => {
    closing = undefined;
  });
  await closing;
}
