/**
 * URLs and the host permissions that cover them: which URLs Seam can fetch itself and whether granted patterns cover a URL. Pure: the engine's fetcher, the
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
