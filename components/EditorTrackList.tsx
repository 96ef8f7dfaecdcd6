import { useEffect, useRef, useState } from 'preact/hooks';
import { effectiveEdit } from '@/lib/editor/edit';
import { timeline, transitionLabel, type Junction } from '@/lib/editor/timeline';
import { trimEnd, trimmedLength } from '@/lib/editor/trim';
import { previewAll, stopPlayback, type PreviewSide } from '@/lib/editor/player';
import { formatPreciseTime } from '@/lib/core/text';
import type { TrackEdit } from '@/lib/core/track';
import * as actions from '@/lib/queue/actions';
import { run } from '@/lib/queue/alerts';
import type { Track } from '@/lib/core/track';
import { usePreferences } from '@/components/hooks/store';
import { usePlayer } from '@/components/hooks/player';
import { useRovingRows } from '@/components/hooks/roving';
import { forgetPeaksExcept } from '@/lib/editor/waveform';
import { trimSilence } from '@/lib/queue/silence-trim';
import { Icon } from './Icon';
import { JunctionEditor } from './JunctionEditor';
import { useReorder } from './Reorder';
import { TrackEditor } from './TrackEditor';
import { TrackItem, type TrackActions, type TrackSelection } from './TrackItem';
import { EmptyQueue, ListHelp } from './TrackList';
import { t as tr } from '@/lib/core/i18n';

/** Lists this long or shorter open every card; longer ones start collapsed, one line a track. */
const OPEN_UP_TO = 5;

/**
 * The options page's queue as cards: a collapsed card is one line (name, what it is, its trim);
 * an open one shows its waveform, trims and chapter title, and the transition into the next
 * track. A Reorder handle moves a card by drag and drop or by keyboard; the whole list is one
 * Tab stop (arrow keys move between cards), so Join is a few key presses from the first track.
 */
