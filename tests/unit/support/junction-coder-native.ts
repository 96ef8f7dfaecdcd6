/**
 * A junction coder of an exact lossless join (lib/lossless/seam-plan.ts) with native ffmpeg 5.1,
 * as the engine runs it in ffmpeg.wasm (lib/engine/junction-coder.ts): the same arguments.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoderArgs } from '@/lib/engine/junction-coder';
import type { JunctionCoder } from '@/lib/lossless/seam-plan';

export function nativeCoder<E>(args: CoderArgs<E>): JunctionCoder<E> & { calls: number } {
  const run = (
    name: string,
    data: Uint8Array,
    out: string,
    argv: (i: string, o: string) => string[],
  ) => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-coder-'));
    try {
      const input = join(dir, name);
      const output = join(dir, out);
      writeFileSync(input, data);
      execFileSync('ffmpeg', ['-nostdin', '-y', ...argv(input, output)]);
      return new Uint8Array(readFileSync(output));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const coder = {
    calls: 0,
    async decode(frames: Blob, enc: E) {
      coder.calls++;
      const bytes = run(
        args.inName,
        new Uint8Array(await frames.arrayBuffer()),
        'out.raw',
        (i, o) => args.decode(i, o, enc),
      );
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    },
    async encode(pcm: Float32Array, enc: E) {
      coder.calls++;
      const data = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      return run('in.raw', data, args.outName, (i, o) => args.encode(i, o, enc));
    },
  };
  return coder;
}
