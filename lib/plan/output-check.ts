/**
 * The check after an ffmpeg join: the output must hold the audio the plan promised. A track that
 * decodes to nothing, or a stream copy that lost its audio, would otherwise be reported as saved
 * (an M4A of 980 bytes with no audio stream, an MP3 that is only its tag). Pure.
 */
import { OutputTooShortError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { formatLength } from '@/lib/core/text';

/**
 * Slack below the planned length: encoders and stream copies round to their frames (and add
 * priming, which only lengthens), ffmpeg prints time= to the hundredth.
 */
const SHORT_SLACK_SEC = 0.5;
const SHORT_SLACK_FRACTION = 0.002;

/**
 * Throws OutputTooShortError when `writtenSec` (ffmpeg's last `time=`, the output's length) is
 * short of `plan.totalSec` by more than the slack. Undefined `writtenSec` (ffmpeg printed no
 * time) checks nothing.
 */
export function checkOutputLength(
  plan: { totalSec: number },
  writtenSec: number | undefined,
): void {
  if (writtenSec === undefined || !(plan.totalSec > 0)) return;
  const slack = Math.max(SHORT_SLACK_SEC, plan.totalSec * SHORT_SLACK_FRACTION);
  if (writtenSec >= plan.totalSec - slack) return;
  throw new OutputTooShortError(
    text('errors.outputShort', formatLength(writtenSec), formatLength(plan.totalSec)),
  );
}
