/** A track's edit as the editor reads and writes it (kept small: the popup's actions use it). */
import { DEFAULT_EDIT, type TrackEdit, type Transition } from '@/lib/core/track';
import type { Track } from '@/lib/core/track';

/**
 * A track's edit with defaults filled in. A track that was never edited takes the default
 * transition from the settings; one that was edited keeps the transition stored with it.
 */
export function effectiveEdit(
  track: Pick<Track, 'edit'>,
  defaultTransition: Transition,
): TrackEdit {
  return track.edit ?? { ...DEFAULT_EDIT, transitionAfter: defaultTransition };
}

/**
 * The edit to store after changing part of it. The first edit of a track writes down the
 * transition it had by default, so trimming a track never changes how it joins the next.
 */
export function patchEdit(
  track: Pick<Track, 'edit'>,
  patch: Partial<TrackEdit>,
  defaultTransition: Transition,
): TrackEdit {
  const next: TrackEdit = { ...effectiveEdit(track, defaultTransition), ...patch };
  // Optional fields are left out rather than stored as undefined.
  if (next.endSec === undefined) delete next.endSec;
  if (next.chapterTitle === undefined || next.chapterTitle === '') delete next.chapterTitle;
  if (!next.chapters || next.chapters.length === 0) delete next.chapters;
  return next;
}
