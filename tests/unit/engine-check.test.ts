/**
 * Engine.check (issue 19 item 4): the decode check runs under its time limit. The real Engine
 * over a stand-in for Seam's ffmpeg worker whose ffmpeg never returns: past the limit the
 * worker is stopped and the check fails with ProbeTimeoutError naming the track, instead of
 * holding the track (and every Join waiting for it) forever.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProbeTimeoutError } from '@/lib/core/errors';
import { Engine } from '@/lib/engine/ffmpeg';
import type { WorkerCall, WorkerMessage } from '@/lib/engine/worker-protocol';
import { audioInfo } from './support/audio-info';

/** Answers every request at once, but `exec`, which never returns (a decoder that hangs). */
class HangingWorker {
  static made: HangingWorker[] = [];
  terminated = false;
  onmessage: ((e: { data: WorkerMessage }) => void) | undefined;
  onerror: unknown;
  constructor() {
    HangingWorker.made.push(this);
  }
  postMessage(call: WorkerCall): void {
    if (call.type === 'exec') return;
    const value = call.type === 'readText' || call.type === 'readBytes' ? undefined : undefined;
    queueMicrotask(() =>
      this.onmessage?.({ data: { kind: 'reply', id: call.id, ok: true, value } }),
    );
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('Engine.check', () => {
  beforeEach(() => {
    HangingWorker.made = [];
    vi.stubGlobal('Worker', HangingWorker);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('gives up a check that hangs at its time limit, naming the track, and stops the worker', async () => {
    const engine = new Engine({ workerURL: 'w.js', coreURL: 'c.js', wasmURL: 'c.wasm' });
    const track = { id: 't1', name: 'hangs.mp3' };
    const check = engine
      .check(track, new Blob(['x']), audioInfo({ decoded: false }), 5_000)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    const err = await check;
    expect(err).toBeInstanceOf(ProbeTimeoutError);
    expect((err as ProbeTimeoutError).trackName).toBe('hangs.mp3');
    expect(HangingWorker.made.at(-1)?.terminated).toBe(true);
  });
});
