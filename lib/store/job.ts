import { storage } from '#imports';
import type { JobState } from '@/lib/core/job';

/** The current (or last) join, in storage.session: a popup opened later re-attaches to it. */
export const jobState = storage.defineItem<JobState | null>('session:job', { fallback: null });
