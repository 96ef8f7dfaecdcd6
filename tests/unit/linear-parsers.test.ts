/**
 * Parsers of text that strangers write grow linearly with their input (issue 18, "What to build"
 * 1): the reproductions of the issue and a generator of its own per parser (nested, unclosed,
 * repeated, very long tokens), timed at 1, 2, 4 and 8 times a base size (support/growth.ts).
 */
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { isGenericLabel } from '@/lib/page-audio/titles';
import { scanPage } from '@/lib/page-audio/scan';
import { parseFeedBook } from '@/lib/page-audio/feed-book';
import { expectLinear } from './support/growth';

describe('title rules', () => {
  it("a label of 'deson' repeated (2^k splits tried before) is decided in linear time", () => {
    expectLinear({
      make: (k) => 'deson'.repeat(k) + 'x',
      run: isGenericLabel,
      base: 4,
    });
    // The worst case: k = 39 fits the scanner's 200-character cap.
    expect(isGenericLabel('deson'.repeat(39) + 'x')).toBe(false);
    expect(isGenericLabel('deson'.repeat(39))).toBe(true);
  });

  it.each<[string, (n: number) => string]>([
    ['generic words run together', (n) => 'downloadmp3'.repeat(n) + 'q'],
    ['two-letter words', (n) => 'dlanonto'.repeat(n) + 'z'],
    ['many words', (n) => 'download the mp3 '.repeat(n) + 'zzz'],
    ['durations and sizes', (n) => '12:34 5 MB 128 kbps '.repeat(n) + 'x'],
    ['digits', (n) => '1'.repeat(n * 50) + 'b'],
  ])('%s', (_name, make) => {
    expectLinear({ make, run: isGenericLabel, base: 8 });
  });
});

/** A scan with no time budget, so the growth measured is the parser's own. */
const UNBOUNDED = { budgetMs: 1e9 };
const NO_DOC = { URL: 'https://feed.test/' } as Document;
const readFeed = (text: string) =>
  scanPage(NO_DOC, { feedText: text, baseUrl: 'https://feed.test/', ...UNBOUNDED });

const ITEM = (i: number) =>
  `<item><title>Episode ${i} &amp; more</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><enclosure url="/e${i}.mp3" length="9" type="audio/mpeg"/></item>`;

describe('feed reader', () => {
  /** A feed whose one episode's title (or, with `tag`, its enclosure tag) holds `inner`. */
  const inItem = (inner: string) =>
    `<rss><channel><item><title>${inner}</title><enclosure url="/x.mp3"/></item></channel></rss>`;

  it.each<[string, (n: number) => string]>([
    // The reproductions (32,000 repeats took 5.3 s and 7.1 s; 96,000 attribute
    // characters in one enclosure, 24 s).
    ['unclosed items', (n) => '<rss><channel>' + '<item>'.repeat(n)],
    ['unclosed titles', (n) => '<rss><channel>' + '<title>'.repeat(n)],
    [
      'an enclosure with a long run of attribute characters',
      (n) =>
        `<rss><channel><item><enclosure ${'a'.repeat(n * 3)} url="/x.mp3"/></item></channel></rss>`,
    ],
    // Its own generator: nested, unclosed, repeated, very long tokens.
    ['unclosed CDATA in a title', (n) => inItem('<![CDATA['.repeat(n))],
    ['lone angle brackets in a title', (n) => inItem('<'.repeat(n))],
    ['unclosed tags in a title', (n) => inItem('<b '.repeat(n))],
    ['stray ampersands', (n) => inItem('&amp'.repeat(n))],
    ['unclosed comments', (n) => '<rss><channel>' + '<!--'.repeat(n)],
    ['unclosed quotes', (n) => `<rss><channel><item><enclosure url="${'x'.repeat(n)}`],
    ['a doctype subset never closed', (n) => '<!DOCTYPE rss [' + '<!ENTITY a "b">'.repeat(n)],
    ['nested items', (n) => '<rss>' + '<item><title>t'.repeat(n) + '</title></item>'.repeat(n)],
    [
      'many episodes',
      (n) => `<rss><channel><title>Show</title>${ITEM(0).repeat(n / 8)}</channel></rss>`,
    ],
  ])('%s', (_name, make) => {
    expectLinear({ make: (n) => make(n * 1000), run: readFeed, base: 1 });
  });

  // "Make a book" reads the feed again for the show's tags and each episode's chapters: 20,000
  // attribute characters with no "=" took 0.9 s there, growing with the square of the length.
  it.each<[string, (n: number) => string]>([
    ['a long word in an enclosure', (n) => `<rss><channel><item><enclosure ${'a'.repeat(n)}>`],
    ['many words in an enclosure', (n) => `<rss><channel><item><enclosure ${'a '.repeat(n)}>`],
    ['names never given a value', (n) => `<rss><channel><item><enclosure ${'a='.repeat(n)}>`],
    ['unclosed items', (n) => '<rss><channel>' + '<item>'.repeat(n / 6)],
  ])('the book reader: %s', (_name, make) => {
    expectLinear({
      make: (n) => make(n * 2000),
      run: (text) => parseFeedBook(text, 'https://feed.test/'),
      base: 1,
    });
  });

  it('still reads every episode of a well-formed feed, and the channel title', () => {
    const feed = `<?xml version="1.0"?><rss><channel><title>Show &amp; tell</title>${Array.from(
      { length: 50 },
      (_, i) => ITEM(i),
    ).join('')}</channel></rss>`;
    const scan = readFeed(feed);
    expect(scan.title).toBe('Show & tell');
    expect(scan.hits).toHaveLength(50);
    expect(scan.hits[3]).toMatchObject({
      url: 'https://feed.test/e3.mp3',
      own: 'Episode 3 & more',
      size: 9,
      date: '2024-01-01T00:00:00.000Z',
    });
  });
});

