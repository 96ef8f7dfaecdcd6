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
  const urls = {
    workerURL: url('/ffmpeg-worker.js'),
    coreURL: url('/ffmpeg/ffmpeg-core.js'),
    wasmURL: url('/ffmpeg/ffmpeg-core.wasm'),
  };
  const engine = new Engine(urls);
  // Long tracks are decode-checked after they are listed; with a core to spare, in an engine of
  // their own, so probes and joins do not wait behind them. A parallel join (./parallel.ts)
  // borrows it for a segment.
  const cores = navigator.hardwareConcurrency;
  const checker = cores > 1 ? new Engine(urls) : undefined;
  // A parallel join on more cores than two takes further engines, made when first needed.
  const spare = cores > 2 ? () => new Engine(urls) : undefined;
  return { host: new EngineHost(engine, events, checker, spare), engine };
}
