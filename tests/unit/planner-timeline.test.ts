import { describe, expect, it } from 'vitest';
import type { TrackEdit, Transition } from '@/lib/core/track';
import {
  CROSSFADE_MARGIN_SEC,
  clampTransitions,
  outputLength,
  trimSpan,
  type EditedTrack,
} from '@/lib/plan/timeline';
import { chapterTimes } from '@/lib/plan/chapters';
import { trackTitle } from '@/lib/core/naming';

const none: Transition = { kind: 'none' };
const gap = (seconds: number): Transition => ({ kind: 'gap', seconds });
const xf = (
  seconds: number,
  curve: 'linear' | 'equal-power' | 'logarithmic' = 'linear',
): Transition => ({
  kind: 'crossfade',
  seconds,
  curve,
});

function t(durationSec: number, edit: Partial<TrackEdit> = {}, name = 'Track.mp3'): EditedTrack {
  return { name, info: { durationSec }, edit: { startSec: 0, transitionAfter: none, ...edit } };
}

describe('trimSpan', () => {
  it.each<[string, number, Partial<TrackEdit>, [number, number, number, boolean]]>([
    ['untrimmed', 60, {}, [0, 60, 60, false]],
    ['start cut', 60, { startSec: 1.5 }, [1.5, 60, 58.5, true]],
    ['end cut', 60, { endSec: 42.25 }, [0, 42.25, 42.25, true]],
    ['both', 60, { startSec: 10, endSec: 20 }, [10, 20, 10, true]],
    ['end past the duration', 60, { endSec: 75 }, [0, 60, 60, false]],
    ['end at the duration', 59.998, { endSec: 60 }, [0, 59.998, 59.998, false]],
    ['start rounded to 0.01', 60, { startSec: 1.2345 }, [1.23, 60, 58.77, true]],
    ['negative start', 60, { startSec: -3 }, [0, 60, 60, false]],
  ])('%s', (_n, dur, edit, [start, end, length, trimmed]) => {
    const s = trimSpan(t(dur, edit));
    expect(s.startSec).toBeCloseTo(start, 9);
    expect(s.endSec).toBeCloseTo(end, 9);
    expect(s.lengthSec).toBeCloseTo(length, 9);
    expect(s.trimmed).toBe(trimmed);
  });

  it('a track without an edit keeps everything', () => {
    expect(trimSpan({ name: 'a.mp3', info: { durationSec: 3 } })).toMatchObject({
      startSec: 0,
      endSec: 3,
      trimmed: false,
    });
  });
});

describe('clampTransitions', () => {
  it('keeps transitions that fit, as asked', () => {
    const { transitions, clamped } = clampTransitions([
      t(10, { transitionAfter: xf(2, 'equal-power') }),
      t(10, { transitionAfter: gap(1.5) }),
      t(10),
    ]);
    expect(transitions).toEqual([xf(2, 'equal-power'), gap(1.5)]);
    expect(clamped).toEqual([]);
  });

  it('ignores the last track’s transition and zero-length ones', () => {
    const { transitions } = clampTransitions([
      t(10, { transitionAfter: xf(0) }),
      t(10, { transitionAfter: gap(0) }),
      t(10, { transitionAfter: xf(3) }),
    ]);
    expect(transitions).toEqual([none, none]);
  });

  it.each<[string, number[], Transition[], number[], number[]]>([
    // [name, track lengths, requested, applied seconds, clamped junctions]
    ['shorter than the track before', [1.5, 10], [xf(3)], [1.4], [0]],
    ['shorter than the track after', [10, 2], [xf(3)], [1.9], [0]],
    ['fits exactly within the margin', [10, 2 + CROSSFADE_MARGIN_SEC], [xf(2)], [2], []],
    ['at most 10 s', [60, 60], [xf(12)], [10], [0]],
    // Track 2 (4 s) fades in over 3 s and out over 3 s: the later junction gets what is left.
    ['both sides share a track', [10, 4, 10], [xf(3), xf(3)], [3, 0.9], [1]],
    ['both sides fit', [10, 6.1, 10], [xf(3), xf(3)], [3, 3], []],
    ['a gap between resets the budget', [10, 4, 4, 10], [xf(3), gap(1), xf(3)], [3, 1, 3], []],
  ])('%s', (_n, lengths, requested, applied, clampedAt) => {
    const tracks = lengths.map((d, i) => t(d, { transitionAfter: requested[i] ?? none }));
    const { transitions, clamped } = clampTransitions(tracks);
    expect(transitions.map((x) => (x.kind === 'none' ? 0 : x.seconds))).toEqual(applied);
    expect(clamped.map((c) => c.junction)).toEqual(clampedAt);
    for (const c of clamped) {
      expect(c.applied).toBeLessThan(c.requested);
      expect(c.reason).toMatch(/long|at most/);
    }
  });

  it('drops a crossfade that has no room at all', () => {
    const { transitions, clamped } = clampTransitions([
      t(3, { transitionAfter: xf(3) }),
      t(3.01, { transitionAfter: xf(3) }),
      t(3),
    ]);
    expect(transitions[0]).toEqual(xf(2.9));
    expect(transitions[1]).toEqual(none);
    expect(clamped).toHaveLength(2);
    expect(clamped[1]).toMatchObject({ junction: 1, requested: 3, applied: 0 });
  });

  it('measures against the trimmed length', () => {
    const { transitions } = clampTransitions([
      t(60, { startSec: 58, transitionAfter: xf(5) }),
      t(60),
    ]);
    expect(transitions[0]).toEqual(xf(1.9));
  });

  it('applies the default transition to tracks never edited', () => {
    const tracks: EditedTrack[] = [
      { name: 'a.mp3', info: { durationSec: 10 } },
      { name: 'b.mp3', info: { durationSec: 10 }, edit: { startSec: 0, transitionAfter: none } },
      { name: 'c.mp3', info: { durationSec: 10 } },
    ];
    expect(clampTransitions(tracks, xf(1)).transitions).toEqual([xf(1), none]);
  });

  it('does not clamp against tracks not probed yet', () => {
    const tracks: EditedTrack[] = [
      { name: 'a.mp3', edit: { startSec: 0, transitionAfter: xf(8) } },
      { name: 'b.mp3' },
    ];
    expect(clampTransitions(tracks)).toEqual({ transitions: [xf(8)], clamped: [] });
  });
});

