import type { Track } from '@/lib/core/track';
import { TrackItem, type TrackActions } from './TrackItem';

export function TrackList(props: { tracks: Track[]; locked: boolean } & TrackActions) {
  const { tracks } = props;
  if (tracks.length === 0) {
    return (
      <p class="empty">
        No tracks yet. Add audio files or drop them here; they stay on this computer.
      </p>
    );
  }
  return (
    <ol class="tracks" aria-label="Tracks">
      {tracks.map((t, i) => (
        <TrackItem
          key={t.id}
          track={t}
          first={i === 0}
          last={i === tracks.length - 1}
          locked={props.locked}
          onMoveUp={props.onMoveUp}
          onMoveDown={props.onMoveDown}
          onRemove={props.onRemove}
        />
      ))}
    </ol>
  );
}
