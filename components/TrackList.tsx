import { useRef } from 'preact/hooks';
import type { Track } from '@/lib/core/track';
import { useRovingRows } from '@/components/hooks/roving';
import { usePreferences } from '@/components/hooks/store';
import { timeline } from '@/lib/editor/timeline';
import * as actions from '@/lib/queue/actions';
import { run } from '@/lib/queue/alerts';
import { JunctionPicker } from './JunctionPicker';
import { useReorder } from './Reorder';
import { TrackItem, type TrackActions, type TrackSelection } from './TrackItem';
import { t } from '@/lib/core/i18n';

/**
 * The popup's queue: one row per track, one Tab stop for the whole list (arrows move in it); a
 * Reorder handle moves a row by drag and drop or by keyboard, as in the editor. Between two
 * rows, one control sets the transition (the same stored edit the editor changes).
 */
export function TrackList(
  props: { tracks: Track[]; locked: boolean; selection: TrackSelection } & TrackActions,
) {
  const { tracks } = props;
  const list = useRef<HTMLOListElement>(null);
  const reorder = useReorder(list, tracks, props.locked);
  const [prefs] = usePreferences();
  useRovingRows(list, tracks.map((t) => `${t.id}:${t.status}`).join());
  if (tracks.length === 0) return <EmptyQueue />;
  const defaultTransition = prefs.defaultTransition;
  const line = timeline(tracks, defaultTransition);
  return (
    <>
      <ol
        ref={list}
        class={reorder.dragging ? 'tracks dragging' : 'tracks'}
        aria-label={t('list.label')}
        aria-describedby="tracks-help"
      >
        {tracks.map((t, i) => {
          const next = tracks[i + 1];
          const junction = line.junctions[i];
          // A broken track gets no transition either side: it will not be joined.
          const seam = next && junction && t.status !== 'error' && next.status !== 'error';
          return (
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
              after={
                seam ? (
                  <JunctionPicker
                    junction={junction}
                    before={t.name}
                    after={next.name}
                    defaultTransition={defaultTransition}
                    locked={props.locked}
                    onChange={(update) =>
                      void run('edit', () =>
                        actions.editTrack(
                          t.id,
                          (cur) => ({ transitionAfter: update(cur.transitionAfter) }),
                          defaultTransition,
                        ),
                      )
                    }
                  />
                ) : undefined
              }
            />
          );
        })}
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
