import { useRef } from 'preact/hooks';
import type { Track } from '@/lib/core/track';
import { useRovingRows } from '@/components/hooks/roving';
import { useReorder } from './Reorder';
import { TrackItem, type TrackActions, type TrackSelection } from './TrackItem';
import { t } from '@/lib/core/i18n';

/**
 * The popup's queue: one row per track, one Tab stop for the whole list (arrows move in it); a
 * Reorder handle moves a row by drag and drop or by keyboard, as in the editor.
 */
export function TrackList(
  props: { tracks: Track[]; locked: boolean; selection: TrackSelection } & TrackActions,
) {
  const { tracks } = props;
  const list = useRef<HTMLOListElement>(null);
  const reorder = useReorder(list, tracks, props.locked);
  useRovingRows(list, tracks.map((t) => `${t.id}:${t.status}`).join());
  if (tracks.length === 0) return <EmptyQueue />;
  return (
    <>
      <ol
        ref={list}
        class={reorder.dragging ? 'tracks dragging' : 'tracks'}
        aria-label={t('list.label')}
        aria-describedby="tracks-help"
      >
        {tracks.map((t, i) => (
          <TrackItem
            key={t.id}
            track={t}
            first={i === 0}
            last={i === tracks.length - 1}
            locked={props.locked}
            class={reorder.rowClass(t, i)}
            handle={reorder.handle(t, i)}
            selection={props.selection}
            onMoveUp={props.onMoveUp}
            onMoveDown={props.onMoveDown}
            onRemove={props.onRemove}
          />
        ))}
      </ol>
      <ListHelp />
      {reorder.announcer}
    </>
  );
}

export function EmptyQueue() {
  return <p class="empty">{t('list.empty')}</p>;
}

/** What the list's keys do, for screen readers (aria-describedby="tracks-help"). */
export function ListHelp() {
  return (
    <p id="tracks-help" class="visually-hidden">
      {t('list.help')}
    </p>
  );
}
