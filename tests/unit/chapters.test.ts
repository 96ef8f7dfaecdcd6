import { describe, expect, it } from 'vitest';
import type { SourceChapter, TrackEdit, Transition } from '@/lib/core/track';
import {
  chapterTimes,
  keptChapters,
  resolveChapterMode,
  type ChapterTrack,
} from '@/lib/plan/chapters';
import { clampTransitions } from '@/lib/plan/timeline';

const none: Transition = { kind: 'none' };
const gap = (seconds: number): Transition => ({ kind: 'gap', seconds });
const xf = (seconds: number): Transition => ({ kind: 'crossfade', seconds, curve: 'linear' });
const ch = (title: string, startSec: number, endSec: number): SourceChapter => ({
  title,
  startSec,
  endSec,
});

function t(
  durationSec: number,
  opts: {
    edit?: Partial<TrackEdit>;
    name?: string;
    title?: string;
    chapters?: SourceChapter[];
  } = {},
): ChapterTrack {
  return {
    name: opts.name ?? 'Track.mp3',
    info: {
      durationSec,
      tags: opts.title ? { title: opts.title } : {},
      ...(opts.chapters ? { chapters: opts.chapters } : {}),
    },
    edit: { startSec: 0, transitionAfter: none, ...opts.edit },
  };
}

const times = (tracks: ChapterTrack[], mode: 'keep' | 'per-track' | 'auto' | 'none' = 'keep') =>
  chapterTimes(tracks, clampTransitions(tracks).transitions, { mode, titleFrom: 'file' }).map(
    (c) => [c.title, c.startSec, c.endSec],
  );

/** A 30-minute book part with three chapters of its own. */
const book = (name: string, edit: Partial<TrackEdit> = {}) =>
  t(1800, {
    name,
    edit,
    chapters: [ch('One', 0, 600), ch('Two', 600, 1200), ch('Three', 1200, 1800)],
  });

describe("keeping the tracks' own chapters", () => {
  it('brings each track’s chapters, shifted to where the track starts', () => {
    expect(times([book('Part 1.m4b'), book('Part 2.m4b')])).toEqual([
      ['One', 0, 600],
      ['Two', 600, 1200],
      ['Three', 1200, 1800],
      ['One', 1800, 2400],
      ['Two', 2400, 3000],
      ['Three', 3000, 3600],
    ]);
  });

  it('a trim cuts into chapters: the first kept one starts where the audio starts', () => {
    // 700 s trimmed from the start: One is gone, Two keeps 500 s, Three is whole.
    expect(
      times([book('Part 1.m4b', { startSec: 700, endSec: 1500 }), t(60, { name: 'Outro.mp3' })]),
    ).toEqual([
      ['Two', 0, 500],
      ['Three', 500, 800],
      ['Outro', 800, 860],
    ]);
  });

  it('a sliver a trim leaves (under a second) is dropped, its time going to the chapter before', () => {
    expect(times([book('Part 1.m4b', { endSec: 1200.5 })])).toEqual([
      ['One', 0, 600],
      ['Two', 600, 1200.5],
    ]);
  });

  it('gaps and crossfades before a track move its chapters with it', () => {
    const tracks = [
      t(100, { name: 'Intro.mp3', edit: { transitionAfter: gap(2) } }),
      book('Part 1.m4b', { transitionAfter: xf(4) }),
      book('Part 2.m4b'),
    ];
    const out = times(tracks);
    expect(out[0]).toEqual(['Intro', 0, 102]);
    expect(out[1]).toEqual(['One', 102, 702]);
    // Part 2 starts where the crossfade into it starts: 102 + 1800 - 4.
    expect(out[4]).toEqual(['One', 1898, 2498]);
    expect(out[out.length - 1]![2]).toBe(1898 + 1800);
  });

  it('a track without chapters of its own gets one, titled as usual', () => {
    expect(times([t(10, { name: 'Cold open.mp3' }), book('Part 1.m4b')]).slice(0, 2)).toEqual([
      ['Cold open', 0, 10],
      ['One', 10, 610],
    ]);
  });

  it('lead-in before the first chapter becomes a chapter named after the track', () => {
    const late = t(100, { name: 'Side A.mp3', chapters: [ch('Song', 5, 100)] });
    expect(times([late])).toEqual([
      ['Side A', 0, 5],
      ['Song', 5, 100],
    ]);
    // Half a second of lead-in is not a chapter: the first chapter starts at 0.
    const tight = t(100, { name: 'Side B.mp3', chapters: [ch('Song', 0.5, 100)] });
    expect(times([tight])).toEqual([['Song', 0, 100]]);
  });

  it('nested chapters are flattened: the innermost names each span', () => {
    const nested = t(300, {
      chapters: [ch('Part I', 0, 300), ch('Chapter 1', 0, 100), ch('Chapter 2', 100, 300)],
    });
    expect(times([nested])).toEqual([
      ['Chapter 1', 0, 100],
      ['Chapter 2', 100, 300],
    ]);
  });

  it('chapters out of order or with nonsense times are put right or left out', () => {
    const odd = t(300, {
      chapters: [ch('B', 100, 300), ch('A', 0, 100), ch('Bad', -5, 10), ch('NaN', NaN, 1)],
    });
    expect(keptChapters(odd).map((c) => c.title)).toEqual(['A', 'B']);
  });
});

describe('modes and titles', () => {
  it('"auto" keeps chapters when any track has some, else one per track', () => {
    expect(resolveChapterMode('auto', [t(10), book('b.m4b')])).toBe('keep');
    expect(resolveChapterMode('auto', [t(10), t(20)])).toBe('per-track');
    expect(resolveChapterMode('none', [book('b.m4b')])).toBe('none');
  });

  it('"one per track" ignores the tracks’ own chapters; "none" writes none', () => {
    expect(times([book('Part 1.m4b'), book('Part 2.m4b')], 'per-track')).toEqual([
      ['Part 1', 0, 1800],
      ['Part 2', 1800, 3600],
    ]);
    expect(times([book('Part 1.m4b')], 'none')).toEqual([]);
  });

  it('titles come from the title tag when chosen, the typed chapter title first', () => {
    const tracks = [
      t(10, { name: '01.mp3', title: 'The Beginning' }),
      t(10, { name: '02.mp3', title: 'Ignored', edit: { chapterTitle: 'Typed' } }),
      t(10, { name: '03.mp3' }),
    ];
    const { transitions } = clampTransitions(tracks);
    const titles = (titleFrom: 'tag' | 'file') =>
      chapterTimes(tracks, transitions, { mode: 'per-track', titleFrom }).map((c) => c.title);
    expect(titles('tag')).toEqual(['The Beginning', 'Typed', '03']);
    expect(titles('file')).toEqual(['01', 'Typed', '03']);
  });
});
