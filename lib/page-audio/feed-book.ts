/**
 * "Make a book" from a feed: what the feed says about the whole show (title, author, artwork)
 * and about each episode (title, date, audio, its Podcasting 2.0 JSON chapters), read from the
 * feed's text in one forward pass over its tags: each character is looked at a bounded number
 * of times however the markup nests or breaks, and every text kept is capped. Pure (no DOM: a
 * feed is often not well-formed XML).
 */

import { attrs, decodeEntities } from './scan/feed-text';

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
  const book: FeedBook = { title: '', author: '', episodes: [] };
  let item: (Partial<BookEpisode> & { dateText?: string }) | undefined;
  let inImage = false;
  /** The show's iTunes artwork (square, large) wins over RSS's <image>. */
  let itunesImage: string | undefined;
  /** The element whose text is being read, and where its text starts. */
  let reading: { name: string; from: number } | undefined;
  let at = 0;
  const take = (name: string, raw: string) => {
    const value = clean(
      decodeEntities(raw.replace(/^<!\[CDATA\[|\]\]>$/g, '').replace(/<[^>]*>/g, '')),
    );
    if (item) {
      if (name === 'title' && !item.title) item.title = value;
      if ((name === 'pubdate' || name === 'published' || name === 'dc:date') && !item.dateText)
        item.dateText = value;
      return;
    }
    if (name === 'title' && !inImage && !book.title) book.title = value;
    if ((name === 'itunes:author' || name === 'author') && !book.author) book.author = value;
    if (name === 'managingeditor' && !book.author) book.author = value.replace(/\s*\(.*$/, '');
    if (name === 'url' && inImage && !book.imageUrl) book.imageUrl = absolute(value, baseUrl);
  };
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    if (lt < 0) break;
    // CDATA is text: skip to its end in one step.
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      at = end < 0 ? text.length : end + 3;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      at = end < 0 ? text.length : end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt + 1);
    if (gt < 0) break;
    const tag = text.slice(lt + 1, gt);
    at = gt + 1;
    const closing = tag.startsWith('/');
    const name = /^\/?\s*([\w:.-]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
    if (closing) {
      if (reading && reading.name === name) {
        take(name, text.slice(reading.from, lt));
        reading = undefined;
      }
      if (name === 'image') inImage = false;
      if ((name === 'item' || name === 'entry') && item) {
        if (item.audioUrl && book.episodes.length < MAX_BOOK_EPISODES) {
          const date = item.dateText ? Date.parse(item.dateText) : NaN;
          book.episodes.push({
            title: item.title || '',
            audioUrl: item.audioUrl,
            ...(Number.isFinite(date) ? { date } : {}),
            ...(item.chaptersUrl ? { chaptersUrl: item.chaptersUrl } : {}),
          });
        }
        item = undefined;
      }
      continue;
    }
    const selfClosing = tag.endsWith('/');
    if (name === 'item' || name === 'entry') {
      item = {};
      reading = undefined;
      continue;
    }
    if (name === 'image' && !item && !selfClosing) inImage = true;
    const a = (): Record<string, string> => attrs(tag);
    if (name === 'itunes:image' && !item && !itunesImage) {
      itunesImage = absolute(a()['href'], baseUrl);
    }
    if (item && name === 'enclosure' && !item.audioUrl) {
      const attrs = a();
      const type = attrs['type'] ?? '';
      if (!type || /^(audio|video)\//i.test(type)) item.audioUrl = absolute(attrs['url'], baseUrl);
    }
    if (item && name === 'link' && !item.audioUrl) {
      const attrs = a();
      if (attrs['rel'] === 'enclosure' && /^audio\//i.test(attrs['type'] ?? ''))
        item.audioUrl = absolute(attrs['href'], baseUrl);
    }
    if (item && name === 'podcast:chapters' && !item.chaptersUrl) {
      const attrs = a();
      if (/^application\/json\+chapters$/i.test((attrs['type'] ?? '').trim()))
        item.chaptersUrl = absolute(attrs['url'], baseUrl);
    }
    if (
      !selfClosing &&
      /^(title|pubdate|published|dc:date|itunes:author|author|managingeditor|url)$/.test(name)
    ) {
      // Atom's <author> holds a <name>: its text is read as the author's.
      reading = { name, from: at };
    }
    if (name === 'name' && !item && !book.author && !selfClosing)
      reading = { name: 'author', from: at };
  }
  if (itunesImage) book.imageUrl = itunesImage;
  return book;
}

/** The chosen episodes (by audio URL), oldest first; undated ones keep the feed's order. */
export function bookOrder(book: FeedBook, chosen: readonly string[]): BookEpisode[] {
  const wanted = new Set(chosen);
  const picked = book.episodes.map((e, i) => ({ e, i })).filter(({ e }) => wanted.has(e.audioUrl));
  // Feeds list newest first: reversed, the undated fall in with their neighbours.
  return picked
    .sort((a, b) => {
      if (a.e.date !== undefined && b.e.date !== undefined && a.e.date !== b.e.date)
        return a.e.date - b.e.date;
      return b.i - a.i;
    })
    .map(({ e }) => e);
}
