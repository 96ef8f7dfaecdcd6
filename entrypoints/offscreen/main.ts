import { Engine } from '@/lib/engine/ffmpeg';
import { messageEvents } from '@/lib/job/link-offscreen';
import { EngineHost } from '@/lib/engine/host';
import { offscreen } from '@/lib/protocol';

const host = new EngineHost(
  new Engine({
    coreURL: chrome.runtime.getURL('/ffmpeg/ffmpeg-core.js'),
    wasmURL: chrome.runtime.getURL('/ffmpeg/ffmpeg-core.wasm'),
    classWorkerURL: chrome.runtime.getURL('/ffmpeg/worker.js'),
  }),
  messageEvents,
);

offscreen.onMessage('off:ping', () => 'pong');
offscreen.onMessage('off:probe', ({ data }) => host.probe(data));
offscreen.onMessage('off:fetch', ({ data }) => host.fetch(data.trackIds, data.limitBytes));
offscreen.onMessage('off:join', ({ data }) => host.join(data));
offscreen.onMessage('off:cancel', ({ data }) => host.cancel(data));
offscreen.onMessage('off:release', ({ data }) => host.release(data));
