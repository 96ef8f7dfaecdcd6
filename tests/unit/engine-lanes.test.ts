import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '@/lib/engine/ffmpeg';
import { EngineHost } from '@/lib/engine/host';
import { Lanes } from '@/lib/engine/lanes';
import type { JobEvents } from '@/lib/protocol/contract';
import { addFiles, clearTracks, listTracks } from '@/lib/store/tracks';
import { audioInfo } from './support/audio-info';

/**
 * Quick adds (issue 9, item 4): a track added while an engine has long work queued is listed
 * first, and a batch of new tracks is probed on both engines at once.
 */

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Lanes: one task at a time, probes first', () => {
  it('runs a probe queued after waiting work before that work, never interrupting a task', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    const first = deferred();
    const running = lanes.run(async () => {
      order.push('check 1 starts');
      await first.promise;
      order.push('check 1 ends');
    });
    const queued = [
      lanes.run(async () => void order.push('warm-up'), 'work'),
      lanes.run(async () => void order.push('check 2'), 'work'),
      lanes.run(async () => void order.push('probe a'), 'probe'),
      lanes.run(async () => void order.push('probe b'), 'probe'),
    ];
    expect(lanes.running).toBe('work');
    expect(lanes.waiting('probe')).toBe(2);
    first.resolve();
    await Promise.all([running, ...queued]);
    expect(order).toEqual([
      'check 1 starts',
      'check 1 ends',
      'probe a',
      'probe b',
      'warm-up',
      'check 2',
    ]);
    expect(lanes.busy).toBe(false);
  });

  it('runs a join queued after waiting decode checks before them (checks are off the clock)', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    const first = deferred();
    const running = lanes.run(async () => {
      order.push('check 1 starts');
      await first.promise;
      order.push('check 1 ends');
    }, 'check');
    const queued = [
      lanes.run(async () => void order.push('check 2'), 'check'),
      lanes.run(async () => void order.push('join'), 'work'),
      lanes.run(async () => void order.push('probe'), 'probe'),
    ];
    expect(lanes.running).toBe('check');
    first.resolve();
    await Promise.all([running, ...queued]);
    expect(order).toEqual(['check 1 starts', 'check 1 ends', 'probe', 'join', 'check 2']);
  });

  it('a task that throws settles as a rejection and the next one still runs', async () => {
    const lanes = new Lanes();
    const failing = lanes.run(() => {
      throw new Error('boom');
    });
    const next = lanes.run(async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});

describe('the engine host lists a batch of tracks on both engines', () => {
  beforeEach(async () => {
    await clearTracks();
  });

  /** A stand-in engine whose probe takes a moment and says which engine ran it. */
  function probingEngine(name: string, ran: string[]) {
    return {
      probe: async () => {
        ran.push(name);
        await new Promise((r) => setTimeout(r, 10));
        return audioInfo({ decoded: true });
      },
      warmed: true,
      warm: async () => undefined,
      reset: () => undefined,
    } as unknown as Engine;
  }

  it('ten tracks added at once are probed half on each engine, and every one is listed', async () => {
    const ran: string[] = [];
    let idle = 0;
    const events: JobEvents = {
      progress: () => undefined,
      done: async () => undefined,
      failed: async () => undefined,
      idle: () => void idle++,
    };
    const host = new EngineHost(
      probingEngine('engine', ran),
      events,
      probingEngine('checker', ran),
    );
    const added = await addFiles(
      Array.from({ length: 10 }, (_, i) => new File([`${i}`], `t${i}.mp3`, { type: 'audio/mpeg' })),
    );
    host.probe(added.map((t) => t.id));
    for (let i = 0; i < 400 && (host.busy || idle === 0); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const tracks = await listTracks();
    expect(tracks.map((t) => t.status)).toEqual(Array(10).fill('ready'));
    expect(ran.filter((e) => e === 'engine')).toHaveLength(5);
    expect(ran.filter((e) => e === 'checker')).toHaveLength(5);
  });
});
