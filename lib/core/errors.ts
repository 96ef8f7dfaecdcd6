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
  | 'join-canceled'
  | 'join-failed'
  | 'not-uniform'
  | 'engine-failed'
  | 'nothing-to-join';

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
    super('empty-file', 'the file is empty (0 bytes)', track);
    this.name = 'EmptyFileError';
  }
}
export class NoAudioStreamError extends SeamError {
  constructor(track?: TrackRef) {
    super('no-audio-stream', 'the file has no audio stream', track);
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
    super('track-missing', 'the audio of this track is no longer stored; add it again', track);
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
export class JoinCanceledError extends SeamError {
  constructor() {
    super('join-canceled', 'the join was canceled');
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
export class EngineFailedError extends SeamError {
  constructor(message: string) {
    super('engine-failed', message);
    this.name = 'EngineFailedError';
  }
}
export class NothingToJoinError extends SeamError {
  constructor(message = 'add at least one track to join') {
    super('nothing-to-join', message);
    this.name = 'NothingToJoinError';
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
  'join-canceled': () => new JoinCanceledError(),
  'join-failed': (d, t) => new JoinFailedError(d.message, t),
  'not-uniform': (d, t) => new NotUniformError(d.message, t),
  'engine-failed': (d) => new EngineFailedError(d.message),
  'nothing-to-join': (d) => new NothingToJoinError(d.message),
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
  const message = err instanceof Error ? err.message : String(err);
  return { code: fallback, message };
}

/** The sentence the UI shows: names the track, then the reason. */
export function describeError(data: SeamErrorData): string {
  return data.trackName ? `${data.trackName}: ${data.message}` : capitalize(data.message);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
