import { audioUrlsIn, hasAudioExt, resolve } from './addresses';
import { CONTROL_TEXT, DATE_OR_TIME, DATE_WORDS } from './decoys';
import { TEXT_MAX, clean, elementsUnder, textOf, up } from './text';

/**
 * The words a page puts beside a player or link: its own accessible name, a title in data
 * attributes, the caption or heading of its block, its card's title. One reader per scan: it
 * keeps what it counted (players under each element, each card's title, each document's base),
 * so a page of many hits is read in linear time. Its methods are bound (arrow fields) and may be
 * passed around on their own.
 */
export class TitleReader {
  /**
   * Players (audio, video) under each element of a document, counted once per document in one
   * pass from the last element to the first (children before their parents): a query of the
   * whole subtree per hit made a page of 100,000 links take minutes to list.
   */
  private readonly playerCounts = new Map<Document, Map<Element, number>>();
  readonly playersIn = (el: Element): number => {
    const d = el.ownerDocument;
    let counts = this.playerCounts.get(d);
    if (!counts) {
      counts = new Map();
      this.playerCounts.set(d, counts);
      if (d.querySelector('audio, video')) {
        const all = d.querySelectorAll('*');
        for (let i = all.length - 1; i >= 0; i--) {
          const x = all[i]!;
          const parent = x.parentElement;
          const own =
            (counts.get(x) ?? 0) + (x.localName === 'audio' || x.localName === 'video' ? 1 : 0);
          if (parent && own > 0) counts.set(parent, (counts.get(parent) ?? 0) + own);
        }
      }
    }
    return counts.get(el) ?? 0;
  };

