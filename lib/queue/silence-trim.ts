/**
 * "Trim silence at start and end", for one track or every track: the silence at each end is
 * found on the track's decoded level (./waveform.ts `loadEdgeLevels`, ./silence.ts) and set as
 * the track's ordinary trim, which the waveform shows and the person can adjust. An end without
 * silence keeps the trim it had. Options page only (it decodes audio).
 */
import { SeamError } from '@/lib/core/errors';
import { t, text, textN, tn } from '@/lib/core/i18n';
import type { Track, Transition } from '@/lib/core/track';
import { formatSeconds } from '@/lib/core/text';
import { editTrack } from './actions';
import { notify } from './notices';
import { edgeSilenceTrim, type SilenceOptions } from '@/lib/editor/silence';
import { loadEdgeLevels } from '@/lib/editor/waveform';

/**
 * Trims the silence at the ends of `tracks` (those ready). Says in a notice how many were
 * trimmed; throws, naming them, when some could not be decoded.
 */
export async function trimSilence(
  tracks: readonly Track[],
  opts: SilenceOptions,
  defaultTransition: Transition,
): Promise<void> {
  const ready = tracks.filter((t) => t.status === 'ready' && t.info);
  let trimmed = 0;
  const failed: { track: Track; reason: string }[] = [];
  for (const t of ready) {
    const info = t.info!;
    let found: { startSec: number; endSec?: number };
    try {
      const levels = await loadEdgeLevels({
        id: t.id,
        size: t.size,
        codec: info.codec,
        durationSec: info.durationSec,
        sampleRate: info.sampleRate,
        channels: info.channels,
      });
      found = edgeSilenceTrim(levels, opts);
    } catch (err) {
      failed.push({ track: t, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    if (found.startSec === 0 && found.endSec === undefined) continue;
    trimmed++;
    await editTrack(
      t.id,
      {
        ...(found.startSec > 0 ? { startSec: found.startSec } : {}),
        ...(found.endSec !== undefined ? { endSec: found.endSec } : {}),
      },
      defaultTransition,
    );
  }
  const what = t('notices.silenceWhat', formatSeconds(opts.minSec), opts.thresholdDb);
  if (ready.length > 1 || trimmed === 0) {
    notify({
      text:
        trimmed > 0
          ? tn('notices.silenceTrimmed', ready.length, trimmed, what)
          : t(ready.length > 1 ? 'notices.noSilenceAny' : 'notices.noSilence', what),
    });
  }
  if (failed.length > 0) {
    const [first] = failed;
    throw new SeamError(
      'unsupported-audio',
      failed.length === 1
        ? text('errors.silenceFailed', first!.reason)
        : textN(
            'errors.silenceFailedMany',
            failed.length,
            failed.map((f) => f.track.name).join(', '),
            first!.reason,
          ),
      failed.length === 1 ? first!.track : undefined,
    );
  }
}