/** A page in happy-dom (its windows closed after the file). */
const windows: Window[] = [];
afterAll(async () => {
  await Promise.all(windows.splice(0).map((w) => w.happyDOM.close()));
});
function page(html: string, url = 'https://page.test/'): Document {
  const window = new Window({ url, settings: { disableJavaScriptFileLoading: true } });
  windows.push(window);
  window.document.write(html);
  return window.document as unknown as Document;
}
/** A page whose body is one <pre> holding `text`, as Chromium shows a feed or a text file. */
function textPage(text: string): Document {
  const doc = page('<html><body><pre></pre></body></html>');
  doc.querySelector('pre')!.textContent = text;
  return doc;
}
const scan = (doc: Document) => scanPage(doc, UNBOUNDED);

/** The old URL pattern, as the oracle of which URLs a text holds. */
const OLD_URL_PATTERN =
  /https?:\/\/[^\s"'<>(){}|\\^`;,]+?\.(?:mp3|m4a|m4b|aac|wav|flac|ogg|oga|opus|weba|mka)(?:\?[^\s"'<>;,]*)?(?=$|[\s"'<>;,&]|\$)/gi;

describe('URL finder', () => {
  it("112 KB of 'http://' in a data attribute (2 s in the page before) is read in linear time", () => {
    expectLinear({
      make: (n) => page(`<div data-x="${'http://'.repeat(n * 500)}"></div>`),
      run: scan,
      base: 1,
    });
  });

  it('many addresses in a script are each found where they stand, in linear time', () => {
    const urls = (n: number) =>
      Array.from({ length: n }, (_, i) => `"https://cdn.test/a/${i}.mp3"`).join(',');
    expectLinear({
      make: (n) => page(`<script>var list = [${urls(n * 400)}];</script>`),
      run: scan,
      base: 1,
    });
  });

  it.each<[string, (n: number) => string]>([
    ['schemes run together with an extension far away', (n) => 'https://a'.repeat(n) + '.mp3'],
    ['extensions never ending a URL', (n) => 'http://a' + '.mp3x'.repeat(n)],
    ['queries', (n) => ('http://a.mp3?' + 'q'.repeat(20) + ' ').repeat(n)],
  ])('%s', (_name, make) => {
    expectLinear({
      make: (n) => page(`<div data-x="${make(n * 200)}"></div>`),
      run: scan,
      base: 1,
    });
  });

  it('finds the URLs the old pattern found', () => {
    const parts = ['http://', 'https://', 'a', '.mp3', '.ogg', '?', 'x=1', '&', '$', ' ', '(', ';'];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff;
    for (let t = 0; t < 300; t++) {
      const value = Array.from(
        { length: 3 + Math.floor(random() * 12) },
        () => parts[Math.floor(random() * parts.length)],
      ).join('');
      const expected = new Set<string>();
      for (const m of value.matchAll(OLD_URL_PATTERN)) {
        const u = URL.parse(m[0].replace(/&amp;/g, '&'));
        const file = u?.pathname.slice(u.pathname.lastIndexOf('/') + 1) ?? '';
        // The scanner's rule for an audio file name: an extension after a name.
        if (u && /.\.(mp3|ogg)$/i.test(file)) expected.add(u.href.replace(/#.*/, ''));
      }
      const found = new Set(
        scan(page(`<div data-x="${value.replace(/&/g, '&amp;')}"></div>`)).hits.map((h) => h.url),
      );
      expect([...found].sort(), value).toEqual([...expected].sort());
    }
  });
});

describe('feed detection', () => {
  it('a text of many comments before no feed is told apart in linear time', () => {
    // Repeated lazy comments in one pattern backtracked exponentially on this.
    expectLinear({ make: (n) => textPage('<!---->'.repeat(n * 8) + 'x'), run: scan, base: 1 });
  });
});

describe('page scan budgets', () => {
  // The scan's growth on pages of many links, players and headings is timed in Chromium
  // (tests/e2e/page-faults.test.ts): happy-dom finds an element's siblings and base URL by
  // searching, so its own costs would be measured here.
  const links = (n: number, label = 'Download') =>
    Array.from({ length: n }, (_, i) => `<p><a href="/clips/${i}.mp3">${label}</a></p>`).join('');

  it('stops at its time budget and says so', () => {
    const doc = page(`<div>${links(50)}</div>`);
    const stopped = scanPage(doc, { budgetMs: -1 });
    expect(stopped.leftOut).toBe('time');
    expect(stopped.hits).toHaveLength(0);
    expect(scanPage(doc).leftOut).toBeUndefined();
  });

  it('stops at its hit cap and says so', () => {
    const doc = page(`<div>${links(50)}</div>`);
    const capped = scanPage(doc, { maxHits: 20 });
    expect(capped.hits).toHaveLength(20);
    expect(capped.leftOut).toBe('hits');
    expect(scanPage(doc, { feedText: ITEM(1).repeat(30), maxHits: 5 }).leftOut).toBe('hits');
  });
});
