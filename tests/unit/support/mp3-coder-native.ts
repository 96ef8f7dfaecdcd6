/**
 * The junction coder of a lossless MP3 join (lib/lossless/mp3/seams.ts) with native ffmpeg 5.1,
 * as the engine runs it in ffmpeg.wasm (lib/engine/junction-coder.ts): the same arguments.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mp3DecodeArgs, mp3EncodeArgs } from '@/lib/engine/junction-coder';
import type { Mp3JunctionCoder } from '@/lib/lossless/mp3/seams';

export function nativeMp3Coder(): Mp3JunctionCoder & { calls: number } {
  const coder = {
    calls: 0,
    async decode(frames: Blob, enc: Parameters<Mp3JunctionCoder['decode']>[1]) {
      coder.calls++;
      const dir = mkdtempSync(join(tmpdir(), 'seam-coder-'));
      try {
        const input = join(dir, 'in.mp3');
        const output = join(dir, 'out.raw');
        writeFileSync(input, new Uint8Array(await frames.arrayBuffer()));
        execFileSync('ffmpeg', ['-nostdin', '-y', ...mp3DecodeArgs(input, output, enc)]);
        const buf = readFileSync(output);
        return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async encode(pcm: Float32Array, enc: Parameters<Mp3JunctionCoder['encode']>[1]) {
      coder.calls++;
      const dir = mkdtempSync(join(tmpdir(), 'seam-coder-'));
      try {
        const input = join(dir, 'in.raw');
        const output = join(dir, 'out.mp3');
        writeFileSync(input, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
        execFileSync('ffmpeg', ['-nostdin', '-y', ...mp3EncodeArgs(input, output, enc)]);
        return new Uint8Array(readFileSync(output));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return coder;
}
