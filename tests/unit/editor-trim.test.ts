import { describe, expect, it } from 'vitest';
import {
  endTrimDrag,
  moveTrimDrag,
  rulerTicks,
  startTrimDrag,
  applyTrimKey,
  keyDelta,
  moveHandle,
  nearestHandle,
  secondsToFraction,
  trimEnd,
  trimmedLength,
  xToSeconds,
  type Trim,
} from '@/lib/editor/trim';
import { formatPreciseTime } from '@/lib/core/text';

const whole: Trim = { startSec: 0 };

describe('moveHandle', () => {
  it.each([
    ['start inside', whole, 'start', 1.234, { startSec: 1.23 }],
    ['start before 0', whole, 'start', -3, { startSec: 0 }],
    [
      'start stops 0.1 s before the end',
      { startSec: 0, endSec: 5 },
      'start',
      9,
      { startSec: 4.9, endSec: 5 },
    ],
    ['start stops before the track end', whole, 'start', 20, { startSec: 9.9 }],
    ['end inside', whole, 'end', 7.456, { startSec: 0, endSec: 7.46 }],
    ['end past the track = to the end', { startSec: 1, endSec: 5 }, 'end', 11, { startSec: 1 }],
    ['end at the track end = to the end', { startSec: 1, endSec: 5 }, 'end', 10, { startSec: 1 }],
    ['end stops 0.1 s after the start', { startSec: 3 }, 'end', 1, { startSec: 3, endSec: 3.1 }],
  ] as const)('%s', (_name, trim, handle, sec, expected) => {
    expect(moveHandle(trim, handle, sec, 10)).toEqual(expected);
  });

  it('keeps 0.1 s even when the duration is off the 0.01 s grid', () => {
    const t = moveHandle({ startSec: 0 }, 'start', 99, 2.0375);
    expect(trimmedLength(t, 2.0375)).toBeGreaterThanOrEqual(0.1);
    expect(t.startSec).toBe(1.93);
  });

  it('handles a track shorter than the minimum', () => {
    expect(moveHandle(whole, 'start', 1, 0.05)).toEqual({ startSec: 0 });
  });
});

describe('keyboard on a trim handle', () => {
  it.each([
    ['ArrowRight', false, { by: 0.1 }],
    ['ArrowUp', false, { by: 0.1 }],
    ['ArrowLeft', false, { by: -0.1 }],
    ['ArrowDown', false, { by: -0.1 }],
    ['ArrowRight', true, { by: 1 }],
    ['ArrowLeft', true, { by: -1 }],
    ['PageUp', false, { by: 1 }],
    ['PageDown', false, { by: -1 }],
    ['Home', false, { to: 'min' }],
    ['End', false, { to: 'max' }],
    ['a', false, null],
    ['Tab', false, null],
  ] as const)('%s (shift %s)', (key, shift, expected) => {
    expect(keyDelta(key, shift)).toEqual(expected);
  });

  it('nudges the start by 0.1 s and 1 s, without float noise', () => {
    let t: Trim = whole;
    for (let i = 0; i < 3; i++) t = applyTrimKey(t, 'start', 'ArrowRight', false, 10)!;
    expect(t).toEqual({ startSec: 0.3 });
    t = applyTrimKey(t, 'start', 'ArrowRight', true, 10)!;
    expect(t).toEqual({ startSec: 1.3 });
    t = applyTrimKey(t, 'start', 'ArrowLeft', true, 10)!;
    t = applyTrimKey(t, 'start', 'ArrowLeft', true, 10)!;
    expect(t).toEqual({ startSec: 0 });
  });

  it('moves the end from the track end when none is set', () => {
    expect(applyTrimKey(whole, 'end', 'ArrowLeft', false, 10)).toEqual({
      startSec: 0,
      endSec: 9.9,
    });
    expect(applyTrimKey({ startSec: 0, endSec: 9.9 }, 'end', 'ArrowRight', true, 10)).toEqual({
      startSec: 0,
    });
  });

  it('sends Home and End to the limits', () => {
    const t = { startSec: 2, endSec: 8 };
    expect(applyTrimKey(t, 'start', 'Home', false, 10)).toEqual({ startSec: 0, endSec: 8 });
    expect(applyTrimKey(t, 'start', 'End', false, 10)).toEqual({ startSec: 7.9, endSec: 8 });
    expect(applyTrimKey(t, 'end', 'End', false, 10)).toEqual({ startSec: 2 });
    expect(applyTrimKey(t, 'end', 'Home', false, 10)).toEqual({ startSec: 2, endSec: 2.1 });
  });

  it('ignores keys it does not use', () => {
    expect(applyTrimKey(whole, 'start', 'x', false, 10)).toBeNull();
  });
});

