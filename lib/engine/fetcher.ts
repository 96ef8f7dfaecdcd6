import { concat } from '@/lib/core/bytes';
import { DiskFullError, SeamError, TrackMissingError, isQuotaError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import {
  CONNECT_TIMEOUT_MS,
  MIN_BYTES_PER_SEC,
  SLOW_WINDOW_MS,
  STALL_TIMEOUT_MS,
  checkFirstBytes,
  checkResponseHead,
  describeFetchFailure,
  refuseTarget,
  tooLarge,
  type FetchStop,
} from '@/lib/engine/fetch-rules';
import { freeBytes } from '@/lib/store/budget';
import { getTrack, putAudio, updateTrack } from '@/lib/store/tracks';
import { trackRef } from '@/lib/core/track';
import { bytesText } from '@/lib/core/text';

/** Enough of the body to tell an HTML error page or an image from audio. */
const SNIFF_BYTES = 4096;
const FOLD_BYTES = 4 * 1024 * 1024;
/** Progress is written to the track at most this often, so the store is not flooded. */
const PROGRESS_EVERY_MS = 250;

/** Each running download's abort, by track id: Remove and Clear end it (abortFetches). */
const running = new Map<string, AbortController>();
/** Bytes the running downloads said they will need, so together they fit the free space. */
const reserved = new Map<string, number>();

/** Ends the downloads of these tracks (removed from the queue): their connections close. */
export function abortFetches(trackIds: readonly string[]): void {
  for (const id of trackIds) running.get(id)?.abort();
}

export interface FetchOptions {
  limitBytes: number;
  /** Host patterns the person granted: the link and where it redirects must be on one. */
  granted: readonly string[];
}

/**
 * Downloads a page-audio track into the store, in the extension (not the page): follows
 * redirects, streams the body with progress on the track, and checks what arrived. Returns true
 * when the audio is stored (the caller probes it next); on failure the track carries the error.
 */
export async function fetchTrack(trackId: string, opts: FetchOptions): Promise<boolean> {
  const { limitBytes, granted } = opts;
  const track = await getTrack(trackId);
  if (!track) return false;
  const ref = trackRef(track);
  if (track.source.kind !== 'url') {
    await updateTrack(trackId, { status: 'error', error: new TrackMissingError(ref).toData() });
    return false;
  }
  const source = track.source;
  const url = source.url;
  let finalUrl = url;
  const abort = new AbortController();
  running.get(trackId)?.abort();
  running.set(trackId, abort);
  let reason: FetchStop | undefined;
  const stop = (why: FetchStop) => {
    reason ??= why;
    abort.abort();
  };
  let timer = setTimeout(() => stop('timeout'), CONNECT_TIMEOUT_MS);
  let speedCheck: ReturnType<typeof setInterval> | undefined;
  try {
    const refused = refuseTarget(url, source.pageUrl, granted, 'link', ref);
    if (refused) throw refused;
    // credentials: 'omit' — Seam never sends the person's cookies along with a download.
    const res = await fetch(url, { signal: abort.signal, redirect: 'follow', credentials: 'omit' });
    finalUrl = res.url || url;
    if (finalUrl !== url) {
      const off = refuseTarget(finalUrl, source.pageUrl, granted, 'redirect', ref);
      if (off) throw off;
    }
    const length = Number(res.headers.get('content-length'));
    const known = Number.isFinite(length) && length > 0 ? length : undefined;
    const headError = checkResponseHead(
      {
        status: res.status,
        statusText: res.statusText,
        contentType: res.headers.get('content-type'),
        contentLength: known,
        url: finalUrl,
      },
      limitBytes,
      ref,
    );
    if (headError) throw headError;
    if (known) await reserveRoom(trackId, known, ref);
    if (!res.body) throw describeFetchFailure(new Error('no body'), finalUrl, undefined, ref);

    // A server may drip-feed the body (a byte every 25 s never trips the stall timer): the
    // average speed over the last SLOW_WINDOW_MS must stay above MIN_BYTES_PER_SEC.
    const samples: { at: number; bytes: number }[] = [{ at: Date.now(), bytes: 0 }];
    let received = 0;
    speedCheck = setInterval(() => {
      const now = Date.now();
      samples.push({ at: now, bytes: received });
      while (samples.length > 1 && now - samples[1]!.at >= SLOW_WINDOW_MS) samples.shift();
      const first = samples[0]!;
      if (now - first.at >= SLOW_WINDOW_MS) {
        const rate = ((received - first.bytes) * 1000) / (now - first.at);
        if (rate < MIN_BYTES_PER_SEC) stop('slow');
      }
    }, 1000);

    // Chunks are folded into a Blob every few MB: the browser keeps large Blobs on disk, so a
    // long download does not sit in this document's memory as typed arrays.
    let stored = new Blob([]);
    let parts: Uint8Array[] = [];
    let partBytes = 0;
    let lastReport = 0;
    let head: Uint8Array = new Uint8Array(0);
    let sniffed = false;
    const reader = res.body.getReader();
    for (;;) {
      clearTimeout(timer);
      timer = setTimeout(() => stop('stall'), STALL_TIMEOUT_MS);
      const { done, value } = await reader.read();
      if (done) break;
      if (!sniffed) {
        head = concat([head, value.subarray(0, SNIFF_BYTES - head.length)]);
        if (head.length >= SNIFF_BYTES) {
          sniffed = true;
          const bad = checkFirstBytes(head, ref, finalUrl);
          if (bad) throw bad;
        }
      }
      parts.push(value);
      partBytes += value.length;
      if (partBytes >= FOLD_BYTES) {
        stored = new Blob([stored, ...(parts as BlobPart[])]);
        parts = [];
        partBytes = 0;
      }
      received += value.length;
      if (received > limitBytes) throw tooLarge(received, limitBytes, ref);
      const now = Date.now();
      if (now - lastReport > PROGRESS_EVERY_MS) {
        lastReport = now;
        // Removed meanwhile (by a page this context did not hear from): stop downloading.
        if (!(await getTrack(trackId))) {
          abort.abort();
          return false;
        }
        if (!known && received > (reserved.get(trackId) ?? 0)) {
          await reserveRoom(trackId, received + FOLD_BYTES, ref);
        }
        const progress = known ? received / known : undefined;
        await updateTrack(trackId, { progress, size: received });
      }
    }
    if (!sniffed) {
      const bad = checkFirstBytes(head, ref, finalUrl);
      if (bad) throw bad;
    }
    const type = res.headers.get('content-type') ?? '';
    try {
      await putAudio(trackId, new Blob([stored, ...(parts as BlobPart[])], { type }));
    } catch (err) {
      throw isQuotaError(err) ? diskFull(ref) : err;
    }
    await updateTrack(trackId, {
      status: 'probing',
      progress: undefined,
      mime: type,
      source: { ...source, finalUrl },
    });
    return true;
  } catch (err) {
    abort.abort();
    if (!(await getTrack(trackId))) return false;
    const error =
      err instanceof SeamError
        ? err
        : isQuotaError(err)
          ? diskFull(ref)
          : describeFetchFailure(err, finalUrl, reason, ref);
    await updateTrack(trackId, {
      status: 'error',
      progress: undefined,
      error: error.toData(),
      ...(finalUrl !== url ? { source: { ...source, finalUrl } } : {}),
    });
    return false;
  } finally {
    clearTimeout(timer);
    clearInterval(speedCheck);
    if (running.get(trackId) === abort) running.delete(trackId);
    reserved.delete(trackId);
  }
}

/** The free space must hold this download and what the others still expect. */
async function reserveRoom(trackId: string, bytes: number, ref: { id: string; name: string }) {
  const others = [...reserved].reduce((n, [id, b]) => (id === trackId ? n : n + b), 0);
  const free = await freeBytes();
  if (others + bytes > free) {
    throw new DiskFullError(
      text('errors.noRoomToStore', bytesText(bytes), bytesText(Math.max(0, free - others))),
      ref,
    );
  }
  reserved.set(trackId, bytes);
}

function diskFull(ref: { id: string; name: string }): DiskFullError {
  return new DiskFullError(text('errors.diskFullDownload'), ref);
}
