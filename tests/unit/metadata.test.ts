import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll, vi } from 'vitest';
import { joinMp3, retagMp3 } from '@/lib/lossless';
import { buildId3v2, id3v2TagSize, parseId3v2, readLeadingId3 } from '@/lib/containers/id3';
import {
  chapterMillis,
  escapeFfmetadata,
  ffmetadata,
  resolveTags,
  userTagChanges,
} from '@/lib/plan/tags';
import { decodedDuration, ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { FIXTURES } from '../support/paths';
import { tempFolder } from './support/files';
import { COVER_IMAGE_ID } from '@/lib/core/settings';

beforeAll(requireNativeFfmpeg);
// Each test runs native ffmpeg a few times: on two busy cores that can pass the 5 s default.
vi.setConfig({ testTimeout: 30_000 });
const tmp = tempFolder('metadata').dir;

describe('FFMETADATA1', () => {
  it.each([
    ['plain', 'plain'],
    ['a=b', 'a\\=b'],
    ['semi;colon', 'semi\\;colon'],
    ['#hash', '\\#hash'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\\nlines'],
    ['crlf\r\nline', 'crlf\\\nline'],
    ['all =;#\\\n', 'all \\=\\;\\#\\\\\\\n'],
  ])('escapes %j', (raw, escaped) => {
    expect(escapeFfmetadata(raw)).toBe(escaped);
  });

  it('writes tags and millisecond chapters', () => {
    const text = ffmetadata({ title: 'A = B', artist: 'Me' }, [
      { title: 'One', startSec: 0, endSec: 1.2345 },
      { title: 'Two; too', startSec: 1.2345, endSec: 3 },
    ]);
    expect(text).toBe(
      [
        ';FFMETADATA1',
        'title=A \\= B',
        'artist=Me',
        '',
        '[CHAPTER]',
        'TIMEBASE=1/1000',
        'START=0',
        'END=1235',
        'title=One',
        '',
        '[CHAPTER]',
        'TIMEBASE=1/1000',
        'START=1235',
        'END=3000',
        'title=Two\\; too',
        '',
      ].join('\n'),
    );
  });

  it('keeps chapters contiguous after rounding', () => {
    const ms = chapterMillis([
      { title: 'a', startSec: 0, endSec: 1.0004 },
      { title: 'b', startSec: 1.0006, endSec: 2 },
    ]);
    expect(ms).toEqual([
      { title: 'a', start: 0, end: 1001 },
      { title: 'b', start: 1001, end: 2000 },
    ]);
  });

  it('ffmpeg reads back what it escapes', async () => {
    const title = 'We = one; #1 \\ two\nlines';
    const meta = join(tmp, 'meta.txt');
    writeFileSync(meta, ffmetadata({ title }, [{ title: 'x=y', startSec: 0, endSec: 1 }]));
    const out = join(tmp, 'meta.m4a');
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'sine=d=1', '-f', 'ffmetadata', '-i', meta],
      ...['-map', '0:a', '-map_metadata', '1', '-map_chapters', '1', '-c:a', 'aac', out],
    ]);
    const probe = await ffprobe(out);
    expect(probe.format.tags?.title).toBe(title);
    expect(probe.chapters[0]!.tags?.title).toBe('x=y');
  });
});

describe('resolveTags', () => {
  const first = {
    title: 'Chapter 1',
    artist: 'Author',
    album: 'Book',
    date: '2019',
    genre: 'Audiobook',
    track: '1/40',
    encoder: 'Lavf',
  };

  it('takes the first track’s tag for an empty field', () => {
    expect(resolveTags(first, { title: '', artist: '', album: '', year: '' })).toEqual({
      title: 'Chapter 1',
      artist: 'Author',
      album: 'Book',
      date: '2019',
      genre: 'Audiobook',
    });
  });

  it('uses the editor’s fields, trimmed', () => {
    expect(resolveTags(first, { title: ' Whole book ', year: '2024' })).toMatchObject({
      title: 'Whole book',
      artist: 'Author',
      date: '2024',
    });
  });

  it('adds nothing when there is nothing', () => {
    expect(resolveTags({}, {})).toEqual({});
  });

  it('lists only the fields that change the first track’s', () => {
    expect(
      userTagChanges(first, { title: 'Chapter 1', artist: 'Other', album: '', year: '2019' }),
    ).toEqual({
      artist: 'Other',
    });
  });
});

