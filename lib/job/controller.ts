import {
  EngineFailedError,
  JobInterruptedError,
  JoinCanceledError,
  JoinFailedError,
  NothingToJoinError,
  SeamError,
  toErrorData,
  type SeamErrorData,
} from '@/lib/core/errors';
import { browser } from '#imports';
import { formatSpec } from '@/lib/core/formats';
import { isRunning, type JobInFlight, type JobState } from '@/lib/core/job';
import { outputFileName } from '@/lib/core/naming';
import { joinOptions } from '@/lib/core/settings';
import type { JobEvents, JobProgress, JobResult } from '@/lib/protocol/contract';
import { isOwnBlobUrl } from '@/lib/protocol/senders';
import { jobInFlight, jobState } from '@/lib/store/job';
import { outputSettings, outputTags, preferences } from '@/lib/store/settings';
import { listTracks, removeTracks } from '@/lib/store/tracks';
import { showFailed, showProgress, showQueue } from './badge';
import { chaptersCue, chaptersJson, chaptersText } from '@/lib/plan/chapter-files';
import { onDownloadChanged as releaseOnEnd, saveChapterFiles, saveResult } from './download';
import { engineLink } from './link';
import { requestFetch } from './fetches';
import { t, text } from '@/lib/core/i18n';

/**
 * The background's side of a join: the job's state machine in storage.session (running → done,
 * failed or canceled), the badge, and handing the result to the downloads. Service worker
 * (Chrome), background page (Firefox).
 */

/**
 * Job state is read, changed and written back; a late progress message must not overwrite a
 * finished job, so every change runs one after another.
 */
let chain: Promise<unknown> = Promise.resolve();
function serial<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => {
    const run = chain.then(() => fn(...args));
    chain = run.catch(() => undefined);
    return run;
  };
}

export const startJoin = serial(() => startJoinNow());
export const onJobProgress = serial((p: JobProgress) => onJobProgressNow(p));
export const onJobDone = serial((r: JobResult) => onJobDoneNow(r));
export const onJobFailed = serial((jobId: string, error: SeamErrorData) => failJob(jobId, error));
export const cancelJoin = serial((jobId: string) => cancelJoinNow(jobId));
/**
 * A join cut off from outside is told as such: one marked running whose engine is gone (the
 * engine's process crashed or ran out of memory), or one the browser closed on (storage.session
 * is empty after a relaunch; storage.local remembers it). Run when the background starts and
 * whenever a page opens; serial, so a join being started is never taken for a lost one.
 */
export const recoverJob = serial(() => recoverJobNow());

/** Why a join stopped, completing "The join stopped because …". */
const ENGINE_GONE = text('errors.engineGone');
/**
 * Why a join left in flight when the background was gone (storage.session emptied) stopped:
 * Seam cannot tell a closed browser from a crashed extension process afterwards, so it says both.
 */
const SEAM_CLOSED = text('errors.seamClosed');

/** What every state of a job keeps: which join it is. */
function jobBase(job: JobState): JobInFlight {
  const { id, trackIds, format, fileName, startedAt } = job;
  return { id, trackIds, format, fileName, startedAt };
}

/** Writes a finished job (done, failed, canceled): it is no longer in flight. */
async function finish(state: JobState): Promise<void> {
  await jobState.setValue(state);
  await jobInFlight.setValue(null);
}

async function startJoinNow(): Promise<{ jobId: string }> {
  const jobId = crypto.randomUUID();
  const current = await jobState.getValue();
  if (isRunning(current)) return { jobId: current.id };
  const output = await outputSettings.getValue();
  const prefs = await preferences.getValue();
  const tags = await outputTags.getValue();
  const tracks = await listTracks();
  const startedAt = Date.now();
  const base: JobInFlight = {
    id: jobId,
    trackIds: tracks.map((t) => t.id),
    format: output.format,
    // Fixed now, from what the join is asked with: the file is named as its tag is written.
    fileName: outputFileName(
      tracks[0]?.name ?? 'Seam join',
      tracks.length,
      formatSpec(output.format).extension,
      prefs.fileNameTemplate,
      new Date(startedAt),
      tags.title,
      t('output.untitledName'),
    ),
    startedAt,
  };
  const fail = async (err: SeamError) => {
    await jobState.setValue({
      ...base,
      status: 'failed',
      error: err.toData(),
      finishedAt: Date.now(),
    });
    return { jobId };
  };
  if (tracks.length === 0) return fail(new NothingToJoinError());
  const bad = tracks.find((t) => t.status === 'error');
  if (bad?.error) {
    return fail(
      new JoinFailedError(text('errors.removeToJoin', bad.error.text ?? bad.error.message), {
        id: bad.id,
        name: bad.name,
      }),
    );
  }
  await jobState.setValue({
    ...base,
    status: 'running',
    phase: 'starting',
    percent: 0,
    lossless: false,
  });
  await jobInFlight.setValue(base);
  void showProgress(0);
  try {
    const options = joinOptions(prefs, tags);
    // Page audio still arriving is waited for by the engine: it is asked for (again) first, so
    // the engine knows of every download the join waits for (one under way is not restarted).
    await requestFetch(tracks.filter((t) => t.status === 'fetching').map((t) => t.id));
    await engineLink().join({ jobId, trackIds: base.trackIds, output, options });
  } catch (err) {
    await failJob(jobId, toErrorData(err, 'engine-failed'));
  }
  return { jobId };
}

