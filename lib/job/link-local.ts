import { Engine } from '@/lib/engine/ffmpeg';
import type { EngineLink } from './link';
import { EngineHost, type HostEvents } from '@/lib/engine/host';

/** Keep an idle engine around briefly, so adding a few files in a row loads ffmpeg once. */
const IDLE_RESET_MS = 20_000;

/**
 * Firefox: no offscreen API, so the engine's host lives in the (persistent) background page and
 * the link is plain calls. Its events go straight to the job controller.
 * (`chrome.runtime` exists in Firefox too; wxt's typed getURL does not know the ffmpeg files.)
 */
export function localLink(events: HostEvents): EngineLink {
  const engine = new Engine({
    coreURL: chrome.runtime.getURL('/ffmpeg/ffmpeg-core.js'),
    wasmURL: chrome.runtime.getURL('/ffmpeg/ffmpeg-core.wasm'),
    classWorkerURL: chrome.runtime.getURL('/ffmpeg/worker.js'),
  });
  const host = new EngineHost(engine, events);
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const wake = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  return {
    async probe(trackIds) {
      wake();
      host.probe(trackIds);
    },
    async fetch(req) {
      wake();
      host.fetch(req.trackIds, req.limitBytes);
    },
    async join(req) {
      wake();
      host.join(req);
    },
    async cancel(jobId) {
      host.cancel(jobId);
    },
    async release(url) {
      host.release(url);
    },
    active: async () => host.busy,
    // The page that holds the job is this one: if it is running, so is the engine (a restart
    // of the extension or the browser clears storage.session, and the job record with it).
    orphaned: async () => false,
    idle(now) {
      // Free ffmpeg's memory (its worker), as Chrome does by closing the offscreen document.
      wake();
      idleTimer = setTimeout(
        () => {
          idleTimer = undefined;
          if (!host.busy) engine.reset();
        },
        now ? 0 : IDLE_RESET_MS,
      );
    },
  };
}