describe('ID3v2', () => {
  const fixture = readFileSync(join(FIXTURES, 'with-tags-and-cover.mp3'));
  const size = id3v2TagSize(fixture);

  it('reads the fixture’s tag', () => {
    expect(size).toBeGreaterThan(10);
    const tag = parseId3v2(fixture.subarray(0, size))!;
    expect(tag.major).toBe(3);
    expect(tag.frames.map((f) => f.id)).toEqual(expect.arrayContaining(['TIT2', 'TPE1', 'APIC']));
  });

  it('round-trips: edited text, chapters, the rest kept', () => {
    const old = parseId3v2(fixture.subarray(0, size))!;
    const bytes = buildId3v2(old, {
      set: { title: 'Joined ünïcødé' },
      chapters: [
        { title: 'One', start: 0, end: 1000 },
        { title: 'Two', start: 1000, end: 2500 },
      ],
      cover: 'keep',
    });
    expect(id3v2TagSize(bytes)).toBe(bytes.length);
    const back = parseId3v2(bytes)!;
    expect(back.major).toBe(3);
    const ids = back.frames.map((f) => f.id);
    expect(ids.filter((i) => i === 'TIT2')).toHaveLength(1);
    expect(ids).toEqual(expect.arrayContaining(['TPE1', 'TALB', 'APIC', 'CTOC', 'CHAP']));
    expect(ids.filter((i) => i === 'CHAP')).toHaveLength(2);
    const apicOld = old.frames.find((f) => f.id === 'APIC')!.body;
    expect(Buffer.from(back.frames.find((f) => f.id === 'APIC')!.body)).toEqual(
      Buffer.from(apicOld),
    );
  });

  it('drops the cover when asked and writes v2.4 UTF-8 when there was no tag', () => {
    const bytes = buildId3v2(undefined, { set: { title: 'Ω' }, chapters: [], cover: 'none' });
    const back = parseId3v2(bytes)!;
    expect(back.major).toBe(4);
    expect(back.frames).toEqual([{ id: 'TIT2', flags: 0, body: new Uint8Array([3, 0xce, 0xa9]) }]);
  });

  it('undoes v2.3 unsynchronisation', () => {
    // A v2.3 tag with the unsync flag: TIT2 body 00 FF 00 E0 → 00 FF E0.
    const body = [0x54, 0x49, 0x54, 0x32, 0, 0, 0, 3, 0, 0, 0, 0xff, 0x00, 0xe0];
    const tag = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0x80, 0, 0, 0, body.length, ...body]);
    expect(parseId3v2(tag)!.frames[0]!.body).toEqual(new Uint8Array([0, 0xff, 0xe0]));
  });

  it('refuses junk (v2.2: tests/unit/id3v22.test.ts)', () => {
    expect(id3v2TagSize(new Uint8Array(10))).toBe(0);
    expect(parseId3v2(new Uint8Array(10))).toBeUndefined();
  });

  const tones = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];
  const input = (name: string) => ({
    id: name,
    name,
    blob: new Blob([readFileSync(join(FIXTURES, name))]),
  });

  it('retagMp3 replaces only the leading tag; the audio bytes are the same', async () => {
    const joined = await joinMp3(tones.map(input));
    const edited = await retagMp3(joined, {
      set: { title: 'T' },
      chapters: [{ title: 'a', start: 0, end: 2000 }],
      cover: 'none',
    });
    const { size: oldSize } = await readLeadingId3(joined);
    const { tag, size: newSize } = await readLeadingId3(edited);
    expect(tag!.frames.map((f) => f.id)).toEqual(['TIT2', 'CTOC', 'CHAP']);
    const a = new Uint8Array(await joined.slice(oldSize).arrayBuffer());
    const b = new Uint8Array(await edited.slice(newSize).arrayBuffer());
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  });

  it('ffprobe reads the chapters, tags and the cover taken from another track', async () => {
    const joined = await joinMp3([...tones, 'with-tags-and-cover.mp3'].map(input));
    const edited = await retagMp3(
      joined,
      {
        set: { title: 'Joined', artist: 'Seam Tests', year: '2025' },
        chapters: [
          { title: 'Four forty', start: 0, end: 2000 },
          { title: 'Six sixty', start: 2000, end: 4000 },
          { title: 'Tagged', start: 4000, end: 5040 },
        ],
        cover: { trackId: 'with-tags-and-cover.mp3' },
      },
      input('with-tags-and-cover.mp3').blob,
    );
    const out = join(tmp, 'retagged.mp3');
    writeFileSync(out, new Uint8Array(await edited.arrayBuffer()));
    const probe = await ffprobe(out);
    expect(probe.format.tags).toMatchObject({
      title: 'Joined',
      artist: 'Seam Tests',
      date: '2025',
    });
    expect(
      probe.chapters.map((c) => [Number(c.start_time), Number(c.end_time), c.tags?.title]),
    ).toEqual([
      [0, 2, 'Four forty'],
      [2, 4, 'Six sixty'],
      [4, 5.04, 'Tagged'],
    ]);
    const pic = probe.streams.find((s) => s.codec_type === 'video');
    expect(pic).toMatchObject({ codec_name: 'png', disposition: { attached_pic: 1 } });
    // The audio still decodes from start to end.
    expect(await decodedDuration(out)).toBeGreaterThan(4.9);
  });
});

