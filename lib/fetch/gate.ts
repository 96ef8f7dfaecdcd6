import { text } from '@/lib/core/i18n';
import { FetchFailedError, SeamError, TooLargeError } from '@/lib/core/errors';
import { bytesText } from '@/lib/core/text';
import type { TrackRef } from '@/lib/core/track';
import {
  CONNECT_TIMEOUT_MS,
  MIN_BYTES_PER_SEC,
  SLOW_WINDOW_MS,
  STALL_TIMEOUT_MS,
  describeFetchFailure,
  hostOf,
  refuseTarget,
  tooLarge,
} from './rules';

/**
 * The one way Seam downloads anything (page audio, feeds, and feed artwork or chapters JSON):
 *
 * - every hop is checked against the private-network rule and the person's grants BEFORE it is
 *   requested (`redirect: 'manual'`): a redirect is followed only when its Location can be read
 *   and passes the rules. Chromium gives an extension's `fetch` an opaque redirect without a
 *   Location (tried here: status 0, type "opaqueredirect", in an extension page, the offscreen
 *   document and the service worker alike), so there a redirect Seam cannot see is refused,
 *   naming the host, rather than followed blind to a host it may not reach;
 * - no cookies or other credentials, no referrer;
 * - a Content-Length over the limit is refused before the body is read, and the body is read as
 *   a stream against the limit;
 * - budgets of time: for the headers of each hop, for a pause in the body, a minimum average
 *   speed (a drip-feeding server), and a deadline for the whole download.
 * Every error is a named SeamError whose sentence names the host that failed. Runs wherever
 * `fetch` does (offscreen document, extension pages, background page).
 */

type FetchKind = 'audio' | 'feed' | 'chapters' | 'artwork';

interface GateBudget {
  /** Most bytes read (and the most a Content-Length may announce). */
  limitBytes: number;
  /** Headers of each hop within this long. */
  connectMs: number;
  /** No new body bytes for this long is a stall. */
  stallMs: number;
  /** Average speed over `slowWindowMs` under this is a drip-feeding server. */
  minBytesPerSec: number;
  slowWindowMs: number;
  /** The whole download (all hops and the body) within this long. */
  deadlineMs: number;
}

/**
 * Each kind's budget. Audio: the limit comes from Settings, the times are the fetcher's own
 * (a 1 GB file at 2 KB/s would take days, so the deadline is generous and the minimum speed is
 * what stops a drip). A feed of 1,000 episodes is a few MB; Podcasting 2.0 chapters are a few KB;
 * artwork is an image of a few hundred KB.
 */
const BUDGETS: Record<FetchKind, GateBudget> = {
  audio: {
    limitBytes: 2 * 1024 ** 3,
    connectMs: CONNECT_TIMEOUT_MS,
    stallMs: STALL_TIMEOUT_MS,
    minBytesPerSec: MIN_BYTES_PER_SEC,
    slowWindowMs: SLOW_WINDOW_MS,
    deadlineMs: 3 * 3600_000,
  },
  feed: {
    limitBytes: 20 * 1024 * 1024,
    connectMs: 20_000,
    stallMs: 10_000,
    minBytesPerSec: 256,
    slowWindowMs: 10_000,
    deadlineMs: 60_000,
  },
  chapters: {
    limitBytes: 2 * 1024 * 1024,
    connectMs: 20_000,
    stallMs: 10_000,
    minBytesPerSec: 256,
    slowWindowMs: 10_000,
    deadlineMs: 30_000,
  },
  artwork: {
    limitBytes: 10 * 1024 * 1024,
    connectMs: 20_000,
    stallMs: 10_000,
    minBytesPerSec: 1024,
    slowWindowMs: 10_000,
    deadlineMs: 60_000,
  },
};

/** Redirects followed at most (browsers follow 20; podcast links take two or three). */
const MAX_REDIRECTS = 5;

export interface GateOptions {
  kind: FetchKind;
  /** Host patterns the person granted: every hop must be on one. */
  granted: readonly string[];
  /** The page the link came from: a private target is allowed only from a private page. */
  pageUrl?: string;
  /** Overrides the kind's budget (the audio limit from Settings; tests' short times). */
  budget?: Partial<GateBudget>;
  /** The caller's Cancel. */
  signal?: AbortSignal;
  /** The track the download is for, named in its errors. */
  track?: TrackRef;
  /** The fetch to use (tests pass a fake one). */
  fetch?: typeof fetch;
}

export interface GatedResponse {
  /** Where the response came from, after the redirects the gate followed. */
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  /** The Content-Length, when the server gave one. */
  length: number | undefined;
  /**
   * Reads the body as a stream, handing each chunk to `onChunk` (awaited) with the bytes read so
   * far; stops with a named error at the limit, a stall, a drip or the deadline. Returns the bytes.
   */
  read(onChunk: (chunk: Uint8Array, received: number) => void | Promise<void>): Promise<number>;
  /** Ends the download (its connection closes) without reading further. */
  cancel(): void;
}

type Stop = 'timeout' | 'stall' | 'slow' | 'deadline';

