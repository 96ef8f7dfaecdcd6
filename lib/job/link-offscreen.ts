import { background, offscreen } from '@/lib/protocol';
import type { EngineLink, JobEvents } from '@/lib/protocol/contract';
import { closeOffscreenSoon, ensureOffscreen, hasDocument } from './offscreen';

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
  async warm() {
    await ensureOffscreen();
    await offscreen.sendMessage('off:warm', undefined);
  },
  // Stopping downloads, cancel and release never start a document: with none, there is
  // nothing to stop or free.
  async removed(trackIds) {
    await offscreen.sendMessage('off:removed', trackIds).catch(() => undefined);
  },
  async cancel(jobId) {
    await offscreen.sendMessage('off:cancel', jobId).catch(() => undefined);
  },
  async release(url) {
    await offscreen.sendMessage('off:release', url).catch(() => undefined);
  },
  active: () => hasDocument(),
  async orphaned() {
    return !(await hasDocument());
  },
  idle: (now) => closeOffscreenSoon(now ? 0 : undefined),
};

/** Chrome, offscreen side: the host's events go to the background as bg:* messages. */
export const messageEvents: JobEvents = {
  progress: (p) => void background.sendMessage('bg:progress', p).catch(() => undefined),
  done: (r) => background.sendMessage('bg:done', r),
  failed: (r) => background.sendMessage('bg:failed', r),
  idle: () => void background.sendMessage('bg:idle', undefined).catch(() => undefined),
};
