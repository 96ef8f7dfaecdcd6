import { describeError } from '@/lib/core/errors';
import type { Alert } from '@/lib/queue/alerts';
import { formatBytes } from '@/lib/core/text';
import type { JobState } from '@/lib/core/job';

const PHASES = {
  starting: 'Starting',
  loading: 'Loading the engine',
  reading: 'Reading tracks',
  joining: 'Joining',
  saving: 'Saving',
} as const;

export function JoinPanel(props: {
  job: JobState | null;
  /** False once the failure is settled (its track was removed). */
  showFailure: boolean;
  canJoin: boolean;
  summary: string;
  /** Failed actions on this page (add, move, join, ...), each shown until it is fixed. */
  alerts: readonly Alert[];
  onJoin: () => void;
  onCancel: (jobId: string) => void;
  onShowInFolder: (downloadId: number) => void;
}) {
  const { job } = props;
  const running = job?.status === 'running';
  return (
    <div class="join">
      {props.summary && <p class="plan">{props.summary}</p>}
      {running ? (
        <div class="progress-row">
          <div
            class="progress"
            role="progressbar"
            aria-label="Join progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={job.percent}
            aria-valuetext={`${PHASES[job.phase]}: ${job.percent}%`}
          >
            <div class="bar" style={{ width: `${job.percent}%` }} />
          </div>
          <span class="percent">
            {PHASES[job.phase]} {job.percent}%
          </span>
          <button type="button" onClick={() => props.onCancel(job.id)}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          class="primary join-button"
          disabled={!props.canJoin}
          onClick={props.onJoin}
        >
          Join
        </button>
      )}
      {job?.status === 'done' && (
        <p class="result" role="status">
          Saved <strong>{job.fileName}</strong> ({formatBytes(job.bytes)}
          {job.lossless ? ', lossless' : ''}).{' '}
          {job.downloadId !== undefined && (
            <button
              type="button"
              class="link"
              onClick={() => props.onShowInFolder(job.downloadId!)}
            >
              Show in folder
            </button>
          )}
        </p>
      )}
      {job?.status === 'canceled' && (
        <p class="result" role="status">
          Join canceled. The queue is as it was.
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
              Retry
            </button>
          </p>
        ) : (
          <p class="alert" role="alert">
            Join failed. {describeError(job.error)}
          </p>
        ))}
      {props.alerts.map((a) => (
        <p key={a.action} class="alert" role="alert">
          {describeError(a.error)}
        </p>
      ))}
    </div>
  );
}
