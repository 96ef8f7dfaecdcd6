/**
 * "Make a book" (issue 23 item 3) without a browser: a feed's show and episodes read in one
 * pass (title, author, artwork, enclosures, Podcasting 2.0 JSON chapters), the chosen episodes
 * put oldest first, and JSON chapters parsed with a size cap and flattened into one level.
 */
import { describe, expect, it } from 'vitest';
import { buildId3v2, parseId3v2 } from '@/lib/containers/id3';
import { bookOrder, bookOrigins, parseFeedBook } from '@/lib/page-audio/feed-book';
import { chapterTimes } from '@/lib/plan/chapters';
import { chapterMillis } from '@/lib/plan/tags';
import {
  episodeChapters,
  JsonChaptersError,
  MAX_JSON_CHAPTERS,
  MAX_JSON_CHAPTERS_BYTES,
  parseJsonChapters,
} from '@/lib/page-audio/json-chapters';

const BASE = 'https://example.org/show/feed.xml';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title><![CDATA[The Loopback &amp; Friends Show]]></title>
  <itunes:author>Ada &amp; Grace</itunes:author>
  <image><url>/art/small.jpg</url><title>not the show's title</title></image>
  <itunes:image href="https://cdn.example.org/art.png"/>
  <item>
    <title>Episode 3: The end</title>
    <pubDate>Wed, 03 Jan 2024 10:00:00 GMT</pubDate>
    <enclosure url="/ep3.mp3" length="1" type="audio/mpeg"/>
    <podcast:chapters url="/ep3.chapters.json" type="application/json+chapters"/>
  </item>
  <item>
    <title>A trailer without audio</title>
    <link>https://example.org/trailer</link>
  </item>
  <item>
    <title>Episode 1</title>
    <pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate>
    <enclosure url="ep1.mp3" type="audio/mpeg"/>
    <podcast:chapters url="/ep1.srt" type="application/srt"/>
  </item>
  <item>
    <title>Episode 2</title>
    <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
    <enclosure url="javascript:alert(1)" type="audio/mpeg"/>
  </item>
  <item>
    <title>Episode 2 (again)</title>
    <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
    <enclosure url="/ep2.mp3" type="audio/mpeg"/>
  </item>
</channel></rss>`;

describe('parseFeedBook', () => {
  const book = parseFeedBook(RSS, BASE);
  it('reads the show: title, author, the iTunes artwork over the RSS image', () => {
    expect(book.title).toBe('The Loopback & Friends Show');
    expect(book.author).toBe('Ada & Grace');
    expect(book.imageUrl).toBe('https://cdn.example.org/art.png');
  });
  it('reads each episode with audio, its date and its JSON chapters (not other kinds)', () => {
    expect(book.episodes).toEqual([
      {
        title: 'Episode 3: The end',
        audioUrl: 'https://example.org/ep3.mp3',
        date: Date.UTC(2024, 0, 3, 10),
        chaptersUrl: 'https://example.org/ep3.chapters.json',
      },
      {
        title: 'Episode 1',
        audioUrl: 'https://example.org/show/ep1.mp3',
        date: Date.UTC(2024, 0, 1, 10),
      },
      {
        title: 'Episode 2 (again)',
        audioUrl: 'https://example.org/ep2.mp3',
        date: Date.UTC(2024, 0, 2, 10),
      },
    ]);
  });
  it('puts the chosen episodes oldest first', () => {
    expect(
      bookOrder(book, ['https://example.org/ep3.mp3', 'https://example.org/show/ep1.mp3']).map(
        (e) => e.title,
      ),
    ).toEqual(['Episode 1', 'Episode 3: The end']);
  });
  it('finds a chosen episode by any of its formats, and without its fragment', () => {
    const withAlternates = parseFeedBook(
      `<rss><channel><title>Show</title>
       <item><title>One</title><enclosure url="https://example.org/one.mp3#t=0" type="audio/mpeg"/></item>
       <item><title>Two</title><enclosure url="https://example.org/two.m4a" type="audio/mp4"/></item>
       </channel></rss>`,
      BASE,
    );
    // The list drops fragments, and may offer an episode's other format first.
    const chosen = [
      'https://example.org/one.mp3',
      'https://example.org/two.mp3',
      'https://example.org/two.m4a',
    ];
    expect(bookOrder(withAlternates, chosen).map((e) => e.title)).toEqual(['Two', 'One']);
    expect(bookOrder(withAlternates, ['https://example.org/three.mp3'])).toEqual([]);
  });
  it('reads an Atom feed', () => {
    const atom = parseFeedBook(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom show</title><author><name>Lin</name></author>
       <entry><title>First</title><published>2024-02-01T00:00:00Z</published>
       <link rel="enclosure" type="audio/mpeg" href="https://example.org/a.mp3"/></entry></feed>`,
      BASE,
    );
    expect(atom).toMatchObject({ title: 'Atom show', author: 'Lin' });
    expect(atom.episodes).toEqual([
      { title: 'First', audioUrl: 'https://example.org/a.mp3', date: Date.UTC(2024, 1, 1) },
    ]);
  });
  it('reads broken and hostile markup in one pass', () => {
    const nested = '<item>'.repeat(20_000) + '<title>'.repeat(20_000);
    const out = parseFeedBook(`<rss><channel><title>x</title>${nested}`, BASE);
    expect(out).toEqual({ title: 'x', author: '', episodes: [] });
  });
});

