/**
 * URLs and the host permissions that cover them: which URLs Seam can fetch itself, the pattern
 * it asks for, and whether granted patterns cover a URL. Pure: the engine's fetcher, the
 * background's retries and the page-audio list use the same rules.
 */

/** Whether the extension can fetch the URL itself: http(s) only (not blob:, data:, file:). */
export function isFetchable(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The `permissions.request({ origins })` pattern for a URL's origin, e.g.
 * 'https://example.com/*'. The port is left out: Firefox match patterns reject ports, and a
 * pattern without one matches every port in both browsers. Throws for non-http(s) URLs, which
 * no host permission can cover; check `isFetchable` first.
 */
export function originPattern(url: string): string {
  if (!isFetchable(url)) throw new TypeError(`no host permission can cover ${url}`);
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/**
 * Whether newly granted host patterns cover a URL: its own origin pattern, or a broader one
 * ("https://*\/*", "*://*\/*", "<all_urls>").
 */
export function coveredBy(url: string, origins: readonly string[]): boolean {
  if (!isFetchable(url)) return false;
  const u = new URL(url);
  const host = u.hostname.toLowerCase();
  return origins.some((o) => {
    if (o === '<all_urls>') return true;
    const m = /^(\*|https?):\/\/([^/]+)\/(.*)$/.exec(o);
    if (!m) return false;
    const [, scheme, pattern] = m;
    if (scheme !== '*' && `${scheme}:` !== u.protocol) return false;
    // Patterns have no port (see originPattern); a pattern with one is matched without it.
    const p = pattern!.toLowerCase().replace(/:\d+$/, '');
    if (p === '*') return true;
    if (p.startsWith('*.')) return host === p.slice(2) || host.endsWith(p.slice(1));
    return host === p;
  });
}
