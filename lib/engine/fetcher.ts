import { concat } from '@/lib/core/bytes';
import { DiskFullError, SeamError, TrackMissingError, isQuotaError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { checkFirstBytes, checkResponseHead, describeFetchFailure } from '@/lib/fetch/rules';
import { openGated } from '@/lib/fetch/gate';
import { untrack } from '@/lib/fetch/tracking';
import { freeBytes } from '@/lib/store/budget';
import { getTrack, putAudio, updateTrack } from '@/lib/store/tracks';
import { trackRef } from '@/lib/core/track';
import { bytesText } from '@/lib/core/text';
import { readHeader } from '@/lib/media/headers';

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
  /** How much has arrived, as a fraction of the stated length (undefined: none stated). */
  onProgress?: (fraction: number | undefined) => void;
}

/**
 * Downloads a page-audio track into the store, in the extension (not the page), through the
 * fetch gate (every hop checked before it is requested, budgets of size and time), streams the
 * body with progress on the track, and checks what arrived. Returns true
 * when the audio is stored (the caller probes it next); on failure the track carries the error.
 */
export async function fetchTrack(trackId: string, opts: FetchOptions): Promise<boolean> {
  const { limitBytes, granted, onProgress } = opts;
  const track = await getTrack(trackId);
  if (!track) return false;
  const ref = trackRef(track);
  if (track.source.kind !== 'url') {
    await updateTrack(trackId, { status: 'error', error: new TrackMissingError(ref).toData() });
    return false;
  }
  const source = track.source;
  const url = source.url;
  // A known tracking prefix (Podtrac, Chartable...) is skipped: the file's own URL is fetched,
  // so the redirect the tracker would send (which the gate cannot see in Chromium) is not
  // needed, and the measurement service hears nothing. Site access is asked for that host.
  const start = untrack(url).finalUrl;
  let finalUrl = start;
  const abort = new AbortController();
  running.get(trackId)?.abort();
  running.set(trackId, abort);
  try {
    const res = await openGated(start, {
      kind: 'audio',
      granted,
      pageUrl: source.pageUrl,
      budget: { limitBytes },
      signal: abort.signal,
      track: ref,
    });
    finalUrl = res.url;
    const headError = checkResponseHead(
      {
        status: res.status,
        statusText: res.statusText,
        contentType: res.headers.get('content-type'),
        contentLength: res.length || undefined,
        url: finalUrl,
      },
      limitBytes,
      ref,
    );
    if (headError) {
      res.cancel();
      throw headError;
    }
    const known = res.length || undefined;
    if (known) {
      // No room: the response is let go, and with it the gate's deadline and listener.
      await reserveRoom(trackId, known, ref).catch((err: unknown) => {
        res.cancel();
        throw err;
      });
    }

    // Chunks are folded into a Blob every few MB: the browser keeps large Blobs on disk, so a
    // long download does not sit in this document's memory as typed arrays.
    let stored = new Blob([]);
    let parts: Uint8Array[] = [];
    let partBytes = 0;
    let lastReport = 0;
    let head: Uint8Array = new Uint8Array(0);
    let sniffed = false;
    let removed = false;
    await res.read(async (value, received) => {
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
      const now = Date.now();
      if (now - lastReport > PROGRESS_EVERY_MS) {
        lastReport = now;
        // Removed meanwhile (by a page this context did not hear from): stop downloading.
        if (!(await getTrack(trackId))) {
          removed = true;
          abort.abort();
          return;
        }
        if (!known && received > (reserved.get(trackId) ?? 0)) {
          await reserveRoom(trackId, received + FOLD_BYTES, ref);
        }
        const progress = known ? received / known : undefined;
        onProgress?.(progress);
        await updateTrack(trackId, { progress, size: received });
      }
    });
    if (removed) return false;
    if (!sniffed) {
      const bad = checkFirstBytes(head, ref, finalUrl);
      if (bad) throw bad;
    }
    const type = res.headers.get('content-type') ?? '';
    const audio = new Blob([stored, ...(parts as BlobPart[])], { type });
    try {
      await putAudio(trackId, audio);
    } catch (err) {
      throw isQuotaError(err) ? diskFull(ref) : err;
    }
    // What its header says, shown until ffprobe has run.
    const header = await readHeader(audio);
    await updateTrack(trackId, {
      ...(header ? { header } : {}),
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
          : describeFetchFailure(err, finalUrl, undefined, ref);
    await updateTrack(trackId, {
      status: 'error',
      progress: undefined,
      error: error.toData(),
      ...(finalUrl !== url ? { source: { ...source, finalUrl } } : {}),
    });
    return false;
  } finally {
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
