import { concat } from '@/lib/core/bytes';
import { DiskFullError, SeamError, TrackMissingError, isQuotaError } from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { checkFirstBytes, checkResponseHead, describeFetchFailure } from '@/lib/fetch/rules';
import { openGated, type GatedResponse } from '@/lib/fetch/gate';
import { untrack } from '@/lib/fetch/tracking';
import { freeBytes } from '@/lib/store/budget';
import { getTrack, putAudio, updateTrack } from '@/lib/store/tracks';
import { trackRef, type TrackRef, type TrackSource } from '@/lib/core/track';
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
  const track = await getTrack(trackId);
  if (!track) return false;
  const ref = trackRef(track);
  if (track.source.kind !== 'url') {
    await updateTrack(trackId, { status: 'error', error: new TrackMissingError(ref).toData() });
    return false;
  }
  const source = track.source;
  // A known tracking prefix (Podtrac, Chartable...) is skipped: the file's own URL is fetched,
  // so the redirect the tracker would send (which the gate cannot see in Chromium) is not
  // needed, and the measurement service hears nothing. Site access is asked for that host.
  const start = untrack(source.url).finalUrl;
  let finalUrl = start;
  const abort = new AbortController();
  running.get(trackId)?.abort();
  running.set(trackId, abort);
  try {
    const res = await openAudio(start, source, ref, opts, abort.signal);
    finalUrl = res.url;
    const audio = await receive(res, trackId, ref, abort, opts.onProgress);
    if (!audio) return false;
    await storeAudio(trackId, audio, mimeOf(res), ref, { ...source, finalUrl });
    return true;
  } catch (err) {
    abort.abort();
    await recordFailure(trackId, err, ref, source, finalUrl);
    return false;
  } finally {
    if (running.get(trackId) === abort) running.delete(trackId);
    reserved.delete(trackId);
  }
}

type UrlSource = Extract<TrackSource, { kind: 'url' }>;

/** Opens the download through the gate; a response that is no audio to store stops it here. */
async function openAudio(
  start: string,
  source: UrlSource,
  ref: TrackRef,
  { limitBytes, granted }: FetchOptions,
  signal: AbortSignal,
): Promise<GatedResponse> {
  const res = await openGated(start, {
    kind: 'audio',
    granted,
    pageUrl: source.pageUrl,
    budget: { limitBytes },
    signal,
    track: ref,
  });
  const headError = checkResponseHead(
    {
      status: res.status,
      statusText: res.statusText,
      contentType: res.headers.get('content-type'),
      contentLength: res.length || undefined,
      url: res.url,
    },
    limitBytes,
    ref,
  );
  if (headError) {
    res.cancel();
    throw headError;
  }
  return res;
}

/** The type the server said the audio is, stored with it ('' when none). */
function mimeOf(res: GatedResponse): string {
  return res.headers.get('content-type') ?? '';
}

/**
 * Reads the body into a Blob (room reserved for it as it grows, its first bytes checked, its
 * progress written to the track every so often). Undefined: the track was removed meanwhile.
 */
async function receive(
  res: GatedResponse,
  trackId: string,
  ref: TrackRef,
  abort: AbortController,
  onProgress: FetchOptions['onProgress'],
): Promise<Blob | undefined> {
  const known = res.length || undefined;
  if (known) {
    // No room: the response is let go, and with it the gate's deadline and listener.
    await reserveRoom(trackId, known, ref).catch((err: unknown) => {
      res.cancel();
      throw err;
    });
  }
  const body = new FoldedBody();
  const first = new FirstBytes(ref, res.url);
  let lastReport = 0;
  let removed = false;
  await res.read(async (value, received) => {
    first.take(value);
    body.add(value);
    const now = Date.now();
    if (now - lastReport <= PROGRESS_EVERY_MS) return;
    lastReport = now;
    if (!(await reportArrived(trackId, received, known, ref, onProgress))) {
      // Removed meanwhile (by a page this context did not hear from): stop downloading.
      removed = true;
      abort.abort();
    }
  });
  if (removed) return undefined;
  first.end();
  return body.blob(mimeOf(res));
}

/**
 * Writes how much has arrived on the track (and reserves more room when no length was
 * stated). False: the track is gone.
 */
async function reportArrived(
  trackId: string,
  received: number,
  known: number | undefined,
  ref: TrackRef,
  onProgress: FetchOptions['onProgress'],
): Promise<boolean> {
  if (!(await getTrack(trackId))) return false;
  if (!known && received > (reserved.get(trackId) ?? 0)) {
    await reserveRoom(trackId, received + FOLD_BYTES, ref);
  }
  const progress = known ? received / known : undefined;
  onProgress?.(progress);
  await updateTrack(trackId, { progress, size: received });
  return true;
}

/**
 * The body's chunks, folded into a Blob every few MB: the browser keeps large Blobs on disk, so
 * a long download does not sit in this document's memory as typed arrays.
 */
class FoldedBody {
  #stored = new Blob([]);
  #parts: Uint8Array[] = [];
  #partBytes = 0;

  add(chunk: Uint8Array): void {
    this.#parts.push(chunk);
    this.#partBytes += chunk.length;
    if (this.#partBytes >= FOLD_BYTES) {
      this.#stored = new Blob([this.#stored, ...(this.#parts as BlobPart[])]);
      this.#parts = [];
      this.#partBytes = 0;
    }
  }

  blob(type: string): Blob {
    return new Blob([this.#stored, ...(this.#parts as BlobPart[])], { type });
  }
}

/**
 * The body's first bytes, checked once enough have arrived to tell audio from an HTML error
 * page or an image (or at the end, for a shorter body): a named error when they are not audio.
 */
class FirstBytes {
  #head: Uint8Array = new Uint8Array(0);
  #checked = false;

  constructor(
    readonly ref: TrackRef,
    readonly url: string,
  ) {}

  take(chunk: Uint8Array): void {
    if (this.#checked) return;
    this.#head = concat([this.#head, chunk.subarray(0, SNIFF_BYTES - this.#head.length)]);
    if (this.#head.length >= SNIFF_BYTES) this.#check();
  }

  end(): void {
    if (!this.#checked) this.#check();
  }

  #check(): void {
    this.#checked = true;
    const bad = checkFirstBytes(this.#head, this.ref, this.url);
    if (bad) throw bad;
  }
}

/** Stores the audio, and on the track what its header says (shown until ffprobe has run). */
async function storeAudio(
  trackId: string,
  audio: Blob,
  mime: string,
  ref: TrackRef,
  source: UrlSource,
): Promise<void> {
  try {
    await putAudio(trackId, audio);
  } catch (err) {
    throw isQuotaError(err) ? diskFull(ref) : err;
  }
  const header = await readHeader(audio);
  await updateTrack(trackId, {
    ...(header ? { header } : {}),
    status: 'probing',
    progress: undefined,
    mime,
    source,
  });
}

/** The track (unless removed meanwhile) carries why its download failed, named. */
async function recordFailure(
  trackId: string,
  err: unknown,
  ref: TrackRef,
  source: UrlSource,
  finalUrl: string,
): Promise<void> {
  if (!(await getTrack(trackId))) return;
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
    ...(finalUrl !== source.url ? { source: { ...source, finalUrl } } : {}),
  });
}

/** The free space must hold this download and what the others still expect. */
async function reserveRoom(trackId: string, bytes: number, ref: TrackRef) {
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

function diskFull(ref: TrackRef): DiskFullError {
  return new DiskFullError(text('errors.diskFullDownload'), ref);
}
