/**
 * Tracking prefixes in podcast URLs: measurement services put their own host in front of the
 * file's (`https://dts.podtrac.com/redirect.mp3/media.example.com/ep1.mp3`) and redirect to it.
 * Seam names them for what they are and shows the host the file lives on. Pure.
 */

/** Known prefixes, each as the start of "host/path" (no scheme) it removes. */
const PREFIXES: readonly { name: string; re: RegExp }[] = [
  // www.podtrac.com/pts/redirect.mp3?http://host/x.mp3 carries the whole URL as its query.
  { name: 'Podtrac', re: /^(?:[\w-]+\.)?podtrac\.com\/(?:pts\/)?redirect\.\w{2,4}\/?/i },
  { name: 'Podtrac', re: /^play\.podtrac\.com\/[^/]+\//i },
  { name: 'Chartable', re: /^(?:chtbl\.com|chrt\.fm)\/track\/[^/]+\//i },
  { name: 'Podsights', re: /^pdst\.fm\/e\//i },
  { name: 'OP3', re: /^op3\.dev\/e(?:,[^/]*)?\//i },
  { name: 'Gumball', re: /^(?:\d+\.)?gum\.fm\/(?:e\/)?/i },
  { name: 'Podscribe', re: /^(?:verifi\.podscribe\.com|pscrb\.fm)\/rss\/p\//i },
  { name: 'Magellan', re: /^mgln\.ai\/e\/[^/]+\//i },
  { name: 'Spotify Ad Analytics', re: /^prfx\.byspotify\.com\/e\//i },
  { name: 'Claritas', re: /^clrtpod\.com\/m\//i },
  { name: 'Veritonic', re: /^arttrk\.com\/p\/[^/]+\//i },
  { name: 'Podkite', re: /^pfx\.vpixl\.com\/[^/]+\//i },
  { name: 'Blubrry', re: /^media\.blubrry\.com\/[^/]+\//i },
  { name: 'Podcorn', re: /^pdcn\.co\/e\//i },
  { name: 'Swap.fm', re: /^tracking\.swap\.fm\/track\/[^/]+\//i },
  { name: 'Backtracks', re: /^backtracks\.fm\/[^/]+\/[^/]+\/e\//i },
];

export interface TrackedUrl {
  /** The URL with every known tracking prefix removed (the file's own URL). */
  finalUrl: string;
  /** The services in front of it, outermost first, each named once. */
  via: string[];
}

/** Removes known tracking prefixes, however many are chained. Unknown URLs come back as they are. */
export function untrack(url: string): TrackedUrl {
  const via: string[] = [];
  let current = url;
  for (let guard = 0; guard < 10; guard++) {
    const m = /^(https?:)\/\/(.*)$/i.exec(current);
    if (!m) break;
    const scheme = m[1]!.toLowerCase();
    const rest = m[2]!;
    const hit = PREFIXES.find((p) => p.re.test(rest));
    if (!hit) break;
    let next = rest.replace(hit.re, '');
    if (next.startsWith('?')) next = decodeSafe(next.slice(1));
    if (!/^https?:\/\//i.test(next)) next = `${scheme}//${next}`;
    if (!isUrl(next)) break;
    if (!via.includes(hit.name)) via.push(hit.name);
    current = next;
  }
  return { finalUrl: current, via };
}

/** The host a person cares about: where the file lives, and who counts the download on the way. */
export function describeHost(url: string): { host: string; via: string[] } {
  const { finalUrl, via } = untrack(url);
  try {
    return { host: new URL(finalUrl).host, via };
  } catch {
    return { host: '', via };
  }
}

function isUrl(s: string): boolean {
  try {
    return !!new URL(s).host;
  } catch {
    return false;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
