import { describe, expect, it } from 'vitest';
import {
  dropIndex,
  insertionSlot,
  moveIndex,
  reorderKey,
  reorderMessage,
} from '@/lib/editor/reorder';

const abcd = ['a', 'b', 'c', 'd'];

describe('moveIndex', () => {
  it.each([
    [0, 2, ['b', 'c', 'a', 'd']],
    [3, 0, ['d', 'a', 'b', 'c']],
    [1, 1, abcd],
    [2, 9, ['a', 'b', 'd', 'c']],
    [2, -4, ['c', 'a', 'b', 'd']],
  ])('from %i to %i', (from, to, expected) => {
    expect(moveIndex(abcd, from, to)).toEqual(expected);
  });

  it('never changes its input', () => {
    const list = [...abcd];
    moveIndex(list, 0, 3);
    expect(list).toEqual(abcd);
    expect(moveIndex([], 0, 1)).toEqual([]);
  });
});

describe('dropIndex', () => {
  // Four items 40 px tall from y = 0: middles at 20, 60, 100, 140.
  const middles = [20, 60, 100, 140];

  it.each([
    // Dragging the first item down.
    [0, 10, 0],
    [0, 59, 0],
    [0, 61, 1],
    [0, 101, 2],
    [0, 500, 3],
    // Dragging the last item up.
    [3, 139, 3],
    [3, 99, 2],
    [3, 59, 1],
    [3, 19, 0],
    [3, -50, 0],
    // A middle item stays while the pointer is between its neighbours' middles.
    [1, 21, 1],
    [1, 99, 1],
    [1, 101, 2],
    [1, 19, 0],
  ])('item %i at y=%i lands at %i', (from, y, expected) => {
    expect(dropIndex(y, middles, from)).toBe(expected);
  });

  it('agrees with moveIndex: the landing index is where the item ends up', () => {
    const to = dropIndex(101, middles, 0);
    expect(moveIndex(abcd, 0, to)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('draws the insertion line before the item it lands in front of', () => {
    expect(insertionSlot(2, 0)).toBe(3); // after c, before d
    expect(insertionSlot(0, 3)).toBe(0);
    expect(insertionSlot(3, 0)).toBe(4); // after the last
  });
});

describe('reorderKey', () => {
  const key = (k: string, altKey = false) => ({ key: k, altKey });

  it('moves at once with Alt+arrows', () => {
    expect(reorderKey(key('ArrowDown', true), 1, 4, false)).toEqual({ kind: 'move', to: 2 });
    expect(reorderKey(key('ArrowUp', true), 1, 4, false)).toEqual({ kind: 'move', to: 0 });
    expect(reorderKey(key('Home', true), 2, 4, false)).toEqual({ kind: 'move', to: 0 });
    expect(reorderKey(key('End', true), 2, 4, false)).toEqual({ kind: 'move', to: 3 });
  });

  it('does nothing at the ends or for plain arrows before pick-up', () => {
    expect(reorderKey(key('ArrowUp', true), 0, 4, false)).toBeNull();
    expect(reorderKey(key('ArrowDown', true), 3, 4, false)).toBeNull();
    expect(reorderKey(key('ArrowDown'), 1, 4, false)).toBeNull();
    expect(reorderKey(key('Escape'), 1, 4, false)).toBeNull();
    expect(reorderKey(key('x'), 1, 4, true)).toBeNull();
  });

  it('picks up with Space or Enter, moves with arrows, drops, cancels', () => {
    expect(reorderKey(key(' '), 1, 4, false)).toEqual({ kind: 'grab' });
    expect(reorderKey(key('Enter'), 1, 4, false)).toEqual({ kind: 'grab' });
    expect(reorderKey(key('ArrowDown'), 1, 4, true)).toEqual({ kind: 'move', to: 2 });
    expect(reorderKey(key('ArrowUp'), 1, 4, true)).toEqual({ kind: 'move', to: 0 });
    expect(reorderKey(key(' '), 2, 4, true)).toEqual({ kind: 'drop' });
    expect(reorderKey(key('Escape'), 2, 4, true)).toEqual({ kind: 'cancel' });
  });
});

describe('reorderMessage', () => {
  it('counts from one, as people do', () => {
    expect(reorderMessage('move', 'b.mp3', 2, 4)).toBe('b.mp3 moved to position 3 of 4.');
    expect(reorderMessage('drop', 'b.mp3', 0, 4)).toBe('b.mp3 dropped at position 1 of 4.');
    expect(reorderMessage('grab', 'b.mp3', 1, 4)).toMatch(/^Picked up b\.mp3 at position 2 of 4\./);
    expect(reorderMessage('cancel', 'b.mp3', 1, 4)).toBe(
      'Reorder canceled. b.mp3 is back at position 2 of 4.',
    );
  });
});
