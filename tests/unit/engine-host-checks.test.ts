import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CorruptAudioError, OutputTooShortError } from '@/lib/core/errors';
import { defaultOutput, defaultPreferences, defaultTags, joinOptions } from '@/lib/core/settings';
import type { AudioInfo } from '@/lib/core/track';
import type { Engine } from '@/lib/engine/ffmpeg';
import { EngineHost } from '@/lib/engine/host';
import { EnginePool } from '@/lib/engine/pool';
import { WorkerStoppedError } from '@/lib/engine/ffmpeg';
import type { JobEvents, JobFailure, JobResult, JoinRequest } from '@/lib/protocol/contract';
import { addFiles, clearTracks, getTrack, removeTracks, updateTrack } from '@/lib/store/tracks';
import { fixture } from '../support/paths';
import { audioInfo } from './support/audio-info';

/**
 * Checks off the person's clock (issue 20 item 1), in the engine's host with a stand-in for
 * ffmpeg whose decode checks end only when the test says: a join that copies the audio as it is
 * is done while every check is still running; a re-encode waits for them; a check that finds
 * damage after the copy says so on the track.
 */

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function fakeEngine() {
  const checks: { id: string; info: AudioInfo; end: ReturnType<typeof deferred<AudioInfo>> }[] = [];
  let runs = 0;
  let resets = 0;
  const engine = {
    check: (track: { id: string }, _blob: Blob, info: AudioInfo) => {
      const end = deferred<AudioInfo>();
      checks.push({ id: track.id, info, end });
      return end.promise;
    },
    run: (...args: unknown[]) => {
      runs++;
      const onProgress = args[3] as (f: number, phase: 'reading' | 'joining') => void;
      onProgress(1, 'joining');
      return Promise.resolve({ blob: new Blob(['joined']), heapPeakBytes: 0, writtenSec: 4 });
    },
    probe: () => Promise.resolve(wavInfo()),
    warm: () => Promise.resolve(true),
    warmed: true,
    // The worker is stopped: what runs on it ends with WorkerStoppedError.
    reset: () => {
      resets++;
      for (const c of checks.splice(0)) c.end.reject(new WorkerStoppedError());
    },
  } as unknown as Engine;
  return { engine, checks, runs: () => runs, resets: () => resets };
}

function recorder() {
  const done: JobResult[] = [];
  const failed: JobFailure[] = [];
  const events: JobEvents = {
    progress: () => undefined,
    done: async (r) => void done.push(r),
    failed: async (r) => void failed.push(r),
    idle: () => undefined,
  };
  return { events, done, failed };
}

const WAV = readFileSync(fixture('stereo-48000.wav'));
const wavInfo = (): AudioInfo =>
  audioInfo({
    container: 'wav',
    codec: 'pcm_s16le',
    sampleRate: 48000,
    durationSec: 0.4,
    bitRate: 1536000,
    decoded: false,
  });

/** Two WAVs, listed (probed) and not yet decode-checked. */
async function listedTracks(): Promise<string[]> {
  const added = await addFiles([
    new File([WAV], 'a.wav', { type: 'audio/wav' }),
    new File([WAV], 'b.wav', { type: 'audio/wav' }),
  ]);
  for (const t of added) await updateTrack(t.id, { status: 'ready', info: wavInfo() });
  return added.map((t) => t.id);
}

const request = (trackIds: string[], format: 'wav' | 'mp3'): JoinRequest => ({
  jobId: `job-${format}`,
  trackIds,
  output: { ...defaultOutput, format },
  options: joinOptions(defaultPreferences, defaultTags),
});

const until = async (ok: () => boolean, state: () => unknown) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error(`never happened: ${JSON.stringify(state())}`);
};

