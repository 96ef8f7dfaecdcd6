import { describe, expect, it } from 'vitest';
import {
  edgeScrollStep,
  IDLE_REORDER,
  dropIndex,
  insertionSlot,
  moveIndex,
  moveSelection,
  reorderKey,
  reorderMessage,
  reorderStep,
  selectRange,
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

describe('reorderStep', () => {
  const key = (k: string, index: number, altKey = false) =>
    ({ type: 'key', id: 'b', name: 'B', index, count: 4, key: k, altKey }) as const;

  it('picks up with Space, moves with the arrows, drops with Space', () => {
    let out = reorderStep(IDLE_REORDER, key(' ', 1));
    expect(out.state.grabbed).toEqual({ id: 'b', from: 1 });
    expect(out.message).toMatch(/^Picked up B at position 2 of 4/);
    expect(out.handled).toBe(true);
    out = reorderStep(out.state, key('ArrowDown', 1));
    expect(out.move).toEqual({ id: 'b', to: 2, kind: 'move' });
    out = reorderStep(out.state, key(' ', 2));
    expect(out.state.grabbed).toBeNull();
    expect(out.message).toBe('B dropped at position 3 of 4.');
  });

  it('puts a picked-up track back on Escape, and ignores arrows when nothing is picked up', () => {
    const grabbed = reorderStep(IDLE_REORDER, key('Enter', 1)).state;
    const moved = reorderStep(grabbed, key('End', 1));
    expect(moved.move).toEqual({ id: 'b', to: 3, kind: 'move' });
    expect(reorderStep(moved.state, key('Escape', 3)).move).toEqual({
      id: 'b',
      to: 1,
      kind: 'cancel',
    });
    expect(reorderStep(IDLE_REORDER, key('ArrowDown', 1)).handled).toBeUndefined();
    expect(reorderStep(IDLE_REORDER, key('ArrowDown', 1, true)).move).toEqual({
      id: 'b',
      to: 2,
      kind: 'move',
    });
  });

  it('drags with the pointer and drops where the pointer passed the middles', () => {
    const middles = [10, 30, 50, 70];
    let out = reorderStep(IDLE_REORDER, {
      type: 'pointer-down',
      id: 'a',
      index: 0,
      pointerId: 1,
      button: 0,
      y: 10,
      middles,
    });
    out = reorderStep(out.state, { type: 'pointer-move', pointerId: 1, y: 55 });
    expect(out.state.drag).toMatchObject({ to: 2, dy: 45 });
    // Another pointer does not steer it.
    expect(reorderStep(out.state, { type: 'pointer-move', pointerId: 2, y: 0 }).state).toBe(
      out.state,
    );
    out = reorderStep(out.state, { type: 'pointer-up', pointerId: 1 });
    expect(out.state.drag).toBeNull();
    expect(out.move).toEqual({ id: 'a', to: 2, kind: 'drop' });
  });

  it('does nothing while the list is locked, or for other buttons, or a drop in place', () => {
    expect(reorderStep(IDLE_REORDER, key(' ', 0), true)).toEqual({ state: IDLE_REORDER });
    const right = reorderStep(IDLE_REORDER, {
      type: 'pointer-down',
      id: 'a',
      index: 0,
      pointerId: 1,
      button: 2,
      y: 0,
      middles: [0],
    });
    expect(right.state.drag).toBeNull();
    const down = reorderStep(IDLE_REORDER, {
      type: 'pointer-down',
      id: 'a',
      index: 0,
      pointerId: 1,
      button: 0,
      y: 0,
      middles: [0, 20],
    });
    expect(reorderStep(down.state, { type: 'pointer-up', pointerId: 1 }).move).toBeUndefined();
  });

  it('lets go of a picked-up track when its handle loses focus, unless it is moving', () => {
    const grabbed = reorderStep(IDLE_REORDER, key(' ', 1)).state;
    expect(reorderStep(grabbed, { type: 'blur', id: 'b', moving: true }).state.grabbed).not.toBe(
      null,
    );
    expect(reorderStep(grabbed, { type: 'blur', id: 'b', moving: false }).state.grabbed).toBe(null);
  });
});

describe('moveSelection and selectRange', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it.each([
    ['top', ['b', 'd', 'a', 'c', 'e']],
    ['bottom', ['a', 'c', 'e', 'b', 'd']],
    ['up', ['b', 'a', 'd', 'c', 'e']],
    ['down', ['a', 'c', 'b', 'e', 'd']],
  ] as const)('moves b and d %s', (where, expected) => {
    expect(moveSelection(order, new Set(['b', 'd']), where)).toEqual(expected);
  });

  it('never lets a selected track jump over another selected one', () => {
    expect(moveSelection(order, new Set(['a', 'b']), 'up')).toEqual(order);
    expect(moveSelection(order, new Set(['d', 'e']), 'down')).toEqual(order);
  });

  it('selects a range from the last click', () => {
    expect(selectRange(order, 'd', 'b')).toEqual(['b', 'c', 'd']);
    expect(selectRange(order, undefined, 'c')).toEqual(['c']);
    expect(selectRange(order, 'gone', 'c')).toEqual(['c']);
  });
});

describe('edgeScrollStep', () => {
  it('scrolls only near the edges, faster nearer them, up at the top and down at the bottom', () => {
    expect(edgeScrollStep(300, 0, 600)).toBe(0);
    expect(edgeScrollStep(2, 0, 600)).toBeLessThan(0);
    expect(edgeScrollStep(598, 0, 600)).toBeGreaterThan(0);
    expect(edgeScrollStep(590, 0, 600)).toBeGreaterThan(edgeScrollStep(560, 0, 600));
    // Past the edge (over the Join bar) it scrolls at full speed, no faster.
    expect(edgeScrollStep(700, 0, 600)).toBe(edgeScrollStep(600, 0, 600));
    expect(edgeScrollStep(10, 0, 0)).toBe(0);
  });
});
