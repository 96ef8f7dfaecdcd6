import type { JobEvents } from '@/lib/protocol/contract';
import { Engine } from './ffmpeg';
import { EngineHost } from './host';

/**
 * The engine's host as both browsers start it: Seam's ffmpeg worker and ffmpeg.wasm's core from
 * the files packaged inside the extension (never a CDN: MV3 forbids remote code), reporting
 * through `events`. Runs in the offscreen document (Chrome) or the background page (Firefox).
 */
export function startEngineHost(events: JobEvents): { host: EngineHost; engine: Engine } {
  // chrome.runtime exists in Firefox too; wxt's typed getURL does not know the ffmpeg files.
  const url = (path: string) => chrome.runtime.getURL(path);
  const engine = new Engine({
    workerURL: url('/ffmpeg-worker.js'),
    coreURL: url('/ffmpeg/ffmpeg-core.js'),
    wasmURL: url('/ffmpeg/ffmpeg-core.wasm'),
  });
  return { host: new EngineHost(engine, events), engine };
}