describe('chapterTimes', () => {
  it.each<[string, EditedTrack[], [number, number][]]>([
    [
      'plain',
      [t(10), t(20), t(5)],
      [
        [0, 10],
        [10, 30],
        [30, 35],
      ],
    ],
    [
      'trims',
      [t(10, { startSec: 2 }), t(20, { endSec: 15 }), t(5)],
      [
        [0, 8],
        [8, 23],
        [23, 28],
      ],
    ],
    // A gap belongs to the chapter before: the next starts when its audio starts.
    [
      'gap',
      [t(10, { transitionAfter: gap(2) }), t(20)],
      [
        [0, 12],
        [12, 32],
      ],
    ],
    // With a crossfade the next chapter starts where the fade starts.
    [
      'crossfade',
      [t(10, { transitionAfter: xf(3) }), t(20)],
      [
        [0, 7],
        [7, 27],
      ],
    ],
    [
      'everything',
      [
        t(10, { startSec: 1, endSec: 9, transitionAfter: xf(2) }),
        t(20, { transitionAfter: gap(1) }),
        t(5, { startSec: 0.5 }),
      ],
      [
        [0, 6],
        [6, 27],
        [27, 31.5],
      ],
    ],
  ])('%s', (_n, tracks, expected) => {
    const { transitions } = clampTransitions(tracks);
    const chapters = chapterTimes(tracks, transitions);
    expect(chapters.map((c) => [c.startSec, c.endSec])).toEqual(expected);
    expect(outputLength(tracks, transitions)).toBe(expected[expected.length - 1]![1]);
  });

  it('uses the clamped crossfade', () => {
    const tracks = [t(10, { transitionAfter: xf(5) }), t(2), t(10)];
    const { transitions } = clampTransitions(tracks);
    expect(chapterTimes(tracks, transitions)[1]!.startSec).toBeCloseTo(10 - 1.9, 9);
  });

  it('titles chapters by the edit or the file name', () => {
    const tracks: EditedTrack[] = [
      t(1, {}, '01 - Intro.mp3'),
      t(1, { chapterTitle: '  The Middle  ' }, 'b.mp3'),
      t(1, { chapterTitle: '' }, 'no-extension'),
      t(1, {}, '.hidden'),
    ];
    expect(chapterTimes(tracks, clampTransitions(tracks).transitions).map((c) => c.title)).toEqual([
      '01 - Intro',
      'The Middle',
      'no-extension',
      '.hidden',
    ]);
  });

  // One rule for the title a track goes by: the editor's placeholder and the chapter written.
  it.each([
    ['Mr. Smith interview', 'Mr. Smith interview'],
    ['Take 1.5', 'Take 1.5'],
    ['Mr. Smith interview.mp3', 'Mr. Smith interview'],
    ['Take 1.5.flac', 'Take 1.5'],
    ['a.b.c.flac', 'a.b.c'],
  ])('a track named %j gets the chapter %j, as the editor shows it', (name, title) => {
    const tracks = [t(1, {}, name), t(1, {}, 'next.mp3')];
    const [chapter] = chapterTimes(tracks, clampTransitions(tracks).transitions);
    expect(chapter!.title).toBe(title);
    expect(trackTitle(name)).toBe(title);
  });
});
