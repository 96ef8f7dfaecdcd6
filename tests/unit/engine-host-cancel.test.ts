import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { JoinCanceledError } from '@/lib/core/errors';
import {
  defaultOutput,
  defaultPreferences,
  defaultTags,
  joinOptions,
  type OutputSettings,
} from '@/lib/core/settings';
import type { Engine } from '@/lib/engine/ffmpeg';
import { EngineHost } from '@/lib/engine/host';
import type { JobEvents, JobFailure, JobResult, JoinRequest } from '@/lib/protocol/contract';
import { addFiles, clearTracks, updateTrack } from '@/lib/store/tracks';
import { audioInfo } from './support/audio-info';

/**
 * Cancel is scoped to its job (issue 8, item 1), in the engine's host with a stand-in for
 * ffmpeg whose run lasts until its job's signal fires: a Join pressed while a canceled join is
 * still unwinding can itself be canceled, and stopping one job never stops another.
 */

/** An engine whose every run goes on until its signal fires (then rejects as ffmpeg's does). */
function stallingEngine() {
  const runs: AbortSignal[] = [];
  const engine = {
    run: (...args: unknown[]) => {
      const signal = args[5] as AbortSignal;
      runs.push(signal);
      return new Promise((_, reject) => {
        const stop = () => setTimeout(() => reject(new JoinCanceledError()), 5);
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
    },
  } as unknown as Engine;
  return { engine, runs };
}

function recorder() {
  const done: JobResult[] = [];
  const failed: JobFailure[] = [];
  let idles = 0;
  const events: JobEvents = {
    progress: () => undefined,
    done: async (r) => void done.push(r),
    failed: async (r) => void failed.push(r),
    idle: () => void idles++,
  };
  return { events, done, failed, idles: () => idles };
}

const OGG: OutputSettings = { ...defaultOutput, format: 'ogg' };

async function readyTracks(): Promise<string[]> {
  const added = await addFiles([
    new File(['a'], 'a.mp3', { type: 'audio/mpeg' }),
    new File(['b'], 'b.mp3', { type: 'audio/mpeg' }),
  ]);
  for (const t of added) {
    await updateTrack(t.id, { status: 'ready', info: audioInfo({ decoded: true }) });
  }
  return added.map((t) => t.id);
}

const request = (jobId: string, trackIds: string[]): JoinRequest => ({
  jobId,
  trackIds,
  output: OGG,
  options: joinOptions(defaultPreferences, defaultTags),
});

const until = async (ok: () => boolean, state: () => unknown) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error(`never happened: ${JSON.stringify(state())}`);
};

describe('Cancel in the engine host', () => {
  beforeEach(async () => {
    // The memory preflight asks the browser how much the device has (Node 20 has no navigator).
    vi.stubGlobal('navigator', { deviceMemory: 8 });
    await clearTracks();
  });

  it('a Join pressed while a canceled join unwinds can be canceled too', async () => {
    const ids = await readyTracks();
    const { engine, runs } = stallingEngine();
    const rec = recorder();
    const host = new EngineHost(engine, rec.events);

    host.join(request('job-1', ids));
    await until(
      () => runs.length === 1,
      () => rec.failed,
    );
    // Cancel, and Join again at once: the first job's run is still stopping.
    host.cancel('job-1');
    host.join(request('job-2', ids));
    host.cancel('job-2');

    await until(
      () => rec.failed.length === 2,
      () => rec.failed,
    );
    const ended = rec.failed.map((f) => [f.jobId, f.error.code]).sort();
    expect(ended).toEqual([
      ['job-1', 'join-canceled'],
      ['job-2', 'join-canceled'],
    ]);
    expect(rec.done).toEqual([]);
    // The second job never reached ffmpeg, or was stopped there.
    expect(runs.every((s) => s.aborted)).toBe(true);
    await until(
      () => !host.busy,
      () => rec.failed,
    );
  });

  it('canceling one job leaves a newer one running', async () => {
    const ids = await readyTracks();
    const { engine, runs } = stallingEngine();
    const rec = recorder();
    const host = new EngineHost(engine, rec.events);

    host.join(request('job-1', ids));
    await until(
      () => runs.length === 1,
      () => rec.failed,
    );
    host.cancel('job-1');
    host.join(request('job-2', ids));
    await until(
      () => runs.length === 2,
      () => rec.failed,
    );
    expect(runs[0]!.aborted).toBe(true);
    expect(runs[1]!.aborted).toBe(false);
    expect(rec.failed.map((f) => f.jobId)).toEqual(['job-1']);

    // An old job's id stops nothing now.
    host.cancel('job-1');
    expect(runs[1]!.aborted).toBe(false);
    host.cancel('job-2');
    await until(
      () => rec.failed.length === 2,
      () => rec.failed,
    );
    expect(rec.failed[1]).toMatchObject({ jobId: 'job-2', error: { code: 'join-canceled' } });
    await until(
      () => !host.busy,
      () => rec.failed,
    );
  });
});
