import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cueBatch,
  cueChapters,
  cueSourceChapters,
  cueTime,
  decodeCue,
  matchCueFiles,
  parseCue,
} from '@/lib/media/cue';
import { chapterFileName, chaptersCue, chaptersJson, chaptersText } from '@/lib/plan/chapter-files';
import { clockMillis, cueClock } from '@/lib/core/text';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/cue', name)));

describe('reading cue sheets', () => {
  it('EAC, separate files with gaps appended: files in order, titles, REM lines, pregaps', () => {
    const sheet = parseCue(decodeCue(fixture('eac-separate-gaps-appended.cue')));
    expect(sheet.title).toBe("Who's Next");
    expect(sheet.performer).toBe('The Who');
    expect(sheet.rem).toMatchObject({
      GENRE: 'Rock',
      DATE: '1971',
      COMMENT: 'ExactAudioCopy v1.6',
    });
    expect(sheet.files.map((f) => f.name)).toEqual([
      "01 - Baba O'Riley.wav",
      '02 - Bargain.wav',
      "03 - Love Ain't for Keeping.wav",
    ]);
    // Track 2's pregap sits at the end of file 1; its INDEX 01 starts file 2.
    const [one, two] = sheet.files;
    expect(one!.tracks.map((t) => t.title)).toEqual(["Baba O'Riley"]);
    expect(two!.tracks).toEqual([
      {
        number: 2,
        title: 'Bargain',
        performer: 'The Who',
        pregapSec: 4 * 60 + 58 + 40 / 75,
        startSec: 0,
      },
    ]);
  });

  it('UTF-8 with a BOM, one file holding three chapters, times past an hour', () => {
    const sheet = parseCue(decodeCue(fixture('utf8-bom-single-file.cue')));
    expect(sheet.performer).toBe('Jürgen Müller');
    expect(sheet.rem['GENRE']).toBe('Hörbuch');
    expect(cueChapters(sheet.files[0]!, 5000)).toEqual([
      { title: 'Kapitel 1: Die Reise', startSec: 0, endSec: 725 },
      { title: 'Kapitel 2: Überfahrt', startSec: 725, endSec: 75 * 60 + 40 + 12 / 75 },
      { title: 'Kapitel 3: Gauß', startSec: 75 * 60 + 40 + 12 / 75, endSec: 5000 },
    ]);
  });

  it('Latin-1 (Windows-1252) text is read as such', () => {
    const sheet = parseCue(decodeCue(fixture('latin1-image.cue')));
    expect(sheet.performer).toBe('Sigur Rós');
    expect(sheet.title).toBe('Ágætis byrjun');
    expect(sheet.files[0]!.tracks[1]!.title).toBe('Sváfrvöld');
  });

  it.each([
    ['00:00:00', 0],
    ['01:02:74', 62 + 74 / 75],
    ['120:00:00', 7200],
    ['1:2:3', 62 + 3 / 75],
    ['00:60:00', undefined],
    ['00:00:75', undefined],
    ['abc', undefined],
  ])('cue time %s', (text, sec) => {
    expect(cueTime(text)).toBe(sec);
  });

  it('what is not a cue sheet reads as one with no files', () => {
    expect(parseCue('hello\nworld').files).toEqual([]);
    expect(parseCue('TRACK 01 AUDIO\nINDEX 01 00:00:00').files).toEqual([]);
  });

  it('matches FILE entries to added files by name, then by name without extension', () => {
    const sheet = parseCue(decodeCue(fixture('eac-separate-gaps-appended.cue')));
    const added = ["03 - Love Ain't for Keeping.flac", "01 - Baba O'Riley.flac", 'cover.jpg'];
    expect(matchCueFiles(sheet, added)).toEqual([1, undefined, 0]);
  });
});

