import { describe, expect, it } from 'vitest';
import { effectiveEdit, patchEdit } from '@/lib/editor/edit';
import { changeKind, clampTransitionSeconds, timeline } from '@/lib/editor/timeline';
import type { Transition } from '@/lib/core/track';
import { audioInfo } from './support/audio-info';

const none: Transition = { kind: 'none' };
const fade2: Transition = { kind: 'crossfade', seconds: 2, curve: 'linear' };
const info = (durationSec: number) => audioInfo({ durationSec });

describe('edits with defaults', () => {
  it('gives an unedited track the default transition', () => {
    expect(effectiveEdit({}, fade2)).toEqual({ startSec: 0, transitionAfter: fade2 });
    const edit = { startSec: 1, transitionAfter: none };
    expect(effectiveEdit({ edit }, fade2)).toBe(edit);
  });

  it('writes the default transition down with the first edit, so a trim keeps it', () => {
    expect(patchEdit({}, { startSec: 1.5 }, fade2)).toEqual({
      startSec: 1.5,
      transitionAfter: fade2,
    });
  });

  it('leaves out cleared optional fields', () => {
    const edit = { startSec: 0, endSec: 4, chapterTitle: 'x', transitionAfter: none };
    expect(patchEdit({ edit }, { endSec: undefined, chapterTitle: '' }, none)).toEqual({
      startSec: 0,
      transitionAfter: none,
    });
  });
});

describe('changeKind', () => {
  it('carries the seconds over and picks a curve', () => {
    expect(changeKind({ kind: 'gap', seconds: 3 }, 'crossfade', none)).toEqual({
      kind: 'crossfade',
      seconds: 3,
      curve: 'equal-power',
    });
    expect(changeKind({ ...fade2, seconds: 3 }, 'gap', none)).toEqual({ kind: 'gap', seconds: 3 });
    expect(changeKind(fade2, 'none', none)).toEqual({ kind: 'none' });
    expect(changeKind(fade2, 'crossfade', none)).toBe(fade2);
  });

  it('gives a crossfade the same length by mouse (None to Crossfade) and keyboard (via Gap)', () => {
    const byMouse = changeKind(none, 'crossfade', none);
    const byKeys = changeKind(changeKind(none, 'gap', none), 'crossfade', none);
    expect(byMouse).toEqual({ kind: 'crossfade', seconds: 2, curve: 'equal-power' });
    expect(byKeys).toEqual(byMouse);
    // And back up: Crossfade, Gap, None gives the gap a gap's length.
    expect(changeKind(fade2, 'gap', none)).toEqual({ kind: 'gap', seconds: 1 });
  });

  it('starts from the default transition when it is of that kind', () => {
    expect(
      changeKind(none, 'crossfade', { kind: 'crossfade', seconds: 4, curve: 'logarithmic' }),
    ).toEqual({ kind: 'crossfade', seconds: 4, curve: 'logarithmic' });
    expect(changeKind(none, 'gap', none)).toEqual({ kind: 'gap', seconds: 1 });
    expect(changeKind({ kind: 'gap', seconds: 30 }, 'crossfade', none)).toMatchObject({
      seconds: 10,
    });
  });

  it.each([
    ['crossfade', 12, 10],
    ['crossfade', 0, 0.1],
    ['crossfade', 2.345, 2.3],
    ['gap', 0, 0],
    ['gap', 90, 60],
    ['gap', NaN, 0],
  ] as const)('%s of %s s is kept at %s s', (kind, sec, expected) => {
    expect(clampTransitionSeconds(kind, sec)).toBe(expected);
  });
});

describe('timeline', () => {
  it('adds gaps, takes off crossfades and trims', () => {
    const line = timeline(
      [
        { name: 'a.mp3', info: info(10), edit: { startSec: 1, transitionAfter: fade2 } },
        {
          name: 'b.mp3',
          info: info(10),
          edit: { startSec: 0, endSec: 8, transitionAfter: { kind: 'gap', seconds: 1.5 } },
        },
        { name: 'c.mp3', info: info(5) },
      ],
      none,
    );
    expect(line.lengths).toEqual([9, 8, 5]);
    expect(line.totalSec).toBeCloseTo(9 + 8 + 5 - 2 + 1.5, 6);
    expect(line.junctions.map((j) => j.applied.kind)).toEqual(['crossfade', 'gap']);
    expect(line.junctions.every((j) => j.note === undefined)).toBe(true);
  });

  it('says when a crossfade is shortened, and why', () => {
    const line = timeline(
      [
        {
          name: 'a.mp3',
          info: info(10),
          edit: { startSec: 0, transitionAfter: { ...fade2, seconds: 5 } },
        },
        { name: 'b.mp3', info: info(2) },
      ],
      none,
    );
    const j = line.junctions[0]!;
    expect(j.requested).toMatchObject({ seconds: 5 });
    expect(j.applied.kind).toBe('crossfade');
    expect(j.note).toMatch(/^Crossfade shortened to [\d.]+ s: track 2 is only 2 s long$/);
  });

  it('applies the default transition to unedited tracks', () => {
    const line = timeline(
      [
        { name: 'a.mp3', info: info(10) },
        { name: 'b.mp3', info: info(10) },
      ],
      fade2,
    );
    expect(line.junctions[0]!.requested).toEqual(fade2);
    expect(line.totalSec).toBeCloseTo(18, 6);
  });

  it('has no total while a track is still being checked', () => {
    const line = timeline([{ name: 'a.mp3', info: info(10) }, { name: 'b.mp3' }], none);
    expect(line.totalSec).toBeUndefined();
    expect(line.lengths).toEqual([10, 0]);
  });
});
