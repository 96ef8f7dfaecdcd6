import type { AudioInfo } from './audio-info';
import type { TrackEdit } from './edits';
import type { SeamErrorData } from './errors';

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

export function trackRef(t: Pick<Track, 'id' | 'name'>): { id: string; name: string } {
  return { id: t.id, name: t.name };
}
