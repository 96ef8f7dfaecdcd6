/**
 * Named errors. They cross context boundaries as plain data (`SeamErrorData`) and are rebuilt
 * into the right class on the other side, so the UI can say the right sentence for each.
 */
import { isText, render, text, type Sub, type Text } from './i18n';
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
  /** The reason in words (in the language of the context that made it; see `text`). */
  message: string;
  /**
   * The reason as data (lib/core/i18n.ts), when it was written for translation: the UI puts it
   * into the person's language, wherever the error was made (the offscreen document has no
   * `browser.i18n`).
   */
  text?: Text;
  /** The track the error is about, when there is one. */
  trackId?: string;
  trackName?: string;
  /** The step of a join that failed ("Encoding part 2 of 3"), when a join's step failed. */
  step?: Text;
  /**
   * A file cut short of which some audio decodes (the decode check): how much plays and how
   * much its header announces, in seconds, so the person may keep what plays.
   */
  kept?: KeptLength;
}

/** How much of a file cut short decodes, of what it announces. */
export interface KeptLength {
  decodedSec: number;
  statedSec: number;
}

/** An error's reason: a sentence as data (translated where shown), or words already written. */
export type Reason = string | Text;

export class SeamError extends Error {
  readonly code: SeamErrorCode;
  readonly trackId?: string;
  readonly trackName?: string;
  readonly text?: Text;
  /** The step of a join that failed (`inStep`). */
  step?: Text;
  /** How much of a file cut short decodes (SeamErrorData.kept). */
  kept?: KeptLength;

  constructor(code: SeamErrorCode, message: Reason, track?: { id: string; name: string }) {
    super(isText(message) ? render(message) : message);
    this.name = 'SeamError';
    this.code = code;
    if (isText(message)) this.text = message;
    this.trackId = track?.id;
    this.trackName = track?.name;
  }

  toData(): SeamErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.text !== undefined ? { text: this.text } : {}),
      ...(this.trackId !== undefined ? { trackId: this.trackId } : {}),
      ...(this.trackName !== undefined ? { trackName: this.trackName } : {}),
      ...(this.step !== undefined ? { step: this.step } : {}),
      ...(this.kept !== undefined ? { kept: this.kept } : {}),
    };
  }
}

/** Not audio Seam can read: an image, a text file, an unknown container. */
export class UnsupportedAudioError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('unsupported-audio', message, track);
    this.name = 'UnsupportedAudioError';
  }
}
export class EmptyFileError extends SeamError {
  constructor(track?: TrackRef) {
    super('empty-file', text('errors.emptyFile'), track);
    this.name = 'EmptyFileError';
  }
}
export class NoAudioStreamError extends SeamError {
  constructor(track?: TrackRef) {
    super('no-audio-stream', text('errors.noAudioStream'), track);
    this.name = 'NoAudioStreamError';
  }
}
export class CorruptAudioError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('corrupt-audio', message, track);
    this.name = 'CorruptAudioError';
  }
}
export class TruncatedAudioError extends SeamError {
  constructor(message: Reason, track?: TrackRef, kept?: KeptLength) {
    super('truncated-audio', message, track);
    this.name = 'TruncatedAudioError';
    if (kept) this.kept = kept;
  }
}
export class TrackMissingError extends SeamError {
  constructor(track?: TrackRef) {
    super('track-missing', text('errors.trackMissing'), track);
    this.name = 'TrackMissingError';
  }
}
export class FetchRefusedError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('fetch-refused', message, track);
    this.name = 'FetchRefusedError';
  }
}
export class FetchFailedError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('fetch-failed', message, track);
    this.name = 'FetchFailedError';
  }
}
export class TooLargeError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('too-large', message, track);
    this.name = 'TooLargeError';
  }
}
/** No room left to store audio (the disk or the browser's storage quota is full). */
export class DiskFullError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
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
  constructor(message: Reason, track?: TrackRef) {
    super('private-network', message, track);
    this.name = 'PrivateNetworkError';
  }
}
/**
 * Some of the page audio the person chose was not added: it is already in the queue (never added
 * twice), or it was past the cap of one add. The message says which and how many.
 */
