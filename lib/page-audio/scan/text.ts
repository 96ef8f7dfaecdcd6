/** Reading a page's text in bounded work: names and labels, subtrees, ancestors. */

const NAME_MAX = 200;

// Work per hit is bounded (issue 18): text is read up to TEXT_MAX characters, a subtree up to
// SUBTREE_MAX elements, ancestors up to UP_MAX levels.
export const TEXT_MAX = 4 * NAME_MAX;

const SUBTREE_MAX = 400;

const UP_MAX = 32;

export const JSON_VISITS = 2000;

export function clean(text: string | null | undefined): string {
  const s = (text ?? '').slice(0, TEXT_MAX).replace(/\s+/g, ' ').trim();
  if (s.length <= NAME_MAX) return s;
  return (
    Array.from(s)
      .slice(0, NAME_MAX - 1)
      .join('')
      .trimEnd() + '…'
  );
}

/**
 * An element's text as `textContent` gives it, but only its first TEXT_MAX characters and
 * SUBTREE_MAX nodes: a label or heading is short, and a page may wrap everything in one.
 */
export function textOf(el: Node | null | undefined): string {
  if (!el) return '';
  let out = '';
  let visits = 0;
  let n: Node | null = el.firstChild;
  while (n && out.length < TEXT_MAX && visits++ < SUBTREE_MAX) {
    if (n.nodeType === 3 || n.nodeType === 4) out += (n.nodeValue ?? '').slice(0, TEXT_MAX);
    if (n.firstChild) {
      n = n.firstChild;
      continue;
    }
    while (n && n !== el && !n.nextSibling) n = n.parentNode;
    if (!n || n === el) break;
    n = n.nextSibling;
  }
  return out;
}

/**
 * The elements under `root` in document order (as `querySelectorAll('*')` lists them), or
 * null when there are more than `max`: a subtree that large is no one recording's card.
 */
export function elementsUnder(root: Element, max = SUBTREE_MAX): Element[] | null {
  const out: Element[] = [];
  let el: Element | null = root.firstElementChild;
  while (el) {
    if (out.length >= max) return null;
    out.push(el);
    if (el.firstElementChild) {
      el = el.firstElementChild;
      continue;
    }
    while (el && el !== root && !el.nextElementSibling) el = el.parentElement;
    if (!el || el === root) break;
    el = el.nextElementSibling;
  }
  return out;
}

/** The nearest of `el` and its ancestors (up to UP_MAX levels) that passes `test`. */
export function up(el: Element, test: (x: Element) => boolean): Element | null {
  let at: Element | null = el;
  for (let i = 0; at && i <= UP_MAX; i++, at = at.parentElement) if (test(at)) return at;
  return null;
}

export function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
