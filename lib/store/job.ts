import { storage } from '#imports';
import type { JobInFlight, JobState } from '@/lib/core/job';

/** The current (or last) join, in storage.session: a popup opened later re-attaches to it. */
export const jobState = storage.defineItem<JobState | null>('session:job', { fallback: null });

/**
 * The running join, also in storage.local while it runs: storage.session is emptied when the
 * browser closes, and this is how a join cut off by that is told about after a relaunch.
 */
export const jobInFlight = storage.defineItem<JobInFlight | null>('local:jobInFlight', {
  fallback: null,
});
