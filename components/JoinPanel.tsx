import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { canRetry, describeError } from '@/lib/core/errors';
import type { Alert } from '@/lib/queue/alerts';
import { formatBytes, formatTimeLeft } from '@/lib/core/text';
import type { JobState } from '@/lib/core/job';
import type { JoinSummary } from '@/lib/plan/summary';
import { useBarHeight, useTimeLeft } from '@/components/hooks/ui';
import { render, t } from '@/lib/core/i18n';
import { fill, SLOT } from './slot';

const PHASES = {
  starting: 'join.phase.starting',
  downloading: 'join.phase.downloading',
  probing: 'join.phase.probing',
  loading: 'join.phase.loading',
  reading: 'join.phase.reading',
  joining: 'join.phase.joining',
  finishing: 'join.phase.finishing',
  saving: 'join.phase.saving',
} as const;

/**
 * The Join bar, fixed at the bottom of the popup and of the options page so Join, its progress
 * and its result are always in view: what the join will do in one short line (lossless or why
 * not, length, size, the file's name) with Details on demand (every line of the plan, the
 * settings the join uses, Reset to defaults), then Join (or why not yet), progress with time
 * left, the result, and the alerts of failed actions.
 */
export function JoinPanel(props: {
  job: JobState | null;
  /** False once the failure is settled (its track was removed). */
  showFailure: boolean;
  /** False once the queue changed after the join the result is about. */
  showResult: boolean;
  /** Tracks of the saved join found damaged after it copied them (the file carries it). */
  carried: readonly string[];
  /** Undefined while a join runs. */
  summary: JoinSummary | undefined;
  hasTracks: boolean;
  /** The next join's settings in short phrases, and whether all are at their defaults. */
  next: { parts: string[]; atDefaults: boolean };
  fileName: string;
  /** Failed actions on this page (add, move, join, ...), each shown until it is fixed. */
  alerts: readonly Alert[];
  /** The popup's format and bitrate, drawn beside Join (above the progress while it runs). */
  children?: ComponentChildren;
  onJoin: () => void;
  onCancel: (jobId: string) => void;
  onShowInFolder: (downloadId: number) => void;
  onReset: () => void;
  onRemoveFailed: () => void;
}) {
  const { job, summary } = props;
  const running = job?.status === 'running';
  const bar = useRef<HTMLElement>(null);
  const [open, setOpen] = useState(false);
  useBarHeight(bar);
  const left = useTimeLeft(job);
  const blocked = summary?.blocked;
  const canJoin = !running && props.hasTracks && !blocked;
  // Every stage has its own number (lib/plan/progress.ts): reading counts the tracks ffmpeg has
  // opened, finishing the steps (and joins closed) after the audio's last second. Starting,
  // loading the engine and reading before the first track is open say what they do rather
  // than "0%".
  const wordsOnly =
    running &&
    job.percent === 0 &&
    (job.phase === 'starting' ||
      job.phase === 'probing' ||
      job.phase === 'loading' ||
      job.phase === 'reading');
  const phase = running ? t(PHASES[job.phase]) : '';
  const percent = running ? `${job.percent}` : '';

  const [head, ...more] = summary?.lines ?? [];

  return (
    <section class="join" aria-label={t('join.region')} ref={bar}>
      {running && props.children}
      {/* One short line about what Join will do; the plan's reasons and the next join's settings
          on demand, so the bar leaves the list in view. Nothing about a next join while one runs. */}
      {!running && props.hasTracks && (
        <div class={open ? 'headline open' : 'headline'}>
          <div class="headline-row">
            {head !== undefined && (
              <p class="plan-line" title={open ? undefined : head}>
                {head}
              </p>
            )}
            <button
              type="button"
              class="link details-toggle"
              aria-expanded={open}
              aria-controls="join-details"
              onClick={() => setOpen(!open)}
            >
              {t('join.details')}
            </button>
          </div>
          <p class="sums" title={props.fileName}>
            {summary?.totals && <span class="totals">{summary.totals} · </span>}
            <span class="saved-as">
              {fill(t('join.savedAs', SLOT), <strong class="file-name">{props.fileName}</strong>)}
            </span>
          </p>
          {open && (
            <div id="join-details" class="details">
              {more.length > 0 && (
                <ul class="plan">
                  {more.map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              )}
              <p class="next">
                <span>
                  {fill(
                    t('join.nextJoin', props.next.parts.join(' · '), SLOT),
                    <strong class="file-name">{props.fileName}</strong>,
                  )}
                </span>{' '}
                {!props.next.atDefaults && (
                  <button type="button" class="link" onClick={props.onReset}>
                    {t('join.resetDefaults')}
                  </button>
                )}
              </p>
            </div>
          )}
        </div>
      )}
      {running ? (
        <div class="progress-row">
          <div
            class="progress"
            role="progressbar"
            aria-label={t('join.progress')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={job.percent}
            aria-valuetext={
              wordsOnly
                ? phase
                : left !== undefined
                  ? t('join.progressTextLeft', phase, percent, formatTimeLeft(left))
                  : t('join.progressText', phase, percent)
            }
          >
            <div class="bar" style={{ width: `${job.percent}%` }} />
          </div>
          <span class="percent">
            {wordsOnly ? phase : t('join.phasePercent', phase, percent)}
            {left !== undefined && <span class="left"> · {formatTimeLeft(left)}</span>}
          </span>
          <button type="button" onClick={() => props.onCancel(job.id)}>
            {t('join.cancel')}
          </button>
        </div>
      ) : (
        <div class="join-row">
          {props.children}
          <button
            type="button"
            class="primary join-button"
            disabled={!canJoin}
            aria-describedby={blocked ? 'join-blocked' : undefined}
            onClick={props.onJoin}
          >
            {t('join.join')}
          </button>
          {blocked && props.hasTracks && (
            <span class="blocked" id="join-blocked">
              {blocked}
            </span>
          )}
          {summary && summary.failed > 0 && (
            <button type="button" onClick={props.onRemoveFailed}>
              {t('join.removeFailed')}
            </button>
          )}
        </div>
      )}
      {job?.status === 'done' && props.showResult && (
        <p class="result" role="status">
          {fill(
            t(job.lossless ? 'join.savedLossless' : 'join.saved', SLOT, formatBytes(job.bytes)),
            <strong>{job.fileName}</strong>,
          )}{' '}
          {job.downloadId !== undefined && (
            <button
              type="button"
              class="link"
              onClick={() => props.onShowInFolder(job.downloadId!)}
            >
              {t('join.showInFolder')}
            </button>
          )}
          {job.chapterFiles && job.chapterFiles.length > 0 && (
            <> {t('join.chapterFilesSaved', job.chapterFiles.join(', '))}</>
          )}
          {job.note && <> {render(job.note)}</>}
          {props.carried.length > 0 && (
            <>
              {' '}
              {t(
                job.lossless ? 'join.carriedDamage' : 'join.decodedDamage',
                props.carried.join(', '),
              )}
            </>
          )}
        </p>
      )}
      {job?.status === 'done' && props.showResult && job.chapterFilesError && (
        <p class="alert" role="alert">
          {job.chapterFilesError}
        </p>
      )}
      {job?.status === 'canceled' && props.showResult && (
        <p class="result" role="status">
          {t('join.canceled')}
        </p>
      )}
      {job?.status === 'failed' &&
        props.showFailure &&
        (job.error.code === 'job-interrupted' ? (
          // Cut off from outside (a crash, the browser closing): the message says why, and the
          // queue is intact, so the same join is one click away.
          <p class="alert" role="alert">
            {describeError(job.error)}{' '}
            <button type="button" class="link" onClick={props.onJoin}>
              {t('join.retry')}
            </button>
          </p>
        ) : (
          <p class="alert" role="alert">
            {t('join.failed', describeError(job.error))}
            {canRetry(job.error) && (
              // The engine failed in a step of its own, not on a track: the same join may work.
              <>
                {' '}
                <button type="button" class="link" onClick={props.onJoin}>
                  {t('join.retry')}
                </button>
              </>
            )}
          </p>
        ))}
      {props.alerts.map((a) => (
        <p key={a.action} class="alert" role="alert">
          {describeError(a.error)}
        </p>
      ))}
    </section>
  );
}