async function onJobProgressNow(p: JobProgress): Promise<void> {
  const job = await jobState.getValue();
  if (!isRunning(job) || job.id !== p.jobId) return;
  if (job.phase === p.phase && job.percent === p.percent) return;
  await jobState.setValue({ ...job, phase: p.phase, percent: p.percent, lossless: p.lossless });
  void showProgress(p.percent);
}

async function onJobDoneNow(r: JobResult): Promise<void> {
  const job = await jobState.getValue();
  if (!isRunning(job) || job.id !== r.jobId) {
    // Canceled meanwhile: the result is not wanted.
    await engineLink().release(r.url);
    return;
  }
  // Only a file the engine made inside the extension is saved: never a URL of a site, which
  // the downloads API would fetch with the site's cookies.
  if (!isOwnBlobUrl(r.url, browser.runtime.getURL('/'))) {
    await failJob(r.jobId, new EngineFailedError(text('errors.foreignResult')).toData());
    return;
  }
  const prefs = await preferences.getValue();
  const fileName = job.fileName;
  let downloadId: number;
  try {
    downloadId = await saveResult(r.url, fileName, prefs.askWhereToSave);
  } catch (err) {
    await failJob(r.jobId, toErrorData(err));
    return;
  }
  const chapterFiles: { chapterFiles?: string[]; chapterFilesError?: string } = {};
  if (r.chapterFiles) {
    const { chapters, title, artist } = r.chapterFiles;
    const base = fileName.replace(/^.*\//, '');
    try {
      chapterFiles.chapterFiles = await saveChapterFiles(fileName, [
        { kind: 'cue', text: chaptersCue(chapters, base, { title, artist }) },
        { kind: 'txt', text: chaptersText(chapters) },
        { kind: 'json', text: chaptersJson(chapters) },
      ]);
    } catch (err) {
      // The joined file is saved: the job is done, and the missing chapter file is said.
      chapterFiles.chapterFilesError = toErrorData(err).message;
    }
  }
  const done: JobState = {
    ...jobBase(job),
    status: 'done',
    bytes: r.bytes,
    downloadId,
    resultUrl: r.url,
    finishedAt: Date.now(),
    lossless: r.lossless,
    ...(r.heapPeakBytes !== undefined ? { heapPeakBytes: r.heapPeakBytes } : {}),
    ...(r.parts !== undefined ? { parts: r.parts } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...chapterFiles,
  };
  await finish(done);
  // The queue stays by default, so a second format or a fix is one click away. When it is
  // cleared, only this job's tracks go: tracks added while it ran wait for the next join.
  if (!prefs.keepQueueAfterJoin) await removeTracks(job.trackIds);
  void showQueue(await listTracks());
}

async function failJob(jobId: string, error: SeamErrorData): Promise<void> {
  const job = await jobState.getValue();
  if (!job || job.id !== jobId || job.status !== 'running') return;
  const base = jobBase(job);
  const finishedAt = Date.now();
  if (error.code === 'join-canceled') {
    await finish({ ...base, status: 'canceled', finishedAt });
    void showQueue(await listTracks());
  } else {
    await finish({ ...base, status: 'failed', error, finishedAt });
    // A join cut off from outside says so in the page; the badge goes back to the queue.
    if (error.code === 'job-interrupted') void showQueue(await listTracks());
    else void showFailed();
  }
}

async function cancelJoinNow(jobId: string): Promise<void> {
  const job = await jobState.getValue();
  if (!isRunning(job) || job.id !== jobId) return;
  await engineLink().cancel(jobId);
  await failJob(jobId, new JoinCanceledError().toData());
}

/** A download ended: release its blob: URL in the engine's host. */
export function onDownloadChanged(delta: {
  id: number;
  state?: { current?: string };
}): Promise<void> {
  return releaseOnEnd(delta, async (downloadId) => {
    // The service worker may have restarted since: the job record still knows the URL.
    const job = await jobState.getValue();
    return job?.status === 'done' && job.downloadId === downloadId ? job.resultUrl : undefined;
  });
}

/**
 * The engine has nothing to do. Free it soon; at once after a cancel or failure. Serial: the
 * engine says so while a Cancel may still be waiting for its answer, and only once the job is
 * written as canceled does it read as one (else the engine stays loaded until a timer in a
 * service worker that may be gone by then).
 */
export const onEngineIdle = serial(async (): Promise<void> => {
  const job = await jobState.getValue();
  engineLink().idle(!!job && job.status !== 'done' && job.status !== 'running');
});

async function recoverJobNow(): Promise<void> {
  const job = await jobState.getValue();
  const marked = await jobInFlight.getValue();
  if (isRunning(job)) {
    if (await engineLink().orphaned()) {
      await failJob(job.id, JobInterruptedError.because(ENGINE_GONE).toData());
    }
    return;
  }
  if (!marked) return;
  if (job?.id === marked.id) {
    // It finished, but the background stopped before the marker was cleared.
    await jobInFlight.setValue(null);
    return;
  }
  await finish({
    ...marked,
    status: 'failed',
    error: JobInterruptedError.because(SEAM_CLOSED).toData(),
    finishedAt: Date.now(),
  });
  void showQueue(await listTracks());
}

export async function refreshBadge(): Promise<void> {
  const job = await jobState.getValue();
  if (isRunning(job)) return;
  await showQueue(await listTracks());
}

/** The job events, for an engine host in this same context (Firefox's background page). */
export const localJobEvents: JobEvents = {
  progress: (p) => void onJobProgress(p),
  done: (r) => onJobDone(r),
  failed: (r) => onJobFailed(r.jobId, r.error),
  idle: () => void onEngineIdle(),
};
