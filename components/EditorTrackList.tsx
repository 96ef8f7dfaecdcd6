import { useEffect, useRef, useState } from 'preact/hooks';
import { effectiveEdit } from '@/lib/editor/edit';
import { timeline } from '@/lib/editor/timeline';
import {
  dropIndex,
  insertionSlot,
  moveIndex,
  reorderKey,
  reorderMessage,
} from '@/lib/editor/reorder';
import { trimEnd } from '@/lib/editor/trim';
import type { PreviewSide } from '@/lib/editor/player';
import type { TrackEdit } from '@/lib/core/track';
import * as actions from '@/lib/queue/actions';
import { run } from '@/lib/queue/alerts';
import type { Track } from '@/lib/core/track';
import { usePreferences } from '@/components/hooks/store';
import { forgetPeaksExcept } from '@/lib/editor/waveform';
import { JunctionEditor } from './JunctionEditor';
import { TrackEditor } from './TrackEditor';
import { TrackItem } from './TrackItem';
import { TrackList } from './TrackList';

interface Drag {
  id: string;
  from: number;
  to: number;
  pointerId: number;
  startY: number;
  dy: number;
  middles: number[];
}

/**
 * The options page's queue: every track with its waveform, trims and chapter title, the
 * transition after it, and a Reorder handle for drag and drop and for the keyboard.
 */
