import { render } from '@/lib/core/i18n';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  inspectHeader,
  notAudioDescription,
  SNIFF_WINDOW,
  type SniffKind,
} from '@/lib/media/sniff';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** The head of a fixture the way the engine reads it: the first 64 KB and the full size. */
function sniffFixture(name: string) {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  return inspectHeader(bytes.subarray(0, SNIFF_WINDOW), bytes.length);
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: (Uint8Array | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

/** A minimal PCM WAV header: optional chunks before `data`, then `present` bytes of samples. */
function wav(opts: {
  dataSize: number;
  present: number;
  before?: Uint8Array[];
  byteRate?: number;
}) {
  const fmt = concat(
    ascii('fmt '),
    le32(16),
    [1, 0, 1, 0],
    le32(8000),
    le32(opts.byteRate ?? 16000),
    [2, 0, 16, 0],
  );
  const head = concat(
    ascii('RIFF'),
    le32(36 + opts.dataSize),
    ascii('WAVE'),
    fmt,
    ...(opts.before ?? []),
    ascii('data'),
    le32(opts.dataSize),
  );
  return concat(head, new Uint8Array(opts.present));
}

describe('inspectHeader on the fixtures', () => {
  it.each<[string, SniffKind]>([
    ['tone-440-2s-44100-stereo.mp3', 'mp3-xing'],
    ['mono-22050.mp3', 'mp3-xing'],
    ['with-tags-and-cover.mp3', 'mp3-xing'],
    ['corrupt-garbage-middle.mp3', 'mp3-xing'],
    ['truncated-half.mp3', 'mp3-xing'],
    ['stereo-48000.wav', 'wav'],
    ['mono-8000.wav', 'wav'],
    ['truncated-half.wav', 'wav'],
    ['stereo-96000.flac', 'flac'],
    ['aac-44100-stereo.m4a', 'mp4'],
    ['video-with-audio.mp4', 'mp4'],
    ['video-no-audio.mp4', 'mp4'],
    ['vorbis-32000.ogg', 'ogg'],
    ['opus-48000.opus', 'ogg'],
    ['png-named.mp3', 'png'],
    ['text-named.wav', 'text'],
    ['empty.mp3', 'unknown'],
  ])('%s is %s', (name, kind) => {
    expect(sniffFixture(name).kind).toBe(kind);
  });

  it.each([
    'tone-440-2s-44100-stereo.mp3',
    'tone-660-2s-44100-stereo.mp3',
    'mono-22050.mp3',
    'with-tags-and-cover.mp3',
    'corrupt-garbage-middle.mp3',
    'stereo-48000.wav',
    'mono-8000.wav',
    'aac-44100-stereo.m4a',
    'video-with-audio.mp4',
  ])('%s announces no more bytes than it has', (name) => {
    const size = readFileSync(join(FIXTURES, name)).length;
    const check = sniffFixture(name);
    expect(check.declaredBytes ?? 0).toBeLessThanOrEqual(size);
  });

  it('reads the Xing/Info header of a whole CBR MP3', () => {
    // LAME counts the Info frame itself in the byte count: the whole file, 78 frames of 1152.
    expect(sniffFixture('tone-440-2s-44100-stereo.mp3')).toEqual({
      kind: 'mp3-xing',
      declaredBytes: 33017,
      payloadOffset: 0,
      declaredDurationSec: (78 * 1152) / 44100,
    });
  });

  it('reads an MPEG-2 mono Info header (9 bytes of side info)', () => {
    const check = sniffFixture('mono-22050.mp3');
    expect(check.declaredBytes).toBe(16717);
    // MPEG-2 layer III frames hold 576 samples.
    expect(check.declaredDurationSec).toBeCloseTo(2.0637, 3);
  });

  it('counts ID3v2 tags (with a cover) before the Xing frame', () => {
    const check = sniffFixture('with-tags-and-cover.mp3');
    const size = readFileSync(join(FIXTURES, 'with-tags-and-cover.mp3')).length;
    // The ID3v2.3 tag (text frames and a small PNG) is 452 bytes; the Xing count starts after it.
    expect(check.payloadOffset).toBe(452);
    expect(check.declaredBytes).toBe(size);
  });

  it('sees that the truncated MP3 announces twice its size', () => {
    const check = sniffFixture('truncated-half.mp3');
    expect(check.declaredBytes).toBe(33017);
    expect(check.declaredDurationSec).toBeCloseTo(2.0376, 3);
  });

  it('sees that the truncated WAV announces twice its samples', () => {
    expect(sniffFixture('truncated-half.wav')).toEqual({
      kind: 'wav',
      declaredBytes: 44 + 32000,
      payloadOffset: 44,
      declaredDurationSec: 2,
    });
  });

  it('sees a cut MP4 whose mdat runs past the end (moov lost)', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'aac-44100-stereo.m4a')));
    const half = Math.floor(bytes.length / 2);
    const check = inspectHeader(bytes.subarray(0, half), half);
    expect(check.kind).toBe('mp4');
    expect(check.declaredBytes).toBeGreaterThan(half);
    expect(check.declaredDurationSec).toBeUndefined();
  });
});

