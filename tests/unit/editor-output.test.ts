import { describe, expect, it } from 'vitest';
import {
  chaptersNote,
  coverChoices,
  coverFromValue,
  coverToValue,
  coverNote,
  fileNamePreview,
  m4rWarning,
  parseChoice,
  qualityFields,
  SAMPLE_RATES,
  shownCover,
  tagPlaceholders,
  tagsNote,
  unavailable,
} from '@/lib/editor/output';
import { defaultTags } from '@/lib/core/settings';
import { audioInfo } from './support/audio-info';

describe('fileNamePreview', () => {
  const date = new Date(2026, 3, 9);
  const tracks = [{ name: 'Intro.mp3' }, { name: 'b.mp3' }, { name: 'c.mp3' }];

  it.each([
    ['{first} + {count} more', 'mp3', 'Intro + 2 more.mp3'],
    ['{first} ({total} tracks)', 'm4b', 'Intro (3 tracks).m4b'],
    ['Episode {date}', 'wav', 'Episode 2026-04-09.wav'],
    ['{first}', 'opus', 'Intro.opus'],
    ['', 'mp3', 'Intro + 2 more.mp3'],
    ['a/b:c', 'flac', 'a_b_c.flac'],
  ])('%j as %s', (template, format, expected) => {
    expect(fileNamePreview(template, tracks, format as 'mp3', date)).toBe(expected);
  });

  it('drops the "+ N more" part for one track', () => {
    expect(fileNamePreview('{first} + {count} more', [{ name: 'Solo.wav' }], 'mp3', date)).toBe(
      'Solo.mp3',
    );
  });

  it('shows an example with an empty queue', () => {
    expect(fileNamePreview('{first} + {count} more', [], 'mp3', date)).toBe(
      'First track + 2 more.mp3',
    );
  });
});

describe('qualityFields', () => {
  it.each([
    ['mp3', 'cbr', { mode: true, bitrate: true, vbrQuality: false }],
    ['mp3', 'vbr', { mode: true, bitrate: false, vbrQuality: true }],
    ['m4a', 'vbr', { mode: false, bitrate: true, vbrQuality: false }],
    ['opus', 'cbr', { mode: false, bitrate: true, vbrQuality: false }],
    ['flac', 'cbr', { mode: false, bitrate: false, vbrQuality: false }],
    ['wav', 'vbr', { mode: false, bitrate: false, vbrQuality: false }],
  ] as const)('%s %s', (format, mp3Mode, expected) => {
    expect(qualityFields({ format, mp3Mode })).toEqual(expected);
  });
});

describe('choices', () => {
  it('reads select values back', () => {
    expect(parseChoice(SAMPLE_RATES, '48000')).toBe(48000);
    expect(parseChoice(SAMPLE_RATES, 'source')).toBe('source');
    expect(parseChoice(SAMPLE_RATES, '12')).toBeUndefined();
  });

  it('offers each track that has a cover, the image file, and none; "first" only when it has one', () => {
    const tracks = [
      { id: 'a', name: 'a.mp3', info: audioInfo() },
      { id: 'b', name: 'Side B.mp3', info: audioInfo({ hasCover: true }) },
      { id: 'c', name: 'c.wav' },
    ];
    expect(coverChoices(tracks)).toEqual([
      { value: 'track:b', label: 'Cover of Side B' },
      { value: 'none', label: 'None' },
    ]);
    const withFirst = [{ id: 'z', name: 'z.mp3', info: audioInfo({ hasCover: true }) }, ...tracks];
    expect(coverChoices(withFirst, 'art.jpg')).toEqual([
      { value: 'first', label: "First track's cover" },
      { value: 'track:b', label: 'Cover of Side B' },
      { value: 'image', label: 'Image: art.jpg' },
      { value: 'none', label: 'None' },
    ]);
  });

  it.each([['first'], ['none'], ['image'], [{ trackId: 'x-1' }]] as const)(
    'cover %j round-trips',
    (cover) => {
      expect(coverFromValue(coverToValue(cover))).toEqual(cover);
    },
  );

  it('shows a cover choice that is not on offer as None, which is what the join does', () => {
    const choices = [{ value: 'track:b' }, { value: 'none' }];
    expect(shownCover(choices, { trackId: 'b' })).toBe('track:b');
    expect(shownCover(choices, 'first')).toBe('none');
    expect(shownCover(choices, 'image')).toBe('none');
    expect(shownCover(choices, { trackId: 'gone' })).toBe('none');
  });
});

describe('notes', () => {
  it('warns about long ringtones only', () => {
    expect(m4rWarning('m4r', 41)).toMatch(/limited to 40 s; this one would be 41 s/);
    expect(m4rWarning('m4r', 40)).toBeUndefined();
    expect(m4rWarning('m4r', undefined)).toBeUndefined();
    expect(m4rWarning('mp3', 400)).toBeUndefined();
  });

  it('says which formats hold chapters and covers', () => {
    expect(chaptersNote('m4b')).toMatch(/MP3, M4A and M4B hold chapters\.$/);
    expect(chaptersNote('ogg')).toMatch(/OGG does not/);
    expect(coverNote('mp3')).toBeUndefined();
    expect(coverNote('wav')).toBe('WAV files get no cover.');
    expect(coverNote('ogg')).toBe('OGG files get no cover.');
    expect(tagsNote('wav')).toBe('WAV files are written without tags.');
    expect(tagsNote('flac')).toBeUndefined();
  });
});

describe('tagPlaceholders', () => {
  it("shows the first track's tags, the year from its date", () => {
    const first = {
      info: audioInfo({ tags: { title: 'One', artist: 'Band', album: 'LP', date: '2019-04-01' } }),
    };
    expect(tagPlaceholders(first)).toEqual({
      ...defaultTags,
      title: 'One',
      artist: 'Band',
      album: 'LP',
      year: '2019',
    });
  });

  it('is empty without a probed first track', () => {
    expect(tagPlaceholders(undefined)).toEqual(defaultTags);
    expect(tagPlaceholders({ info: audioInfo({ tags: { album_artist: 'X' } }) }).artist).toBe('X');
  });
});

describe('unavailable', () => {
  it('says why a control does nothing for the format, and nothing where it applies', () => {
    expect(unavailable('mp3')).toEqual({});
    expect(unavailable('m4b')).toEqual({});
    expect(unavailable('wav')).toEqual({
      chapters: 'WAV holds no chapters; MP3, M4A and M4B do.',
      cover: 'WAV files hold no cover picture.',
      tags: 'WAV files are written without tags.',
    });
    expect(unavailable('opus')).toMatchObject({
      chapters: expect.stringMatching(/^Opus holds no chapters/),
      sampleRate: 'Opus is always 48 kHz.',
    });
    expect(unavailable('flac').cover).toBeUndefined();
  });
});

describe('fileNamePreview with a title', () => {
  const date = new Date(2024, 2, 5);
  it('names the file after the Title tag when the template is the default', () => {
    const tracks = [{ name: 'Part 1.mp3' }, { name: 'Part 2.mp3' }];
    expect(fileNamePreview('{title}', tracks, 'm4b', date, 'The Long Book')).toBe(
      'The Long Book.m4b',
    );
    expect(fileNamePreview('{title}', tracks, 'm4b', date, '')).toBe('Part 1 + 1 more.m4b');
    expect(fileNamePreview('{title} ({date})', tracks, 'mp3', date, 'Show')).toBe(
      'Show (2024-03-05).mp3',
    );
  });
});
