import { startEngineHost } from '@/lib/engine/setup';
import { forgetCompiledCores } from '@/lib/engine/worker-client';
import { ENGINE_IDLE_MS, type EngineLink, type JobEvents } from '@/lib/protocol/contract';

/**
 * Firefox: no offscreen API, so the engine's host lives in the (persistent) background page and
 * the link is plain calls. Its events go straight to the job controller.
 */
export function localLink(events: JobEvents): EngineLink {
  const { host, engine } = startEngineHost(events);
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const wake = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  return {
    probe: async (trackIds) => (wake(), host.probe(trackIds)),
    fetch: async (req) => (wake(), host.fetch(req)),
    removed: async (trackIds) => host.removed(trackIds),
    join: async (req) => (wake(), host.join(req)),
    warm: async () => (wake(), host.warm()),
    cancel: async (jobId) => host.cancel(jobId),
    release: async (url) => host.release(url),
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
          if (host.busy) return;
          engine.reset();
          forgetCompiledCores();
        },
        now ? 0 : ENGINE_IDLE_MS,
      );
    },
  };
}