export function EditorTrackList(props: { tracks: Track[]; locked: boolean }) {
  const { tracks, locked } = props;
  const [prefs] = usePreferences();
  const [drag, setDrag] = useState<Drag | null>(null);
  const [grabbed, setGrabbed] = useState<{ id: string; from: number } | null>(null);
  const [message, setMessage] = useState('');
  /** The track whose handle keeps focus through the redraws a move causes, and until when. */
  const focusAfterMove = useRef<{ id: string; until: number } | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const ids = tracks.map((t) => t.id);

  useEffect(() => {
    void run('waveforms', () => forgetPeaksExcept(ids));
  }, [ids.join()]);

  // A moved item's DOM node is re-inserted, which takes focus from its handle: give it back.
  useEffect(() => {
    const keep = focusAfterMove.current;
    if (!keep) return;
    if (Date.now() > keep.until) {
      focusAfterMove.current = null;
      return;
    }
    const handle = list.current?.querySelector<HTMLElement>(
      `[data-track-id="${keep.id}"] .reorder-handle`,
    );
    // Only focus that was lost (to the body, as a moved node drops it) is given back.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (handle && lost) handle.focus();
  });
  const keepFocus = (id: string) => {
    focusAfterMove.current = { id, until: Date.now() + FOCUS_KEEP_MS };
  };
  const keepsFocus = (id: string) =>
    focusAfterMove.current?.id === id && Date.now() <= focusAfterMove.current.until;

  if (tracks.length === 0) {
    return <TrackList tracks={tracks} locked={locked} {...noopActions} />;
  }

  const line = timeline(tracks, prefs.defaultTransition);
  const defaultTransition = prefs.defaultTransition;

  const edit = (t: Track, patch: Partial<TrackEdit> | ((cur: TrackEdit) => Partial<TrackEdit>)) =>
    void run('edit', () => actions.editTrack(t.id, patch, defaultTransition));

  const moveTo = (id: string, to: number, kind: 'move' | 'drop' | 'cancel') =>
    run('move', async () => {
      const from = ids.indexOf(id);
      const order = moveIndex(ids, from, to);
      keepFocus(id);
      if (from !== to) await actions.reorder(order);
      const name = tracks.find((t) => t.id === id)?.name ?? '';
      setMessage(reorderMessage(kind, name, to, ids.length));
    });

  const onHandleKey = (e: KeyboardEvent, t: Track, index: number) => {
    if (locked) return;
    const isGrabbed = grabbed?.id === t.id;
    const action = reorderKey(e, index, tracks.length, isGrabbed);
    if (!action) return;
    e.preventDefault();
    switch (action.kind) {
      case 'grab':
        setGrabbed({ id: t.id, from: index });
        setMessage(reorderMessage('grab', t.name, index, tracks.length));
        break;
      case 'drop':
        setGrabbed(null);
        setMessage(reorderMessage('drop', t.name, index, tracks.length));
        break;
      case 'cancel':
        setGrabbed(null);
        void moveTo(t.id, grabbed!.from, 'cancel');
        break;
      case 'move':
        void moveTo(t.id, action.to, 'move');
        break;
    }
  };

  const onHandlePointerDown = (e: PointerEvent, t: Track, index: number) => {
    if (locked || e.button !== 0) return;
    const items = [...(list.current?.children ?? [])] as HTMLElement[];
    const middles = items.map((el) => {
      const r = el.getBoundingClientRect();
      return r.top + r.height / 2;
    });
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    setDrag({
      id: t.id,
      from: index,
      to: index,
      pointerId: e.pointerId,
      startY: e.clientY,
      dy: 0,
      middles,
    });
  };
  const onHandlePointerMove = (e: PointerEvent) => {
    if (!drag || drag.pointerId !== e.pointerId) return;
    setDrag({
      ...drag,
      dy: e.clientY - drag.startY,
      to: dropIndex(e.clientY, drag.middles, drag.from),
    });
  };
  const onHandlePointerUp = (e: PointerEvent) => {
    if (!drag || drag.pointerId !== e.pointerId) return;
    setDrag(null);
    if (drag.to !== drag.from) void moveTo(drag.id, drag.to, 'drop');
  };

  const slot = drag && drag.to !== drag.from ? insertionSlot(drag.to, drag.from) : -1;

  return (
    <>
      <ol ref={list} class={`tracks editor${drag ? ' dragging' : ''}`} aria-label="Tracks">
        {tracks.map((t, i) => {
          const next = tracks[i + 1];
          const junction = line.junctions[i];
          const e = effectiveEdit(t, defaultTransition);
          const dragged = drag?.id === t.id;
          const cls = [
            dragged ? 'lifted' : '',
            grabbed?.id === t.id ? 'grabbed' : '',
            slot === i ? 'drop-before' : '',
            slot === tracks.length && i === tracks.length - 1 ? 'drop-after' : '',
          ].join(' ');
          return (
            <TrackItem
              key={t.id}
              track={t}
              first={i === 0}
              last={i === tracks.length - 1}
              locked={locked}
              class={cls}
              onMoveUp={(id) => void run('move', () => actions.moveUp(id))}
              onMoveDown={(id) => void run('move', () => actions.moveDown(id))}
              onRemove={(id) => void run('remove', () => actions.remove(id))}
              handle={
                <button
                  type="button"
                  class="reorder-handle"
                  aria-label="Reorder"
                  aria-describedby="reorder-help"
                  aria-pressed={grabbed?.id === t.id}
                  title="Drag to reorder, or press Space then the arrow keys"
                  disabled={locked}
                  style={dragged ? { transform: `translateY(${drag.dy}px)` } : undefined}
                  onKeyDown={(ev) => onHandleKey(ev, t, i)}
                  onBlur={() => {
                    if (grabbed?.id === t.id && !keepsFocus(t.id)) setGrabbed(null);
                  }}
                  onPointerDown={(ev) => onHandlePointerDown(ev, t, i)}
                  onPointerMove={onHandlePointerMove}
                  onPointerUp={onHandlePointerUp}
                  onPointerCancel={() => setDrag(null)}
                >
                  <svg viewBox="0 0 10 16" width="10" height="16" aria-hidden="true">
                    {[3, 8, 13].flatMap((y) => [
                      <circle key={`a${y}`} cx="2.5" cy={y} r="1.5" />,
                      <circle key={`b${y}`} cx="7.5" cy={y} r="1.5" />,
                    ])}
                  </svg>
                </button>
              }
            >
              {ready(t) && (
                <TrackEditor track={t} edit={e} locked={locked} onEdit={(p) => edit(t, p)} />
              )}
              {next && junction && (
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
              )}
            </TrackItem>
          );
        })}
      </ol>
      <p id="reorder-help" class="visually-hidden">
        Press Space to pick the track up, the up and down arrow keys to move it, Space to drop it
        and Escape to cancel. Alt with the up and down arrow keys moves it at once.
      </p>
      <div class="visually-hidden" aria-live="assertive">
        {message}
      </div>
    </>
  );
}

/** How long a moved track's handle keeps focus while the list redraws. */
const FOCUS_KEEP_MS = 1500;

function ready(t: Track | undefined): t is Track & { info: NonNullable<Track['info']> } {
  return !!t && t.status === 'ready' && !!t.info;
}

/** A ready track's kept part, for Preview. */
function side(t: Track & { info: NonNullable<Track['info']> }): PreviewSide {
  const e = t.edit ?? { startSec: 0 };
  return { id: t.id, startSec: e.startSec, endSec: trimEnd(e, t.info.durationSec) };
}

const noopActions = {
  onMoveUp: () => undefined,
  onMoveDown: () => undefined,
  onRemove: () => undefined,
};
