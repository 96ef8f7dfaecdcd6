import { describe, expect, it } from 'vitest';
import { failureStillRelevant, type JobState } from '@/lib/core/job';
import { outputFileName } from '@/lib/core/naming';

const failed = (trackIds: string[], trackId?: string): JobState => ({
  id: 'j',
  trackIds,
  format: 'mp3',
  fileName: 'a.mp3',
  startedAt: 0,
  finishedAt: 1,
  status: 'failed',
  error: { code: 'join-failed', message: 'x', ...(trackId ? { trackId } : {}) },
});

describe('a failed join belongs to the queue it was about', () => {
  it('stays while the queue holds the same tracks, in any order', () => {
    expect(failureStillRelevant(failed(['a', 'b']), ['a', 'b'])).toBe(true);
    expect(failureStillRelevant(failed(['a', 'b']), ['b', 'a'])).toBe(true);
  });
  it('goes after Clear all, with new files, or once its track is removed', () => {
    expect(failureStillRelevant(failed(['a', 'b']), [])).toBe(false);
    expect(failureStillRelevant(failed(['a', 'b']), ['c'])).toBe(false);
    expect(failureStillRelevant(failed(['a', 'b']), ['a', 'b', 'c'])).toBe(false);
    expect(failureStillRelevant(failed(['a', 'b'], 'b'), ['a'])).toBe(false);
  });
});

describe('the untitled name in the person’s words', () => {
  it('says the count with the language’s own word, and drops it for one track', () => {
    const de = '{first} + {count} weitere';
    expect(outputFileName('Folge 1.mp3', 4, 'mp3', '{title}', new Date(), '', de)).toBe(
      'Folge 1 + 3 weitere.mp3',
    );
    expect(outputFileName('Folge 1.mp3', 1, 'mp3', '{title}', new Date(), '', de)).toBe(
      'Folge 1.mp3',
    );
    expect(outputFileName('Folge 1.mp3', 4, 'mp3', '{title}', new Date(), 'Staffel')).toBe(
      'Staffel.mp3',
    );
  });
});
