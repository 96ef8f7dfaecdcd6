import { storage } from '#imports';
import type { SeamErrorData } from './errors';
import type { FormatId } from './formats';
import type { OutputSettings } from './settings';

/** Where a running job is. */
export type JobPhase = 'starting' | 'loading' | 'reading' | 'joining' | 'saving';

interface JobBase {
  id: string;
  trackIds: string[];
  format: FormatId;
  startedAt: number;
}

/** The current (or last) join. It lives in storage.session so a reopened popup re-attaches. */
export type JobState =
  | (JobBase & { status: 'running'; phase: JobPhase; percent: number; lossless: boolean })
  | (JobBase & {
      status: 'done';
      fileName: string;
      bytes: number;
      downloadId?: number;
      finishedAt: number;
      lossless: boolean;
    })
  | (JobBase & { status: 'failed'; error: SeamErrorData; finishedAt: number })
  | (JobBase & { status: 'canceled'; finishedAt: number });

export const jobState = storage.defineItem<JobState | null>('session:job', { fallback: null });

/** What the offscreen document needs to run a join. */
export interface JoinRequest {
  jobId: string;
  trackIds: string[];
  output: OutputSettings;
}

export function isRunning(job: JobState | null): job is Extract<JobState, { status: 'running' }> {
  return job?.status === 'running';
}