describe('inspectHeader on made-up bytes', () => {
  it.each<[string, Uint8Array, SniffKind]>([
    ['PNG', concat([0x89], ascii('PNG\r\n\x1a\n'), new Uint8Array(20)), 'png'],
    ['JPEG', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'jpeg'],
    ['GIF87a', ascii('GIF87a\x01\x00'), 'gif'],
    ['GIF89a', ascii('GIF89a\x01\x00'), 'gif'],
    ['WebP', concat(ascii('RIFF'), le32(100), ascii('WEBPVP8 ')), 'webp'],
    ['PDF', ascii('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'pdf'],
    ['ZIP', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0]), 'zip'],
    ['empty ZIP', Uint8Array.from([0x50, 0x4b, 0x05, 0x06, 0, 0]), 'zip'],
    ['HTML doctype', utf8('<!DOCTYPE html>\n<html><body>404</body></html>'), 'html'],
    [
      'HTML lower case, BOM, blank lines',
      utf8('\uFEFF\n\n  <!doctype html><title>x</title>'),
      'html',
    ],
    ['HTML without doctype', utf8('<html lang="en"><head></head></html>'), 'html'],
    ['HTML comment first', utf8('<!-- generated --><html></html>'), 'html'],
    ['XML feed', utf8('<?xml version="1.0"?><rss version="2.0"></rss>'), 'xml'],
    ['SVG', utf8('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'xml'],
    ['M3U playlist', utf8('#EXTM3U\n#EXTINF:123,Song\nhttp://x/a.mp3\n'), 'playlist'],
    ['PLS playlist', utf8('[playlist]\nFile1=http://x/a.mp3\n'), 'playlist'],
    ['plain text', utf8('hello\tworld\r\n'), 'text'],
    ['UTF-8 text', utf8('Grüße, 日本語のテキスト\n'), 'text'],
    ['JSON', utf8('{"error":"not found"}'), 'text'],
    ['RF64 WAV', concat(ascii('RF64'), le32(0xffffffff), ascii('WAVEds64')), 'wav'],
    ['FLAC', concat(ascii('fLaC'), [0, 0, 0, 34]), 'flac'],
    ['Ogg', concat(ascii('OggS'), [0, 2]), 'ogg'],
    ['AIFF', concat(ascii('FORM'), be32(100), ascii('AIFFCOMM')), 'aiff'],
    ['AIFC', concat(ascii('FORM'), be32(100), ascii('AIFCFVER')), 'aiff'],
    ['WebM/Matroska', Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), 'matroska'],
    ['plain MPEG frame, no Xing', concat([0xff, 0xfb, 0x90, 0x64], new Uint8Array(200)), 'mp3'],
    [
      'ID3 tag, no frame in sight',
      concat(ascii('ID3'), [3, 0, 0, 0, 0, 0, 10], new Uint8Array(10)),
      'mp3',
    ],
    ['binary noise', Uint8Array.from([0x00, 0x13, 0x37, 0x80, 0x01, 0xfe]), 'unknown'],
    ['invalid UTF-8', Uint8Array.from([0x68, 0x69, 0xc3, 0x28, 0x68]), 'unknown'],
    ['text with a NUL', utf8('abc\u0000def'), 'unknown'],
    ['nothing', new Uint8Array(0), 'unknown'],
  ])('%s', (_label, bytes, kind) => {
    expect(inspectHeader(bytes, bytes.length).kind).toBe(kind);
  });

  it('takes text cut in the middle of a character at the end of the sample', () => {
    const bytes = utf8('é'.repeat(600)); // 1200 bytes: the 1024-byte sample ends mid-character
    expect(inspectHeader(bytes.subarray(0, 1025), bytes.length).kind).toBe('text');
  });

  it('looks only at the bytes the file has, not past `size`', () => {
    const bytes = utf8('hello world');
    expect(inspectHeader(bytes, 0).kind).toBe('unknown');
  });

  it('walks WAV chunks before data (LIST, odd-sized and padded)', () => {
    const list = concat(ascii('LIST'), le32(5), ascii('INFOx'), [0]);
    const bytes = wav({ dataSize: 1000, present: 1000, before: [list] });
    const check = inspectHeader(bytes, bytes.length);
    expect(check.kind).toBe('wav');
    expect(check.declaredBytes).toBe(bytes.length);
    expect(check.declaredDurationSec).toBeCloseTo(1000 / 16000);
  });

  it('reads a cut WAV', () => {
    const bytes = wav({ dataSize: 8000, present: 2000 });
    const check = inspectHeader(bytes, bytes.length);
    expect(check.declaredBytes).toBe(44 + 8000);
    expect(check.payloadOffset).toBe(44);
    expect(check.declaredDurationSec).toBe(0.5);
  });

  it.each([0, 0xffffffff])('takes a WAV data size of %s as "not announced" (streamed)', (size) => {
    const bytes = wav({ dataSize: size, present: 100 });
    expect(inspectHeader(bytes, bytes.length)).toEqual({ kind: 'wav' });
  });

  it('leaves out the duration when the WAV byte rate is 0', () => {
    const bytes = wav({ dataSize: 100, present: 100, byteRate: 0 });
    expect(inspectHeader(bytes, bytes.length).declaredDurationSec).toBeUndefined();
  });

  it('gives up on a WAV whose data chunk lies beyond the head', () => {
    const junk = concat(ascii('JUNK'), le32(100_000));
    const bytes = concat(
      wav({ dataSize: 0, present: 0 }).subarray(0, 36),
      junk,
      new Uint8Array(50),
    );
    expect(inspectHeader(bytes, 200_000)).toEqual({ kind: 'wav' });
  });

  it('reads a VBRI header', () => {
    // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo; VBRI 32 bytes after the header.
    const frame = new Uint8Array(417);
    frame.set([0xff, 0xfb, 0x90, 0x00]);
    frame.set(ascii('VBRI'), 36);
    frame.set([0, 1, 0, 0, 0, 75], 40); // version, delay, quality
    frame.set(be32(100_000), 46); // bytes
    frame.set(be32(1000), 50); // frames
    const check = inspectHeader(frame, 50_000);
    expect(check).toEqual({
      kind: 'mp3-vbri',
      declaredBytes: 100_000,
      payloadOffset: 0,
      declaredDurationSec: (1000 * 1152) / 44100,
    });
  });

  it('reads a Xing header with frames but no byte count', () => {
    const frame = new Uint8Array(417);
    frame.set([0xff, 0xfb, 0x90, 0x00]);
    frame.set(ascii('Xing'), 36);
    frame.set(be32(1), 40); // flags: frames only
    frame.set(be32(100), 44);
    expect(inspectHeader(frame, frame.length)).toEqual({
      kind: 'mp3-xing',
      declaredDurationSec: (100 * 1152) / 44100,
    });
  });

  it('finds the first frame after ID3v2 padding', () => {
    const id3 = concat(ascii('ID3'), [4, 0, 0], [0, 0, 0, 20], new Uint8Array(20));
    const frame = new Uint8Array(417);
    frame.set([0xff, 0xfb, 0x90, 0x00]);
    frame.set(ascii('Info'), 36);
    frame.set(be32(3), 40);
    frame.set(be32(10), 44);
    frame.set(be32(4170), 48);
    const bytes = concat(id3, new Uint8Array(16), frame);
    expect(inspectHeader(bytes, bytes.length)).toMatchObject({
      kind: 'mp3-xing',
      payloadOffset: 30 + 16,
      declaredBytes: 30 + 16 + 4170,
    });
  });

  it('skips an MP4 box with a 64-bit size', () => {
    const ftyp = concat(be32(16), ascii('ftypM4A '), be32(0));
    const mdat = concat(be32(1), ascii('mdat'), be32(0), be32(10_000));
    const bytes = concat(ftyp, mdat, new Uint8Array(100));
    expect(inspectHeader(bytes, 5000)).toEqual({
      kind: 'mp4',
      declaredBytes: 10_016,
      payloadOffset: 0,
    });
    expect(inspectHeader(bytes, 10_016)).toEqual({ kind: 'mp4' });
  });

  it('stops at an MP4 box that runs "to the end of the file" (size 0)', () => {
    const bytes = concat(be32(16), ascii('ftypisom'), be32(0), be32(0), ascii('mdat'));
    expect(inspectHeader(bytes, 100)).toEqual({ kind: 'mp4' });
  });
});

describe('notAudioDescription', () => {
  it.each<[SniffKind | undefined, string | undefined]>([
    ['png', 'a PNG image'],
    ['jpeg', 'a JPEG image'],
    ['html', 'a web page (HTML)'],
    ['text', 'text'],
    ['zip', 'a ZIP archive'],
    ['pdf', 'a PDF document'],
    ['playlist', 'a playlist, not the audio it lists'],
    ['mp3-xing', undefined],
    ['wav', undefined],
    ['unknown', undefined],
    [undefined, undefined],
  ])('%s → %s', (kind, description) => {
    const said = notAudioDescription(kind);
    expect(said && render(said)).toBe(description);
  });
});