export class NotAllAddedError extends SeamError {
  constructor(message: Reason) {
    super('not-all-added', message);
    this.name = 'NotAllAddedError';
  }
}
export class JoinCanceledError extends SeamError {
  constructor() {
    super('join-canceled', text('errors.joinCanceled'));
    this.name = 'JoinCanceledError';
  }
}
export class JoinFailedError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
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
  constructor(message: Reason, track?: TrackRef) {
    super('not-uniform', message, track);
    this.name = 'NotUniformError';
  }
}
/**
 * The joined file holds less audio than the plan (a track that decoded to nothing, a stream
 * copy that lost its audio): it is not saved. `message` says how much was planned and written.
 */
export class OutputTooShortError extends SeamError {
  constructor(message: Reason) {
    super('output-short', message);
    this.name = 'OutputTooShortError';
  }
}
export class EngineFailedError extends SeamError {
  constructor(message: Reason) {
    super('engine-failed', message);
    this.name = 'EngineFailedError';
  }
}
export class NothingToJoinError extends SeamError {
  constructor(message: Reason = text('errors.nothingToJoin')) {
    super('nothing-to-join', message);
    this.name = 'NothingToJoinError';
  }
}
/** Reading a track (probe and decode check) took longer than Seam waits: it is given up. */
export class ProbeTimeoutError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('probe-timeout', message, track);
    this.name = 'ProbeTimeoutError';
  }

  static after(track: TrackRef, seconds: number): ProbeTimeoutError {
    return new ProbeTimeoutError(text('errors.probeTimeout', track.name, seconds), track);
  }
}
/** A join that cannot fit in memory, refused before it starts or stopped when ffmpeg ran out. */
export class NotEnoughMemoryError extends SeamError {
  constructor(message: Reason, track?: TrackRef) {
    super('not-enough-memory', message, track);
    this.name = 'NotEnoughMemoryError';
  }
}
/**
 * A join that stopped without finishing or failing on its own: the engine's process ended
 * (a crash, out of memory) or the browser closed.
 */
export class JobInterruptedError extends SeamError {
  constructor(message: Reason) {
    super('job-interrupted', message);
    this.name = 'JobInterruptedError';
  }

  /** `reason` completes "The join stopped because …". */
  static because(reason: Sub): JobInterruptedError {
    return new JobInterruptedError(text('errors.interrupted', reason));
  }
}

/** The reason in an error's data form, as data again when it was written for translation. */
const why = (d: SeamErrorData): Reason => d.text ?? d.message;

const classes: Record<SeamErrorCode, (d: SeamErrorData, t?: TrackRef) => SeamError> = {
  'unsupported-audio': (d, t) => new UnsupportedAudioError(why(d), t),
  'empty-file': (_d, t) => new EmptyFileError(t),
  'no-audio-stream': (_d, t) => new NoAudioStreamError(t),
  'corrupt-audio': (d, t) => new CorruptAudioError(why(d), t),
  'truncated-audio': (d, t) => new TruncatedAudioError(why(d), t, d.kept),
  'track-missing': (_d, t) => new TrackMissingError(t),
  'fetch-refused': (d, t) => new FetchRefusedError(why(d), t),
  'fetch-failed': (d, t) => new FetchFailedError(why(d), t),
  'too-large': (d, t) => new TooLargeError(why(d), t),
  'disk-full': (d, t) => new DiskFullError(why(d), t),
  'private-network': (d, t) => new PrivateNetworkError(why(d), t),
  'not-all-added': (d) => new NotAllAddedError(why(d)),
  'join-canceled': () => new JoinCanceledError(),
  'join-failed': (d, t) => new JoinFailedError(why(d), t),
  'not-uniform': (d, t) => new NotUniformError(why(d), t),
  'output-short': (d) => new OutputTooShortError(why(d)),
  'engine-failed': (d) => new EngineFailedError(why(d)),
  'nothing-to-join': (d) => new NothingToJoinError(why(d)),
  'probe-timeout': (d, t) => new ProbeTimeoutError(why(d), t),
  'not-enough-memory': (d, t) => new NotEnoughMemoryError(why(d), t),
  'job-interrupted': (d) => new JobInterruptedError(why(d)),
};

