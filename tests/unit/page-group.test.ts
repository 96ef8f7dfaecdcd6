import { describe, expect, it } from 'vitest';
import { fileIdentity, preferredFormat, type PageFormat } from '@/lib/page-audio/group';
import { isGenericLabel, titleFromFileName } from '@/lib/page-audio/titles';
import { describeHost, untrack } from '@/lib/fetch/tracking';

describe('tracking prefixes are named, and the file’s own host shown', () => {
  it.each<[string, string, string[]]>([
    [
      'https://chrt.fm/track/637E/2.gum.fm/op3.dev/e/dts.podtrac.com/redirect.mp3/media.transistor.fm/e83b42d0/9e93424b.mp3?src=site',
      'https://media.transistor.fm/e83b42d0/9e93424b.mp3?src=site',
      ['Chartable', 'Gumball', 'OP3', 'Podtrac'],
    ],
    [
      'http://www.podtrac.com/pts/redirect.mp3?http://www.taverncast.com/shows/taverncast-62.mp3',
      'http://www.taverncast.com/shows/taverncast-62.mp3',
      ['Podtrac'],
    ],
    [
      'https://play.podtrac.com/510289/edge1.pod.npr.org/anon.npr-mp3/x.mp3?dl=1',
      'https://edge1.pod.npr.org/anon.npr-mp3/x.mp3?dl=1',
      ['Podtrac'],
    ],
    ['https://cdn.example.org/a.mp3', 'https://cdn.example.org/a.mp3', []],
  ])('%s', (url, finalUrl, via) => {
    expect(untrack(url)).toEqual({ finalUrl, via });
  });

  it('describeHost gives the host a person cares about', () => {
    expect(
      describeHost('https://chtbl.com/track/E29G91/cdn.simplecast.com/a/default_tc.mp3'),
    ).toEqual({
      host: 'cdn.simplecast.com',
      via: ['Chartable'],
    });
  });

  it('the same file behind a prefix, another query or www. has one identity', () => {
    const id = fileIdentity('https://edge1.pod.test/x.mp3');
    expect(fileIdentity('https://play.podtrac.com/1/edge1.pod.test/x.mp3?dl=1')).toBe(id);
    expect(fileIdentity('http://www.edge1.pod.test/x.mp3?_=1')).toBe(id);
    // Without a file name in the path the query says which file it is.
    expect(fileIdentity('https://a.test/get?id=1')).not.toBe(
      fileIdentity('https://a.test/get?id=2'),
    );
  });
});

describe('generic labels name no recording', () => {
  it.each([
    'Download',
    'MP3',
    'Télécharger',
    'Listen · 3:14',
    'Download in PC (12MB)',
    'Play Episode',
    "12'16 ÉcouterÉcouter",
    'https://cdn.example.org/a.mp3',
    'default_tc.mp3',
    '▶',
    '',
  ])('%j is generic', (label) => expect(isGenericLabel(label)).toBe(true));

  it.each(['Episode 12', 'Lecture A', 'Listen to this article', 'Caffeine'])(
    '%j is a title',
    (label) => expect(isGenericLabel(label)).toBe(false),
  );

  it('a file name cleaned is the last resort', () => {
    expect(titleFromFileName('https://u.test/Bob_Dylan_-_Like_a_Rolling_Stone.ogg')).toBe(
      'Bob Dylan - Like a Rolling Stone',
    );
    expect(titleFromFileName('https://u.test/My%20Song.ogg.mp3')).toBe('My Song');
  });
});

describe('preferredFormat', () => {
  const f = (label: string, size?: number): PageFormat => ({
    url: `https://a.test/x.${label.toLowerCase()}`,
    label,
    ...(size ? { size } : {}),
  });
  it('one that joins losslessly with the queue, else the smallest lossless-friendly, else the smallest', () => {
    expect(preferredFormat([f('MP3'), f('M4A'), f('OGG')], ['aac', 'aac']).label).toBe('M4A');
    expect(preferredFormat([f('OGG'), f('M4A'), f('MP3')], []).label).toBe('MP3');
    expect(preferredFormat([f('WAV', 50), f('MP3', 10)], ['mp3', 'aac']).label).toBe('MP3');
    expect(preferredFormat([f('OGG'), f('Opus'), f('M4A')], []).label).toBe('Opus');
    expect(preferredFormat([f('OGG', 5), f('Opus', 9)], []).label).toBe('OGG');
  });
});
