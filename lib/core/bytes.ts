import { JoinCanceledError } from './errors';

/** Byte helpers shared by the MP3 and WAV joiners. */

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JoinCanceledError();
}

/** Bytes [start, end) of a Blob, clamped to its size; reads only that range. */
export async function readRange(
  blob: Blob,
  start: number,
  end: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const a = Math.max(0, start);
  const b = Math.min(blob.size, end);
  if (b <= a) return new Uint8Array(0);
  return new Uint8Array(await blob.slice(a, b).arrayBuffer());
}

/** `length` bytes from `at` as Latin-1 text (chunk ids, tag magic); out-of-range bytes are skipped. */
export function ascii(bytes: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = Math.max(0, at); i < at + length && i < bytes.length; i++) {
    s += String.fromCharCode(bytes[i]!);
  }
  return s;
}
