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
  let core: FfmpegCore | undefined;
  let fs: SeamFileSystems | undefined;
  let stack: CoreStack | undefined;
  let peakHeap = 0;
  const notePeak = () => {
    if (core) peakHeap = Math.max(peakHeap, core.HEAPU8.length);
  };

  const loaded = (): { core: FfmpegCore; fs: SeamFileSystems } => {
    if (!core || !fs) throw new Error('ffmpeg is not loaded');
    return { core, fs };
  };

  async function handle(req: WorkerRequest): Promise<WorkerResults[WorkerRequest['type']]> {
    switch (req.type) {
      case 'load': {
        if (core) return;
        scope.importScripts(req.coreURL);
        const create = scope.createFFmpegCore;
        if (!create) throw new Error('the ffmpeg core did not load');
        // The core finds its wasm through the URL after '#' (ffmpeg.wasm's own convention).
        const urls = btoa(JSON.stringify({ wasmURL: req.wasmURL, workerURL: '' }));
        core = await create({ mainScriptUrlOrBlob: `${req.coreURL}#${urls}` });
        // The core's factory holds its whole source: where its stack functions are (./stack.ts).
        stack = enlargeStack(core as unknown as Parameters<typeof enlargeStack>[0], String(create));
        const reader = new FileReaderSync();
        fs = installFileSystems(core.FS, (blob) => reader.readAsArrayBuffer(blob));
        core.setLogger(({ message }) => {
          notePeak();
          scope.postMessage({ kind: 'log', message });
        });
        notePeak();
        return;
      }
      case 'exec': {
        const { core } = loaded();
        core.setTimeout(-1);
        const sp = stack?.save();
        try {
          if (req.tool === 'ffprobe') core.ffprobe(...req.args);
          else core.exec(...req.args);
        } finally {
          if (sp !== undefined) stack?.restore(sp);
        }
        const code = core.ret;
        core.reset();
        notePeak();
        return code;
      }
      case 'mountBlobs': {
        const { core } = loaded();
        core.FS.mkdir(req.dir);
        const blobs = req.files.map((f) => ({ name: f.name, data: f.blob }));
        core.FS.mount(core.FS.filesystems.WORKERFS!, { blobs }, req.dir);
        return;
      }
      case 'mountOutput': {
        const { core } = loaded();
        core.FS.mkdir(req.dir);
        core.FS.mount(core.FS.filesystems.SEAMOUT!, {}, req.dir);
        return;
      }
      case 'unmount': {
        const { core, fs } = loaded();
        fs.forgetInputs(req.dir);
        core.FS.unmount(req.dir);
        core.FS.rmdir(req.dir);
        return;
      }
      case 'takeOutput':
        return loaded().fs.takeOutput(req.path, req.mime);
      case 'readText': {
        const { core } = loaded();
        if (!core.FS.analyzePath(req.path).exists) return undefined;
        return core.FS.readFile(req.path, { encoding: 'utf8' });
      }
      case 'readBytes': {
        const { core } = loaded();
        if (!core.FS.analyzePath(req.path).exists) return undefined;
        return new Blob([core.FS.readFile(req.path, { encoding: 'binary' })]);
      }
      case 'remove': {
        const { core } = loaded();
        if (core.FS.analyzePath(req.path).exists) core.FS.unlink(req.path);
        return;
      }
      case 'heap':
        notePeak();
        return { bytes: core?.HEAPU8.length ?? 0, peakBytes: peakHeap };
    }
  }

  // One request at a time, in order: ffmpeg runs synchronously in this worker anyway.
  let queue: Promise<unknown> = Promise.resolve();
  scope.onmessage = ({ data }) => {
    const { id, ...req } = data;
    queue = queue.then(async () => {
      try {
        const value = await handle(req as WorkerRequest);
        scope.postMessage({ kind: 'reply', id, ok: true, value });
      } catch (err) {
        scope.postMessage({ kind: 'reply', id, ok: false, error: rawErrorText(err) ?? '' });
      }
    });
  };
}
