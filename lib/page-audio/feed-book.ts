/**
 * "Make a book" from a feed: what the feed says about the whole show (title, author, artwork)
 * and about each episode (title, date, audio, its Podcasting 2.0 JSON chapters), read from the
 * feed's text in one forward pass over its tags: each character is looked at a bounded number
 * of times however the markup nests or breaks, and every text kept is capped. Pure (no DOM: a
 * feed is often not well-formed XML).
 */
import { attrs as attributes, decodeEntities } from './scan/feed-text';
import { originPattern } from './urls';

/** An episode of the book, as the feed gives it. */
export interface BookEpisode {
  title: string;
  /** The enclosure's URL, absolute. */
  audioUrl: string;
  /** Milliseconds since 1970 (pubDate / published), when the feed says. */
  date?: number;
  /** `<podcast:chapters url type="application/json+chapters">`, absolute. */
  chaptersUrl?: string;
}

export interface FeedBook {
  title: string;
  author: string;
  /** The show's artwork (itunes:image href, else image/url), absolute. */
  imageUrl?: string;
  episodes: BookEpisode[];
}

/** Texts kept of an element; episodes read. */
const MAX_TEXT = 500;
const MAX_BOOK_EPISODES = 2000;

function absolute(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
}

/**
 * Reads a feed's book: RSS 2.0 (with iTunes and Podcasting 2.0 tags) or Atom. Episodes in the
 * feed's order; only those with an audio enclosure.
 */
export function parseFeedBook(text: string, baseUrl: string): FeedBook {
  const reader = new FeedReader(baseUrl);
  let at = 0;
  while (at < text.length) {
    const next = nextMarkup(text, at);
    if (!next) break;
    at = next.end;
    if (next.tag !== undefined) reader.tag(next.tag, text, next.start, at);
  }
  return reader.finish();
}

/**
 * The next markup from `at`: a tag (its text between < and >, where it starts and ends), or
 * CDATA or a comment (no tag: skipped whole, in one step). Undefined: no tag follows.
 */
function nextMarkup(
  text: string,
  at: number,
): { tag?: string; start: number; end: number } | undefined {
  const start = text.indexOf('<', at);
  if (start < 0) return undefined;
  // CDATA is text: skip to its end in one step.
  if (text.startsWith('<![CDATA[', start)) return { start, end: pastEnd(text, ']]>', start + 9) };
  if (text.startsWith('<!--', start)) return { start, end: pastEnd(text, '-->', start + 4) };
  const gt = text.indexOf('>', start + 1);
  if (gt < 0) return undefined;
  return { tag: text.slice(start + 1, gt), start, end: gt + 1 };
}

/** Just past the next `close` from `from` (the text's end when there is none). */
function pastEnd(text: string, close: string, from: number): number {
  const end = text.indexOf(close, from);
  return end < 0 ? text.length : end + close.length;
}

