import { describe, expect, it } from 'vitest';
import {
  hasTrackNumbers,
  naturalCompare,
  naturalSort,
  reverseOrder,
  sortTracks,
  trackDate,
  trackNumber,
} from '@/lib/editor/sort';
import type { AudioInfo, Track } from '@/lib/core/track';
import { audioInfo } from './support/audio-info';

const info = (tags: Record<string, string> = {}): AudioInfo => audioInfo({ tags });

type T = Pick<Track, 'id' | 'name' | 'addedAt' | 'info'> & { modifiedAt?: number };
const track = (name: string, tags?: Record<string, string>, extra: Partial<T> = {}): T => ({
  id: name,
  name,
  addedAt: 0,
  ...(tags ? { info: info(tags) } : {}),
  ...extra,
});

describe('naturalCompare', () => {
  it.each([
    ['Part 2.mp3', 'Part 10.mp3', -1],
    ['Part 10.mp3', 'Part 9.mp3', 1],
    ['chapter 01', 'Chapter 1', 1],
    ['a', 'B', -1],
    ['Track 1', 'Track 1', 0],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(naturalCompare(a, b))).toBe(sign);
  });

  it('sorts 34 files given in reverse into reading order', () => {
    const names = Array.from({ length: 34 }, (_, i) => `Part ${34 - i}.mp3`);
    expect(naturalSort(names, (n) => n)).toEqual(
      Array.from({ length: 34 }, (_, i) => `Part ${i + 1}.mp3`),
    );
  });

  it('keeps the order of equal keys', () => {
    const items = [
      { k: 'a', n: 1 },
      { k: 'A', n: 2 },
      { k: 'a', n: 3 },
    ];
    expect(naturalSort(items, (x) => x.k.toLowerCase()).map((x) => x.n)).toEqual([1, 2, 3]);
  });
});

describe('sortTracks', () => {
  it('by name, as people count', () => {
    const tracks = [track('Part 10.mp3'), track('Part 2.mp3'), track('Part 1.mp3')];
    expect(sortTracks(tracks, 'name')).toEqual(['Part 1.mp3', 'Part 2.mp3', 'Part 10.mp3']);
  });

  it('by disc and track number from the tags; tracks without one after, by name', () => {
    const tracks = [
      track('z.mp3', { track: '2/12', disc: '1/2' }),
      track('y.mp3', { track: '1', disc: '2/2' }),
      track('x.mp3', { track: '01/12', disc: '1' }),
      track('b.mp3', {}),
      track('a.mp3'),
    ];
    expect(trackNumber(tracks[0]!)).toEqual({ disc: 1, track: 2 });
    expect(sortTracks(tracks, 'number')).toEqual(['x.mp3', 'z.mp3', 'y.mp3', 'a.mp3', 'b.mp3']);
    expect(hasTrackNumbers(tracks)).toBe(true);
    expect(hasTrackNumbers([track('a.mp3', {})])).toBe(false);
  });

  it('by date: the recording date in the tags, else the file date, else when it was added', () => {
    const tracks = [
      track('late.m4a', { creation_time: '2024-05-02T10:00:00.000000Z' }),
      track('file-date.mp3', {}, { modifiedAt: Date.UTC(2023, 0, 1) }),
      track('year.mp3', { date: '2022' }),
      track('early.m4a', { creation_time: '2024-05-01T09:00:00Z' }),
    ];
    expect(trackDate(tracks[2]!)).toBe(Date.UTC(2022, 0, 1));
    expect(sortTracks(tracks, 'date')).toEqual([
      'year.mp3',
      'file-date.mp3',
      'early.m4a',
      'late.m4a',
    ]);
  });

  it('reverses', () => {
    expect(reverseOrder([{ id: 'a' }, { id: 'b' }, { id: 'c' }])).toEqual(['c', 'b', 'a']);
  });
});
