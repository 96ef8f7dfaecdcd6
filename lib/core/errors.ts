/**
 * Named errors. They cross context boundaries as plain data (`SeamErrorData`) and are rebuilt
 * into the right class on the other side, so the UI can say the right sentence for each.
 */
import type { TrackRef } from './track';

export type SeamErrorCode =
  | 'unsupported-audio'
  | 'empty-file'
  | 'no-audio-stream'
  | 'corrupt-audio'
  | 'truncated-audio'
  | 'track-missing'
  | 'fetch-refused'
  | 'fetch-failed'
  | 'too-large'
  | 'disk-full'
  | 'private-network'
  | 'not-all-added'
  | 'join-canceled'
  | 'join-failed'
  | 'not-uniform'
  | 'output-short'
  | 'engine-failed'
  | 'nothing-to-join'
  | 'probe-timeout'
  | 'not-enough-memory'
  | 'job-interrupted';

export interface SeamErrorData {
  code: SeamErrorCode;
  message: string;
  /** The track the error is about, when there is one. */
  trackId?: string;
  trackName?: string;
}

export class SeamError extends Error {
  readonly code: SeamErrorCode;
  readonly trackId?: string;
  readonly trackName?: string;

  constructor(code: SeamErrorCode, message: string, track?: { id: string; name: string }) {
    super(message);
    this.name = 'SeamError';
    this.code = code;
    this.trackId = track?.id;
    this.trackName = track?.name;
  }

  toData(): SeamErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.trackId !== undefined ? { trackId: this.trackId } : {}),
      ...(this.trackName !== undefined ? { trackName: this.trackName } : {}),
    };
  }
}

/** Not audio Seam can read: an image, a text file, an unknown container. */
export class UnsupportedAudioError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('unsupported-audio', message, track);
    this.name = 'UnsupportedAudioError';
  }
}
export class EmptyFileError extends SeamError {
  constructor(track?: TrackRef) {
    super('empty-file', 'The file is empty (0 bytes).', track);
    this.name = 'EmptyFileError';
  }
}
export class NoAudioStreamError extends SeamError {
  constructor(track?: TrackRef) {
    super('no-audio-stream', 'The file has no audio stream.', track);
    this.name = 'NoAudioStreamError';
  }
}
export class CorruptAudioError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('corrupt-audio', message, track);
    this.name = 'CorruptAudioError';
  }
}
export class TruncatedAudioError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('truncated-audio', message, track);
    this.name = 'TruncatedAudioError';
  }
}
export class TrackMissingError extends SeamError {
  constructor(track?: TrackRef) {
    super('track-missing', 'The audio of this track is no longer stored; add it again.', track);
    this.name = 'TrackMissingError';
  }
}
export class FetchRefusedError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('fetch-refused', message, track);
    this.name = 'FetchRefusedError';
  }
}
export class FetchFailedError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('fetch-failed', message, track);
    this.name = 'FetchFailedError';
  }
}
export class TooLargeError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('too-large', message, track);
    this.name = 'TooLargeError';
  }
}
/** No room left to store audio (the disk or the browser's storage quota is full). */
export class DiskFullError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('disk-full', message, track);
    this.name = 'DiskFullError';
  }
}

/** Whether a storage write failed for want of room (IndexedDB's QuotaExceededError and kin). */
export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || /quota|disk.*full|no space/i.test(String(err));
}
/**
 * A download that would reach a private-network or loopback address from a public page (or a
 * redirect that goes there): refused, and not tried again when a site is granted.
 */
export class PrivateNetworkError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('private-network', message, track);
    this.name = 'PrivateNetworkError';
  }
}
/**
 * Some of the page audio the person chose was not added: it is already in the queue (never added
 * twice), or it was past the cap of one add. The message says which and how many.
 */
export class NotAllAddedError extends SeamError {
  constructor(message: string) {
    super('not-all-added', message);
    this.name = 'NotAllAddedError';
  }
}
export class JoinCanceledError extends SeamError {
  constructor() {
    super('join-canceled', 'The join was canceled.');
    this.name = 'JoinCanceledError';
  }
}
export class JoinFailedError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('join-failed', message, track);
    this.name = 'JoinFailedError';
  }
}
/**
 * A file whose stream changes midway (sample rate, mono/stereo, MPEG layer or version), or
 * whose frames do not hold what it decodes to: a lossless join would drop or garble part of
 * it, so it must be re-encoded. `message` is the reason in plain words, naming the time.
 */
export class NotUniformError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('not-uniform', message, track);
    this.name = 'NotUniformError';
  }
}
/**
 * The joined file holds less audio than the plan (a track that decoded to nothing, a stream
 * copy that lost its audio): it is not saved. `message` says how much was planned and written.
 */
