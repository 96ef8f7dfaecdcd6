import { describe, expect, it } from 'vitest';
import { isAudioFile, orderBatch, pickedFolder } from '@/lib/queue/files';
import { secondsLeft } from '@/lib/queue/progress';

const file = (name: string, type = '', path = name) => {
  const f = new File(['x'], name, { type });
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
};

describe('isAudioFile', () => {
  it.each([
    ['a.mp3', '', true],
    ['a.M4B', '', true],
    ['voice', 'audio/ogg', true],
    ['cover.jpg', 'image/jpeg', false],
    ['notes.txt', 'text/plain', false],
    ['.DS_Store', '', false],
    ['._01.mp3', '', false],
  ])('%s (%s): %s', (name, type, expected) => {
    expect(isAudioFile({ name, type })).toBe(expected);
  });
});

describe('folders', () => {
  it('takes the audio of a picked folder in name order, subfolders included', () => {
    const files = [
      file('Part 10.mp3', '', 'Book/Part 10.mp3'),
      file('cover.jpg', 'image/jpeg', 'Book/cover.jpg'),
      file('Part 2.mp3', '', 'Book/Part 2.mp3'),
      file('01.mp3', '', 'Book/CD2/01.mp3'),
      file('Part 1.mp3', '', 'Book/Part 1.mp3'),
    ];
    const batch = pickedFolder(files, false);
    expect(batch.files.map((f) => f.webkitRelativePath)).toEqual([
      'Book/CD2/01.mp3',
      'Book/Part 1.mp3',
      'Book/Part 2.mp3',
      'Book/Part 10.mp3',
    ]);
    expect(batch.folders).toEqual(['Book']);
    expect(batch.skipped).toBe(1);
  });

  it('keeps a drop in the order given unless sorting by name, each folder sorted inside', () => {
    const loose = [{ file: file('b.mp3'), path: 'b.mp3' }];
    const folders = [
      {
        name: 'A',
        files: [
          { file: file('2.mp3'), path: 'A/2.mp3' },
          { file: file('1.mp3'), path: 'A/1.mp3' },
        ],
      },
    ];
    const names = (byName: boolean) => orderBatch(loose, folders, byName).files.map((f) => f.name);
    expect(names(false)).toEqual(['b.mp3', '1.mp3', '2.mp3']);
    expect(names(true)).toEqual(['1.mp3', '2.mp3', 'b.mp3']);
  });
});

describe('secondsLeft', () => {
  it('says nothing until a phase has run a while, then extrapolates its pace', () => {
    expect(secondsLeft([])).toBeUndefined();
    expect(
      secondsLeft([
        { at: 0, percent: 0 },
        { at: 1000, percent: 10 },
      ]),
    ).toBeUndefined();
    expect(
      secondsLeft([
        { at: 0, percent: 0 },
        { at: 1000, percent: 10 },
        { at: 4000, percent: 40 },
      ]),
    ).toBeCloseTo(6, 5);
    expect(
      secondsLeft([
        { at: 0, percent: 0 },
        { at: 9000, percent: 100 },
      ]),
    ).toBeUndefined();
  });
});

describe('cue sheets in a batch', () => {
  it('are set apart from the audio, loose or in folders, and not counted as skipped', () => {
    const loose = [{ file: file('Book.cue'), path: 'Book.cue' }];
    const folders = [
      {
        name: 'Book',
        files: [
          { file: file('2.mp3'), path: 'Book/2.mp3' },
          { file: file('Book.cue'), path: 'Book/Book.cue' },
          { file: file('cover.jpg'), path: 'Book/cover.jpg' },
        ],
      },
    ];
    const batch = orderBatch(loose, folders, true);
    expect(batch.files.map((f) => f.name)).toEqual(['2.mp3']);
    expect(batch.cues.map((f) => f.name)).toEqual(['Book.cue', 'Book.cue']);
    expect(batch.skipped).toBe(1);
  });
});
