/**
 * The messages between the engine (lib/engine/ffmpeg.ts) and Seam's own ffmpeg worker
 * (lib/engine/worker/), as discriminated unions: each request names its result type in
 * `WorkerResults`, so a reply narrows to its request without casts. Types only.
 *
 * Seam ships its own worker instead of @ffmpeg/ffmpeg's so that audio never has to be copied
 * whole: inputs are mounted as Blobs and read in blocks, and the output leaves ffmpeg's file
 * system in chunks into a Blob (see ./worker/fs.ts).
 */

/** A Blob to mount under a directory, by file name (no slashes). */
export interface MountedBlob {
  name: string;
  blob: Blob;
}

export type WorkerRequest =
  /**
   * Loads ffmpeg.wasm (the classic-script core, then its wasm). With `module`, the core's wasm
   * compiled once for every worker: instantiated at once, with the code the earlier workers'
   * runs made fast, instead of fetched, compiled and made fast again.
   */
  | { type: 'load'; coreURL: string; wasmURL: string; module?: WebAssembly.Module }
  /** Runs ffmpeg (or ffprobe) with these arguments; resolves with its exit code. */
  | { type: 'exec'; tool: 'ffmpeg' | 'ffprobe'; args: string[] }
  /** Mounts Blobs read-only at `dir` (created), read in blocks: never copied whole. */
  | { type: 'mountBlobs'; dir: string; files: MountedBlob[] }
  /** Mounts an output directory at `dir` (created): files written there leave in chunks. */
  | { type: 'mountOutput'; dir: string }
  /** Unmounts `dir` and removes it. */
  | { type: 'unmount'; dir: string }
  /** A file written under an output mount, as one Blob of `mime` (its chunks, not a copy). */
  | { type: 'takeOutput'; path: string; mime: string }
  /** Reads a small text file (ffprobe's JSON, a progress file); undefined when absent. */
  | { type: 'readText'; path: string }
  /** Reads a small file (the frames around a join) as a Blob; undefined when absent. */
  | { type: 'readBytes'; path: string }
  /** Removes a file, if it exists. */
  | { type: 'remove'; path: string }
  /** The wasm heap's size now and the largest it has been, bytes. */
  | { type: 'heap' };

type WorkerRequestType = WorkerRequest['type'];

interface HeapSize {
  bytes: number;
  peakBytes: number;
}

export interface WorkerResults {
  load: void;
  exec: number;
  mountBlobs: void;
  mountOutput: void;
  unmount: void;
  takeOutput: Blob;
  readText: string | undefined;
  readBytes: Blob | undefined;
  remove: void;
  heap: HeapSize;
}

/** A request as sent: with the id its reply carries. */
export type WorkerCall = WorkerRequest & { id: number };

export type WorkerMessage =
  | { kind: 'reply'; id: number; ok: true; value: WorkerResults[WorkerRequestType] }
  | { kind: 'reply'; id: number; ok: false; error: string }
  /** One line of ffmpeg's log. */
  | { kind: 'log'; message: string };

// The request names and the result map must agree both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const agree: Same<WorkerRequestType, keyof WorkerResults> = true;
void agree;