/** Rebuilds the named class from its data form. */
export function errorFromData(data: SeamErrorData): SeamError {
  const track =
    data.trackId !== undefined ? { id: data.trackId, name: data.trackName ?? '' } : undefined;
  const make = classes[data.code] ?? ((d: SeamErrorData) => new JoinFailedError(why(d)));
  const err = make(data, track);
  if (isText(data.step)) err.step = data.step;
  return err;
}

/**
 * `err` as the failure of a join's `step`: a SeamError keeps its class and reason and gains the
 * step (the first one named: the innermost), unless it names a track; anything else becomes an
 * EngineFailedError in its own words. A cancel stays a cancel.
 */
export function inStep(err: unknown, step: Text): SeamError {
  const seam = err instanceof SeamError ? err : new EngineFailedError(errorReason(err));
  // A track's own fault is said by the track's name and the reason; the step adds nothing.
  if (seam instanceof JoinCanceledError || seam.trackId !== undefined) return seam;
  seam.step ??= step;
  return seam;
}

/** Runs `work` as a join's `step`: what it throws names the step (`inStep`). */
export async function asStep<T>(step: Text, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw inStep(err, step);
  }
}

/**
 * Whether pressing Join again may well work: the join was cut off from outside or the engine
 * failed in one of its steps, with no track to blame (a track's own fault stays until the
 * person changes something).
 */
export function canRetry(data: SeamErrorData): boolean {
  if (data.code === 'job-interrupted' || data.code === 'engine-failed') return true;
  return data.code === 'join-failed' && data.trackId === undefined && data.step !== undefined;
}

/** Any thrown value as data, keeping a SeamError's code; anything else becomes `fallback`. */
export function toErrorData(err: unknown, fallback: SeamErrorCode = 'join-failed'): SeamErrorData {
  if (err instanceof SeamError) return err.toData();
  return { code: fallback, message: errorText(err) };
}

/** An error's reason in the person's language (its `text` when it has one). */
export function reasonOf(data: SeamErrorData): string {
  return data.text ? render(data.text) : data.message;
}

/**
 * What a thrown value says, in words: an Error's message, a string, an object's `message`, an
 * Emscripten exit (`{ status }`, what ffmpeg.wasm throws when ffmpeg exits). Never "[object
 * Object]": a value with nothing to say is "no reason given".
 */
export function errorText(err: unknown): string {
  const x = errorReason(err);
  return typeof x === 'string' ? x : render(x);
}

/**
 * The same as a substitution for a sentence as data (`text`): a SeamError's own `Text`, Seam's
 * words for an ffmpeg exit or for nothing said (put into words where the sentence is shown, as
 * the engine's context may have no `browser.i18n`), else the thrown value's own words.
 */
export function errorReason(err: unknown): string | Text {
  if (err instanceof SeamError && err.text) return err.text;
  const said = rawErrorText(err);
  if (said === undefined) return text('errors.noReason');
  const code = /^(?:ExitStatus: )?Program terminated with exit\((\d+)\)$/.exec(said)?.[1];
  return code === undefined ? said : text('errors.exitCode', code);
}

/**
 * A thrown value's own words, as it said them (an ffmpeg exit still as Emscripten wrote it), or
 * undefined when it says nothing: for the ffmpeg worker, which has no words of Seam's and
 * passes this on to be read by `errorReason`.
 */
export function rawErrorText(err: unknown): string | undefined {
  const said = (text: unknown) =>
    typeof text === 'string' && text.trim() !== '' && !/^\[object \w+\]$/.test(text.trim())
      ? text.trim()
      : undefined;
  if (typeof err === 'string') return said(err);
  if (err instanceof Error) return said(err.message) ?? said(err.name);
  if (typeof err === 'object' && err !== null) {
    const o = err as { message?: unknown; status?: unknown; reason?: unknown };
    const words = said(o.message) ?? said(o.reason);
    if (words) return words;
    if (typeof o.status === 'number') return `Program terminated with exit(${o.status})`;
  }
  return undefined;
}

/**
 * The sentence the UI shows: the track's name, then the reason as a whole sentence (capitalized,
 * ending with a full stop). A message that already names its track (the newer errors are written
 * so) is shown as it is.
 */
export function describeError(data: SeamErrorData): string {
  const message = reasonOf(data);
  const reason = sentence(
    isText(data.step) ? render(text('errors.inStep', data.step, message)) : message,
  );
  return data.trackName && !message.includes(data.trackName)
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
