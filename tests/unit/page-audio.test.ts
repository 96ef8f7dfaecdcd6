import { describe, expect, it } from 'vitest';
import {
  filterItems,
  isFetchable,
  looksLikeAudioUrl,
  nameFromUrl,
  originPattern,
} from '@/lib/page-audio/urls';

describe('looksLikeAudioUrl', () => {
  it.each<[string, boolean]>([
    ['https://a.test/ep1.mp3', true],
    ['https://a.test/ep1.MP3', true],
    ['https://a.test/dir/ep%201.m4b?sig=abc#t=5', true],
    ['https://a.test/ep1.mp3;jsessionid=1', true],
    ['http://a.test/x.flac', true],
    ['/relative/clip.ogg', true],
    ['clip.wav', true],
    ['data:audio/mpeg;base64,AAAA', true],
    // Query strings do not count: usually a player page, not the file.
    ['https://a.test/play?file=ep1.mp3', false],
    ['https://a.test/ep1.mp3/', false],
    ['https://a.test/mp3', false],
    ['https://a.test/.mp3', false],
    // Mostly video; only a type attribute (which a URL lacks) makes them audio.
    ['https://a.test/clip.webm', false],
    ['https://a.test/clip.mp4', false],
    ['https://a.test/list.m3u8', false],
    ['https://a.test/page.html', false],
    ['https://a.test/', false],
    ['blob:https://a.test/1234', false],
    ['data:text/plain,x.mp3', false],
    ['file:///home/me/x.mp3', false],
    ['ftp://a.test/x.mp3', false],
    ['javascript:play("x.mp3")', false],
    ['mailto:me@a.test?subject=x.mp3', false],
    ['', false],
    ['http://[bad', false],
  ])('%s → %s', (url, expected) => {
    expect(looksLikeAudioUrl(url)).toBe(expected);
  });
});

describe('nameFromUrl', () => {
  it.each<[string, string]>([
    ['https://a.test/shows/Episode%201%20%E2%80%94%20Pilot.mp3', 'Episode 1 — Pilot.mp3'],
    ['https://a.test/ep1.mp3?sig=abc#t=5', 'ep1.mp3'],
    ['https://a.test/ep1.mp3;jsessionid=1', 'ep1.mp3'],
    ['https://a.test/bad%E0%A4%A.mp3', 'bad%E0%A4%A.mp3'],
    ['https://a.test/a%20%20%20b.mp3', 'a b.mp3'],
    ['https://a.test/dir/', 'audio'],
    ['https://a.test', 'audio'],
    ['file:///home/me/My%20Song.flac', 'My Song.flac'],
    ['blob:https://a.test/1234', 'audio'],
    ['data:audio/mpeg;base64,AAAA', 'audio'],
    ['', 'audio'],
    ['http://[bad', 'audio'],
  ])('%s → %s', (url, expected) => {
    expect(nameFromUrl(url)).toBe(expected);
  });
});

describe('filterItems', () => {
  const items = [
    { name: 'Morning Show', host: 'cdn.radio.test' },
    { name: 'Evening news', host: 'pods.test' },
    { name: 'Radio drama', host: 'pods.test' },
  ];

  it.each<[string, string[]]>([
    ['', ['Morning Show', 'Evening news', 'Radio drama']],
    ['   ', ['Morning Show', 'Evening news', 'Radio drama']],
    ['MORNING', ['Morning Show']],
    ['radio', ['Morning Show', 'Radio drama']],
    ['pods.test', ['Evening news', 'Radio drama']],
    ['pods drama', ['Radio drama']],
    ['news radio', []],
    ['nothing', []],
  ])('%j', (query, expected) => {
    expect(filterItems(items, query).map((i) => i.name)).toEqual(expected);
  });

  it('returns a new array and keeps the items', () => {
    const out = filterItems(items, '');
    expect(out).not.toBe(items);
    expect(out[0]).toBe(items[0]);
  });
});

describe('isFetchable', () => {
  it.each<[string, boolean]>([
    ['https://a.test/x.mp3', true],
    ['http://a.test:8080/x.mp3', true],
    ['HTTPS://A.TEST/x.mp3', true],
    ['blob:https://a.test/1234', false],
    ['data:audio/mpeg;base64,AAAA', false],
    ['file:///x.mp3', false],
    ['ftp://a.test/x.mp3', false],
    ['/relative.mp3', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isFetchable(url)).toBe(expected);
  });
});

describe('originPattern', () => {
  it.each<[string, string]>([
    ['https://example.com/a/b.mp3?x=1#y', 'https://example.com/*'],
    ['http://cdn.example.com:8080/x.mp3', 'http://cdn.example.com/*'],
    ['https://user:pw@example.com/x.mp3', 'https://example.com/*'],
    ['https://EXAMPLE.com/x.mp3', 'https://example.com/*'],
    ['http://[::1]:3000/x.mp3', 'http://[::1]/*'],
  ])('%s → %s', (url, expected) => {
    expect(originPattern(url)).toBe(expected);
  });

  it.each(['blob:https://a.test/1', 'data:audio/mpeg,x', 'file:///x.mp3', 'nonsense'])(
    'throws for %s',
    (url) => {
      expect(() => originPattern(url)).toThrow(TypeError);
    },
  );
});
