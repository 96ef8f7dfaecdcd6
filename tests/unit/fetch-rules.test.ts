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
  isPrivateUrl,
  refuseTarget,
} from '@/lib/fetch/rules';
import { PrivateNetworkError } from '@/lib/core/errors';

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
      'The server answered 404 Not Found.',
    ],
    [
      'a 500 with text',
      head({ status: 500, statusText: 'Oops' }),
      FetchFailedError,
      'The server answered 500 Oops.',
    ],
    [
      'HTML served for audio',
      head({ contentType: 'text/html; charset=utf-8' }),
      UnsupportedAudioError,
      'The link gave a web page (HTML), not audio.',
    ],
    [
      'over the limit',
      head({ contentLength: 2048 * MB }),
      TooLargeError,
      'It is 2.0 GB, over the 1.0 GB limit set in Settings.',
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
    ['<!DOCTYPE html><html><body>404</body></html>', 'The link gave a web page (HTML), not audio.'],
    ['#EXTM3U\nhttp://x/a.mp3\n', 'The link gave a playlist, not audio.'],
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
      'Seam could not download from cdn.example.org: the connection was refused or blocked, the server sent no permission for Seam (CORS), or a redirect led to a site Seam has no access to.',
    ],
    ['timeout' as const, FetchFailedError, 'cdn.example.org did not answer within 30 s.'],
    ['stall' as const, FetchFailedError, 'The download from cdn.example.org stalled for 30 s.'],
    [
      'slow' as const,
      FetchFailedError,
      'The download from cdn.example.org was too slow (under 2.0 KB/s for 30 s), so Seam stopped it.',
    ],
  ])('%s', (reason, cls, message) => {
    const err = describeFetchFailure(new TypeError('Failed to fetch'), url, reason, track);
    expect(err).toBeInstanceOf(cls);
    expect(err.message).toBe(message);
  });
});

// Addresses here are only parsed, never contacted.
describe('isPrivateUrl: private-network and loopback targets', () => {
  it.each<[string, boolean]>([
    ['http://127.0.0.1/a.mp3', true],
    ['http://127.5.6.7:8080/a.mp3', true],
    ['http://10.1.2.3/a.mp3', true],
    ['http://172.16.0.1/a.mp3', true],
    ['http://172.31.255.255/a.mp3', true],
    ['http://172.32.0.1/a.mp3', false],
    ['http://192.168.1.20/a.mp3', true],
    ['http://169.254.169.254/latest/meta-data', true],
    ['http://100.64.0.1/a.mp3', true],
    ['http://0.0.0.0/a.mp3', true],
    ['http://[::1]/a.mp3', true],
    ['http://[fd12:3456::1]/a.mp3', true],
    ['http://[fe80::1]/a.mp3', true],
    ['http://[::ffff:192.168.0.1]/a.mp3', true],
    ['http://[2001:db8::1]/a.mp3', false],
    ['http://localhost:3000/a.mp3', true],
    ['http://printer.local/a.mp3', true],
    ['http://nas.home.arpa/a.mp3', true],
    ['http://intranet/a.mp3', true],
    ['https://8.8.8.8/a.mp3', false],
    ['https://cdn.example.org/a.mp3', false],
    // Issue 18, defect 4: names written with a trailing dot, in capitals, or as IDNA.
    ['http://localhost./a.mp3', true],
    ['http://localhost../a.mp3', true],
    ['http://LOCALHOST.:8080/a.mp3', true],
    ['http://foo.localhost./a.mp3', true],
    ['http://printer.local./a.mp3', true],
    ['http://router.lan./a.mp3', true],
    ['http://NAS.Home.Arpa./a.mp3', true],
    ['http://intranet./a.mp3', true],
    ['http://ｌｏｃａｌｈｏｓｔ/a.mp3', true],
    ['http://bücher.local/a.mp3', true],
    ['http://example.com./a.mp3', false],
    ['http://bücher.example/a.mp3', false],
    // IPv4 in other notations (the URL parser writes them dotted).
    ['http://2130706433/a.mp3', true],
    ['http://0x7f.1/a.mp3', true],
    ['http://127.1/a.mp3', true],
    ['http://0177.0.0.1/a.mp3', true],
    // IPv6 forms of loopback and private IPv4.
    ['http://[::ffff:7f00:1]/a.mp3', true],
    ['http://[::ffff:127.0.0.1]/a.mp3', true],
    ['http://[::ffff:c0a8:1]/a.mp3', true],
    ['http://[0:0:0:0:0:ffff:7f00:1]/a.mp3', true],
    ['http://[::ffff:0:7f00:1]/a.mp3', true],
    ['http://[::127.0.0.1]/a.mp3', true],
    ['http://[::]/a.mp3', true],
    ['http://[0:0:0:0:0:0:0:1]/a.mp3', true],
    ['http://[64:ff9b::7f00:1]/a.mp3', true],
    ['http://[64:ff9b::127.0.0.1]/a.mp3', true],
    ['http://[64:ff9b::a00:1]/a.mp3', true],
    ['http://[64:ff9b:1::1]/a.mp3', true],
    ['http://[2002:7f00:1::1]/a.mp3', true],
    ['http://[2002:c0a8:101::1]/a.mp3', true],
    ['http://[fec0::1]/a.mp3', true],
    ['http://[ff02::1]/a.mp3', true],
    ['http://[FD00::1]/a.mp3', true],
    ['http://[::ffff:808:808]/a.mp3', false],
    ['http://[64:ff9b::808:808]/a.mp3', false],
    ['http://[2002:808:808::1]/a.mp3', false],
    ['http://[2606:4700::1111]/a.mp3', false],
    // 198.18.0.0/15 and other special IPv4 ranges.
    ['http://198.18.0.1/a.mp3', true],
    ['http://198.19.255.254/a.mp3', true],
    ['http://198.20.0.1/a.mp3', false],
    ['http://198.17.255.255/a.mp3', false],
    ['http://192.0.0.8/a.mp3', true],
    ['http://224.0.0.1/a.mp3', true],
    ['http://255.255.255.255/a.mp3', true],
    ['http://100.128.0.1/a.mp3', false],
  ])('%s → %s', (url, expected) => {
    expect(isPrivateUrl(url)).toBe(expected);
  });
});

describe('refuseTarget', () => {
  const granted = ['https://cdn.example.org/*', 'http://192.168.1.20/*'];
  it('refuses a private target from a public page, naming it, but not from a private page', () => {
    const err = refuseTarget(
      'http://192.168.1.20/a.mp3',
      'https://news.example.org/',
      granted,
      'redirect',
      track,
    );
    expect(err).toBeInstanceOf(PrivateNetworkError);
    expect(err?.message).toBe(
      'The link redirected to 192.168.1.20, a private-network address, which Seam does not download from for a public page.',
    );
    expect(
      refuseTarget('http://192.168.1.20/a.mp3', 'http://192.168.1.20/', granted, 'link', track),
    ).toBeUndefined();
  });

  it('refuses a site that is not granted, naming the final host', () => {
    const err = refuseTarget(
      'https://elsewhere.example.net/a.mp3',
      undefined,
      granted,
      'redirect',
      track,
    );
    expect(err).toBeInstanceOf(FetchRefusedError);
    expect(err?.message).toMatch(
      /^The link redirected to elsewhere\.example\.net, a site Seam has no access to\./,
    );
    expect(
      refuseTarget('https://cdn.example.org/a.mp3', undefined, granted, 'link', track),
    ).toBeUndefined();
  });
});
