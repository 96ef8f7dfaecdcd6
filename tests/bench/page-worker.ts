/**
 * The packaged ffmpeg worker driven from an extension page, for the bench scripts that time
 * ffmpeg.wasm in the browser (opus-quality.ts, opus-webcodecs.ts, webcodecs-decode.ts).
 */

/** A request to the worker, answered by its reply (lib/engine/worker-protocol.ts). */
export type PageCall = (req: Record<string, unknown>) => Promise<unknown>;

/** What `startPageWorker` leaves on the page's globalThis. */
export interface PageWorker {
  seamCall: PageCall;
  seamWorker: Worker;
}

/**
 * Runs in the page (`page.evaluate(startPageWorker)`): starts /ffmpeg-worker.js, loads the
 * packaged core, and leaves `seamCall` and `seamWorker` on globalThis for the page's code (read
 * them with `globalThis as unknown as PageWorker`). Resolves with the load's milliseconds.
 */
export async function startPageWorker(): Promise<number> {
  const worker = new Worker(chrome.runtime.getURL('/ffmpeg-worker.js'));
  let id = 0;
  const call: PageCall = (req) =>
    new Promise<unknown>((resolve, reject) => {
      const my = ++id;
      const on = ({ data }: MessageEvent) => {
        if (data.kind !== 'reply' || data.id !== my) return;
        worker.removeEventListener('message', on);
        if (data.ok) resolve(data.value);
        else reject(new Error(data.error));
      };
      worker.addEventListener('message', on);
      worker.postMessage({ ...req, id: my });
    });
  const t0 = performance.now();
  await call({
    type: 'load',
    coreURL: chrome.runtime.getURL('/ffmpeg/ffmpeg-core.js'),
    wasmURL: chrome.runtime.getURL('/ffmpeg/ffmpeg-core.wasm'),
  });
  const loadMs = performance.now() - t0;
  Object.assign(globalThis, { seamCall: call, seamWorker: worker });
  return loadMs;
}