describe('the tags and cover added for the UI', () => {
  const tones = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];
  const input = (name: string) => ({
    id: name,
    name,
    blob: new Blob([readFileSync(join(FIXTURES, name))]),
  });
  it('writes genre, track number, album artist, comment and an image of one’s own', async () => {
    const image = execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'color=red:s=32x32', '-frames:v', '1'],
      ...['-c:v', 'mjpeg', '-f', 'image2pipe', '-'],
    ]);
    const joined = await joinMp3(tones.map(input));
    const edited = await retagMp3(
      joined,
      {
        set: { genre: 'Talk', track: '3/9', albumArtist: 'Various', comment: 'Recorded live' },
        chapters: [],
        cover: { trackId: COVER_IMAGE_ID },
      },
      new Blob([new Uint8Array(image)]),
    );
    const out = join(tmp, 'own-cover.mp3');
    writeFileSync(out, new Uint8Array(await edited.arrayBuffer()));
    const probe = JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-of',
        'json',
        '-show_format',
        '-show_streams',
        out,
      ]).toString(),
    ) as {
      format: { tags: Record<string, string> };
      streams: { codec_type: string; codec_name: string; disposition: { attached_pic: number } }[];
    };
    expect(probe.format.tags).toMatchObject({
      genre: 'Talk',
      track: '3/9',
      album_artist: 'Various',
      comment: 'Recorded live',
    });
    const pic = probe.streams.find((s) => s.codec_type === 'video');
    expect(pic).toMatchObject({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } });
  });

  it('puts them in the FFMETADATA file under ffmpeg’s keys', () => {
    const text = ffmetadata(
      resolveTags({}, { genre: 'Talk', track: '3', albumArtist: 'V', comment: 'c' }),
    );
    expect(text.split('\n')).toEqual(
      expect.arrayContaining(['album_artist=V', 'genre=Talk', 'track=3', 'comment=c']),
    );
  });
});
