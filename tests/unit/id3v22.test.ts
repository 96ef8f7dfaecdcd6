/**
 * ID3v2.2 (three-letter frames, as iTunes wrote them for years) on real files from the corpus:
 * read as v2.3 frames, and kept (title, artist, album, cover) when a lossless MP3 join rewrites
 * the leading tag.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinMp3, retagMp3 } from '@/lib/lossless';
import { parseId3v2, readLeadingId3, type Id3Tag } from '@/lib/containers/id3';
import { decodedDuration, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';
import { tempFolder } from './support/files';

beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('id3v22');

/** A corpus file: music-metadata's iTunes 7 file (title, artist, album, a JPEG PIC). */
const ITUNES = 'corpus/music-metadata/id3v2.2.mp3';
/** mutagen's: iTunes 4.6, with a comment (COM) and no picture. */
const MUTAGEN = 'corpus/mutagen/id3v22-test.mp3';

const bytes = (name: string) => new Uint8Array(readFileSync(fixture(name)));
const input = (name: string, id = name) => ({ id, name, blob: new Blob([bytes(name)]) });

/** A text frame's value (encodings 0 Latin-1 and 1 UTF-16 with BOM, v2.2's two). */
function text(tag: Id3Tag, id: string): string | undefined {
  const f = tag.frames.find((x) => x.id === id);
  if (!f) return undefined;
  const body = f.body.subarray(1);
  const s =
    f.body[0] === 1
      ? new TextDecoder('utf-16').decode(body)
      : new TextDecoder('latin1').decode(body);
  return s.replace(/\0+$/, '');
}

describe('ID3v2.2 read as v2.3', () => {
  it('an iTunes tag: title, artist, album and the PIC as a JPEG APIC', () => {
    const tag = parseId3v2(bytes(ITUNES))!;
    expect(tag.major).toBe(3);
    expect(text(tag, 'TIT2')).toBe('You Are The One');
    expect(text(tag, 'TPE1')).toBe('Shiny Toy Guns');
    expect(text(tag, 'TALB')).toBe('We Are Pilots');
    expect(text(tag, 'TRCK')).toBe('1/11');
    const apic = tag.frames.filter((f) => f.id === 'APIC');
    expect(apic).toHaveLength(1);
    const body = apic[0]!.body;
    const mimeEnd = body.indexOf(0, 1);
    expect(new TextDecoder().decode(body.subarray(1, mimeEnd))).toBe('image/jpeg');
    // After the MIME type: picture type, a description ending in NUL, then the JPEG itself.
    const descEnd = body.indexOf(0, mimeEnd + 2);
    expect([...body.subarray(descEnd + 1, descEnd + 4)]).toEqual([0xff, 0xd8, 0xff]);
    // Every frame is a v2.3 name.
    expect(tag.frames.every((f) => /^[A-Z0-9]{4}$/.test(f.id))).toBe(true);
  });

  it('mutagen’s: a comment as COMM, no picture', () => {
    const tag = parseId3v2(bytes(MUTAGEN))!;
    expect(text(tag, 'TIT2')).toBe('cosmic american');
    expect(text(tag, 'TPE1')).toBe('Anais Mitchell');
    expect(text(tag, 'TALB')).toBe('Hymns for the Exiled');
    expect(tag.frames.some((f) => f.id === 'COMM')).toBe(true);
    expect(tag.frames.some((f) => f.id === 'APIC')).toBe(false);
  });

  it('an empty v2.2 tag has no frames; a "compressed" one is not read', () => {
    expect(parseId3v2(new Uint8Array([0x49, 0x44, 0x33, 2, 0, 0, 0, 0, 0, 0]))).toEqual({
      major: 3,
      frames: [],
    });
    expect(parseId3v2(new Uint8Array([0x49, 0x44, 0x33, 2, 0, 0x40, 0, 0, 0, 0]))).toBeUndefined();
  });

  it('undoes whole-tag unsynchronisation', () => {
    // TT2 holding 00 FF 00 E0 (unsynchronised 00 FF E0).
    const body = [0x54, 0x54, 0x32, 0, 0, 3, 0, 0xff, 0x00, 0xe0];
    const tag = new Uint8Array([0x49, 0x44, 0x33, 2, 0, 0x80, 0, 0, 0, body.length, ...body]);
    expect(parseId3v2(tag)!.frames).toEqual([
      { id: 'TIT2', flags: 0, body: new Uint8Array([0, 0xff, 0xe0]) },
    ]);
  });
});

describe('a lossless MP3 join keeps a v2.2 tag', () => {
  it('with chapters written, ffprobe reads the title, artist, album and the JPEG cover', async () => {
    const joined = await joinMp3([input(ITUNES, 'a'), input(ITUNES, 'b')]);
    const edited = await retagMp3(joined, {
      set: {},
      chapters: [
        { title: 'One', start: 0, end: 366 },
        { title: 'Two', start: 366, end: 732 },
      ],
      cover: 'keep',
    });
    const out = await tmp.write(edited, 'mp3');
    const probe = await ffprobe(out);
    expect(probe.format.tags).toMatchObject({
      title: 'You Are The One',
      artist: 'Shiny Toy Guns',
      album: 'We Are Pilots',
    });
    expect(probe.chapters.map((c) => c.tags?.title)).toEqual(['One', 'Two']);
    const pic = probe.streams.find((s) => s.codec_type === 'video');
    expect(pic).toMatchObject({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } });
    // The audio is whole: the two inputs' frames, as ffmpeg decodes them.
    const one = await decodedDuration(fixture(ITUNES));
    expect(await decodedDuration(out)).toBeGreaterThanOrEqual(2 * one - 0.03);
    // The rewritten tag is v2.3 (the converted frames' own version).
    expect((await readLeadingId3(edited)).tag!.major).toBe(3);
  });

  it('a title set over it keeps the rest; the cover can come from a v2.2 track', async () => {
    const joined = await joinMp3([input(MUTAGEN, 'a'), input(ITUNES, 'b')]);
    const edited = await retagMp3(
      joined,
      { set: { title: 'Joined' }, chapters: [], cover: { trackId: 'b' } },
      input(ITUNES).blob,
    );
    const out = await tmp.write(edited, 'mp3');
    const probe = await ffprobe(out);
    expect(probe.format.tags).toMatchObject({
      title: 'Joined',
      artist: 'Anais Mitchell',
      album: 'Hymns for the Exiled',
    });
    const pic = probe.streams.find((s) => s.codec_type === 'video');
    expect(pic).toMatchObject({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } });
  });
});
