import { planJoin, type PlanOptions } from './planner';
import type { OutputSettings } from '@/lib/core/settings';
import type { Track } from '@/lib/core/track';

/** What Join will do, said before it is pressed: lossless or why not, or what is still pending. */
export function planSummary(
  tracks: readonly Track[],
  output: OutputSettings,
  opts: PlanOptions = {},
): string {
  if (tracks.length === 0) return '';
  const bad = tracks.filter((t) => t.status === 'error');
  if (bad.length > 0) {
    return `${bad.length === 1 ? '1 track has' : `${bad.length} tracks have`} a problem: remove ${bad.length === 1 ? 'it' : 'them'} to join the rest.`;
  }
  const pending = tracks.filter((t) => t.status !== 'ready' || !t.info);
  if (pending.length > 0) return `Checking ${pending.length} of ${tracks.length} tracks…`;
  try {
    const plan = planJoin(
      tracks.map((t) => ({ id: t.id, name: t.name, info: t.info!, edit: t.edit })),
      output,
      opts,
    );
    // Long tracks are listed first and decoded to their end in the background.
    const checking = tracks.flatMap((t, i) => (t.info?.decoded === false ? [i + 1] : []));
    if (checking.length === 0) return plan.summary;
    const which =
      checking.length === 1
        ? `Track ${checking[0]} is`
        : `Tracks ${checking.slice(0, -1).join(', ')} and ${checking[checking.length - 1]} are`;
    return `${plan.summary} ${which} still being checked to the end; Join waits for that.`;
  } catch (err) {
    // A trim that leaves nothing: say which track, as Join would.
    const e = err as { trackName?: string; message?: string };
    return `${e.trackName ? `${e.trackName} ` : ''}${e.message ?? String(err)}`;
  }
}
