import {
  FetchFailedError,
  FetchRefusedError,
  SeamError,
  TooLargeError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { formatBytes } from '@/lib/core/text';
import { inspectHeader, notAudioDescription } from '@/lib/media/sniff';
import type { TrackRef } from '@/lib/core/track';

/**
 * What counts as a good download of page audio, as pure rules: the fetcher in the offscreen
 * document applies them to each response, so a 404, an HTML error page served as ".mp3", a
 * timeout, a refused connection or a file over the size limit each end as a named error.
 */

/** No answer (headers) within this long is a timeout. */
export const CONNECT_TIMEOUT_MS = 30_000;
/** No new bytes for this long during the body is a stall, reported as a timeout too. */
export const STALL_TIMEOUT_MS = 30_000;

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
}

/** Checks a response's status line and headers before any body is read. */
export function checkResponseHead(
  head: ResponseHead,
  limitBytes: number,
  track: TrackRef,
): SeamError | undefined {
  if (head.status < 200 || head.status > 299) {
    const text = head.statusText || STATUS_TEXT[head.status] || '';
    return new FetchFailedError(
      `the server answered ${head.status}${text ? ` ${text}` : ''}`,
      track,
    );
  }
  const type = (head.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') {
    return new UnsupportedAudioError('the link gave a web page (HTML), not audio', track);
  }
  if (head.contentLength !== undefined && head.contentLength > limitBytes) {
    return tooLarge(head.contentLength, limitBytes, track);
  }
  return undefined;
}

export function tooLarge(bytes: number, limitBytes: number, track: TrackRef): TooLargeError {
  return new TooLargeError(
    `it is ${formatBytes(bytes)}, over the ${formatBytes(limitBytes)} limit set in Settings`,
    track,
  );
}

/** Checks the first bytes of the body: a server may send HTML or JSON as audio/mpeg. */
export function checkFirstBytes(bytes: Uint8Array, track: TrackRef): SeamError | undefined {
  const kind = inspectHeader(bytes, bytes.length).kind;
  if (kind === 'html')
    return new UnsupportedAudioError('the link gave a web page (HTML), not audio', track);
  if (kind === 'playlist')
    return new UnsupportedAudioError('the link gave a playlist, not audio', track);
  const what = notAudioDescription(kind);
  return what ? new UnsupportedAudioError(`the link gave ${what}, not audio`, track) : undefined;
}

/** Turns what `fetch` threw into a sentence about the link. */
export function describeFetchFailure(
  err: unknown,
  url: string,
  reason: 'timeout' | 'stall' | undefined,
  track: TrackRef,
): SeamError {
  if (err instanceof SeamError) return err;
  const host = hostOf(url);
  if (reason === 'timeout') {
    return new FetchFailedError(
      `${host} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`,
      track,
    );
  }
  if (reason === 'stall') {
    return new FetchFailedError(
      `the download from ${host} stalled for ${STALL_TIMEOUT_MS / 1000} s`,
      track,
    );
  }
  return new FetchRefusedError(
    `could not connect to ${host} (refused, offline, or blocked without permission)`,
    track,
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