describe('decode checks and the join, in the engine host', () => {
  beforeEach(async () => {
    vi.stubGlobal('navigator', { deviceMemory: 8, hardwareConcurrency: 1 });
    await clearTracks();
  });

  it('a lossless join is done while the checks have not finished', async () => {
    const ids = await listedTracks();
    const fake = fakeEngine();
    const rec = recorder();
    new EngineHost(fake.engine, rec.events).join(request(ids, 'wav'));
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(rec.done[0]?.lossless).toBe(true);
    // The checks run after the copy (one engine here), none of them finished.
    await until(
      () => fake.checks.length > 0,
      () => fake.checks.length,
    );
    for (const c of fake.checks) c.end.resolve({ ...c.info, decoded: true });
  });

  it('a re-encode starts only once every check has finished', async () => {
    const ids = await listedTracks();
    const fake = fakeEngine();
    const rec = recorder();
    new EngineHost(fake.engine, rec.events).join(request(ids, 'mp3'));
    await until(
      () => fake.checks.length === 1,
      () => fake.checks.length,
    );
    expect(fake.runs()).toBe(0);
    fake.checks[0]!.end.resolve({ ...fake.checks[0]!.info, decoded: true });
    await until(
      () => fake.checks.length === 2,
      () => fake.checks.length,
    );
    expect(fake.runs()).toBe(0);
    fake.checks[1]!.end.resolve({ ...fake.checks[1]!.info, decoded: true });
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(fake.runs()).toBeGreaterThan(0);
  });

  it('a re-encode of tracks whose tables hold their length starts before the checks', async () => {
    const ids = await listedTracks();
    for (const id of ids) await updateTrack(id, { info: { ...wavInfo(), lengthHeld: true } });
    const fake = fakeEngine();
    const rec = recorder();
    new EngineHost(fake.engine, rec.events).join(request(ids, 'mp3'));
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(rec.done[0]?.lossless).toBe(false);
    expect(fake.runs()).toBe(1);
    // The checks run after the join, none of them finished before it was done.
    await until(
      () => fake.checks.length > 0,
      () => fake.checks.length,
    );
    for (const c of fake.checks) c.end.resolve({ ...c.info, decoded: true });
  });

  it('a re-encode started before the checks that fails is planned again on what they measure', async () => {
    const ids = await listedTracks();
    for (const id of ids) await updateTrack(id, { info: { ...wavInfo(), lengthHeld: true } });
    const fake = fakeEngine();
    const run = fake.engine.run.bind(fake.engine);
    // The first run writes less than planned (a file shorter than its tables): the engine's
    // output check (lib/engine/ffmpeg.ts) refuses it.
    let first = true;
    (fake.engine as { run: unknown }).run = (...args: Parameters<Engine['run']>) => {
      if (!first) return run(...args);
      first = false;
      return Promise.reject(new OutputTooShortError('The joined file holds 0:00 of 0:01.'));
    };
    const rec = recorder();
    new EngineHost(fake.engine, rec.events).join(request(ids, 'mp3'));
    // The retry waits for both checks; the first says the track holds less than stated.
    await until(
      () => fake.checks.length === 1,
      () => ({ checks: fake.checks.length, rec }),
    );
    expect(rec.done.length + rec.failed.length).toBe(0);
    fake.checks[0]!.end.resolve({ ...fake.checks[0]!.info, decoded: true, durationSec: 0.05 });
    await until(
      () => fake.checks.length === 2,
      () => fake.checks.length,
    );
    fake.checks[1]!.end.resolve({ ...fake.checks[1]!.info, decoded: true, durationSec: 0.05 });
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(first).toBe(false);
    expect(fake.runs()).toBe(1);
    expect((await getTrack(ids[0]!))?.info?.decoded).toBe(true);
  });

  it('a lossless join that matches loudness waits for the checks, which measure it', async () => {
    const tones = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];
    const added = await addFiles(
      tones.map((n) => new File([readFileSync(fixture(n))], n, { type: 'audio/mpeg' })),
    );
    const mp3Info = audioInfo({
      container: 'mp3',
      codec: 'mp3',
      sampleRate: 44100,
      durationSec: 2,
      bitRate: 128000,
      decoded: false,
    });
    for (const t of added) await updateTrack(t.id, { status: 'ready', info: mp3Info });
    const fake = fakeEngine();
    const rec = recorder();
    const req = request(
      added.map((t) => t.id),
      'mp3',
    );
    new EngineHost(fake.engine, rec.events).join({
      ...req,
      output: { ...req.output, matchLoudness: true },
    });
    await until(
      () => fake.checks.length === 1,
      () => fake.checks.length,
    );
    // Without the measurement the gain would be left out: nothing is joined before it.
    fake.checks[0]!.end.resolve({
      ...fake.checks[0]!.info,
      decoded: true,
      loudness: { i: -20, tp: -6 },
    });
    await until(
      () => fake.checks.length === 2,
      () => fake.checks.length,
    );
    expect(rec.done.length + rec.failed.length).toBe(0);
    fake.checks[1]!.end.resolve({
      ...fake.checks[1]!.info,
      decoded: true,
      loudness: { i: -22, tp: -8 },
    });
    // Then the join goes on (its frame coder needs a real ffmpeg, which this stand-in is not:
    // the gained join itself is tested in tests/e2e/no-joiner.test.ts).
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
  });

  // A copy keeps the damaged frames as they were; a re-encode holds what its decoder made of them.
  it.each([
    { join: 'a copy', format: 'wav', held: false, key: 'errors.carriedAsItWas' },
    { join: 'a re-encode', format: 'mp3', held: true, key: 'errors.decodedAsRead' },
  ] as const)('damage found after $join is said on the track, in its words', async (c) => {
    const ids = await listedTracks();
    if (c.held)
      for (const id of ids) await updateTrack(id, { info: { ...wavInfo(), lengthHeld: true } });
    const fake = fakeEngine();
    const rec = recorder();
    new EngineHost(fake.engine, rec.events).join(request(ids, c.format));
    await until(
      () => rec.done.length > 0 && fake.checks.length > 0,
      () => rec,
    );
    expect(rec.done[0]?.lossless).toBe(!c.held);
    fake.checks[0]!.end.reject(
      new CorruptAudioError('The audio is damaged.', { id: ids[0]!, name: 'a.wav' }),
    );
    await until(
      () => fake.checks.length === 2,
      () => fake.checks.length,
    );
    fake.checks[1]!.end.resolve({ ...fake.checks[1]!.info, decoded: true });
    let track = await getTrack(ids[0]!);
    for (let i = 0; i < 200 && track?.error?.text?.key !== c.key; i++) {
      await new Promise((r) => setTimeout(r, 5));
      track = await getTrack(ids[0]!);
    }
    expect(track?.status).toBe('error');
    expect(track?.error?.text).toEqual({ key: c.key, subs: ['The audio is damaged.'] });
    expect((await getTrack(ids[1]!))?.status).toBe('ready');
  });

  it('a check running on the engine gives way to a join, and runs again after it', async () => {
    const ids = await listedTracks();
    const [other] = await addFiles([new File([WAV], 'c.wav', { type: 'audio/wav' })]);
    const fake = fakeEngine();
    // Ten minutes, as ffprobe states: a check long enough to be stopped (GIVE_WAY_SEC).
    (fake.engine as { probe: unknown }).probe = () =>
      Promise.resolve({ ...wavInfo(), durationSec: 600 });
    const rec = recorder();
    const host = new EngineHost(fake.engine, rec.events);
    host.probe([other!.id]);
    await until(
      () => fake.checks.length === 1,
      () => fake.checks.length,
    );
    host.join(request(ids, 'wav'));
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(fake.resets()).toBeGreaterThan(0);
    // Checked again behind the join; nothing was stored from the stopped one.
    await until(
      () => fake.checks.some((c) => c.id === other!.id),
      () => fake.checks.map((c) => c.id),
    );
    expect((await getTrack(other!.id))?.status).toBe('ready');
    for (const c of fake.checks) c.end.resolve({ ...c.info, decoded: true });
  });

  it('a check running on the checker gives way to a join’s second part, and runs again after it', async () => {
    const ids = await listedTracks();
    const main = fakeEngine();
    const checker = fakeEngine();
    const pool = new EnginePool(main.engine, () => undefined, checker.engine);
    await updateTrack(ids[0]!, { info: { ...wavInfo(), durationSec: 600 } });
    const track = await getTrack(ids[0]!);
    // The first check goes to the checker.
    void pool.checked(track!, new AbortController().signal);
    await until(
      () => checker.checks.length === 1,
      () => checker.checks.length,
    );
    const leased = await pool.join(() => pool.lease(2, async (engines) => engines.length));
    expect(leased).toBe(2);
    expect(checker.resets()).toBeGreaterThan(0);
    // Checked again after the part; nothing was stored from the stopped one.
    await until(
      () => checker.checks.length + main.checks.length === 1,
      () => [checker.checks.length, main.checks.length],
    );
    expect((await getTrack(ids[0]!))?.info?.decoded).toBe(false);
    for (const c of [...checker.checks, ...main.checks])
      c.end.resolve({ ...c.info, decoded: true });
    let decoded = false;
    for (let i = 0; i < 200 && !decoded; i++) {
      await new Promise((r) => setTimeout(r, 5));
      decoded = (await getTrack(ids[0]!))?.info?.decoded === true;
    }
    expect(decoded).toBe(true);
  });

  it('a check stopped by someone else’s reset (a Cancel, a timeout elsewhere) runs again to its end', async () => {
    const ids = await listedTracks();
    const main = fakeEngine();
    const pool = new EnginePool(main.engine, () => undefined);
    const track = await getTrack(ids[0]!);
    const waited = pool.checked(track!, new AbortController().signal);
    await until(
      () => main.checks.length === 1,
      () => main.checks.length,
    );
    // A one-minute track: no join asked it to give way; the engine is stopped all the same.
    main.engine.reset();
    await until(
      () => main.checks.length === 1,
      () => main.checks.length,
    );
    expect((await getTrack(ids[0]!))?.info?.decoded).toBe(false);
    main.checks[0]!.end.resolve({ ...main.checks[0]!.info, decoded: true });
    const checked = await waited;
    expect(checked.info?.decoded).toBe(true);
    expect((await getTrack(ids[0]!))?.status).toBe('ready');
  });

  it('checks hold off while a join runs: a long one on the checker stops, none starts, both run after', async () => {
    const [a, b, c] = await addFiles(
      ['a.wav', 'b.wav', 'c.wav'].map((n) => new File([WAV], n, { type: 'audio/wav' })),
    );
    const main = fakeEngine();
    const checker = fakeEngine();
    // Ten minutes each, as ffprobe states: checks long enough to be stopped (GIVE_WAY_SEC).
    for (const e of [main, checker])
      (e.engine as { probe: unknown }).probe = () =>
        Promise.resolve({ ...wavInfo(), durationSec: 600 });
    const pool = new EnginePool(main.engine, () => undefined, checker.engine);
    await pool.probe(a!.id);
    await until(
      () => checker.checks.length === 1,
      () => checker.checks.length,
    );
    // A copy: it leases nothing, yet the checker's long check stops for it.
    const copy = deferred<string>();
    const join = pool.join(() => copy.promise);
    expect(checker.resets()).toBe(1);
    // A track added while the join runs is listed, and its check waits for the join.
    // (Once the stopped check has let the checker go: the probe goes to the idle engine.)
    await until(
      () => checker.resets() === 2,
      () => checker.resets(),
    );
    expect((await pool.probe(b!.id))?.status).toBe('ready');
    await new Promise((r) => setTimeout(r, 30));
    expect([main.checks.length, checker.checks.length]).toEqual([0, 0]);
    // A check someone waits for (another join's) is not held.
    await updateTrack(c!.id, { status: 'ready', info: wavInfo() });
    const wanted = pool.checked((await getTrack(c!.id))!, new AbortController().signal);
    await until(
      () => main.checks.length + checker.checks.length === 1,
      () => [main.checks.length, checker.checks.length],
    );
    for (const x of [...main.checks.splice(0), ...checker.checks.splice(0)])
      x.end.resolve({ ...x.info, decoded: true });
    expect((await wanted).info?.decoded).toBe(true);
    copy.resolve('saved');
    expect(await join).toBe('saved');
    await until(
      () => main.checks.length + checker.checks.length === 2,
      () => [main.checks.length, checker.checks.length],
    );
    for (const x of [...main.checks, ...checker.checks])
      x.end.resolve({ ...x.info, decoded: true });
    for (const id of [a!.id, b!.id]) {
      let decoded = false;
      for (let i = 0; i < 200 && !decoded; i++) {
        await new Promise((r) => setTimeout(r, 5));
        decoded = (await getTrack(id))?.info?.decoded === true;
      }
      expect(decoded).toBe(true);
    }
  });

  it('removing a track stops its check under way: the next track’s probe does not wait for it', async () => {
    const [gone, next] = await addFiles(
      ['gone.wav', 'next.wav'].map((n) => new File([WAV], n, { type: 'audio/wav' })),
    );
    const fake = fakeEngine();
    const rec = recorder();
    const host = new EngineHost(fake.engine, rec.events);
    host.probe([gone!.id]);
    await until(
      () => fake.checks.length === 1,
      () => fake.checks.length,
    );
    await removeTracks([gone!.id]);
    host.removed([gone!.id]);
    expect(fake.resets()).toBe(1);
    // One engine: the probe would queue behind the check, which never ends here.
    host.probe([next!.id]);
    let probed = await getTrack(next!.id);
    for (let i = 0; i < 200 && probed?.status !== 'ready'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      probed = await getTrack(next!.id);
    }
    expect(probed?.status).toBe('ready');
    // The removed track is not checked again; the next one is.
    await until(
      () => fake.checks.length === 1,
      () => fake.checks.map((c) => c.id),
    );
    expect(fake.checks[0]!.id).toBe(next!.id);
    fake.checks[0]!.end.resolve({ ...fake.checks[0]!.info, decoded: true });
  });

  it('a join pressed while its tracks are probed shows each one probed as its progress', async () => {
    const added = await addFiles(
      ['a.wav', 'b.wav', 'c.wav', 'd.wav'].map((n) => new File([WAV], n, { type: 'audio/wav' })),
    );
    const fake = fakeEngine();
    const rec = recorder();
    const seen: string[] = [];
    rec.events.progress = (p) => void seen.push(`${p.phase} ${p.percent}`);
    new EngineHost(fake.engine, rec.events).join(
      request(
        added.map((t) => t.id),
        'wav',
      ),
    );
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    const probing = seen.filter((s) => s.startsWith('probing'));
    expect(probing).toEqual(['probing 0', 'probing 25', 'probing 50', 'probing 75', 'probing 100']);
    // Before the engine's own stages.
    expect(seen.indexOf('probing 100')).toBeLessThan(
      seen.findIndex((s) => !s.startsWith('probing')),
    );
    for (const c of fake.checks) c.end.resolve({ ...c.info, decoded: true });
  });

  it('a join of tracks already probed says nothing of probing', async () => {
    const ids = await listedTracks();
    const fake = fakeEngine();
    const rec = recorder();
    const seen: string[] = [];
    rec.events.progress = (p) => void seen.push(p.phase);
    new EngineHost(fake.engine, rec.events).join(request(ids, 'wav'));
    await until(
      () => rec.done.length + rec.failed.length > 0,
      () => rec,
    );
    expect(rec.failed).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain('probing');
    for (const c of fake.checks) c.end.resolve({ ...c.info, decoded: true });
  });

  it('a short track’s check is left to finish: the join starts after it, nothing stopped', async () => {
    const ids = await listedTracks();
    const main = fakeEngine();
    const checker = fakeEngine();
    const pool = new EnginePool(main.engine, () => undefined, checker.engine);
    const track = await getTrack(ids[0]!);
    void pool.checked(track!, new AbortController().signal);
    await until(
      () => checker.checks.length === 1,
      () => checker.checks.length,
    );
    let leased = 0;
    const join = pool.join(() => pool.lease(2, async (engines) => (leased = engines.length)));
    await new Promise((r) => setTimeout(r, 20));
    expect(leased).toBe(0);
    checker.checks[0]!.end.resolve({ ...checker.checks[0]!.info, decoded: true });
    await join;
    expect(leased).toBe(2);
    // The check ran to its end and was stored (a stopped one stores nothing).
    expect((await getTrack(ids[0]!))?.info?.decoded).toBe(true);
  });
});
