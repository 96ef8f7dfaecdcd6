import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ProbeTimeoutError } from '@/lib/core/errors';
import type { Engine } from '@/lib/engine/ffmpeg';
import { EngineHost } from '@/lib/engine/host';
import { EnginePool } from '@/lib/engine/pool';
import { defaultOutput, defaultPreferences, defaultTags, joinOptions } from '@/lib/core/settings';
import type { JobFailure } from '@/lib/protocol/contract';
import { addFiles, clearTracks, getTrack, updateTrack } from '@/lib/store/tracks';
import { audioInfo } from './support/audio-info';

/**
 * The engine pool's decode checks go through Engine.check, under its time limit (issue 19): a
 * check that times out is stored on its track by name, and a Join waiting for it fails naming
 * the track instead of waiting forever.
 */
describe('decode checks in the engine pool', () => {
  beforeEach(async () => {
    vi.stubGlobal('navigator', { deviceMemory: 8, hardwareConcurrency: 1 });
    await clearTracks();
  });

  it('a check that times out fails its track by name, and the Join says so', async () => {
    const [added] = await addFiles([new File(['a'], 'slow.mp3', { type: 'audio/mpeg' })]);
    const id = added!.id;
    await updateTrack(id, { status: 'ready', info: audioInfo({ decoded: false }) });
    const checks: string[] = [];
    const engine = {
      check: (track: { id: string; name: string }) => {
        checks.push(track.name);
        return Promise.reject(ProbeTimeoutError.after(track, 61));
      },
      run: () => Promise.reject(new Error('the join must not run')),
      warmed: true,
    } as unknown as Engine;
    const failed: JobFailure[] = [];
    const host = new EngineHost(engine, {
      progress: () => undefined,
      done: () => Promise.resolve(),
      failed: async (f) => void failed.push(f),
      idle: () => undefined,
    });
    host.join({
      jobId: 'job-1',
      trackIds: [id],
      output: defaultOutput,
      options: joinOptions(defaultPreferences, defaultTags),
    });
    for (let i = 0; i < 500 && failed.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(checks).toEqual(['slow.mp3']);
    expect(failed[0]?.error).toMatchObject({ code: 'probe-timeout', trackName: 'slow.mp3' });
    expect((await getTrack(id))?.status).toBe('error');
  });

  it('warm-ups wait while a join is under way and run once it has ended', async () => {
    /** An engine that counts its warm-up steps (two to be warm). */
    const warming = () => {
      let steps = 0;
      return {
        get steps() {
          return steps;
        },
        engine: {
          warm: () => {
            steps++;
            return Promise.resolve(true);
          },
          get warmed() {
            return steps >= 2;
          },
        } as unknown as Engine,
      };
    };
    const main = warming();
    const checker = warming();
    const pool = new EnginePool(main.engine, () => undefined, checker.engine);
    let end!: () => void;
    const join = pool.hold(() => new Promise<void>((r) => (end = r)));
    // A page opens (or a probe ends) while the join waits for its tracks: no warm-up runs.
    pool.warm();
    await new Promise((r) => setTimeout(r, 20));
    expect([main.steps, checker.steps]).toEqual([0, 0]);
    end();
    await join;
    for (let i = 0; i < 200 && !(main.engine.warmed && checker.engine.warmed); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect([main.steps, checker.steps]).toEqual([2, 2]);
  });
});
