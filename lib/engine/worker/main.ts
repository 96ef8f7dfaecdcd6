import type {
  WorkerCall,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
} from '@/lib/engine/worker-protocol';
import { rawErrorText } from '@/lib/core/errors';
import type { CreateFfmpegCore, FfmpegCore } from './emscripten';
import { installFileSystems, type SeamFileSystems } from './fs';
import { enlargeStack, type CoreStack } from './stack';

/**
 * Seam's ffmpeg worker: loads ffmpeg.wasm's core (shipped inside the extension), answers the
 * engine's requests (./worker-protocol.ts) one at a time, and forwards ffmpeg's log. A classic
 * worker (so the core loads with importScripts in Chrome and Firefox alike). Runs in the worker
 * that entrypoints/ffmpeg-worker.ts starts.
 */

interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((e: MessageEvent<WorkerCall>) => void) | null;
  importScripts(...urls: string[]): void;
  createFFmpegCore?: CreateFfmpegCore;
}

declare const FileReaderSync: new () => { readAsArrayBuffer(blob: Blob): ArrayBuffer };

export function startFfmpegWorker(scope: WorkerScope): void {
  const worker = new CoreHolder(scope);
  // One request at a time, in order: ffmpeg runs synchronously in this worker anyway.
  let queue: Promise<unknown> = Promise.resolve();
  scope.onmessage = ({ data }) => {
    const { id, ...req } = data;
    queue = queue.then(async () => {
      try {
        const value = await worker.handle(req as WorkerRequest);
        scope.postMessage({ kind: 'reply', id, ok: true, value });
      } catch (err) {
        scope.postMessage({ kind: 'reply', id, ok: false, error: rawErrorText(err) ?? '' });
      }
    });
  };
}

type Request<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

/** The worker's ffmpeg core once loaded, its file systems and stack, and its heap's peak. */
class CoreHolder {
  readonly #scope: WorkerScope;
  #core: FfmpegCore | undefined;
  #fs: SeamFileSystems | undefined;
  #stack: CoreStack | undefined;
  #peakHeap = 0;

  constructor(scope: WorkerScope) {
    this.#scope = scope;
  }

  /** Answers one request of the engine. */
  async handle(req: WorkerRequest): Promise<WorkerResults[WorkerRequest['type']]> {
    switch (req.type) {
      case 'load':
        return this.#load(req);
      case 'exec':
        return this.#exec(req);
      case 'mountBlobs':
      case 'mountOutput':
      case 'unmount':
        return this.#mountFolder(req);
      case 'takeOutput':
        return this.#loaded().fs.takeOutput(req.path, req.mime);
      case 'readText':
      case 'readBytes':
      case 'remove':
        return this.#file(req);
      case 'heap':
        this.#notePeak();
        return { bytes: this.#core?.HEAPU8.length ?? 0, peakBytes: this.#peakHeap };
    }
  }

  #notePeak(): void {
    if (this.#core) this.#peakHeap = Math.max(this.#peakHeap, this.#core.HEAPU8.length);
  }

  #loaded(): { core: FfmpegCore; fs: SeamFileSystems } {
    if (!this.#core || !this.#fs) throw new Error('ffmpeg is not loaded');
    return { core: this.#core, fs: this.#fs };
  }

  /** Loads the core once: its wasm, a larger stack, Seam's file systems, the log forwarded. */
  async #load(req: Request<'load'>): Promise<void> {
    if (this.#core) return;
    this.#scope.importScripts(req.coreURL);
    const create = this.#scope.createFFmpegCore;
    if (!create) throw new Error('the ffmpeg core did not load');
    // The core finds its wasm through the URL after '#' (ffmpeg.wasm's own convention).
    const urls = btoa(JSON.stringify({ wasmURL: req.wasmURL, workerURL: '' }));
    const { module } = req;
    // A module that fails to instantiate fails the load (Emscripten would wait for it forever).
    let failed: (err: unknown) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    const core = await Promise.race([
      create({
        mainScriptUrlOrBlob: `${req.coreURL}#${urls}`,
        // The module compiled once by the page that starts the workers (../worker-client.ts).
        ...(module
          ? {
              instantiateWasm: (imports, receive) => {
                WebAssembly.instantiate(module, imports).then(
                  (instance) => receive(instance, module),
                  failed,
                );
                return {};
              },
            }
          : {}),
      }),
      failure,
    ]);
    this.#core = core;
    // The core's factory holds its whole source: where its stack functions are (./stack.ts).
    this.#stack = enlargeStack(
      core as unknown as Parameters<typeof enlargeStack>[0],
      String(create),
    );
    const reader = new FileReaderSync();
    this.#fs = installFileSystems(core.FS, (blob) => reader.readAsArrayBuffer(blob));
    core.setLogger(({ message }) => {
      this.#notePeak();
      this.#scope.postMessage({ kind: 'log', message });
    });
    this.#notePeak();
  }

  /** Runs ffmpeg or ffprobe to the end (its stack put back after), then resets the core. */
  #exec(req: Request<'exec'>): number {
    const { core } = this.#loaded();
    core.setTimeout(-1);
    const sp = this.#stack?.save();
    try {
      if (req.tool === 'ffprobe') core.ffprobe(...req.args);
      else core.exec(...req.args);
    } finally {
      if (sp !== undefined) this.#stack?.restore(sp);
    }
    const code = core.ret;
    core.reset();
    this.#notePeak();
    return code;
  }

  /** Mounts a folder of input Blobs or of output, or unmounts one. */
  #mountFolder(req: Request<'mountBlobs' | 'mountOutput' | 'unmount'>): void {
    const { core, fs } = this.#loaded();
    switch (req.type) {
      case 'mountBlobs': {
        core.FS.mkdir(req.dir);
        const blobs = req.files.map((f) => ({ name: f.name, data: f.blob }));
        core.FS.mount(core.FS.filesystems.WORKERFS!, { blobs }, req.dir);
        return;
      }
      case 'mountOutput':
        core.FS.mkdir(req.dir);
        core.FS.mount(core.FS.filesystems.SEAMOUT!, {}, req.dir);
        return;
      case 'unmount':
        fs.forgetInputs(req.dir);
        core.FS.unmount(req.dir);
        core.FS.rmdir(req.dir);
        return;
    }
  }

  /** Reads a file of the core's file system (undefined when there is none), or removes it. */
  #file(req: Request<'readText' | 'readBytes' | 'remove'>): string | Blob | undefined {
    const { core } = this.#loaded();
    const exists = core.FS.analyzePath(req.path).exists;
    switch (req.type) {
      case 'readText':
        return exists ? core.FS.readFile(req.path, { encoding: 'utf8' }) : undefined;
      case 'readBytes':
        return exists ? new Blob([core.FS.readFile(req.path, { encoding: 'binary' })]) : undefined;
      case 'remove':
        if (exists) core.FS.unlink(req.path);
        return;
    }
  }
}
