/**
 * A freeze costs one tab, not Seam (issue 18, "What to build" 5): what the service worker does
 * with page-provided text ("Add all audio on this page" and "Add to Seam" run there) is bounded.
 * The page's reply to a scan (`mergeResults`, then the grouping and the title rules) and the
 * picks a page sends (`cleanPicks`) are timed at growing sizes with adversarial shapes (one
 * group of everything, all distinct, long generic-word names, many frames each with feeds), and
 * their output is capped whatever the input.
 */
import { describe, expect, it } from 'vitest';
import { cleanPicks } from '@/lib/page-audio/picks';
import { MAX_HITS, mergeResults } from '@/lib/page-audio/tab';
import { expectLinear } from './support/growth';

const hit = (url: string, own: string, owner: string) => ({ url, via: 'link', owner, own });

/** One frame's reply holding `n` hits made by `make`. */
const frame = (n: number, make: (i: number) => object) => ({
  title: 'Page',
  hits: Array.from({ length: n }, (_, i) => make(i)),
  feeds: [],
});

describe('the scan reply in the service worker', () => {
  it.each<[string, (i: number) => object]>([
    ['all distinct', (i) => hit(`https://a.test/ep${i}.mp3`, `Episode ${i}`, `o${i}`)],
    [
      'one group of everything (one owner)',
      (i) => hit(`https://a.test/ep${i}.mp3`, `Ep ${i}`, 'o'),
    ],
    ['one file many times', () => hit('https://a.test/same.mp3', 'Same', 'o')],
    ['long ids shared', (i) => hit(`https://a.test/x/123456789/${i}.mp3`, 'Download', `o${i}`)],
    [
      "names of 'deson' and generic words",
      (i) => hit(`https://a.test/${i}.mp3`, 'deson'.repeat(39) + 'x', `o${i}`),
    ],
    [
      'long names with controls',
      (i) => hit(`https://a.test/${i}.mp3`, '\u202e'.repeat(1000) + 'x'.repeat(1000), `o${i}`),
    ],
  ])('%s: grows linearly with the hits', (_name, make) => {
    expectLinear({
      make: (n) => [frame(n, make)],
      run: (perFrame) => mergeResults(perFrame).recordings.length,
      base: 500,
    });
  });

  it('many frames each linking feeds: linear, and at most 20 feeds', () => {
    const frames = (n: number) =>
      Array.from({ length: n }, (_, f) => ({
        hits: [hit(`https://a.test/f${f}.mp3`, `F ${f}`, 'o')],
        feeds: Array.from({ length: 25 }, (_, k) => ({
          url: `https://a.test/feed${f}-${k}.xml`,
          title: `Feed ${f} ${k}`,
        })),
      }));
    expectLinear({ make: frames, run: (p) => mergeResults(p).feeds.length, base: 200 });
    expect(mergeResults(frames(500)).feeds.length).toBeLessThanOrEqual(20);
  });

  it('a reply of far more hits than the cap keeps the cap and says so', () => {
    const r = mergeResults([
      frame(3 * MAX_HITS, (i) => hit(`https://a.test/${i}.mp3`, `E ${i}`, `o${i}`)),
    ]);
    expect(r.recordings.length).toBeLessThanOrEqual(MAX_HITS);
    expect(r.leftOut).toBe('hits');
  });
});

describe('picks a page sends', () => {
  it('huge names are read only as far as they are kept', () => {
    expectLinear({
      make: (n) => [{ url: 'https://a.test/a.mp3', name: '\u202e x'.repeat(n * 1000) }],
      run: (input) => cleanPicks(input).length,
      base: 4,
    });
    const [pick] = cleanPicks([{ url: 'https://a.test/a.mp3', name: 'y'.repeat(10_000_000) }]);
    expect(pick!.name!.length).toBeLessThanOrEqual(200);
  });
});
