/** Chapter times after exact MP3 joins (lib/lossless/types.ts shiftChapters). */
import { describe, expect, it } from 'vitest';
import { shiftChapters } from '@/lib/lossless';

describe('shiftChapters', () => {
  const joins = [
    { atSec: 2, overlapSec: 0.01 },
    { atSec: 4, overlapSec: 0.02 },
  ];

  it('moves a chapter at or after each join that join’s overlap earlier', () => {
    const chapters = [
      { title: 'A', start: 0, end: 2000 },
      { title: 'B', start: 2000, end: 4000 },
      { title: 'C', start: 4000, end: 6000 },
    ];
    expect(shiftChapters(chapters, joins)).toEqual([
      { title: 'A', start: 0, end: 1990 },
      { title: 'B', start: 1990, end: 3970 },
      { title: 'C', start: 3970, end: 5970 },
    ]);
  });

  it('leaves chapters alone without joins, and a chapter inside a track moves with it', () => {
    const chapters = [{ title: 'inside', start: 3000, end: 3500 }];
    expect(shiftChapters(chapters, [])).toEqual(chapters);
    expect(shiftChapters(chapters, joins)).toEqual([{ title: 'inside', start: 2990, end: 3490 }]);
  });
});
