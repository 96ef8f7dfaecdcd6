/**
 * Reordering the queue by drag and drop and by keyboard: index math and what the screen reader
 * hears. Pure; the track list draws the result and stores the new order.
 */

import { t } from '@/lib/core/i18n';

/** `list` with the item at `from` moved to index `to` (both clamped to the list). */
export function moveIndex<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (out.length === 0) return out;
  const f = clampIndex(from, out.length);
  const t = clampIndex(to, out.length);
  if (f === t) return out;
  const [item] = out.splice(f, 1);
  out.splice(t, 0, item as T);
  return out;
}

/**
 * Where a dragged item lands: the index it takes once dropped, given the pointer's y and the
 * vertical middles of every item as laid out before the drag (the dragged one included, at
 * `from`). Passing an item's middle moves it past that item.
 */
export function dropIndex(pointerY: number, middles: readonly number[], from: number): number {
  // How many other items' middles lie above the pointer is the index the item lands at.
  let above = 0;
  middles.forEach((mid, i) => {
    if (i !== from && pointerY > mid) above++;
  });
  return above;
}

/**
 * Where an insertion line goes while dragging: before the item at the returned index of the
 * list as drawn (the dragged item still in its old place), or `length` for after the last.
 */
export function insertionSlot(target: number, from: number): number {
  return target > from ? target + 1 : target;
}

export type ReorderKeyAction =
  { kind: 'move'; to: number } | { kind: 'grab' } | { kind: 'drop' } | { kind: 'cancel' } | null;

/**
 * What a key on a track's Reorder handle does. Alt+Up/Down moves at once; Space or Enter picks
 * the track up, then the arrows (Home/End too) move it, Space or Enter drops it and Escape
 * puts it back where it was picked up.
 */
export function reorderKey(
  e: { key: string; altKey: boolean },
  index: number,
  count: number,
  grabbed: boolean,
): ReorderKeyAction {
  const last = count - 1;
  const move = (to: number): ReorderKeyAction => {
    const t = clampIndex(to, count);
    return t === index ? null : { kind: 'move', to: t };
  };
  if (e.key === ' ' || e.key === 'Enter' || e.key === 'Spacebar') {
    return grabbed ? { kind: 'drop' } : { kind: 'grab' };
  }
  if (e.key === 'Escape') return grabbed ? { kind: 'cancel' } : null;
  if (!grabbed && !e.altKey) return null;
  switch (e.key) {
    case 'ArrowUp':
      return move(index - 1);
    case 'ArrowDown':
      return move(index + 1);
    case 'Home':
      return move(0);
    case 'End':
      return move(last);
    default:
      return null;
  }
}

/** What the live region says after a reorder step. Positions are 1-based, as people count. */
export function reorderMessage(
  kind: 'grab' | 'move' | 'drop' | 'cancel',
  name: string,
  position: number,
  count: number,
): string {
  const where = t('reorder.position', position + 1, count);
  switch (kind) {
    case 'grab':
      return t('reorder.grab', name, where);
    case 'move':
      return t('reorder.move', name, where);
    case 'drop':
      return t('reorder.drop', name, where);
    case 'cancel':
      return t('reorder.cancel', name, where);
  }
}

function clampIndex(i: number, length: number): number {
  return Math.max(0, Math.min(length - 1, Math.trunc(i)));
}

// ---------------------------------------------------------------------------------------------
// The track list's reorder state: a pointer drag of a Reorder handle, or a track picked up with
// the keyboard. Events in, the next state and what to do out; the list draws and stores.

interface PointerDrag {
  id: string;
  from: number;
  /** Where the track would land if dropped now. */
  to: number;
  pointerId: number;
  startY: number;
  /** How far the pointer moved, for drawing the lifted track. */
  dy: number;
  /** The items' vertical middles when the drag began. */
  middles: number[];
}

export interface ReorderState {
  drag: PointerDrag | null;
  /** A track picked up with Space or Enter, and where it was picked up. */
  grabbed: { id: string; from: number } | null;
}

export const IDLE_REORDER: ReorderState = { drag: null, grabbed: null };

export type ReorderEvent =
  | {
      type: 'pointer-down';
      id: string;
      index: number;
      pointerId: number;
      button: number;
      y: number;
      middles: number[];
    }
  | { type: 'pointer-move'; pointerId: number; y: number }
  | { type: 'pointer-up'; pointerId: number }
  | { type: 'pointer-cancel' }
  | {
      type: 'key';
      id: string;
      name: string;
      index: number;
      count: number;
      key: string;
      altKey: boolean;
    }
  /** The handle lost focus; `moving` when a move of this track is redrawing the list. */
  | { type: 'blur'; id: string; moving: boolean };

