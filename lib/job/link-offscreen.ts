import type { EngineLink } from './link';
import type { HostEvents } from '@/lib/engine/host';
import { closeOffscreenSoon, ensureOffscreen, hasDocument } from './offscreen';
import { background, offscreen } from '@/lib/protocol';

/** Chrome, background side: the engine is in the offscreen document, reached by messages. */
export const offscreenLink: EngineLink = {
  async probe(trackIds) {
    await ensureOffscreen();
    await offscreen.sendMessage('off:probe', trackIds);
  },
  async fetch(req) {
    await ensureOffscreen();
    await offscreen.sendMessage('off:fetch', req);
  },
  async join(req) {
    await ensureOffscreen();
    await offscreen.sendMessage('off:join', req);
  },
  async cancel(jobId) {
    await offscreen.sendMessage('off:cancel', jobId).catch(() => undefined);
  },
  async release(url) {
    await offscreen.sendMessage('off:release', url).catch(() => undefined);
  },
  active: () => hasDocument(),
  async orphaned() {
    const contexts = await chrome.runtime.getContexts({
      contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
    });
    return contexts.length === 0;
  },
  idle: (now) => closeOffscreenSoon(now ? 0 : undefined),
};

/** Chrome, offscreen side: the host's events go to the background as bg:* messages. */
export const messageEvents: HostEvents = {
  progress: (p) => void background.sendMessage('bg:jobProgress', p).catch(() => undefined),
  done: (r) => background.sendMessage('bg:jobDone', r),
  failed: (r) => background.sendMessage('bg:jobFailed', r),
  idle: () => void background.sendMessage('bg:offscreenIdle', undefined).catch(() => undefined),
};
