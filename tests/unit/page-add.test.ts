import { describe, expect, it } from 'vitest';
import {
  ASK_ABOVE_BYTES,
  ASK_ABOVE_COUNT,
  MAX_PICKS,
  cleanPicks,
  cleanPicksCounted,
  commonHost,
  needsConfirmation,
  publicationOrder,
  rangeSize,
} from '@/lib/page-audio/picks';
import { coveredBy } from '@/lib/page-audio/urls';

describe('cleanPicks treats page data as untrusted', () => {
  it('keeps http(s) audio, drops other schemes and junk', () => {
    expect(
      cleanPicks([
        { url: 'https://a.example/x.mp3', name: 'X' },
        { url: 'javascript:alert(1)', name: 'bad' },
        { url: 'file:///etc/passwd' },
        { url: 42 },
        null,
        'https://a.example/y.mp3',
        { url: 'http://b.example/y%20z.mp3' },
      ]),
    ).toEqual([
      { url: 'https://a.example/x.mp3', name: 'X' },
      { url: 'http://b.example/y%20z.mp3', name: 'y z.mp3' },
    ]);
  });

  it('merges duplicates and bounds the count', () => {
    const many = Array.from({ length: MAX_PICKS + 50 }, (_, i) => ({
      url: `https://a.example/${i}.mp3`,
    }));
    expect(cleanPicks([...many, ...many])).toHaveLength(MAX_PICKS);
    expect(
      cleanPicks([{ url: 'https://a.example/a.mp3' }, { url: 'https://a.example/a.mp3' }]),
    ).toHaveLength(1);
  });

  it('strips control and bidi characters from names and caps them', () => {
    const [pick] = cleanPicks([
      { url: 'https://a.example/a.mp3', name: 'evil\u202Egnp.mp3\n\tx' + 'y'.repeat(300) },
    ]);
    expect(pick!.name).not.toMatch(/[\u202E\n\t]/);
    expect([...pick!.name!].length).toBeLessThanOrEqual(120);
  });

  it('only a fetchable page URL is kept', () => {
    expect(
      cleanPicks([{ url: 'https://a.example/a.mp3', pageUrl: 'chrome://settings' }])[0],
    ).not.toHaveProperty('pageUrl');
  });
});

describe('coveredBy: which downloads a new grant unblocks', () => {
  it.each([
    ['https://a.example/x.mp3', ['https://a.example/*'], true],
    ['https://a.example:8443/x.mp3', ['https://a.example/*'], true],
    ['https://b.example/x.mp3', ['https://a.example/*'], false],
    ['http://a.example/x.mp3', ['https://a.example/*'], false],
    ['http://a.example/x.mp3', ['http://*/*'], true],
    ['https://a.example/x.mp3', ['<all_urls>'], true],
    ['blob:https://a.example/1', ['<all_urls>'], false],
  ])('%s with %j → %s', (url, origins, expected) => {
    expect(coveredBy(url, origins)).toBe(expected);
  });
});

describe('"Add all" limits', () => {
  it('counts the picks left out past the cap, so the person can be told', () => {
    const many = Array.from({ length: MAX_PICKS + 30 }, (_, i) => ({
      url: `https://a.example/${i}.mp3`,
    }));
    const { picks, dropped } = cleanPicksCounted(many);
    expect(picks).toHaveLength(MAX_PICKS);
    expect(dropped).toBe(30);
  });

  it('asks before more than 20 recordings or when the known sizes pass 500 MB', () => {
    const n = (count: number, size?: number) => Array.from({ length: count }, () => ({ size }));
    expect(ASK_ABOVE_BYTES).toBe(500 * 1024 ** 2);
    // Issue 21: ten episodes of 85 MB (850 MB by the feed's own sizes) are asked about.
    expect(needsConfirmation(n(10, 85 * 1024 ** 2))).toBe(true);
    expect(needsConfirmation(n(ASK_ABOVE_COUNT))).toBe(false);
    expect(needsConfirmation(n(ASK_ABOVE_COUNT + 1))).toBe(true);
    expect(needsConfirmation(n(2, ASK_ABOVE_BYTES / 2))).toBe(false);
    expect(needsConfirmation(n(3, ASK_ABOVE_BYTES / 2))).toBe(true);
  });
});

describe("a feed's episodes as a person expects them", () => {
  const ep = (name: string, date?: string) => ({ name, ...(date ? { date } : {}) });

  it('are added in publication order, oldest first, unless asked for the newest first', () => {
    // As the list shows them: newest first, one undated.
    const listed = [
      ep('Ep 3', '2024-01-03T00:00:00Z'),
      ep('Ep 2', '2024-01-02T00:00:00Z'),
      ep('Bonus'),
      ep('Ep 1', '2024-01-01T00:00:00Z'),
    ];
    expect(publicationOrder(listed).map((e) => e.name)).toEqual(['Ep 1', 'Ep 2', 'Ep 3', 'Bonus']);
    expect(publicationOrder(listed, true).map((e) => e.name)).toEqual([
      'Ep 3',
      'Ep 2',
      'Ep 1',
      'Bonus',
    ]);
  });

  it('name the host most rows share once, not on every row', () => {
    expect(commonHost(['a.test', 'a.test', 'b.test'])).toBe('a.test');
    expect(commonHost(['a.test', 'b.test'])).toBeUndefined();
    expect(commonHost(['', '', 'a.test'])).toBe('a.test');
    expect(commonHost([])).toBeUndefined();
  });

  it('"the newest N" is never more than there are', () => {
    expect(rangeSize(10, 8)).toBe(8);
    expect(rangeSize(3, 8)).toBe(3);
    expect(rangeSize(0, 8)).toBe(1);
    expect(rangeSize(Number.NaN, 8)).toBe(1);
  });
});
