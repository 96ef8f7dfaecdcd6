/**
 * Reordering the queue by drag and drop and by keyboard: index math and what the screen reader
 * hears. Pure; the track list draws the result and stores the new order.
 */

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
  const where = `position ${position + 1} of ${count}`;
  switch (kind) {
    case 'grab':
      return `Picked up ${name} at ${where}. Use the up and down arrow keys to move it, Space to drop it, Escape to cancel.`;
    case 'move':
      return `${name} moved to ${where}.`;
    case 'drop':
      return `${name} dropped at ${where}.`;
    case 'cancel':
      return `Reorder canceled. ${name} is back at ${where}.`;
  }
}

function clampIndex(i: number, length: number): number {
  return Math.max(0, Math.min(length - 1, Math.trunc(i)));
}
