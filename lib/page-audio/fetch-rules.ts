import {
  FetchFailedError,
  FetchRefusedError,
  PrivateNetworkError,
  SeamError,
  TooLargeError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { formatBytes } from '@/lib/core/text';
import { inspectHeader, notAudioDescription } from '@/lib/media/sniff';
import type { TrackRef } from '@/lib/core/track';
import { coveredBy } from './urls';

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
  const from = host ? ` (${host})` : '';
  if (head.status < 200 || head.status > 299) {
    const text = head.statusText || STATUS_TEXT[head.status] || '';
    return new FetchFailedError(
      `The server${from} answered ${head.status}${text ? ` ${text}` : ''}.`,
      track,
    );
  }
  const type = (head.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    return new UnsupportedAudioError(`The link${from} gave a web page (HTML), not audio.`, track);
  }
  if (head.contentLength !== undefined && head.contentLength > limitBytes) {
    return tooLarge(head.contentLength, limitBytes, track);
  }
  return undefined;
}

export function tooLarge(bytes: number, limitBytes: number, track: TrackRef): TooLargeError {
  return new TooLargeError(
    `It is ${formatBytes(bytes)}, over the ${formatBytes(limitBytes)} limit set in Settings.`,
    track,
  );
}

/** Checks the first bytes of the body: a server may send HTML or JSON as audio/mpeg. */
export function checkFirstBytes(
  bytes: Uint8Array,
  track: TrackRef,
  url?: string,
): SeamError | undefined {
  const kind = inspectHeader(bytes, bytes.length).kind;
  const link = url ? `The link (${hostOf(url)})` : 'The link';
  if (kind === 'html')
    return new UnsupportedAudioError(`${link} gave a web page (HTML), not audio.`, track);
  if (kind === 'playlist')
    return new UnsupportedAudioError(`${link} gave a playlist, not audio.`, track);
  const what = notAudioDescription(kind);
  return what ? new UnsupportedAudioError(`${link} gave ${what}, not audio.`, track) : undefined;
}

export type FetchStop = 'timeout' | 'stall' | 'slow';

/** Turns what `fetch` threw into a sentence about the link, naming the host that failed. */
export function describeFetchFailure(
  err: unknown,
  url: string,
  reason: FetchStop | undefined,
  track: TrackRef,
): SeamError {
  if (err instanceof SeamError) return err;
  const host = hostOf(url);
  if (reason === 'timeout') {
    return new FetchFailedError(
      `${host} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s.`,
      track,
    );
  }
  if (reason === 'stall') {
    return new FetchFailedError(
      `The download from ${host} stalled for ${STALL_TIMEOUT_MS / 1000} s.`,
      track,
    );
  }
  if (reason === 'slow') {
    return new FetchFailedError(
      `The download from ${host} was too slow (under ${formatBytes(MIN_BYTES_PER_SEC)}/s for ${SLOW_WINDOW_MS / 1000} s), so Seam stopped it.`,
      track,
    );
  }
  return new FetchRefusedError(
    `Seam could not download from ${host}: the connection was refused or blocked, the server sent no permission for Seam (CORS), or a redirect led to a site Seam has no access to.`,
    track,
  );
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
  track: TrackRef,
): SeamError | undefined {
  const host = hostOf(url);
  if (isPrivateUrl(url) && !(pageUrl && isPrivateUrl(pageUrl))) {
    return new PrivateNetworkError(
      which === 'redirect'
        ? `The link redirected to ${host}, a private-network address, which Seam does not download from for a public page.`
        : `${host} is a private-network address, which Seam does not download from for a public page.`,
      track,
    );
  }
  if (!coveredBy(url, granted)) {
    return new FetchRefusedError(
      which === 'redirect'
        ? `The link redirected to ${host}, a site Seam has no access to. Allow it (Add selected again) or remove this track.`
        : `Seam has no access to ${host}. Allow it (Add selected again) or remove this track.`,
      track,
    );
  }
  return undefined;
}

/**
 * Loopback, private, link-local and carrier-grade NAT addresses (IPv4 and IPv6 literals) and
 * names that only resolve locally (`localhost`, `*.local`, `*.internal`, `*.home.arpa`). Names
 * are judged as written: a public name that resolves to a private address is not caught here.
 */
export function isPrivateUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[')) return isPrivateIPv6(host.slice(1, -1));
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) return isPrivateIPv4(v4.slice(1).map(Number));
  return (
    host === 'localhost' ||
    /\.(localhost|local|internal|home\.arpa|lan)$/.test(host) ||
    !host.includes('.')
  );
}

function isPrivateIPv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168)
  );
}

function isPrivateIPv6(h: string): boolean {
  if (h === '::1' || h === '::') return true;
  const mapped = /^::ffff:(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (mapped) return isPrivateIPv4(mapped.slice(1).map(Number));
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    return isPrivateIPv4([hi >> 8, hi & 255]);
  }
  const first = parseInt(h.split(':')[0] || '0', 16);
  // fc00::/7 unique local, fe80::/10 link-local.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
