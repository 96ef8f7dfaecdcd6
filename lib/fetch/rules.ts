import { text } from '@/lib/core/i18n';
import {
  FetchFailedError,
  FetchRefusedError,
  PrivateNetworkError,
  SeamError,
  TooLargeError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { bytesText } from '@/lib/core/text';
import { inspectHeader, notAudioDescription } from '@/lib/media/sniff';
import type { TrackRef } from '@/lib/core/track';
import { coveredBy } from './origins';

/**
 * What counts as a good download of page audio, as pure rules: the fetcher in the engine's host
 * applies them to each response, so a 404, an HTML error page served as ".mp3", a timeout, a
 * drip-feeding server, a redirect off the granted sites or onto a private network, or a file
 * over the size limit each end as a named error whose sentence names the host that failed.
 */

/** No answer (headers) within this long is a timeout. */
export const CONNECT_TIMEOUT_MS = 30_000;
/** No new bytes for this long during the body is a stall, reported as a timeout too. */
export const STALL_TIMEOUT_MS = 30_000;
/**
 * Slower than this on average over SLOW_WINDOW_MS is a server drip-feeding the download (a byte
 * every 25 s never trips the stall timer). 2 KB/s is a tenth of a 160 kb/s podcast's own rate.
 */
export const MIN_BYTES_PER_SEC = 2048;
export const SLOW_WINDOW_MS = 30_000;

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export interface ResponseHead {
  status: number;
  statusText: string;
  contentType: string | null;
  contentLength: number | undefined;
  /** Where the response came from, after redirects. */
  url?: string;
}

/** Checks a response's status line and headers before any body is read. */
export function checkResponseHead(
  head: ResponseHead,
  limitBytes: number,
  track: TrackRef,
): SeamError | undefined {
  const host = head.url ? hostOf(head.url) : '';
  if (head.status < 200 || head.status > 299) {
    const said = head.statusText || STATUS_TEXT[head.status] || '';
    // The status and its words as the server sent them.
    const status = `${head.status}${said ? ` ${said}` : ''}`;
    return new FetchFailedError(
      host ? text('fetch.statusFrom', host, status) : text('fetch.status', status),
      track,
    );
  }
  const type = (head.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    return new UnsupportedAudioError(
      host ? text('fetch.htmlFrom', host) : text('fetch.html'),
      track,
    );
  }
  if (head.contentLength !== undefined && head.contentLength > limitBytes) {
    return tooLarge(head.contentLength, limitBytes, track);
  }
  return undefined;
}

export function tooLarge(bytes: number, limitBytes: number, track: TrackRef): TooLargeError {
  return new TooLargeError(text('fetch.tooLarge', bytesText(bytes), bytesText(limitBytes)), track);
}

/** Checks the first bytes of the body: a server may send HTML or JSON as audio/mpeg. */
export function checkFirstBytes(
  bytes: Uint8Array,
  track: TrackRef,
  url?: string,
): SeamError | undefined {
  const kind = inspectHeader(bytes, bytes.length).kind;
  const host = url ? hostOf(url) : undefined;
  if (kind === 'html')
    return new UnsupportedAudioError(
      host ? text('fetch.htmlFrom', host) : text('fetch.html'),
      track,
    );
  if (kind === 'playlist')
    return new UnsupportedAudioError(
      host ? text('fetch.playlistFrom', host) : text('fetch.playlist'),
      track,
    );
  const what = notAudioDescription(kind);
  if (!what) return undefined;
  return new UnsupportedAudioError(
    host ? text('fetch.notAudioFrom', host, what) : text('fetch.notAudio', what),
    track,
  );
}

export type FetchStop = 'timeout' | 'stall' | 'slow';

/** Turns what `fetch` threw into a sentence about the link, naming the host that failed. */
export function describeFetchFailure(
  err: unknown,
  url: string,
  reason: FetchStop | undefined,
  track?: TrackRef,
): SeamError {
  if (err instanceof SeamError) return err;
  const host = hostOf(url);
  if (reason === 'timeout') {
    return new FetchFailedError(
      text('fetch.timeout', host, text('units.seconds', CONNECT_TIMEOUT_MS / 1000)),
      track,
    );
  }
  if (reason === 'stall') {
    return new FetchFailedError(
      text('fetch.stalled', host, text('units.seconds', STALL_TIMEOUT_MS / 1000)),
      track,
    );
  }
  if (reason === 'slow') {
    return new FetchFailedError(
      text(
        'fetch.slow',
        host,
        bytesText(MIN_BYTES_PER_SEC),
        text('units.seconds', SLOW_WINDOW_MS / 1000),
      ),
      track,
    );
  }
  return new FetchRefusedError(text('fetch.refused', host), track);
}

/**
 * A URL Seam may not fetch: off the granted sites (`granted`: the host patterns the person
 * allowed), or on a private network or loopback address while the page it came from is not.
 * `which` says whether this is the link itself or where its redirects ended.
 */
export function refuseTarget(
  url: string,
  pageUrl: string | undefined,
  granted: readonly string[],
  which: 'link' | 'redirect',
  track?: TrackRef,
): SeamError | undefined {
  const host = hostOf(url);
  if (isPrivateUrl(url) && !(pageUrl && isPrivateUrl(pageUrl))) {
    return new PrivateNetworkError(
      which === 'redirect' ? text('fetch.privateRedirect', host) : text('fetch.private', host),
      track,
    );
  }
  if (!coveredBy(url, granted)) {
    return new FetchRefusedError(
      which === 'redirect' ? text('fetch.noAccessRedirect', host) : text('fetch.noAccess', host),
      track,
    );
  }
  return undefined;
}

/**
 * Loopback, private, link-local, carrier-grade NAT, benchmarking (198.18.0.0/15), multicast and
 * reserved addresses (IPv4, and IPv6 with the IPv4 forms it can carry: mapped `::ffff:a.b.c.d`,
 * compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), and names that only resolve
 * locally (`localhost`, `*.localhost`, `*.local`, `*.internal`, `*.home.arpa`, `*.lan`, one-label
 * names). The host is judged as the URL parser writes it (lower case, IDNA as punycode, IPv4 in
 * any notation as dotted decimal) with trailing dots removed, so `LOCALHOST.` and
 * `printer.local.` count too. A public name that resolves to a private address is not caught
 * here: names are judged as written.
 */
export function isPrivateUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return isPrivateHost(host);
}

