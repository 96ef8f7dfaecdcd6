/**
 * "Keep what plays": a file cut short of which some audio decodes (the decode check says how
 * much: SeamErrorData.kept) may be joined for that much. Keeping it marks the track ready with
 * its decoded length and a trim that ends there, so the planner simply trims. Pure.
 */
import type { KeptLength } from '@/lib/core/errors';
import type { Track, Transition } from '@/lib/core/track';
import { patchEdit } from './edit';

/** Trims are stored to the hundredth of a second: the end goes down to one, never past the audio. */
function floorHundredth(sec: number): number {
  return Number((Math.floor(sec * 100 + 1e-6) / 100).toFixed(2));
}

/** How much of a failed track plays, when it is a file cut short that can be kept; else undefined. */
export function keepable(track: Pick<Track, 'status' | 'error' | 'info'>): KeptLength | undefined {
  const kept = track.error?.kept;
  if (track.status !== 'error' || track.error?.code !== 'truncated-audio' || !kept) return;
  if (!track.info || !(kept.decodedSec > 0) || !(kept.statedSec > kept.decodedSec)) return;
  return kept;
}

/**
 * The patch that keeps what plays of `track` (undefined when it cannot be kept): ready, no
 * error, its length the decoded one, its trim ending there (a Start past it goes back to 0).
 */
export function keepWhatPlays(
  track: Pick<Track, 'status' | 'error' | 'info' | 'edit'>,
  defaultTransition: Transition,
): Pick<Track, 'status' | 'error' | 'info' | 'edit'> | undefined {
  const kept = keepable(track);
  if (!kept || !track.info) return undefined;
  const info = {
    ...track.info,
    durationSec: kept.decodedSec,
    statedSec: kept.statedSec,
    decoded: true,
    kept: { decodedSec: kept.decodedSec, statedSec: kept.statedSec },
  };
  delete info.cutShort;
  const endSec = Math.min(track.edit?.endSec ?? Infinity, floorHundredth(kept.decodedSec));
  const startSec = (track.edit?.startSec ?? 0) < endSec ? (track.edit?.startSec ?? 0) : 0;
  return {
    status: 'ready',
    error: undefined,
    info,
    edit: patchEdit(track, { startSec, endSec }, defaultTransition),
  };
}
