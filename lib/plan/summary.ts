import { planJoin, type PlanOptions } from './planner';
import { defaultOutput, type OutputSettings } from '@/lib/core/settings';
import type { Track } from '@/lib/core/track';
import { parallelJoin } from '@/lib/segments/decide';

/**
 * What Join will do, said before it is pressed: lossless or why not, or what is still pending;
 * and when the engines will encode it in parts at once (`cores`: navigator.hardwareConcurrency).
 */
export function planSummary(
  tracks: readonly Track[],
  output: OutputSettings,
  opts: PlanOptions = {},
  cores = 1,
): string {
  if (tracks.length === 0) return '';
  const bad = tracks.filter((t) => t.status === 'error');
  if (bad.length > 0) {
    return `${bad.length === 1 ? '1 track has' : `${bad.length} tracks have`} a problem: remove ${bad.length === 1 ? 'it' : 'them'} to join the rest.`;
  }
  const pending = tracks.filter((t) => t.status !== 'ready' || !t.info);
  if (pending.length > 0) return `Checking ${pending.length} of ${tracks.length} tracks…`;
  try {
    const planTracks = tracks.map((t) => ({ id: t.id, name: t.name, info: t.info!, edit: t.edit }));
    const plan = planJoin(planTracks, output, opts);
    const parallel = parallelJoin(plan, planTracks, { ...defaultOutput, ...output }, cores);
    const parts = parallel?.segments.segments.length;
    return parts ? `${plan.summary} Encoding in ${parts} parts at once.` : plan.summary;
  } catch (err) {
    // A trim that leaves nothing: say which track, as Join would.
    const e = err as { trackName?: string; message?: string };
    return `${e.trackName ? `${e.trackName} ` : ''}${e.message ?? String(err)}`;
  }
}