export class OutputTooShortError extends SeamError {
  constructor(message: string) {
    super('output-short', message);
    this.name = 'OutputTooShortError';
  }
}
export class EngineFailedError extends SeamError {
  constructor(message: string) {
    super('engine-failed', message);
    this.name = 'EngineFailedError';
  }
}
export class NothingToJoinError extends SeamError {
  constructor(message = 'Add at least one track to join.') {
    super('nothing-to-join', message);
    this.name = 'NothingToJoinError';
  }
}
/** Reading a track (probe and decode check) took longer than Seam waits: it is given up. */
export class ProbeTimeoutError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('probe-timeout', message, track);
    this.name = 'ProbeTimeoutError';
  }

  static after(track: TrackRef, seconds: number): ProbeTimeoutError {
    return new ProbeTimeoutError(
      `Reading ${track.name} took longer than ${seconds} s, so Seam stopped: the file may be damaged. Remove it, or add it again to try once more.`,
      track,
    );
  }
}
/** A join that cannot fit in memory, refused before it starts or stopped when ffmpeg ran out. */
export class NotEnoughMemoryError extends SeamError {
  constructor(message: string, track?: TrackRef) {
    super('not-enough-memory', message, track);
    this.name = 'NotEnoughMemoryError';
  }
}
/**
 * A join that stopped without finishing or failing on its own: the engine's process ended
 * (a crash, out of memory) or the browser closed.
 */
export class JobInterruptedError extends SeamError {
  constructor(message: string) {
    super('job-interrupted', message);
    this.name = 'JobInterruptedError';
  }

  /** `reason` completes "The join stopped because …". */
  static because(reason: string): JobInterruptedError {
    return new JobInterruptedError(
      `The join stopped because ${reason}. The queue is as it was: press Retry to join again.`,
    );
  }
}

const classes: Record<SeamErrorCode, (d: SeamErrorData, t?: TrackRef) => SeamError> = {
  'unsupported-audio': (d, t) => new UnsupportedAudioError(d.message, t),
  'empty-file': (_d, t) => new EmptyFileError(t),
  'no-audio-stream': (_d, t) => new NoAudioStreamError(t),
  'corrupt-audio': (d, t) => new CorruptAudioError(d.message, t),
  'truncated-audio': (d, t) => new TruncatedAudioError(d.message, t),
  'track-missing': (_d, t) => new TrackMissingError(t),
  'fetch-refused': (d, t) => new FetchRefusedError(d.message, t),
  'fetch-failed': (d, t) => new FetchFailedError(d.message, t),
  'too-large': (d, t) => new TooLargeError(d.message, t),
  'disk-full': (d, t) => new DiskFullError(d.message, t),
  'private-network': (d, t) => new PrivateNetworkError(d.message, t),
  'not-all-added': (d) => new NotAllAddedError(d.message),
  'join-canceled': () => new JoinCanceledError(),
  'join-failed': (d, t) => new JoinFailedError(d.message, t),
  'not-uniform': (d, t) => new NotUniformError(d.message, t),
  'output-short': (d) => new OutputTooShortError(d.message),
  'engine-failed': (d) => new EngineFailedError(d.message),
  'nothing-to-join': (d) => new NothingToJoinError(d.message),
  'probe-timeout': (d, t) => new ProbeTimeoutError(d.message, t),
  'not-enough-memory': (d, t) => new NotEnoughMemoryError(d.message, t),
  'job-interrupted': (d) => new JobInterruptedError(d.message),
};

/** Rebuilds the named class from its data form. */
export function errorFromData(data: SeamErrorData): SeamError {
  const track =
    data.trackId !== undefined ? { id: data.trackId, name: data.trackName ?? '' } : undefined;
  const make = classes[data.code] ?? ((d: SeamErrorData) => new JoinFailedError(d.message));
  return make(data, track);
}

/** Any thrown value as data, keeping a SeamError's code; anything else becomes `fallback`. */
export function toErrorData(err: unknown, fallback: SeamErrorCode = 'join-failed'): SeamErrorData {
  if (err instanceof SeamError) return err.toData();
  return { code: fallback, message: errorText(err) };
}

/**
 * What a thrown value says, in words: an Error's message, a string, an object's `message`, an
 * Emscripten exit (`{ status }`, what ffmpeg.wasm throws when ffmpeg exits). Never "[object
 * Object]": a value with nothing to say is "no reason given".
 */
export function errorText(err: unknown): string {
  const said = (text: unknown) =>
    typeof text === 'string' && text.trim() !== '' && !/^\[object \w+\]$/.test(text.trim())
      ? text.trim()
      : undefined;
  if (typeof err === 'string') return said(err) ?? NO_REASON;
  if (err instanceof Error) return said(err.message) ?? said(err.name) ?? NO_REASON;
  if (typeof err === 'object' && err !== null) {
    const o = err as { message?: unknown; status?: unknown; reason?: unknown };
    const text = said(o.message) ?? said(o.reason);
    if (text) return text;
    if (typeof o.status === 'number') return `ffmpeg exited with code ${o.status}`;
  }
  return NO_REASON;
}

const NO_REASON = 'no reason given';

/**
 * The sentence the UI shows: the track's name, then the reason as a whole sentence (capitalized,
 * ending with a full stop). A message that already names its track (the newer errors are written
 * so) is shown as it is.
 */
export function describeError(data: SeamErrorData): string {
  const reason = sentence(data.message);
  return data.trackName && !data.message.includes(data.trackName)
    ? `${data.trackName}: ${reason}`
    : reason;
}

/**
 * "the file is empty" → "The file is empty."; a sentence stays as it is, and so does a name
 * written in lower case ("ffmpeg …").
 */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const head = /^(ffmpeg|ffprobe)\b/.test(t) ? t : t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(head) ? head : `${head}.`;
}