  /** The accessible name a person (or a screen reader) meets: aria-label, text, title, alt. */
  readonly ownName = (el: Element, d: Document): string => {
    const label = clean(el.getAttribute('aria-label'));
    if (label) return label;
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const text = clean(
        by
          .slice(0, TEXT_MAX)
          .split(/\s+/)
          .slice(0, 8)
          .map((id) => (id ? textOf(d.getElementById(id)) : ''))
          .join(' '),
      );
      if (text) return text;
    }
    const tag = el.localName;
    if (tag !== 'audio' && tag !== 'video' && tag !== 'source' && tag !== 'span' && tag !== 'div') {
      const text = clean(textOf(el));
      if (text) return text;
    }
    const title = clean(el.getAttribute('title'));
    if (title) return title;
    const img = (elementsUnder(el, 64) ?? []).find(
      (x) => x.localName === 'img' && x.hasAttribute('alt'),
    );
    return clean(el.getAttribute('alt')) || clean(img ? img.getAttribute('alt') : '');
  };

  /** A title kept in data attributes on the element: data-title, data-asset-title... */
  readonly dataTitle = (el: Element): string => {
    if (el.localName === 'source') return '';
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length && i < 64; i++) {
      const a = attrs[i]!;
      const n = a.name.toLowerCase();
      if (!/^data-(?:[\w-]*-)?(title|name)$/.test(n) || /^data-mw/.test(n)) continue;
      if (/surtitle|subtitle|file-?name/.test(n)) continue;
      const v = clean(a.value);
      if (!v || /^(https?:|\/)/.test(v) || /\.[a-z0-9]{2,4}$/i.test(v)) continue;
      return v;
    }
    return '';
  };

  readonly isTitleLike = (el: Element): boolean => {
    const tag = el.localName;
    if (/^h[1-6]$/.test(tag) || tag === 'figcaption' || tag === 'caption' || tag === 'dt') {
      return true;
    }
    const cls = `${(el.getAttribute('class') ?? '').slice(0, TEXT_MAX)} ${el.id.slice(0, 100)}`;
    if (/(^|[\s_-])(title|caption|heading|headline)([\s_-]|$)/i.test(cls)) return true;
    if (/screen-reader-text|sr-only|visually-hidden/i.test(cls)) return true;
    // A link beside the player names it, unless it is itself a link to audio (another row).
    if (tag === 'a') {
      const u = resolve(el.getAttribute('href'), this.baseOf(el.ownerDocument));
      return !(u && hasAudioExt(u));
    }
    if (tag === 'b' || tag === 'strong') return true;
    // A line holding only one link or emphasis, as MediaWiki writes a player's caption.
    const only = el.childElementCount === 1 ? el.firstElementChild : null;
    if (only && /^(a|b|strong|em|i)$/.test(only.localName)) {
      const all = clean(textOf(el));
      return all.length > 0 && all === clean(textOf(only));
    }
    return false;
  };

  /**
   * A heading's text; when it holds a link (a card's headline under a kicker: `<h2><b>Sport</b>
   * <a>Headline</a></h2>`), the link's text.
   */
  readonly headingText = (h: Element): string => {
    const link = (elementsUnder(h, 32) ?? []).find((x) => x.localName === 'a');
    const linkText = link ? clean(textOf(link)) : '';
    return linkText.length >= 3 ? linkText : clean(textOf(h));
  };

  private readonly bases = new Map<Document, string>();
  readonly baseOf = (d: Document): string => {
    let base = this.bases.get(d);
    if (base === undefined) this.bases.set(d, (base = d.baseURI || d.URL));
    return base;
  };

  /** The caption a player or link sits under, looking only inside its own block. */
  readonly captionOf = (el: Element): string => {
    const figure = up(el, (x) => x.localName === 'figure');
    if (figure && this.playersIn(figure) <= 1) {
      const cap = (elementsUnder(figure) ?? []).find((x) => x.localName === 'figcaption');
      const text = clean(textOf(cap));
      if (text) return text;
    }
    let node: Element | null = el;
    for (let level = 0; level < 5 && node; level++) {
      let sib = node.previousElementSibling;
      for (let i = 0; i < 4 && sib; i++, sib = sib.previousElementSibling) {
        if (this.playersIn(sib) > 0) return '';
        if (this.isTitleLike(sib)) {
          const text = /^h[1-6]$/.test(sib.localName) ? this.headingText(sib) : clean(textOf(sib));
          if (text && text.length <= 160 && !CONTROL_TEXT.test(text) && !DATE_WORDS.test(text)) {
            return text;
          }
        }
      }
      const parent: Element | null = node.parentElement;
      if (
        !parent ||
        this.playersIn(parent) > 1 ||
        /^(body|html|main|article)$/.test(parent.localName)
      ) {
        break;
      }
      node = parent;
    }
    return this.cardTitle(el);
  };

  /**
   * A card in a list (`<li>`, `<article>`, role=listitem) that holds this one recording: its
   * first short line of text that is no date, duration or control label. Read in one bounded
   * walk of the card (a card of more than SUBTREE_MAX elements is none).
   */
  private readonly cardTitles = new Map<Element, string>();
  readonly cardTitle = (el: Element): string => {
    const card = up(el, (x) => x.localName === 'li' || x.getAttribute('role') === 'listitem');
    if (!card) return '';
    // The same for every hit in the card: read once.
    let title = this.cardTitles.get(card);
    if (title === undefined) this.cardTitles.set(card, (title = this.readCardTitle(card)));
    return title;
  };

  readonly readCardTitle = (card: Element): string => {
    if (this.playersIn(card) > 1) return '';
    if (up(card, (x) => x.localName === 'button' || x.getAttribute('role') === 'button')) {
      return '';
    }
    const inside = elementsUnder(card);
    if (!inside) return '';
    // More than one audio file named anywhere in the card (its markup): a list of several.
    const urls = new Set<string>();
    const note = (v: string) => {
      if (v.length >= 10) for (const u of audioUrlsIn(v)) urls.add(u);
    };
    for (const x of [card, ...inside]) {
      const attrs = x.attributes;
      for (let i = 0; i < attrs.length && i < 64; i++) note(attrs[i]!.value);
      for (let t = x.firstChild; t; t = t.nextSibling) {
        if (t.nodeType === 3) note((t.nodeValue ?? '').slice(0, TEXT_MAX));
      }
      if (urls.size > 1) return '';
    }
    // Whether each element is (in) a button or a link inside the card: parents come first.
    const inControl = new Map<Element, boolean>();
    for (const leaf of inside) {
      const parent = leaf.parentElement;
      const control =
        (parent !== card && parent !== null && inControl.get(parent) === true) ||
        leaf.localName === 'a' ||
        leaf.localName === 'button' ||
        leaf.getAttribute('role') === 'button';
      inControl.set(leaf, control);
      if (leaf.childElementCount > 0 || /^(script|style|svg|path|button)$/.test(leaf.localName)) {
        continue;
      }
      if (control) continue;
      const text = clean(textOf(leaf));
      if (text.length < 3 || text.length > 120 || DATE_OR_TIME.test(text)) continue;
      if (DATE_WORDS.test(text)) continue;
      if (CONTROL_TEXT.test(text)) continue;
      return text;
    }
    return '';
  };
}
