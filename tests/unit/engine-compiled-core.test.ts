import { afterEach, describe, expect, it, vi } from 'vitest';
import { compiledCore, forgetCompiledCores } from '@/lib/engine/worker-client';

/**
 * ffmpeg.wasm's core is compiled once per page and handed to every engine it starts, and let
 * go when the engines are idle (Firefox's background page lives as long as the browser).
 */
describe('the compiled core', () => {
  /** The smallest valid wasm module: its magic number and version. */
  const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  afterEach(() => {
    forgetCompiledCores();
    vi.unstubAllGlobals();
  });

  it('is fetched and compiled once for every engine, and again after it was let go', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      fetched.push(url);
      return Promise.resolve(new Response(EMPTY_MODULE));
    });
    const first = await compiledCore('ext://core.wasm');
    expect(first).toBeInstanceOf(WebAssembly.Module);
    expect(await compiledCore('ext://core.wasm')).toBe(first);
    expect(fetched).toEqual(['ext://core.wasm']);
    forgetCompiledCores();
    const again = await compiledCore('ext://core.wasm');
    expect(again).toBeInstanceOf(WebAssembly.Module);
    expect(again).not.toBe(first);
    expect(fetched).toEqual(['ext://core.wasm', 'ext://core.wasm']);
  });

  it('is undefined where it cannot be compiled: each worker then loads the wasm itself', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('not wasm')));
    expect(await compiledCore('ext://broken.wasm')).toBeUndefined();
  });
});
