/**
 * A queued track and what is known and decided about it: its probed audio (AudioInfo), its
 * edits (trims, the transition after it, its chapter title), its status. Pure types and
 * defaults; the track store (lib/store/tracks.ts) keeps them in IndexedDB.
 */
import type { SeamErrorData } from './errors';

/** What a probe learns about one track. Produced by `parseProbe` from ffprobe's JSON. */
export interface AudioInfo {
  /** ffprobe's format_name, e.g. "mp3", "wav", "mov,mp4,m4a,3gp,3g2,mj2", "ogg". */
  container: string;
  /** Codec of the first audio stream, e.g. "mp3", "aac", "pcm_s16le", "vorbis", "opus", "flac". */
  codec: string;
  sampleRate: number;
  channels: number;
  /** e.g. "mono", "stereo", "5.1"; empty when ffprobe does not say. */
  channelLayout: string;
  /** Seconds, from the container or the stream, whichever is known. */
  durationSec: number;
  /** Bits per second of the audio stream (or the file), 0 when unknown. */
  bitRate: number;
  /** Index of the audio stream ffmpeg should map ("0:a:0" is always the first audio stream). */
  audioStreamIndex: number;
  /** True when the file also carries a (non cover-art) video stream, e.g. an .mp4 recording. */
  hasVideo: boolean;
  /** True when the file carries an attached picture (cover art). */
  hasCover: boolean;
  /** Container and stream tags, keys lower-cased (title, artist, album, date, ...). */
  tags: Record<string, string>;
  /** The file's own chapters (MP4 chapter track or chpl, ID3 CHAP, a cue sheet), in its time. */
  chapters?: SourceChapter[];
  /**
   * Whether the zero-copy join may take this file unchanged (MP3 and WAV: `checkFastPath` in
   * lib/lossless): its frames or data chunk hold what it decodes to, in one stream. Absent =
   * not checked. `reason` follows the track's number: "changes sample rate … at 0:10".
   */
  fastPath?: { ok: true } | { ok: false; reason: string };
}

/** A chapter a file already has, in seconds of that file. */
export interface SourceChapter {
  title: string;
  startSec: number;
  endSec: number;
}

/* Per-track edits made in the editor. Defaults mean "as recorded, no transition". */

export type CrossfadeCurve = 'linear' | 'equal-power' | 'logarithmic';

/** What happens at the junction after a track (the last track's is ignored). */
export type Transition =
  | { kind: 'none' }
  | { kind: 'gap'; seconds: number }
  | { kind: 'crossfade'; seconds: number; curve: CrossfadeCurve };

export interface TrackEdit {
  /** Seconds cut from the start (0 = none), to 0.01 s. */
  startSec: number;
  /** Where the track ends, in seconds of the source; undefined = at its end. */
  endSec?: number;
  transitionAfter: Transition;
  /** Chapter title; undefined = the file name without its extension. */
  chapterTitle?: string;
}

export const NO_TRANSITION: Transition = { kind: 'none' };
export const DEFAULT_EDIT: TrackEdit = { startSec: 0, transitionAfter: NO_TRANSITION };

export type TrackSource = { kind: 'file' } | { kind: 'url'; url: string; pageUrl?: string };

/**
 * - fetching: the audio is being downloaded into the store (page audio);
 * - probing: stored, ffmpeg is reading its format;
 * - ready: probed, can be joined;
 * - error: see `error`; the rest of the queue is untouched.
 */
export type TrackStatus = 'fetching' | 'probing' | 'ready' | 'error';

/** One queued track's metadata. Its audio Blob lives beside it, in the `audio` store. */
export interface Track {
  id: string;
  name: string;
  size: number;
  mime: string;
  addedAt: number;
  /** A local file's last modification (File.lastModified), for sorting by date. */
  modifiedAt?: number;
  /** Sort key of the queue; lower comes first. */
  position: number;
  source: TrackSource;
  status: TrackStatus;
  info?: AudioInfo;
  error?: SeamErrorData;
  /** 0..1 while fetching. */
  progress?: number;
  /** Trims, the transition after it, its chapter title; absent = none. */
  edit?: TrackEdit;
}

/** How errors, progress and the engine name a track: its id and the name the person sees. */
export interface TrackRef {
  id: string;
  name: string;
}

export function trackRef(t: TrackRef): TrackRef {
  return { id: t.id, name: t.name };
}
