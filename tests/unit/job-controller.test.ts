import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from '#imports';
import { JoinFailedError } from '@/lib/core/errors';
import type { JobState } from '@/lib/core/job';
import {
  cancelJoin,
  onJobDone,
  onJobFailed,
  onJobProgress,
  recoverJob,
  startJoin,
} from '@/lib/job/controller';
import { setEngineLink } from '@/lib/job/link';
import type { EngineLink, JoinRequest } from '@/lib/protocol/contract';
import { jobInFlight, jobState } from '@/lib/store/job';
import { outputSettings, outputTags, preferences } from '@/lib/store/settings';
import { addFiles, clearTracks, updateTrack } from '@/lib/store/tracks';
import { audioInfo } from './support/audio-info';

/**
 * The background's job (lib/job/controller.ts) with the browser's storage faked and the engine
 * a stand-in: its state machine (running → done, failed or canceled; a late message never
 * changes a finished job), the saved file's name fixed when Join is pressed, and what a page is
 * told after a crash of the engine or a relaunch of the browser.
 */

interface FakeEngine {
  joins: JoinRequest[];
  canceled: string[];
  released: string[];
  orphaned: boolean;
}

function fakeLink(): FakeEngine {
  const engine: FakeEngine = { joins: [], canceled: [], released: [], orphaned: false };
  const link: EngineLink = {
    probe: async () => undefined,
    fetch: async () => undefined,
    removed: async () => undefined,
    join: async (req) => void engine.joins.push(req),
    cancel: async (id) => void engine.canceled.push(id),
    release: async (url) => void engine.released.push(url),
    warm: async () => undefined,
    active: async () => !engine.orphaned,
    orphaned: async () => engine.orphaned,
    idle: () => undefined,
  };
  setEngineLink(link);
  return engine;
}

let engine: FakeEngine;
const downloads: { url: string; filename: string }[] = [];

beforeEach(async () => {
  fakeBrowser.reset();
  await clearTracks();
  engine = fakeLink();
  downloads.length = 0;
  const download = vi.fn(async (o: { url: string; filename: string }) => {
    downloads.push(o);
    return downloads.length;
  });
  (fakeBrowser as unknown as { downloads: { download: typeof download } }).downloads.download =
    download;
  const [a, b] = await addFiles([
    new File(['a'], 'Chapter 1.mp3', { type: 'audio/mpeg' }),
    new File(['b'], 'Chapter 2.mp3', { type: 'audio/mpeg' }),
  ]);
  for (const t of [a!, b!]) await updateTrack(t.id, { status: 'ready', info: audioInfo() });
  await outputTags.setValue({ ...(await outputTags.getValue()), title: 'The Book' });
  await preferences.setValue({ ...(await preferences.getValue()), fileNameTemplate: '{title}' });
});

const ownUrl = () => `blob:${browser.runtime.getURL('/')}result-1`;
const job = () => jobState.getValue() as Promise<JobState>;

describe('the job’s state machine', () => {
  it('running → done: the file is saved under the name fixed when Join was pressed', async () => {
    const { jobId } = await startJoin();
    expect(engine.joins).toHaveLength(1);
    const running = await job();
    expect(running).toMatchObject({ status: 'running', fileName: 'The Book.mp3' });
    expect(await jobInFlight.getValue()).toMatchObject({ id: jobId, fileName: 'The Book.mp3' });
    // The title is edited while the join runs: the join's tag keeps the old one, so does the name.
    await outputTags.setValue({ ...(await outputTags.getValue()), title: 'Another' });
    await onJobProgress({ jobId, phase: 'joining', percent: 40, lossless: true });
    expect(await job()).toMatchObject({ status: 'running', percent: 40, phase: 'joining' });
    await onJobDone({ jobId, url: ownUrl(), bytes: 10, lossless: true });
    expect(downloads.map((d) => d.filename)).toEqual(['The Book.mp3']);
    expect(await job()).toMatchObject({ status: 'done', fileName: 'The Book.mp3', bytes: 10 });
    expect(await jobInFlight.getValue()).toBeNull();
  });

  it('a late progress message never changes a finished job, and a second result is released', async () => {
    const { jobId } = await startJoin();
    await onJobFailed(jobId, new JoinFailedError('broken').toData());
    await onJobProgress({ jobId, phase: 'joining', percent: 90, lossless: false });
    expect(await job()).toMatchObject({ status: 'failed', error: { message: 'broken' } });
    await onJobDone({ jobId, url: ownUrl(), bytes: 1, lossless: false });
    expect(engine.released).toEqual([ownUrl()]);
    expect(downloads).toEqual([]);
  });

  it('Cancel asks the engine to stop and ends as canceled, keeping the file name', async () => {
    const { jobId } = await startJoin();
    await cancelJoin(jobId);
    expect(engine.canceled).toEqual([jobId]);
    expect(await job()).toMatchObject({ status: 'canceled', fileName: 'The Book.mp3' });
  });

  it('a result from anywhere but the engine is refused, not downloaded', async () => {
    const { jobId } = await startJoin();
    await onJobDone({ jobId, url: 'https://example.com/x.mp3', bytes: 1, lossless: true });
    expect(downloads).toEqual([]);
    expect(await job()).toMatchObject({ status: 'failed', error: { code: 'engine-failed' } });
  });

  it('Join while a join runs is that join', async () => {
    const first = await startJoin();
    const second = await startJoin();
    expect(second.jobId).toBe(first.jobId);
    expect(engine.joins).toHaveLength(1);
  });

  it('a queue with a failed track does not start, and says which track', async () => {
    const [bad] = await addFiles([new File(['x'], 'broken.mp3', { type: 'audio/mpeg' })]);
    await updateTrack(bad!.id, {
      status: 'error',
      error: { code: 'corrupt-audio', message: 'damaged' },
    });
    await startJoin();
    expect(engine.joins).toEqual([]);
    expect(await job()).toMatchObject({ status: 'failed', error: { trackName: 'broken.mp3' } });
  });
});

describe('recovery after a crash or a relaunch', () => {
  it('a running join whose engine is gone is told as interrupted (with Retry in the page)', async () => {
    await startJoin();
    engine.orphaned = true;
    await recoverJob();
    expect(await job()).toMatchObject({ status: 'failed', error: { code: 'job-interrupted' } });
    expect(await jobInFlight.getValue()).toBeNull();
  });

  it('a running join whose engine is there is left alone', async () => {
    await startJoin();
    await recoverJob();
    expect(await job()).toMatchObject({ status: 'running' });
  });

  it('after a relaunch (storage.session emptied), the join left in flight is told as stopped', async () => {
    const { jobId } = await startJoin();
    await jobState.setValue(null);
    await recoverJob();
    expect(await job()).toMatchObject({
      id: jobId,
      status: 'failed',
      fileName: 'The Book.mp3',
      error: { code: 'job-interrupted' },
    });
    expect(await jobInFlight.getValue()).toBeNull();
  });

  it('a join that finished before the background stopped only loses its marker', async () => {
    const { jobId } = await startJoin();
    await onJobDone({ jobId, url: ownUrl(), bytes: 1, lossless: true });
    await jobInFlight.setValue({ ...(await job()) });
    await recoverJob();
    expect(await job()).toMatchObject({ status: 'done' });
    expect(await jobInFlight.getValue()).toBeNull();
  });

  it('the output format is the one Join was pressed with', async () => {
    await outputSettings.setValue({ ...(await outputSettings.getValue()), format: 'm4b' });
    await startJoin();
    expect(await job()).toMatchObject({ format: 'm4b', fileName: 'The Book.m4b' });
  });
});
