import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  edgeScrollStep,
  IDLE_REORDER,
  insertionSlot,
  moveIndex,
  reorderMessage,
  reorderStep,
  type ReorderEvent,
} from '@/lib/editor/reorder';
import * as actions from '@/lib/queue/actions';
import { run } from '@/lib/queue/alerts';
import type { Track } from '@/lib/core/track';
import { t as tr } from '@/lib/core/i18n';

/** How long a moved track's handle keeps focus while the list redraws. */
const FOCUS_KEEP_MS = 1500;

/**
 * Reordering a track list by drag and drop and by keyboard, for the popup and the editor alike:
 * the state (lib/editor/reorder.ts decides each step), the handle each row draws, the classes
 * of the lifted row and of the drop line, and what the live region says. While a drag is near
 * the top of the window or the Join bar, the page scrolls, and the drop place follows.
 */
export function useReorder(
  list: RefObject<HTMLOListElement | null>,
  tracks: readonly Track[],
  locked: boolean,
) {
  const [reorder, setReorder] = useState(IDLE_REORDER);
  const now = useRef(IDLE_REORDER);
  const [message, setMessage] = useState('');
  /** The track whose handle keeps focus through the redraws a move causes, and until when. */
  const focusAfterMove = useRef<{ id: string; until: number } | null>(null);
  /** The pointer's last height in the window, for the edge scroll. */
  const lastY = useRef<{ pointerId: number; clientY: number } | null>(null);
  const ids = tracks.map((t) => t.id);

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
    const lost = !document.activeElement || document.activeElement === document.body;
    if (handle && lost) handle.focus();
  });

  const dragging = reorder.drag !== null;
  // While dragging, scroll the page when the pointer is near the top or the Join bar.
  useEffect(() => {
    if (!dragging) return;
    let frame = 0;
    const tick = () => {
      frame = requestAnimationFrame(tick);
      const at = lastY.current;
      if (!at) return;
      const bar = document.querySelector('section.join')?.getBoundingClientRect().top;
      const step = edgeScrollStep(at.clientY, 0, Math.min(bar ?? innerHeight, innerHeight));
      if (step === 0) return;
      const before = scrollY;
      scrollBy(0, step);
      if (scrollY !== before) {
        dispatch({ type: 'pointer-move', pointerId: at.pointerId, y: at.clientY + scrollY });
      }
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [dragging]);

  const keepsFocus = (id: string) =>
    focusAfterMove.current?.id === id && Date.now() <= focusAfterMove.current.until;

  const moveTo = (id: string, to: number, kind: 'move' | 'drop' | 'cancel') =>
    run('move', async () => {
      const from = ids.indexOf(id);
      const order = moveIndex(ids, from, to);
      focusAfterMove.current = { id, until: Date.now() + FOCUS_KEEP_MS };
      if (from !== to) await actions.reorder(order);
      const name = tracks.find((t) => t.id === id)?.name ?? '';
      setMessage(reorderMessage(kind, name, to, ids.length));
    });

  function dispatch(event: ReorderEvent) {
    const out = reorderStep(now.current, event, locked);
    now.current = out.state;
    setReorder(out.state);
    if (out.message) setMessage(out.message);
    if (out.move) void moveTo(out.move.id, out.move.to, out.move.kind);
    if (!out.state.drag) lastY.current = null;
    return out;
  }

  // Heights are in the page's coordinates (the window's plus its scroll), so a drag that scrolls
  // the page still drops where the pointer is.
  const onPointerDown = (e: PointerEvent, t: Track, index: number) => {
    if (locked || e.button !== 0) return;
    // No text selection, no native drag of the row.
    e.preventDefault();
    const items = [...(list.current?.children ?? [])] as HTMLElement[];
    const middles = items.map((el) => {
      const r = el.getBoundingClientRect();
      return r.top + scrollY + r.height / 2;
    });
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    lastY.current = { pointerId: e.pointerId, clientY: e.clientY };
    dispatch({
      type: 'pointer-down',
      id: t.id,
      index,
      pointerId: e.pointerId,
      button: e.button,
      y: e.clientY + scrollY,
      middles,
    });
  };

  const drag = reorder.drag;
  const slot = drag && drag.to !== drag.from ? insertionSlot(drag.to, drag.from) : -1;

  /** The classes of row `i`: lifted, picked up, or with the drop line before or after it. */
  const rowClass = (t: Track, i: number) =>
    [
      drag?.id === t.id ? 'lifted' : '',
      reorder.grabbed?.id === t.id ? 'grabbed' : '',
      slot === i ? 'drop-before' : '',
      slot === tracks.length && i === tracks.length - 1 ? 'drop-after' : '',
    ].join(' ');

  const handle = (t: Track, i: number) => {
    const dragged = drag?.id === t.id;
    return (
      <button
        type="button"
        class="reorder-handle"
        aria-label={tr('editor.reorder')}
        aria-describedby="reorder-help"
        aria-pressed={reorder.grabbed?.id === t.id}
        title={tr('editor.reorderTitle')}
        data-control="reorder"
        disabled={locked}
        style={dragged ? { transform: `translateY(${drag.dy}px)` } : undefined}
        onKeyDown={(ev) => {
          const out = dispatch({
            type: 'key',
            id: t.id,
            name: t.name,
            index: i,
            count: tracks.length,
            key: ev.key,
            altKey: ev.altKey,
          });
          if (out.handled) ev.preventDefault();
        }}
        onBlur={() => dispatch({ type: 'blur', id: t.id, moving: keepsFocus(t.id) })}
        onPointerDown={(ev) => onPointerDown(ev, t, i)}
        onPointerMove={(ev) => {
          if (lastY.current?.pointerId === ev.pointerId) {
            lastY.current = { pointerId: ev.pointerId, clientY: ev.clientY };
          }
          dispatch({ type: 'pointer-move', pointerId: ev.pointerId, y: ev.clientY + scrollY });
        }}
        onPointerUp={(ev) => dispatch({ type: 'pointer-up', pointerId: ev.pointerId })}
        onPointerCancel={() => dispatch({ type: 'pointer-cancel' })}
      >
        <svg viewBox="0 0 10 16" width="10" height="16" aria-hidden="true">
          {[3, 8, 13].flatMap((y) => [
            <circle key={`a${y}`} cx="2.5" cy={y} r="1.5" />,
            <circle key={`b${y}`} cx="7.5" cy={y} r="1.5" />,
          ])}
        </svg>
      </button>
    );
  };

  /** The reorder help and the live region, drawn once after the list. */
  const announcer = (
    <>
      <p id="reorder-help" class="visually-hidden">
        {tr('editor.reorderHelp')}
      </p>
      <div class="visually-hidden" aria-live="assertive">
        {message}
      </div>
    </>
  );

  return { dragging, rowClass, handle, announcer };
}
