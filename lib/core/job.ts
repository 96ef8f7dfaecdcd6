import type { SeamErrorData } from './errors';
import type { FormatId } from './formats';
import type { Text } from './i18n';
import type { Track } from './track';

/** A join's state as the person sees it. Pure; the stored item is lib/store/job.ts. */

/** Where a running job is ('downloading': waiting for page audio still arriving). */
export type JobPhase =
  | 'starting'
  | 'downloading'
  | 'probing'
  | 'loading'
  | 'reading'
  | 'joining'
  | 'finishing'
  | 'saving';

interface JobBase {
  id: string;
  trackIds: string[];
  format: FormatId;
  /**
   * The saved file's name, fixed when Join was pressed (from the tracks, the name template and
   * the title then): a title edited during a long join names neither the file nor its tag.
   */
  fileName: string;
  startedAt: number;
}

/** What is remembered of a running join across a browser restart (lib/store/job.ts). */
export type JobInFlight = JobBase;

/** The current (or last) join. It lives in storage.session so a reopened popup re-attaches. */
export type JobState =
  | (JobBase & { status: 'running'; phase: JobPhase; percent: number; lossless: boolean })
  | (JobBase & {
      status: 'done';
      bytes: number;
      downloadId?: number;
      /** The result's blob: URL, released when the download ends (kept here across SW restarts). */
      resultUrl?: string;
      finishedAt: number;
      lossless: boolean;
      /** The largest ffmpeg.wasm's heap grew during the join, bytes (absent: no ffmpeg run). */
      heapPeakBytes?: number;
      /** Segments encoded at once by as many engines (absent: one engine). */
      parts?: number;
      /** What happened at the joins when it differs from the plan's line (JobResult.note). */
      note?: Text;
      /** Chapter files saved beside it, by name (when asked for). */
      chapterFiles?: string[];
      /** Why the chapter files asked for were not all saved (the joined file was). */
      chapterFilesError?: string;
    })
  | (JobBase & { status: 'failed'; error: SeamErrorData; finishedAt: number })
  | (JobBase & { status: 'canceled'; finishedAt: number });

export function isRunning(job: JobState | null): job is Extract<JobState, { status: 'running' }> {
  return job?.status === 'running';
}

/**
 * Whether a failed join's alert still says something true. It belongs to the queue it was
 * about: a failure about a track the person has since removed is settled (the next Join will not
 * meet it), and once the queue holds other tracks (Clear all, new files) the failure is about a
 * queue that is gone. Moves and edits of the same tracks keep it (the same join may fail again).
 */
export function failureStillRelevant(job: JobState | null, queuedIds: readonly string[]): boolean {
  if (job?.status !== 'failed') return false;
  if (job.error.trackId !== undefined && !queuedIds.includes(job.error.trackId)) return false;
  const joined = new Set(job.trackIds);
  return queuedIds.length === joined.size && queuedIds.every((id) => joined.has(id));
}

/**
 * Whether a finished join's "Saved …" line still describes the queue: it does while the queue
 * holds the tracks that were joined, in that order, or is empty (cleared after the join). Once
 * tracks are added, removed or moved, the line belongs to a queue that is gone.
 */
export function resultStillRelevant(job: JobState | null, queuedIds: readonly string[]): boolean {
  if (job?.status !== 'done' && job?.status !== 'canceled') return false;
  if (queuedIds.length === 0) return true;
  return (
    queuedIds.length === job.trackIds.length && queuedIds.every((id, i) => job.trackIds[i] === id)
  );
}

/**
 * A track's error says it was found damaged after a join had used it (its decode check ran
 * beside the join or after it: lib/engine/host.ts): a copy carries the damage as it was, a
 * re-encode what its decoder made of it.
 */
export function isCarried(key: string | undefined): boolean {
  return key === 'errors.carriedAsItWas' || key === 'errors.decodedAsRead';
}

/**
 * The tracks of a finished join that were found damaged after it had used them, by name, in
 * the join's order: the saved line says what the joined file holds of the damage.
 */
export function carriedDamage(job: JobState | null, tracks: readonly Track[]): string[] {
  if (job?.status !== 'done') return [];
  return job.trackIds.flatMap((id) => {
    const t = tracks.find((x) => x.id === id);
    return t?.status === 'error' && isCarried(t.error?.text?.key) ? [t.name] : [];
  });
}