describe('writing chapter files', () => {
  const chapters = [
    { title: 'Opening', startSec: 0, endSec: 61.5 },
    { title: 'The "Middle"', startSec: 61.5, endSec: 3725.25 },
    { title: 'End', startSec: 3725.25, endSec: 4000 },
  ];

  it('a cue sheet that reads back as the same chapters', () => {
    const text = chaptersCue(chapters, 'Book.m4b', { title: 'Book', artist: 'Ann Author' });
    const sheet = parseCue(text);
    expect(sheet.title).toBe('Book');
    expect(sheet.files[0]!.name).toBe('Book.m4b');
    const back = cueChapters(sheet.files[0]!, 4000);
    expect(back.map((c) => c.title)).toEqual(['Opening', 'The \u201dMiddle\u201d', 'End']);
    // Cue times are 1/75 s: within a frame.
    back.forEach((c, i) =>
      expect(Math.abs(c.startSec - chapters[i]!.startSec)).toBeLessThan(1 / 75),
    );
    expect(text).toContain('FILE "Book.m4b" WAVE');
    expect(chaptersCue(chapters, 'x.mp3')).toContain('FILE "x.mp3" MP3');
  });

  it('m4b-tool / tone chapter lines', () => {
    expect(chaptersText(chapters)).toBe(
      '00:00:00.000 Opening\n00:01:01.500 The "Middle"\n01:02:05.250 End\n',
    );
  });

  it('Podcasting 2.0 JSON chapters', () => {
    expect(JSON.parse(chaptersJson(chapters))).toEqual({
      version: '1.2.0',
      chapters: [
        { startTime: 0, endTime: 61.5, title: 'Opening' },
        { startTime: 61.5, endTime: 3725.25, title: 'The "Middle"' },
        { startTime: 3725.25, endTime: 4000, title: 'End' },
      ],
    });
  });

  it('clocks and names', () => {
    expect(clockMillis(3725.2504)).toBe('01:02:05.250');
    expect(cueClock(6000.5)).toBe('100:00:37');
    expect(chapterFileName('My Book.m4b', 'cue')).toBe('My Book.cue');
    expect(chapterFileName('My Book.m4b', 'txt')).toBe('My Book.chapters.txt');
    expect(chapterFileName('My Book.m4b', 'json')).toBe('My Book.chapters.json');
  });
});

describe('a batch added with its cue sheet', () => {
  it('EAC separate files: queued in the cue order, each titled by its TRACK, tags from the sheet', () => {
    const sheet = parseCue(decodeCue(fixture('eac-separate-gaps-appended.cue')));
    const names = ['notes.txt.mp3', "03 - Love Ain't for Keeping.flac", '02 - Bargain.flac'];
    const batch = cueBatch([{ name: 'Whos Next.cue', sheet }], names);
    // The FLACs made from the WAV rips are matched by name; the first file is missing.
    expect(batch.missing).toEqual([{ cue: 'Whos Next.cue', file: "01 - Baba O'Riley.wav" }]);
    expect(batch.order).toEqual([2, 1, 0]);
    expect(batch.perFile.get(2)).toEqual({ chapterTitle: 'Bargain' });
    expect(batch.perFile.get(1)).toEqual({ chapterTitle: "Love Ain't for Keeping" });
    expect(batch.perFile.has(0)).toBe(false);
    expect(batch.tags).toEqual({
      title: "Who's Next",
      album: "Who's Next",
      artist: 'The Who',
      year: '1971',
      genre: 'Rock',
    });
  });

  it('one file with a TRACK per chapter: the chapters go to that file', () => {
    const sheet = parseCue(decodeCue(fixture('utf8-bom-single-file.cue')));
    const batch = cueBatch([{ name: 'Buch.cue', sheet }], ['Die Zählung der Welt.m4b']);
    expect(batch.missing).toEqual([]);
    const chapters = batch.perFile.get(0)?.chapters ?? [];
    expect(chapters.map((c) => c.title).slice(0, 3)).toEqual([
      'Kapitel 1: Die Reise',
      'Kapitel 2: Überfahrt',
      'Kapitel 3: Gauß',
    ]);
    expect(chapters[1]?.startSec).toBeCloseTo(12 * 60 + 5, 6);
    // As the file's own chapters, each ends where the next starts, the last at the file's end.
    const own = cueSourceChapters(chapters, 5000);
    expect(own[0]).toEqual({ title: 'Kapitel 1: Die Reise', startSec: 0, endSec: 725 });
    expect(own.at(-1)?.endSec).toBe(5000);
  });

  it('without cue sheets the batch keeps its order', () => {
    expect(cueBatch([], ['b', 'a']).order).toEqual([0, 1]);
  });
});
