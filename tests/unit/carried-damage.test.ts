import { describe, expect, it } from 'vitest';
import { carriedDamage, type JobState } from '@/lib/core/job';
import type { Track } from '@/lib/core/track';

const track = (id: string, error?: Track['error']): Track =>
  ({
    id,
    name: `${id}.mp3`,
    size: 1,
    mime: 'audio/mpeg',
    addedAt: 0,
    position: 0,
    source: { kind: 'file' },
    status: error ? 'error' : 'ready',
    ...(error ? { error } : {}),
  }) as Track;

const done: JobState = {
  id: 'j',
  trackIds: ['a', 'b', 'c'],
  format: 'mp3',
  fileName: 'a + 2 more.mp3',
  startedAt: 0,
  status: 'done',
  bytes: 10,
  finishedAt: 1,
  lossless: true,
};

const carried = {
  code: 'corrupt-audio' as const,
  message: 'damaged',
  text: { key: 'errors.carriedAsItWas' as const, subs: ['The audio is damaged.'] },
};

describe('carriedDamage: the saved line names tracks found damaged after a copy', () => {
  it('names, in the join order, the joined tracks whose check found damage after the copy', () => {
    const tracks = [track('c', carried), track('a'), track('b', carried), track('x', carried)];
    expect(carriedDamage(done, tracks)).toEqual(['b.mp3', 'c.mp3']);
  });

  it('names tracks found damaged after a re-encode too', () => {
    const decoded = {
      ...carried,
      text: { key: 'errors.decodedAsRead' as const, subs: ['The audio is damaged.'] },
    };
    const reencoded: JobState = { ...done, lossless: false };
    expect(carriedDamage(reencoded, [track('b', decoded), track('a')])).toEqual(['b.mp3']);
  });

  it('says nothing of other errors, of running or failed joins', () => {
    const other = { code: 'corrupt-audio' as const, message: 'damaged' };
    expect(carriedDamage(done, [track('a', other)])).toEqual([]);
    expect(carriedDamage({ ...done, status: 'canceled' }, [track('a', carried)])).toEqual([]);
    expect(carriedDamage(null, [track('a', carried)])).toEqual([]);
  });
});
