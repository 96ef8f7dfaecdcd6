import { describe, expect, it } from 'vitest';
import {
  FetchFailedError,
  FetchRefusedError,
  TooLargeError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import {
  checkFirstBytes,
  checkResponseHead,
  describeFetchFailure,
} from '@/lib/page-audio/fetch-rules';

const track = { id: 't', name: 'Episode 1' };
const MB = 1024 * 1024;
const head = (over: Partial<Parameters<typeof checkResponseHead>[0]>) => ({
  status: 200,
  statusText: 'OK',
  contentType: 'audio/mpeg',
  contentLength: 5 * MB,
  ...over,
});

describe('checkResponseHead', () => {
  it.each([
    [
      'a 404',
      head({ status: 404, statusText: '' }),
      FetchFailedError,
      'the server answered 404 Not Found',
    ],
    [
      'a 500 with text',
      head({ status: 500, statusText: 'Oops' }),
      FetchFailedError,
      'the server answered 500 Oops',
    ],
    [
      'HTML served for audio',
      head({ contentType: 'text/html; charset=utf-8' }),
      UnsupportedAudioError,
      'the link gave a web page (HTML), not audio',
    ],
    [
      'over the limit',
      head({ contentLength: 2048 * MB }),
      TooLargeError,
      'it is 2.0 GB, over the 1.0 GB limit set in Settings',
    ],
  ])('refuses %s', (_name, h, cls, message) => {
    const err = checkResponseHead(h, 1024 * MB, track);
    expect(err).toBeInstanceOf(cls);
    expect(err?.message).toBe(message);
    expect(err?.trackName).toBe('Episode 1');
  });

  it.each([
    ['audio/mpeg', head({})],
    ['no type, no length', head({ contentType: null, contentLength: undefined })],
    ['octet-stream', head({ contentType: 'application/octet-stream' })],
  ])('accepts %s', (_name, h) => expect(checkResponseHead(h, 1024 * MB, track)).toBeUndefined());
});

describe('checkFirstBytes', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  it.each([
    ['<!DOCTYPE html><html><body>404</body></html>', 'the link gave a web page (HTML), not audio'],
    ['#EXTM3U\nhttp://x/a.mp3\n', 'the link gave a playlist, not audio'],
  ])('%j', (body, message) => {
    expect(checkFirstBytes(text(body), track)?.message).toBe(message);
  });

  it('accepts MP3 and WAV starts', () => {
    expect(
      checkFirstBytes(new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]), track),
    ).toBeUndefined();
    expect(checkFirstBytes(text('RIFF\0\0\0\0WAVEfmt '), track)).toBeUndefined();
  });
});

describe('describeFetchFailure', () => {
  const url = 'https://cdn.example.org/a.mp3';
  it.each([
    [
      undefined,
      FetchRefusedError,
      'could not connect to cdn.example.org (refused, offline, or blocked without permission)',
    ],
    ['timeout' as const, FetchFailedError, 'cdn.example.org did not answer within 30 s'],
    ['stall' as const, FetchFailedError, 'the download from cdn.example.org stalled for 30 s'],
  ])('%s', (reason, cls, message) => {
    const err = describeFetchFailure(new TypeError('Failed to fetch'), url, reason, track);
    expect(err).toBeInstanceOf(cls);
    expect(err.message).toBe(message);
  });
});