/** The rule of `isPrivateUrl` for a host as `URL.hostname` gives it. */
function isPrivateHost(hostname: string): boolean {
  if (hostname.startsWith('[')) {
    const groups = ipv6Groups(hostname.slice(1, -1));
    // Unparsable: refuse rather than guess.
    return groups ? isPrivateIPv6(groups) : true;
  }
  const host = hostname.replace(/\.+$/, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return isPrivateIPv4(v4.slice(1).map(Number));
  return (
    host === '' ||
    host === 'localhost' ||
    /\.(localhost|local|localdomain|internal|intranet|home\.arpa|lan)$/.test(host) ||
    !host.includes('.')
  );
}

function isPrivateIPv4([a, b, c]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) ||
    // 198.18.0.0/15: benchmarking, used inside some networks (and by some VPNs' fake DNS).
    (a === 198 && (b === 18 || b === 19)) ||
    // Multicast, reserved and broadcast.
    a! >= 224
  );
}

/** The eight 16-bit groups of an IPv6 address as `URL` writes it (maybe with a dotted tail). */
function ipv6Groups(h: string): number[] | undefined {
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  let rest = h;
  if (dotted) {
    const b = dotted.slice(2).map(Number);
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    rest = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]!);
  const back = [...(halves.length === 2 ? part(halves[1]!) : []), ...tail];
  const fill = 8 - head.length - back.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...head, ...Array<number>(fill).fill(0), ...back];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function isPrivateIPv6(g: number[]): boolean {
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // ::, ::1, and IPv4-compatible ::a.b.c.d.
  if (zeros(0, 6)) return g[6] === 0 || isPrivateIPv4(v4(g[6]!, g[7]!));
  // IPv4-mapped ::ffff:a.b.c.d (and ::ffff:0:a.b.c.d, IPv4-translated).
  if (zeros(0, 5) && g[5] === 0xffff) return isPrivateIPv4(v4(g[6]!, g[7]!));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return isPrivateIPv4(v4(g[6]!, g[7]!));
  // NAT64 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is for local use.
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    return zeros(2, 6) ? isPrivateIPv4(v4(g[6]!, g[7]!)) : g[2] === 1;
  }
  // 6to4 2002:a.b.c.d::/48.
  if (g[0] === 0x2002) return isPrivateIPv4(v4(g[1]!, g[2]!));
  const first = g[0]!;
  return (
    // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast.
    (first & 0xfe00) === 0xfc00 ||
    (first & 0xffc0) === 0xfe80 ||
    (first & 0xffc0) === 0xfec0 ||
    (first & 0xff00) === 0xff00 ||
    // 100::/64 discard-only.
    (first === 0x100 && zeros(1, 4))
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
