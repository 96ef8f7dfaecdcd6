import { EngineFailedError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import type { WorkerCall, WorkerMessage, WorkerRequest, WorkerResults } from './worker-protocol';

/** Where the packaged ffmpeg pieces are (runtime.getURL in the extension). */
export interface EngineUrls {
  /** Seam's worker (entrypoints/ffmpeg-worker.ts). */
  workerURL: string;
  /** ffmpeg.wasm's core as a classic script, and its wasm. */
  coreURL: string;
  wasmURL: string;
}

/**
 * The worker was stopped (Cancel, a timeout, a reset) while a request was pending. Internal to
 * the engine: it never reaches a person or a track as it is.
 */
export class WorkerStoppedError extends Error {
  constructor() {
    super('the ffmpeg worker was stopped');
    this.name = 'WorkerStoppedError';
  }
}

/**
 * The engine's side of Seam's ffmpeg worker: requests with ids, replies matched to them, ffmpeg's
 * log to `onLog`. `stop()` kills the worker at once (its memory goes with it) and rejects what is
 * pending with WorkerStoppedError. Offscreen document (Chrome), background page (Firefox).
 */
export class FfmpegWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (v: never) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #stopped = false;
  onLog: ((message: string) => void) | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.onmessage = ({ data }: MessageEvent<WorkerMessage>) => {
      if (data.kind === 'log') {
        this.onLog?.(data.message);
        return;
      }
      const waiting = this.#pending.get(data.id);
      if (!waiting) return;
      this.#pending.delete(data.id);
      if (data.ok) waiting.resolve(data.value as never);
      // The worker passes its error's own words (none: Seam's words for that, read here).
      else
        waiting.reject(
          data.error ? new Error(data.error) : new EngineFailedError(text('errors.noReason')),
        );
    };
    // A worker that dies on its own (out of memory, a crash in the wasm) answers nothing more.
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      const said = e.message ? e.message : text('errors.noReason');
      this.#fail(new EngineFailedError(text('engine.workerFailed', said)));
    };
  }

  /** Starts a worker and loads ffmpeg in it. */
  static async start(urls: EngineUrls): Promise<FfmpegWorker> {
    const module = await compiledCore(urls.wasmURL);
    const w = new FfmpegWorker(new Worker(urls.workerURL));
    try {
      await w.call({
        type: 'load',
        coreURL: urls.coreURL,
        wasmURL: urls.wasmURL,
        ...(module ? { module } : {}),
      });
    } catch (err) {
      w.stop();
      throw err;
    }
    return w;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  call<R extends WorkerRequest>(req: R): Promise<WorkerResults[R['type']]> {
    if (this.#stopped) return Promise.reject(new WorkerStoppedError());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: never) => void, reject });
      const call: WorkerCall = { ...req, id };
      this.#worker.postMessage(call);
    });
  }

  stop(): void {
    if (this.#stopped) return;
    this.#worker.terminate();
    this.#fail(new WorkerStoppedError());
  }

  #fail(err: Error): void {
    this.#stopped = true;
    for (const { reject } of this.#pending.values()) reject(err);
    this.#pending.clear();
  }
}

/** The core's wasm, compiled once per page (by URL); undefined where it cannot be. */
const compiled = new Map<string, Promise<WebAssembly.Module | undefined>>();

/**
 * The core's wasm compiled once for every worker this page starts: a worker given the module
 * (`load`'s `module`) instantiates it at once, and V8 shares the module's code between them,
 * the code earlier runs made fast included. An engine stopped for a join (a decode check given
 * way, lib/engine/pool.ts) or reset after one comes back warm instead of compiling 30 MB again
 * and running its first job on baseline code. Where it cannot be compiled here, each worker
 * loads the wasm itself, as before.
 */
export function compiledCore(wasmURL: string): Promise<WebAssembly.Module | undefined> {
  let module = compiled.get(wasmURL);
  if (!module) {
    module = fetch(wasmURL)
      .then((r) => r.arrayBuffer())
      .then((bytes) => WebAssembly.compile(bytes))
      .catch(() => undefined);
    compiled.set(wasmURL, module);
  }
  return module;
}

/**
 * Lets the compiled core go (its code is tens of MB), once no engine runs: Firefox's background
 * page lives as long as the browser, where Chrome closes the offscreen document when idle.
 */
export function forgetCompiledCores(): void {
  compiled.clear();
}
