/**
 * Feeds read from their text: entities, a tag's attributes, durations, whether a text is a feed,
 * and the feed a tab shows.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Elements whose text an item keeps (the first of each name), and the channel's title. */
export const ITEM_TEXTS = new Set([
  'title',
  'pubdate',
  'published',
  'updated',
  'dc:date',
  'itunes:duration',
  'duration',
  'guid',
]);

export const ITEM_NAME = /^(?:\w+:)?(?:item|entry)$/;

export const TAG_NAME = /[A-Za-z_][\w:.-]*/y;

export interface FeedItem {
  name: string;
  texts: Map<string, string>;
  links: { tag: string; attrs: Record<string, string> }[];
}

/** XML's entities, `&nbsp;` and numeric references decoded; others left as written. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  for (; amp >= 0; amp = s.indexOf('&', amp + 1)) {
    // An entity name is short: look no further than this for its ';'.
    const semi = s.slice(amp + 1, amp + 12).indexOf(';');
    if (semi < 1) continue;
    const e = s.slice(amp + 1, amp + 1 + semi);
    let value: string | undefined;
    if (/^#x[0-9a-f]+$/i.test(e) || /^#\d+$/.test(e)) {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1));
      if (code > 0 && code < 0x110000) value = String.fromCodePoint(code);
    } else if (/^\w+$/.test(e)) value = NAMED_ENTITIES[e.toLowerCase()];
    if (value === undefined) continue;
    out += s.slice(from, amp) + value;
    from = amp + 2 + semi;
    amp = from - 1;
  }
  return out + s.slice(from);
}

/** Attributes of a tag (the text between its name and its '>'), names lower-cased. */
export function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const NAME = /[\w:.-]+/y;
  const SPACE = /\s*/y;
  let i = 0;
  while (i < tag.length) {
    NAME.lastIndex = i;
    const name = NAME.exec(tag);
    if (!name) {
      i++;
      continue;
    }
    i = NAME.lastIndex;
    SPACE.lastIndex = i;
    SPACE.exec(tag);
    if (tag[SPACE.lastIndex] !== '=') continue;
    SPACE.lastIndex += 1;
    SPACE.exec(tag);
    const q = tag[SPACE.lastIndex];
    if (q !== '"' && q !== "'") {
      i = SPACE.lastIndex;
      continue;
    }
    const close = tag.indexOf(q, SPACE.lastIndex + 1);
    if (close < 0) break;
    out[name[0].toLowerCase()] = decodeEntities(tag.slice(SPACE.lastIndex + 1, close));
    i = close + 1;
  }
  return out;
}

export function seconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})$/.exec(t);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * Whether a text starts as a feed: an optional XML declaration and comments, then `<rss`,
 * `<feed` or `<rdf:RDF`. Read forwards once (a pattern of repeated lazy comments backtracked
 * exponentially on a text of many).
 */
export function startsAsFeed(text: string): boolean {
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('>', i);
    if (end < 0) return false;
    i = end + 1;
  }
  for (let comments = 0; ; comments++) {
    space();
    if (!text.startsWith('<!--', i) || comments > 100) break;
    const end = text.indexOf('-->', i + 4);
    if (end < 0) return false;
    i = end + 3;
  }
  return /^<(rss|feed|rdf:RDF)\b/i.test(text.slice(i, i + 12));
}

/** The document's feed text when the tab shows a feed, as XML or as plain text. */
export function feedTextOf(d: Document): string | undefined {
  const root = d.documentElement;
  if (!root) return undefined;
  const rootName = root.localName.toLowerCase();
  if (rootName === 'rss' || rootName === 'feed' || rootName === 'rdf') {
    try {
      return new XMLSerializer().serializeToString(d);
    } catch {
      return root.outerHTML;
    }
  }
  const type = (d.contentType ?? '').toLowerCase();
  const body = d.body;
  if (!body) return undefined;
  // Chromium shows application/rss+xml (and text/plain) as text in one <pre>.
  if (
    /xml|text\/plain/.test(type) ||
    (body.childElementCount === 1 && body.firstElementChild?.localName === 'pre')
  ) {
    const text = (body.textContent ?? '').trimStart();
    if (startsAsFeed(text)) return asUtf8(text, d.characterSet);
  }
  return undefined;
}

/**
 * A feed served without a charset is shown as text decoded as windows-1252, while XML means
 * UTF-8 unless it says otherwise: "GaragendÃ¤chern" is "Garagendächern". Undo that.
 */
function asUtf8(text: string, charset: string): string {
  const declared = /^<\?xml[^>]*encoding=["']([\w-]+)["']/i
    .exec(text.slice(0, 200))?.[1]
    ?.toLowerCase();
  if (/^utf-?8$/i.test(charset) || (declared && !/^utf-?8$/.test(declared))) return text;
  const cp1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const high = cp1252.indexOf(text[i]!);
    if (high >= 0) bytes[i] = 0x80 + high;
    else if (c < 256) bytes[i] = c;
    else return text;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return text;
  }
}