/** Opens `url` through the gate: checks and follows redirects, returns the final response. */
export async function openGated(url: string, opts: GateOptions): Promise<GatedResponse> {
  const run = new GateRun(url, opts);
  let response: Response;
  try {
    response = await followRedirects(run);
  } catch (err) {
    throw run.fail(err);
  }
  const finalUrl = run.current;
  const length = declaredLength(response.headers);
  if (length !== undefined && length > run.budget.limitBytes) {
    const err = overLimit(opts.kind, hostOf(finalUrl), length, run.budget.limitBytes, opts.track);
    void response.body?.cancel().catch(() => undefined);
    throw run.fail(err);
  }
  return {
    url: finalUrl,
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    length,
    cancel() {
      run.release();
      run.abort.abort();
    },
    async read(onChunk) {
      try {
        return await readBody(run, response, onChunk);
      } catch (err) {
        run.current = finalUrl;
        throw run.fail(err);
      }
    },
  };
}

/**
 * One download through the gate: its budget, the URL it is at, and what stops it (the caller's
 * Cancel, and the budgets' timers: the deadline, each hop's headers or the body's stall, the
 * speed check), with the named error a stop ends in.
 */
class GateRun {
  readonly opts: GateOptions;
  readonly budget: GateBudget;
  readonly abort = new AbortController();
  /** The hop being fetched; after the redirects, where the response came from. */
  current: string;
  #reason: Stop | undefined;
  readonly #deadline: ReturnType<typeof setTimeout>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #speedCheck: ReturnType<typeof setInterval> | undefined;
  readonly #onCancel = () => this.abort.abort(this.opts.signal?.reason);

  constructor(url: string, opts: GateOptions) {
    this.opts = opts;
    this.budget = { ...BUDGETS[opts.kind], ...opts.budget };
    this.current = url;
    if (opts.signal?.aborted) this.#onCancel();
    opts.signal?.addEventListener('abort', this.#onCancel);
    this.#deadline = setTimeout(() => this.stop('deadline'), this.budget.deadlineMs);
  }

  /** Ends the download for a budget's reason (the first one is the one named). */
  stop(why: Stop): void {
    this.#reason ??= why;
    this.abort.abort();
  }

  /** Starts the phase's timer (a hop's headers, the next body chunk), ending the last one's. */
  arm(why: Stop, ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.stop(why), ms);
  }

  disarm(): void {
    clearTimeout(this.#timer);
  }

  /** Checks every so often that the body arrives at the budget's least average speed. */
  watchSpeed(received: () => number): void {
    const { slowWindowMs, minBytesPerSec } = this.budget;
    const samples: { at: number; bytes: number }[] = [{ at: Date.now(), bytes: 0 }];
    this.#speedCheck = setInterval(
      () => {
        const now = Date.now();
        samples.push({ at: now, bytes: received() });
        while (samples.length > 1 && now - samples[1]!.at >= slowWindowMs) samples.shift();
        const first = samples[0]!;
        if (now - first.at >= slowWindowMs) {
          const rate = ((received() - first.bytes) * 1000) / (now - first.at);
          if (rate < minBytesPerSec) this.stop('slow');
        }
      },
      Math.min(1000, slowWindowMs / 4),
    );
  }

