import { startEngineHost } from '@/lib/engine/setup';
import { messageEvents } from '@/lib/job/link-offscreen';
import { offscreen } from '@/lib/protocol';
import { installEnglish } from '@/lib/i18n/english';

// No browser.i18n here: Seam's English words for the few plain sentences made in this document.
await installEnglish().catch((err: unknown) => console.warn('Seam: no English words', err));

// The engine's host in Chrome. Each engine command arrives as its off:* message, from the
// service worker only (lib/protocol/index.ts): a page's content script hears these too.
const { host } = startEngineHost(messageEvents);

offscreen.onMessage('off:ping', () => 'pong');
offscreen.onMessage('off:busy', () => host.busy);
offscreen.onMessage('off:probe', ({ data }) => host.probe(data));
offscreen.onMessage('off:fetch', ({ data }) => host.fetch(data));
offscreen.onMessage('off:removed', ({ data }) => host.removed(data));
offscreen.onMessage('off:join', ({ data }) => host.join(data));
offscreen.onMessage('off:cancel', ({ data }) => host.cancel(data));
offscreen.onMessage('off:release', ({ data }) => host.release(data));
offscreen.onMessage('off:warm', () => host.warm());

// Test builds: an e2e test sets the cores a join plans for ({ seamE2eCores: n }, from the
// service worker), to compare a join in parts with the same join in one engine.
if (import.meta.env.MODE === 'e2e') {
  chrome.runtime.onMessage.addListener((message: unknown) => {
    if (message && typeof message === 'object' && 'seamE2eCores' in message) {
      const cores = (message as { seamE2eCores: unknown }).seamE2eCores;
      host.setCores(typeof cores === 'number' ? cores : undefined);
    }
  });
}