describe('pointer math', () => {
  it('maps pixels to seconds and back, clamped to the waveform', () => {
    expect(xToSeconds(50, 200, 8)).toBe(2);
    expect(xToSeconds(-10, 200, 8)).toBe(0);
    expect(xToSeconds(250, 200, 8)).toBe(8);
    expect(xToSeconds(10, 0, 8)).toBe(0);
    expect(secondsToFraction(2, 8)).toBe(0.25);
    expect(secondsToFraction(9, 8)).toBe(1);
    expect(secondsToFraction(1, 0)).toBe(0);
  });

  it('grabs the nearer handle', () => {
    const t = { startSec: 2, endSec: 6 };
    expect(nearestHandle(t, 1, 10)).toBe('start');
    expect(nearestHandle(t, 3.9, 10)).toBe('start');
    expect(nearestHandle(t, 4, 10)).toBe('start');
    expect(nearestHandle(t, 4.1, 10)).toBe('end');
    expect(nearestHandle(t, 9, 10)).toBe('end');
  });
});

describe('lengths and text', () => {
  it('measures what a trim keeps', () => {
    expect(trimEnd(whole, 10)).toBe(10);
    expect(trimEnd({ startSec: 0, endSec: 12 }, 10)).toBe(10);
    expect(trimmedLength({ startSec: 1.5, endSec: 4 }, 10)).toBe(2.5);
  });

  it.each([
    [0, '0:00.00'],
    [1.5, '0:01.50'],
    [62.255, '1:02.26'],
    [3725.1, '1:02:05.10'],
  ])('formatPreciseTime(%s)', (sec, text) => {
    expect(formatPreciseTime(sec)).toBe(text);
  });
});

describe('a pointer drag on the waveform', () => {
  const committed: Trim = { startSec: 0 };
  it('commits on release what it dragged to, compared with the trim it began from', () => {
    // The handle at 0 is pressed and dragged to 6 s: the draft shown while dragging reads 6,
    // and the release commits it (the bug was comparing with that draft, which never differs).
    let d = startTrimDrag(committed, 0, 10, 'start');
    d = moveTrimDrag(d, 3, 10);
    d = moveTrimDrag(d, 6, 10);
    expect(d.last).toEqual({ startSec: 6 });
    expect(endTrimDrag(d)).toEqual({ startSec: 6 });
  });

  it('a click on the waveform moves the nearer handle there', () => {
    const trim: Trim = { startSec: 1, endSec: 9 };
    expect(endTrimDrag(startTrimDrag(trim, 2.5, 10))).toEqual({ startSec: 2.5, endSec: 9 });
    expect(endTrimDrag(startTrimDrag(trim, 7.25, 10))).toEqual({ startSec: 1, endSec: 7.25 });
  });

  it('commits nothing when the drag ends where it began', () => {
    const d = startTrimDrag(committed, 0, 10, 'end');
    expect(endTrimDrag(moveTrimDrag(moveTrimDrag(d, 5, 10), 10, 10))).toBeNull();
  });
});

describe('rulerTicks', () => {
  const fmt = (s: number) => String(s);
  it('labels round steps with room between them, small ticks between', () => {
    const ticks = rulerTicks(120, 600, fmt);
    const labels = ticks.filter((t) => t.label).map((t) => t.sec);
    // The last one (at the right edge) has no room for its label.
    expect(labels).toEqual([0, 15, 30, 45, 60, 75, 90, 105]);
    expect(ticks.length).toBe(41);
    expect(ticks.at(-1)!.at).toBe(1);
  });

  it('gives nothing for an empty track or width', () => {
    expect(rulerTicks(0, 500, fmt)).toEqual([]);
    expect(rulerTicks(10, 0, fmt)).toEqual([]);
  });
});