export interface ReorderOutcome {
  state: ReorderState;
  /** A move to store: track `id` to index `to`, said as `kind`. */
  move?: { id: string; to: number; kind: 'move' | 'drop' | 'cancel' };
  /** What the live region says (for moves, the list says it once the move is stored). */
  message?: string;
  /** The key was used: its default (scrolling, a click) must not happen. */
  handled?: boolean;
}

/** The reorder state after `event`, and what the list should do. `locked` ignores everything. */
export function reorderStep(
  state: ReorderState,
  event: ReorderEvent,
  locked = false,
): ReorderOutcome {
  if (locked) return { state: IDLE_REORDER };
  switch (event.type) {
    case 'pointer-down': {
      if (event.button !== 0) return { state };
      const drag: PointerDrag = {
        id: event.id,
        from: event.index,
        to: event.index,
        pointerId: event.pointerId,
        startY: event.y,
        dy: 0,
        middles: event.middles,
      };
      return { state: { ...state, drag } };
    }
    case 'pointer-move': {
      const d = state.drag;
      if (!d || d.pointerId !== event.pointerId) return { state };
      const drag = { ...d, dy: event.y - d.startY, to: dropIndex(event.y, d.middles, d.from) };
      return { state: { ...state, drag } };
    }
    case 'pointer-up': {
      const d = state.drag;
      if (!d || d.pointerId !== event.pointerId) return { state };
      const next = { ...state, drag: null };
      return d.to !== d.from
        ? { state: next, move: { id: d.id, to: d.to, kind: 'drop' } }
        : { state: next };
    }
    case 'pointer-cancel':
      return { state: { ...state, drag: null } };
    case 'blur':
      return state.grabbed?.id === event.id && !event.moving
        ? { state: { ...state, grabbed: null } }
        : { state };
    case 'key': {
      const isGrabbed = state.grabbed?.id === event.id;
      const action = reorderKey(event, event.index, event.count, isGrabbed);
      if (!action) return { state };
      switch (action.kind) {
        case 'grab':
          return {
            state: { ...state, grabbed: { id: event.id, from: event.index } },
            message: reorderMessage('grab', event.name, event.index, event.count),
            handled: true,
          };
        case 'drop':
          return {
            state: { ...state, grabbed: null },
            message: reorderMessage('drop', event.name, event.index, event.count),
            handled: true,
          };
        case 'cancel':
          return {
            state: { ...state, grabbed: null },
            move: { id: event.id, to: state.grabbed!.from, kind: 'cancel' },
            handled: true,
          };
        case 'move':
          return { state, move: { id: event.id, to: action.to, kind: 'move' }, handled: true };
      }
    }
  }
}

export type SelectionMove = 'top' | 'up' | 'down' | 'bottom';

/**
 * `order` with the `selected` ids moved together: to the top or the bottom (keeping their
 * order), or each one place up or down (a selected item never jumps over another selected one).
 */
export function moveSelection(
  order: readonly string[],
  selected: ReadonlySet<string>,
  where: SelectionMove,
): string[] {
  const picked = order.filter((id) => selected.has(id));
  const rest = order.filter((id) => !selected.has(id));
  if (where === 'top') return [...picked, ...rest];
  if (where === 'bottom') return [...rest, ...picked];
  const out = [...order];
  const step = where === 'up' ? -1 : 1;
  const indices = out.map((_, i) => i);
  if (step > 0) indices.reverse();
  for (const i of indices) {
    const j = i + step;
    if (!selected.has(out[i]!) || j < 0 || j >= out.length || selected.has(out[j]!)) continue;
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The ids a click selects with Shift held: every id from the last one clicked (`anchor`) to
 * `id`, in list order. Without an anchor, just `id`.
 */
export function selectRange(
  order: readonly string[],
  anchor: string | undefined,
  id: string,
): string[] {
  const a = anchor === undefined ? -1 : order.indexOf(anchor);
  const b = order.indexOf(id);
  if (a < 0 || b < 0) return b < 0 ? [] : [id];
  return order.slice(Math.min(a, b), Math.max(a, b) + 1);
}
