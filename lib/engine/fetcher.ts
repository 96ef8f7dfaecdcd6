import { concat } from '@/lib/core/bytes';
import { TooLargeError, TrackMissingError } from '@/lib/core/errors';
import {
  CONNECT_TIMEOUT_MS,
  STALL_TIMEOUT_MS,
  checkFirstBytes,
  checkResponseHead,
  describeFetchFailure,
  tooLarge,
} from '@/lib/page-audio/fetch-rules';
import { getTrack, putAudio, updateTrack } from '@/lib/store/tracks';
import { trackRef } from '@/lib/core/track';

/** Enough of the body to tell an HTML error page or an image from audio. */
const SNIFF_BYTES = 4096;
const FOLD_BYTES = 4 * 1024 * 1024;
/** Progress is written to the track at most this often, so the store is not flooded. */
const PROGRESS_EVERY_MS = 250;

/**
 * Downloads a page-audio track into the store, in the extension (not the page): follows
 * redirects, streams the body with progress on the track, and checks what arrived. Returns true
 * when the audio is stored (the caller probes it next); on failure the track carries the error.
 */
export async function fetchTrack(trackId: string, limitBytes: number): Promise<boolean> {
  const track = await getTrack(trackId);
  if (!track) return false;
  const ref = trackRef(track);
  if (track.source.kind !== 'url') {
    await updateTrack(trackId, { status: 'error', error: new TrackMissingError(ref).toData() });
    return false;
  }
  const url = track.source.url;
  const abort = new AbortController();
  let reason: 'timeout' | 'stall' | undefined;
  let timer = setTimeout(() => {
    reason = 'timeout';
    abort.abort();
  }, CONNECT_TIMEOUT_MS);
  try {
    // credentials: 'omit' — Seam never sends the person's cookies along with a download.
    const res = await fetch(url, { signal: abort.signal, redirect: 'follow', credentials: 'omit' });
    const length = Number(res.headers.get('content-length'));
    const headError = checkResponseHead(
      {
        status: res.status,
        statusText: res.statusText,
        contentType: res.headers.get('content-type'),
        contentLength: Number.isFinite(length) && length > 0 ? length : undefined,
      },
      limitBytes,
      ref,
    );
    if (headError) throw headError;
    if (!res.body) throw describeFetchFailure(new Error('no body'), url, undefined, ref);

    // Chunks are folded into a Blob every few MB: the browser keeps large Blobs on disk, so a
    // long download does not sit in this document's memory as typed arrays.
    let stored = new Blob([]);
    let parts: Uint8Array[] = [];
    let partBytes = 0;
    let received = 0;
    let lastReport = 0;
    let head: Uint8Array = new Uint8Array(0);
    let sniffed = false;
    const reader = res.body.getReader();
    for (;;) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        reason = 'stall';
        abort.abort();
      }, STALL_TIMEOUT_MS);
      const { done, value } = await reader.read();
      if (done) break;
      if (!sniffed) {
        head = concat([head, value.subarray(0, SNIFF_BYTES - head.length)]);
        if (head.length >= SNIFF_BYTES) {
          sniffed = true;
          const bad = checkFirstBytes(head, ref);
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
        const progress = Number.isFinite(length) && length > 0 ? received / length : undefined;
        await updateTrack(trackId, { progress, size: received });
      }
    }
    if (!sniffed) {
      const bad = checkFirstBytes(head, ref);
      if (bad) throw bad;
    }
    const type = res.headers.get('content-type') ?? '';
    await putAudio(trackId, new Blob([stored, ...(parts as BlobPart[])], { type }));
    await updateTrack(trackId, { status: 'probing', progress: undefined, mime: type });
    return true;
  } catch (err) {
    abort.abort();
    const error = err instanceof TooLargeError ? err : describeFetchFailure(err, url, reason, ref);
    await updateTrack(trackId, { status: 'error', progress: undefined, error: error.toData() });
    return false;
  } finally {
    clearTimeout(timer);
  }
}