/** What a feed's tags say, taken one tag at a time in the feed's order. */
class FeedReader {
  readonly #baseUrl: string;
  readonly #book: FeedBook = { title: '', author: '', episodes: [] };
  #item: (Partial<BookEpisode> & { dateText?: string }) | undefined;
  #inImage = false;
  /** The show's iTunes artwork (square, large) wins over RSS's <image>. */
  #itunesImage: string | undefined;
  /** The element whose text is being read, and where its text starts. */
  #reading: { name: string; from: number } | undefined;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  /** A tag's text (between < and >) at `start` in `text`; what follows it starts at `after`. */
  tag(tag: string, text: string, start: number, after: number): void {
    const name = /^\/?\s*([\w:.-]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
    if (!tag.startsWith('/')) {
      this.#open(name, tag, after);
      return;
    }
    if (this.#reading && this.#reading.name === name) {
      this.#take(name, text.slice(this.#reading.from, start));
      this.#reading = undefined;
    }
    if (name === 'image') this.#inImage = false;
    if (name === 'item' || name === 'entry') this.#endItem();
  }

  /** The book, the iTunes artwork in place of RSS's image when the feed has both. */
  finish(): FeedBook {
    if (this.#itunesImage) this.#book.imageUrl = this.#itunesImage;
    return this.#book;
  }

  #open(name: string, tag: string, after: number): void {
    const selfClosing = tag.endsWith('/');
    if (name === 'item' || name === 'entry') {
      this.#item = {};
      this.#reading = undefined;
      return;
    }
    if (name === 'image' && !this.#item && !selfClosing) this.#inImage = true;
    if (name === 'itunes:image' && !this.#item && !this.#itunesImage) {
      this.#itunesImage = absolute(attributes(tag)['href'], this.#baseUrl);
    }
    if (this.#item) this.#itemLink(this.#item, name, tag);
    if (
      !selfClosing &&
      /^(title|pubdate|published|dc:date|itunes:author|author|managingeditor|url)$/.test(name)
    ) {
      this.#reading = { name, from: after };
    }
    // Atom's <author> holds a <name>: its text is read as the author's.
    if (name === 'name' && !this.#item && !this.#book.author && !selfClosing)
      this.#reading = { name: 'author', from: after };
  }

  /** An episode's audio (RSS enclosure, Atom link) and its JSON chapters, the first of each. */
  #itemLink(item: Partial<BookEpisode>, name: string, tag: string): void {
    if (name === 'enclosure' && !item.audioUrl) {
      const attrs = attributes(tag);
      const type = attrs['type'] ?? '';
      if (!type || /^(audio|video)\//i.test(type))
        item.audioUrl = absolute(attrs['url'], this.#baseUrl);
    }
    if (name === 'link' && !item.audioUrl) {
      const attrs = attributes(tag);
      if (attrs['rel'] === 'enclosure' && /^audio\//i.test(attrs['type'] ?? ''))
        item.audioUrl = absolute(attrs['href'], this.#baseUrl);
    }
    if (name === 'podcast:chapters' && !item.chaptersUrl) {
      const attrs = attributes(tag);
      if (/^application\/json\+chapters$/i.test((attrs['type'] ?? '').trim()))
        item.chaptersUrl = absolute(attrs['url'], this.#baseUrl);
    }
  }

  /** An element's text: the episode's title and date, or the show's title, author and image. */
  #take(name: string, raw: string): void {
    const value = clean(
      decodeEntities(raw.replace(/^<!\[CDATA\[|\]\]>$/g, '').replace(/<[^>]*>/g, '')),
    );
    const item = this.#item;
    const book = this.#book;
    if (item) {
      if (name === 'title' && !item.title) item.title = value;
      if ((name === 'pubdate' || name === 'published' || name === 'dc:date') && !item.dateText)
        item.dateText = value;
      return;
    }
    if (name === 'title' && !this.#inImage && !book.title) book.title = value;
    if ((name === 'itunes:author' || name === 'author') && !book.author) book.author = value;
    if (name === 'managingeditor' && !book.author) book.author = value.replace(/\s*\(.*$/, '');
    if (name === 'url' && this.#inImage && !book.imageUrl)
      book.imageUrl = absolute(value, this.#baseUrl);
  }

  /** An episode ends: kept when it has audio (up to MAX_BOOK_EPISODES). */
  #endItem(): void {
    const item = this.#item;
    if (!item) return;
    if (item.audioUrl && this.#book.episodes.length < MAX_BOOK_EPISODES) {
      const date = item.dateText ? Date.parse(item.dateText) : NaN;
      this.#book.episodes.push({
        title: item.title || '',
        audioUrl: item.audioUrl,
        ...(Number.isFinite(date) ? { date } : {}),
        ...(item.chaptersUrl ? { chaptersUrl: item.chaptersUrl } : {}),
      });
    }
    this.#item = undefined;
  }
}

/**
 * The chosen episodes, oldest first; undated ones keep the feed's order. `chosen` holds the
 * audio URLs of the chosen rows, every format of each (the list may offer an episode's
 * alternative format where the book reads its first enclosure), matched without fragments (the
 * list drops them).
 */
export function bookOrder(book: FeedBook, chosen: readonly string[]): BookEpisode[] {
  const wanted = new Set(chosen.map(withoutFragment));
  const picked = book.episodes
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => wanted.has(withoutFragment(e.audioUrl)));
  // Feeds list newest first: reversed, the undated fall in with their neighbours.
  return picked
    .sort((a, b) => {
      if (a.e.date !== undefined && b.e.date !== undefined && a.e.date !== b.e.date)
        return a.e.date - b.e.date;
      return b.i - a.i;
    })
    .map(({ e }) => e);
}

/**
 * Every site a book of these episodes reads from, as host patterns (each once): the feed's, the
 * audio's, the chapters' and the artwork's; a tracked link's file host, not the tracker's.
 */
export function bookOrigins(
  feedUrl: string,
  book: FeedBook,
  episodes: readonly BookEpisode[],
): string[] {
  const urls = [
    feedUrl,
    ...episodes.flatMap((e) => [e.audioUrl, ...(e.chaptersUrl ? [e.chaptersUrl] : [])]),
    ...(book.imageUrl ? [book.imageUrl] : []),
  ];
  return [...new Set(urls.map(originPattern))];
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}
