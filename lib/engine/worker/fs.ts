import { BlockReader, OutputFile, type ReadSync } from './blob-io';
import {
  DIR_MODE,
  ERRNO,
  FILE_MODE,
  type EmFS,
  type EmFileSystem,
  type EmNode,
  type EmStream,
} from './emscripten';

/**
 * Seam's two file systems inside ffmpeg.wasm. Runs in the ffmpeg worker.
 *
 * - Inputs: Emscripten's WORKERFS (Blobs mounted read-only, so the audio is never copied whole
 *   into memory), with its reads served from 1 MiB blocks (./blob-io.ts, BlockReader).
 * - Output ("SEAMOUT"): a directory whose files gather what ffmpeg writes in chunks that move
 *   into Blob parts as they fill (./blob-io.ts, OutputFile); the finished file is taken as one
 *   Blob without a copy.
 */

export interface SeamFileSystems {
  /** The output file at `path` as a Blob; throws when there is none. */
  takeOutput(path: string, mime: string): Blob;
  /** Forgets cached input blocks of the files mounted at `dir`. */
  forgetInputs(dir: string): void;
}

export function installFileSystems(FS: EmFS, readSync: ReadSync): SeamFileSystems {
  const reader = new BlockReader(readSync);
  const workerfs = FS.filesystems.WORKERFS;
  if (!workerfs?.stream_ops) throw new Error('this ffmpeg core has no WORKERFS');
  workerfs.stream_ops.read = (stream, buffer, offset, length, position) =>
    reader.read(stream.node.contents as Blob, buffer, offset, length, position);

  const output = outputFileSystem(FS, readSync);
  FS.filesystems.SEAMOUT = output;

  return {
    takeOutput(path, mime) {
      const node = FS.lookupPath(path).node;
      if (!node || !(node.contents instanceof OutputFile)) {
        throw new Error(`no output file at ${path}`);
      }
      return node.contents.toBlob(mime);
    },
    forgetInputs(dir) {
      const node = FS.lookupPath(dir).node;
      const entries = (node?.contents ?? {}) as Record<string, EmNode>;
      for (const child of Object.values(entries)) {
        if (child.contents instanceof Blob) reader.forget(child.contents);
      }
    },
  };
}

function outputFileSystem(FS: EmFS, readSync: ReadSync): EmFileSystem {
  const file = (node: EmNode) => node.contents as OutputFile;
  const fs: EmFileSystem = {
    mount: () => createNode(null, '/', DIR_MODE),
    node_ops: {
      getattr: (node) => {
        const size = FS.isDir(node.mode) ? 4096 : file(node).size;
        const time = new Date(node.timestamp);
        return {
          ...{ dev: 1, ino: node.id, mode: node.mode, nlink: 1, uid: 0, gid: 0, rdev: 0 },
          ...{ size, atime: time, mtime: time, ctime: time, blksize: 4096 },
          blocks: Math.ceil(size / 4096),
        };
      },
      setattr: (node, attr) => {
        if (attr.mode !== undefined) node.mode = attr.mode;
        if (attr.timestamp !== undefined) node.timestamp = attr.timestamp;
        if (attr.size !== undefined && FS.isFile(node.mode)) file(node).truncate(attr.size);
      },
      lookup: () => {
        throw new FS.ErrnoError(ERRNO.noEntry);
      },
      mknod: (parent, name, mode) => {
        if (!FS.isFile(mode) && !FS.isDir(mode)) throw new FS.ErrnoError(ERRNO.notPermitted);
        return createNode(parent, name, FS.isDir(mode) ? DIR_MODE : FILE_MODE);
      },
      rename: () => {
        throw new FS.ErrnoError(ERRNO.notPermitted);
      },
      unlink: (parent, name) => {
        const entries = parent.contents as Record<string, EmNode>;
        const node = entries[name];
        if (!node) throw new FS.ErrnoError(ERRNO.noEntry);
        FS.hashRemoveNode(node);
        delete entries[name];
      },
      rmdir: (parent, name) => {
        const entries = parent.contents as Record<string, EmNode>;
        const node = entries[name];
        if (!node) throw new FS.ErrnoError(ERRNO.noEntry);
        if (Object.keys(node.contents as object).length > 0) {
          throw new FS.ErrnoError(ERRNO.notEmpty);
        }
        FS.hashRemoveNode(node);
        delete entries[name];
      },
      readdir: (node) => ['.', '..', ...Object.keys(node.contents as object)],
      symlink: () => {
        throw new FS.ErrnoError(ERRNO.notPermitted);
      },
    },
    stream_ops: {
      read: (stream, buffer, offset, length, position) => {
        const bytes = file(stream.node).read(position, length, readSync);
        buffer.set(bytes, offset);
        return bytes.length;
      },
      write: (stream, buffer, offset, length, position) =>
        file(stream.node).write(position, buffer.subarray(offset, offset + length)),
      llseek: (stream: EmStream, offset: number, whence: number) => {
        let position = offset;
        if (whence === 1) position += stream.position;
        else if (whence === 2 && FS.isFile(stream.node.mode)) position += file(stream.node).size;
        if (position < 0) throw new FS.ErrnoError(ERRNO.invalid);
        return position;
      },
    },
  };

  function createNode(parent: EmNode | null, name: string, mode: number): EmNode {
    const node = FS.createNode(parent, name, mode, 0);
    node.mode = mode;
    node.node_ops = fs.node_ops;
    node.stream_ops = fs.stream_ops;
    node.timestamp = Date.now();
    node.contents = FS.isDir(mode) ? {} : new OutputFile();
    if (parent) (parent.contents as Record<string, EmNode>)[name] = node;
    return node;
  }

  return fs;
}