export function EditorTrackList(
  props: { tracks: Track[]; locked: boolean; selection: TrackSelection } & TrackActions,
) {
  const { tracks, locked } = props;
  const [prefs] = usePreferences();
  const [open, setOpen] = useState<Readonly<Record<string, boolean>>>({});
  const list = useRef<HTMLOListElement>(null);
  const reorder = useReorder(list, tracks, locked);
  const player = usePlayer();
  const ids = tracks.map((t) => t.id);
  useRovingRows(list, tracks.map((t) => `${t.id}:${t.status}:${String(open[t.id])}`).join());

  useEffect(() => {
    void run('waveforms', () => forgetPeaksExcept(ids));
  }, [ids.join()]);

  if (tracks.length === 0) return <EmptyQueue />;

  const defaultTransition = prefs.defaultTransition;
  const line = timeline(tracks, defaultTransition);
  const collapsedByDefault = tracks.length > OPEN_UP_TO;
  const isOpen = (id: string) => open[id] ?? !collapsedByDefault;
  const allOpen = tracks.every((t) => isOpen(t.id));
  const broken = tracks.some((t) => t.status === 'error');
  const junctions = tracks.slice(0, -1).flatMap((t, i) => {
    const next = tracks[i + 1]!;
    const j = line.junctions[i];
    return ready(t) && ready(next) && j
      ? [{ a: side(t), b: side(next), transition: j.applied }]
      : [];
  });
  const canPreviewAll = !broken && junctions.length === tracks.length - 1 && junctions.length > 0;
  const previewingAll = player.kind === 'junction' && player.step !== undefined;

  const edit = (t: Track, patch: Partial<TrackEdit> | ((cur: TrackEdit) => Partial<TrackEdit>)) =>
    void run('edit', () => actions.editTrack(t.id, patch, defaultTransition));

  const toggle = (id: string) => setOpen({ ...open, [id]: !isOpen(id) });

  return (
    <>
      <div class="editor-tools">
        <button
          type="button"
          onClick={() => setOpen(Object.fromEntries(tracks.map((t) => [t.id, !allOpen])))}
        >
          {allOpen ? tr('editor.collapseAll') : tr('editor.expandAll')}
        </button>
        <button
          type="button"
          disabled={!canPreviewAll && !previewingAll}
          title={canPreviewAll ? tr('editor.previewJoinsHint') : undefined}
          onClick={() =>
            previewingAll ? stopPlayback() : void run('preview', () => previewAll(junctions))
          }
        >
          <Icon name={previewingAll ? 'stop' : 'play'} />{' '}
          {previewingAll ? tr('transition.stopPreview') : tr('editor.previewJoins')}
        </button>
        <button
          type="button"
          disabled={locked}
          title={tr('editor.trimSilenceAllTitle', prefs.silenceThresholdDb, prefs.silenceMinSec)}
          onClick={() =>
            void run('silence', () =>
              trimSilence(
                tracks,
                { thresholdDb: prefs.silenceThresholdDb, minSec: prefs.silenceMinSec },
                defaultTransition,
              ),
            )
          }
        >
          {tr('editor.trimSilenceAll')}
        </button>
        <span class="hint" aria-live="polite">
          {previewingAll && player.kind === 'junction' && player.step
            ? tr(
                'editor.junctionOf',
                player.step.index + 1,
                player.step.count,
                tracks[tracks.findIndex((x) => x.id === player.trackId) + 1]?.name ?? '',
              )
            : ''}
        </span>
      </div>
      <ol
        ref={list}
        class={`tracks editor${reorder.dragging ? ' dragging' : ''}`}
        aria-label={tr('list.label')}
        aria-describedby="tracks-help"
      >
        {tracks.map((t, i) => {
          const next = tracks[i + 1];
          const junction = line.junctions[i];
          const e = effectiveEdit(t, defaultTransition);
          const expanded = isOpen(t.id);
          // A broken track gets no transition either side: it will not be joined.
          const seam = next && junction && t.status !== 'error' && next.status !== 'error';
          return (
            <TrackItem
              key={t.id}
              track={t}
              first={i === 0}
              last={i === tracks.length - 1}
              locked={locked}
              class={reorder.rowClass(t, i)}
              selection={props.selection}
              expanded={expanded}
              onToggle={toggle}
              note={ready(t) ? trimNote(e, t.info.durationSec) : undefined}
              onMoveUp={props.onMoveUp}
              onMoveDown={props.onMoveDown}
              onRemove={props.onRemove}
              handle={reorder.handle(t, i)}
              after={
                seam && expanded ? (
                  <JunctionEditor
                    junction={junction}
                    sides={ready(t) && ready(next) ? [side(t), side(next)] : undefined}
                    nextName={next.name}
                    usesDefault={!t.edit}
                    defaultTransition={defaultTransition}
                    locked={locked}
                    onChange={(update) =>
                      edit(t, (cur) => ({ transitionAfter: update(cur.transitionAfter) }))
                    }
                  />
                ) : seam && (junction.applied.kind !== 'none' || junction.note) ? (
                  <p class="junction-line">
                    <span class="junction-mark" aria-hidden="true" />
                    {tr('transition.into', transitionLabel(junction.applied), next.name)}
                    {junction.note && <span class="junction-note"> · {junction.note}</span>}
                  </p>
                ) : undefined
              }
            >
              {expanded && ready(t) && (
                <TrackEditor
                  track={t}
                  edit={e}
                  locked={locked}
                  fadeInSec={crossfadeSec(
                    i > 0 && tracks[i - 1]!.status !== 'error' ? line.junctions[i - 1] : undefined,
                  )}
                  fadeOutSec={crossfadeSec(seam ? junction : undefined)}
                  onEdit={(p) => edit(t, p)}
                />
              )}
            </TrackItem>
          );
        })}
      </ol>
      <ListHelp />
      {reorder.announcer}
    </>
  );
}

function ready(t: Track | undefined): t is Track & { info: NonNullable<Track['info']> } {
  return !!t && t.status === 'ready' && !!t.info;
}

/** A ready track's kept part, for Preview. */
function side(t: Track & { info: NonNullable<Track['info']> }): PreviewSide {
  const e = t.edit ?? { startSec: 0 };
  return { id: t.id, startSec: e.startSec, endSec: trimEnd(e, t.info.durationSec) };
}

/** "keeps 0:12.50 from 0:03.00" for a trimmed track; nothing for a whole one. */
function trimNote(e: TrackEdit, dur: number): string | undefined {
  const kept = trimmedLength(e, dur);
  if (kept >= dur - 0.005) return undefined;
  return tr('track.keeps', formatPreciseTime(kept), formatPreciseTime(e.startSec));
}

/** Seconds of a junction's crossfade as applied (0: none there). */
function crossfadeSec(j: Junction | undefined): number {
  return j?.applied.kind === 'crossfade' ? j.applied.seconds : 0;
}
