/**
 * The parts of ffmpeg.wasm's Emscripten module that Seam's worker uses, typed by hand (the core
 * ships no types). Runs in the ffmpeg worker.
 */

export interface EmNode {
  id: number;
  name: string;
  mode: number;
  parent: EmNode;
  node_ops: Partial<NodeOps>;
  stream_ops: Partial<StreamOps>;
  timestamp: number;
  /** A WORKERFS file's Blob; an output file's state; a directory's entries. */
  contents: unknown;
  size?: number;
}

export interface EmStream {
  node: EmNode;
  position: number;
}

interface NodeOps {
  getattr(node: EmNode): Record<string, unknown>;
  setattr(node: EmNode, attr: { size?: number; mode?: number; timestamp?: number }): void;
  lookup(parent: EmNode, name: string): EmNode;
  mknod(parent: EmNode, name: string, mode: number, dev: number): EmNode;
  rename(node: EmNode, dir: EmNode, name: string): void;
  unlink(parent: EmNode, name: string): void;
  rmdir(parent: EmNode, name: string): void;
  readdir(node: EmNode): string[];
  symlink(parent: EmNode, name: string, target: string): void;
}

interface StreamOps {
  read(stream: EmStream, buffer: Uint8Array, offset: number, length: number, pos: number): number;
  write(stream: EmStream, buffer: Uint8Array, offset: number, length: number, pos: number): number;
  llseek(stream: EmStream, offset: number, whence: number): number;
}

export interface EmFileSystem {
  mount(mount: { opts: Record<string, unknown> }): EmNode;
  node_ops: Partial<NodeOps>;
  stream_ops: Partial<StreamOps>;
}

export interface EmFS {
  filesystems: Record<string, EmFileSystem>;
  ErrnoError: new (errno: number) => Error;
  createNode(parent: EmNode | null, name: string, mode: number, dev: number): EmNode;
  hashRemoveNode(node: EmNode): void;
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  mkdir(path: string): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  mount(type: EmFileSystem, opts: Record<string, unknown>, mountpoint: string): void;
  unmount(mountpoint: string): void;
  lookupPath(path: string): { node: EmNode | null };
  readFile(path: string, opts: { encoding: 'utf8' }): string;
  readFile(path: string, opts: { encoding: 'binary' }): Uint8Array<ArrayBuffer>;
  analyzePath(path: string): { exists: boolean };
}

export interface FfmpegCore {
  FS: EmFS;
  HEAPU8: Uint8Array;
  ret: number;
  exec(...args: string[]): number;
  ffprobe(...args: string[]): number;
  reset(): void;
  setLogger(logger: (log: { type: string; message: string }) => void): void;
  setTimeout(ms: number): void;
}

/** The global the classic-script core defines. */
export type CreateFfmpegCore = (opts: {
  mainScriptUrlOrBlob: string;
  /** Emscripten's hook to instantiate the wasm itself: `receive` takes the instance. */
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ) => object;
}) => Promise<FfmpegCore>;

/** Emscripten's errno numbers (its own table, not Linux's). */
export const ERRNO = {
  /** EINVAL */
  invalid: 28,
  /** ENOENT */
  noEntry: 44,
  /** EPERM */
  notPermitted: 63,
  /** ENOTEMPTY */
  notEmpty: 55,
} as const;

/** Directory and regular-file modes, as WORKERFS uses them. */
export const DIR_MODE = 0o40777;
export const FILE_MODE = 0o100777;