describe('bookOrigins', () => {
  it('asks once for each site the book reads from: feed, audio, chapters and artwork', () => {
    const book = parseFeedBook(RSS, BASE);
    expect(bookOrigins(BASE, book, book.episodes)).toEqual([
      'https://example.org/*',
      'https://cdn.example.org/*',
    ]);
  });
  it("asks for a tracked link's file host, not the tracker's, and only the chosen episodes'", () => {
    const episodes = [
      { title: 'A', audioUrl: 'https://dts.podtrac.com/redirect.mp3/media.example.com/a.mp3' },
      {
        title: 'B',
        audioUrl: 'https://files.example.net/b.mp3',
        chaptersUrl: 'https://chapters.example.com/b.json',
      },
    ];
    const book = {
      title: 'Show',
      author: '',
      episodes: [...episodes, { title: 'C', audioUrl: 'https://other.example/c.mp3' }],
    };
    expect(bookOrigins('https://feeds.example.com/rss', book, episodes)).toEqual([
      'https://feeds.example.com/*',
      'https://media.example.com/*',
      'https://files.example.net/*',
      'https://chapters.example.com/*',
    ]);
  });
});

describe('parseJsonChapters', () => {
  it('reads chapters in time order, leaving out toc: false and untitled ones', () => {
    expect(
      parseJsonChapters(
        JSON.stringify({
          version: '1.2.0',
          chapters: [
            { startTime: 30, title: 'Interview' },
            { startTime: 0, title: 'Intro' },
            { startTime: 45, title: 'Ad', toc: false },
            { startTime: 50 },
            { startTime: -1, title: 'negative' },
            { startTime: '60.5', title: '  Outro  ' },
          ],
        }),
      ),
    ).toEqual([
      { startSec: 0, title: 'Intro' },
      { startSec: 30, title: 'Interview' },
      { startSec: 60.5, title: 'Outro' },
    ]);
  });
  it('refuses text past the size cap, and what is not a chapters file', () => {
    expect(() => parseJsonChapters(' '.repeat(MAX_JSON_CHAPTERS_BYTES + 1))).toThrow(
      JsonChaptersError,
    );
    expect(() => parseJsonChapters('<html>')).toThrow(JsonChaptersError);
    expect(() => parseJsonChapters('{"chapters": 3}')).toThrow(JsonChaptersError);
  });
  it('keeps at most MAX_JSON_CHAPTERS', () => {
    const chapters = Array.from({ length: 5000 }, (_, i) => ({ startTime: i, title: `C${i}` }));
    expect(parseJsonChapters(JSON.stringify({ chapters }))).toHaveLength(MAX_JSON_CHAPTERS);
  });
});

describe('episodeChapters', () => {
  it('flattens into "Episode: chapter", with the episode before a late first chapter', () => {
    expect(
      episodeChapters('Episode 2', [
        { startSec: 1.5, title: 'Intro' },
        { startSec: 3, title: 'Talk' },
      ]),
    ).toEqual([
      { startSec: 0, title: 'Episode 2', inner: 'Episode 2' },
      { startSec: 1.5, title: 'Episode 2: Intro', inner: 'Intro' },
      { startSec: 3, title: 'Episode 2: Talk', inner: 'Talk' },
    ]);
    expect(episodeChapters('Episode 1', [])).toBeUndefined();
  });
});

describe('a book’s chapters in ID3: a table of contents per episode', () => {
  const episode = (
    name: string,
    chapters?: { startSec: number; title: string; inner: string }[],
  ) => ({
    name: `${name}.mp3`,
    info: { durationSec: 4 },
    edit: {
      startSec: 0,
      transitionAfter: { kind: 'none' as const },
      chapterTitle: name,
      ...(chapters ? { chapters } : {}),
    },
  });
  const times = chapterTimes(
    [
      episode('Episode 1'),
      episode(
        'Episode 2',
        episodeChapters('Episode 2', [
          { startSec: 0, title: 'Opening' },
          { startSec: 2, title: 'Main part' },
        ]),
      ),
      episode('Episode 3'),
    ],
    [{ kind: 'none' }, { kind: 'none' }],
    { mode: 'auto', titleFrom: 'file' },
  );
  it('flattens for one level and names the part for nesting', () => {
    expect(times.map((c) => [c.title, c.startSec, c.part])).toEqual([
      ['Episode 1', 0, undefined],
      ['Episode 2: Opening', 4, 'Episode 2'],
      ['Episode 2: Main part', 6, 'Episode 2'],
      ['Episode 3', 8, undefined],
    ]);
  });
  it('writes the top CTOC with the episodes, and a CTOC titled by the episode around its CHAPs', () => {
    const tag = parseId3v2(
      buildId3v2(undefined, { set: {}, chapters: chapterMillis(times), cover: 'keep' }),
    )!;
    const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
    const tocs = tag.frames.filter((f) => f.id === 'CTOC').map((f) => text(f.body));
    expect(tocs).toHaveLength(2);
    // Top level and ordered (0x03), three entries: ch0, the part's toc1, ch3.
    expect(tocs[0]).toBe('toc\0\x03\x03ch0\0toc1\0ch3\0');
    // The part: ordered (0x01), two entries, then its TIT2 "Episode 2".
    expect(tocs[1]!.startsWith('toc1\0\x01\x02ch1\0ch2\0TIT2')).toBe(true);
    expect(tocs[1]).toContain('Episode 2');
    const chaps = tag.frames.filter((f) => f.id === 'CHAP').map((f) => text(f.body));
    expect(chaps.map((c) => c.slice(0, c.indexOf('\0')))).toEqual(['ch0', 'ch1', 'ch2', 'ch3']);
    expect(chaps[1]).toContain('Opening');
    expect(chaps[1]).not.toContain('Episode 2: Opening');
  });
});
