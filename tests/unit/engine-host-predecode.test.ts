import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { JoinCanceledError } from '@/lib/core/errors';
import { defaultOutput, defaultPreferences, defaultTags, joinOptions } from '@/lib/core/settings';
import type { FormatChange } from '@/lib/core/track';
import type { Engine, EngineCommand } from '@/lib/engine/ffmpeg';
import { EngineHost } from '@/lib/engine/host';
import { intermediateKey } from '@/lib/plan/predecode';
import type { JobEvents, JobFailure, JobResult, JoinRequest } from '@/lib/protocol/contract';
import { addFiles, clearTracks, updateTrack } from '@/lib/store/tracks';
import { audioInfo } from './support/audio-info';

/**
 * A join with a track that changes format midway, in the engine's host with a stand-in for
 * ffmpeg: the track's own decode runs first, the join mounts what it wrote, progress runs over
 * both steps, and Cancel during the decode stops it and never starts the join.
 */

const RATE_CHANGE: FormatChange = {
  reason: 'changes sample rate from 44.1 kHz to 48 kHz at 0:01',
  channels: [2],
  sampleRates: [44100, 48000],
};

interface Run {
  command: EngineCommand;
  keys: string[];
  signal: AbortSignal;
}

/**
 * Runs finish at once (a decode writes 2 s of stereo float), or, with `stall`, the first one
 * goes on until its signal fires.
 */
function fakeEngine(stall = false) {
  const runs: Run[] = [];
  const engine = {
    run: (...args: unknown[]) => {
      const command = args[0] as EngineCommand;
      const blobs = args[2] as ReadonlyMap<string, Blob>;
      const onProgress = args[3] as (f: number, phase: 'reading' | 'joining') => void;
      const signal = args[5] as AbortSignal;
      runs.push({ command, keys: [...blobs.keys()], signal });
      if (stall && runs.length === 1) {
        return new Promise((_, reject) => {
          const stop = () => setTimeout(() => reject(new JoinCanceledError()), 5);
          if (signal.aborted) stop();
          else signal.addEventListener('abort', stop, { once: true });
        });
      }
      onProgress(1, 'reading');
      onProgress(0.5, 'joining');
      onProgress(1, 'joining');
      const decode = command.outputPath.endsWith('.f32');
      const blob = new Blob([decode ? new Float32Array(2 * 44100 * 2) : 'joined']);
      return Promise.resolve({ blob, heapPeakBytes: 0, writtenSec: command.totalSec });
    },
  } as unknown as Engine;
  return { engine, runs };
}

function recorder() {
  const done: JobResult[] = [];
  const failed: JobFailure[] = [];
  const percents: [string, number][] = [];
  const events: JobEvents = {
    progress: (p) => void percents.push([p.phase, p.percent]),
    done: async (r) => void done.push(r),
    failed: async (r) => void failed.push(r),
    idle: () => undefined,
  };
  return { events, done, failed, percents };
}

async function readyTracks(): Promise<string[]> {
  const added = await addFiles([
    new File(['a'], 'a.mp3', { type: 'audio/mpeg' }),
    new File(['b'], 'b.mp3', { type: 'audio/mpeg' }),
  ]);
  await updateTrack(added[0]!.id, {
    status: 'ready',
    info: audioInfo({ decoded: true, durationSec: 2 }),
  });
  await updateTrack(added[1]!.id, {
    status: 'ready',
    info: audioInfo({ decoded: true, durationSec: 2, formatChange: RATE_CHANGE }),
  });
  return added.map((t) => t.id);
}

const request = (jobId: string, trackIds: string[]): JoinRequest => ({
  jobId,
  trackIds,
  output: { ...defaultOutput, format: 'mp3' },
  options: joinOptions(defaultPreferences, defaultTags),
});

const until = async (ok: () => boolean, state: () => unknown) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error(`never happened: ${JSON.stringify(state())}`);
};

describe('a track that changes format midway, in the engine host', () => {
  beforeEach(async () => {
    vi.stubGlobal('navigator', { deviceMemory: 8, hardwareConcurrency: 1 });
    await clearTracks();
  });

  it('is decoded first; the join reads what that wrote; progress runs over both', async () => {
    const ids = await readyTracks();
    const { engine, runs } = fakeEngine();
    const rec = recorder();
    const host = new EngineHost(engine, rec.events);
    host.join(request('job-1', ids));
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(runs).toHaveLength(2);
    const [decode, join] = runs;
    expect(decode!.command.args).toContain('pcm_f32le');
    expect(decode!.command.inputs).toEqual([{ trackId: ids[1], path: '/in/1.mp3' }]);
    expect(join!.command.inputs).toEqual([
      { trackId: ids[0], path: '/in/0.mp3' },
      { trackId: ids[1], path: '/in/1.f32', intermediate: true },
    ]);
    expect(join!.keys).toContain(intermediateKey(ids[1]!));
    // Work is counted in seconds of audio: the decode's 2 s, then the join's 4 s (a third, and
    // two thirds), in whole percents rounded down and never 100 while the stage runs
    // (lib/plan/progress.ts).
    const joining = rec.percents.filter(([phase]) => phase === 'joining').map(([, p]) => p);
    expect(joining).toEqual([16, 33, 66, 99]);
  });

  it('Cancel during the decode stops it, and the join never starts', async () => {
    const ids = await readyTracks();
    const { engine, runs } = fakeEngine(true);
    const rec = recorder();
    const host = new EngineHost(engine, rec.events);
    host.join(request('job-1', ids));
    await until(
      () => runs.length === 1,
      () => rec,
    );
    expect(runs[0]!.command.outputPath).toMatch(/\.f32$/);
    host.cancel('job-1');
    await until(
      () => rec.failed.length === 1,
      () => rec,
    );
    expect(rec.failed[0]).toMatchObject({ jobId: 'job-1', error: { code: 'join-canceled' } });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.signal.aborted).toBe(true);
    await until(
      () => !host.busy,
      () => rec,
    );
  });
});