  /** Clears the timers and stops listening to the caller's Cancel. */
  release(): void {
    clearTimeout(this.#deadline);
    clearTimeout(this.#timer);
    clearInterval(this.#speedCheck);
    this.opts.signal?.removeEventListener('abort', this.#onCancel);
  }

  /**
   * Ends the download and names why: the caller's Cancel as it came, a named error as it is, a
   * budget's stop by its budget, anything else as the fetch failure it is.
   */
  fail(err: unknown): Error {
    this.release();
    this.abort.abort();
    if (this.opts.signal?.aborted && !this.#reason) return asError(err);
    if (err instanceof SeamError) return err;
    if (this.#reason)
      return stopped(this.#reason, hostOf(this.current), this.budget, this.opts.track);
    return describeFetchFailure(err, this.current, undefined, this.opts.track);
  }
}

/**
 * Fetches each hop after checking it against the rules, and follows a redirect whose Location
 * can be read, up to MAX_REDIRECTS; returns the first response that is not a redirect.
 */
async function followRedirects(run: GateRun): Promise<Response> {
  const { opts, budget } = run;
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  for (let hop = 0; ; hop++) {
    const refused = refuseTarget(
      run.current,
      opts.pageUrl,
      opts.granted,
      hop === 0 ? 'link' : 'redirect',
      opts.track,
    );
    if (refused) throw refused;
    run.arm('timeout', budget.connectMs);
    const res = await doFetch(run.current, {
      signal: run.abort.signal,
      redirect: 'manual',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
    run.disarm();
    if (res.type === 'opaqueredirect') {
      throw new FetchFailedError(text('fetch.redirectHidden', hostOf(run.current)), opts.track);
    }
    const location = isRedirect(res.status) ? res.headers.get('location') : null;
    if (location === null) return res;
    void res.body?.cancel().catch(() => undefined);
    run.current = redirectTarget(location, run.current, hop, opts.track);
  }
}

/** Where a redirect leads, or a named error: too many hops, or a Location that is no URL. */
function redirectTarget(
  location: string,
  from: string,
  hop: number,
  track: TrackRef | undefined,
): string {
  if (hop >= MAX_REDIRECTS) {
    throw new FetchFailedError(
      text('fetch.tooManyRedirects', hostOf(from), String(MAX_REDIRECTS)),
      track,
    );
  }
  try {
    return new URL(location, from).href;
  } catch {
    throw new FetchFailedError(text('fetch.badRedirect', hostOf(from)), track);
  }
}

/** The Content-Length, when the server gave a valid one. */
function declaredLength(headers: Headers): number | undefined {
  const declared = Number(headers.get('content-length'));
  return Number.isFinite(declared) && declared >= 0 && headers.has('content-length')
    ? declared
    : undefined;
}

/**
 * Reads the body chunk by chunk against the budgets (the limit, a stall, the speed, the
 * deadline), handing each chunk to `onChunk`; returns the bytes read.
 */
async function readBody(
  run: GateRun,
  response: Response,
  onChunk: (chunk: Uint8Array, received: number) => void | Promise<void>,
): Promise<number> {
  if (!response.body) return 0;
  const { opts, budget } = run;
  let received = 0;
  run.watchSpeed(() => received);
  const reader = response.body.getReader();
  const whenStopped = stopOf(run.abort.signal, reader);
  for (;;) {
    run.arm('stall', budget.stallMs);
    const { done, value } = await Promise.race([reader.read(), whenStopped]);
    // A read cut short by a stop reads as the end: it is not.
    if (run.abort.signal.aborted) throw new DOMException('The download was stopped.', 'AbortError');
    if (done) break;
    received += value.length;
    if (received > budget.limitBytes) {
      throw overLimit(opts.kind, hostOf(run.current), received, budget.limitBytes, opts.track);
    }
    await onChunk(value, received);
  }
  run.release();
  return received;
}

/** Rejects as soon as the download is stopped (cancelling the reader), whatever the body does. */
function stopOf(signal: AbortSignal, reader: ReadableStreamDefaultReader): Promise<never> {
  const stopped = new Promise<never>((_resolve, reject) => {
    const onAbort = () => {
      reject(new DOMException('The download was stopped.', 'AbortError'));
      void reader.cancel().catch(() => undefined);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  stopped.catch(() => undefined);
  return stopped;
}

export interface GatedBytes {
  url: string;
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Downloads `url` whole through the gate (feeds, chapters JSON, artwork): a status other than
 * 2xx is a named error naming the host.
 */
export async function fetchGated(url: string, opts: GateOptions): Promise<GatedBytes> {
  const res = await openGated(url, opts);
  if (res.status < 200 || res.status > 299) {
    res.cancel();
    const host = hostOf(res.url);
    const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    throw new FetchFailedError(
      opts.kind === 'feed'
        ? text('feed.status', host, status)
        : text('fetch.statusFrom', host, status),
      opts.track,
    );
  }
  const parts: Uint8Array[] = [];
  const total = await res.read((chunk) => {
    parts.push(chunk);
  });
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { url: res.url, bytes, contentType: res.headers.get('content-type') ?? '' };
}

/** `fetchGated` decoded as text (UTF-8 unless the Content-Type names another charset). */
export async function fetchGatedText(
  url: string,
  opts: GateOptions,
): Promise<{ url: string; text: string }> {
  const { url: finalUrl, bytes, contentType } = await fetchGated(url, opts);
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return { url: finalUrl, text: decoder.decode(bytes) };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function overLimit(
  kind: FetchKind,
  host: string,
  bytes: number,
  limit: number,
  track: TrackRef | undefined,
): TooLargeError {
  if (kind === 'audio' && track) return tooLarge(bytes, limit, track);
  if (kind === 'feed') return new TooLargeError(text('feed.tooLarge', host), track);
  return new TooLargeError(
    text('fetch.tooLargeFrom', host, bytesText(bytes), bytesText(limit)),
    track,
  );
}

function stopped(
  reason: Stop,
  host: string,
  budget: GateBudget,
  track: TrackRef | undefined,
): FetchFailedError {
  const secs = (ms: number) => text('units.seconds', Math.round(ms / 100) / 10);
  switch (reason) {
    case 'timeout':
      return new FetchFailedError(text('fetch.timeout', host, secs(budget.connectMs)), track);
    case 'stall':
      return new FetchFailedError(text('fetch.stalled', host, secs(budget.stallMs)), track);
    case 'slow':
      return new FetchFailedError(
        text('fetch.slow', host, bytesText(budget.minBytesPerSec), secs(budget.slowWindowMs)),
        track,
      );
    case 'deadline':
      return new FetchFailedError(text('fetch.deadline', host, secs(budget.deadlineMs)), track);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new DOMException('The download was canceled.', 'AbortError');
}
