import { defineExtensionMessaging } from '@webext-core/messaging';
import type { SeamErrorData } from '@/lib/core/errors';
import type { JobPhase, JoinRequest } from '@/lib/store/job';

/**
 * One protocol per receiving context. Every extension context hears runtime messages, so the
 * type names carry the receiver's prefix and a context only registers handlers for its own.
 * Messages carry JSON only: audio travels through IndexedDB, the result as a blob: URL string.
 */

/** Handled by the background service worker. */
export interface BackgroundProtocol {
  /** Popup/options: tracks were added to the store; probe them. */
  'bg:tracksAdded'(trackIds: string[]): void;
  /** Popup/options: page-audio tracks were added (status "fetching"); download them. */
  'bg:fetchTracks'(trackIds: string[]): void;
  /** Popup/options: start a join of the current queue with the stored output settings. */
  'bg:startJoin'(): { jobId: string };
  'bg:cancelJoin'(jobId: string): void;
  /** Popup/options opened: fail a job whose engine is gone, re-probe tracks left unprobed. */
  'bg:checkIn'(): void;
  /** Offscreen: a job's progress. */
  'bg:jobProgress'(p: { jobId: string; phase: JobPhase; percent: number; lossless: boolean }): void;
  /** Offscreen: the result is ready at `url` (a blob: URL minted in the offscreen document). */
  'bg:jobDone'(r: { jobId: string; url: string; bytes: number; lossless: boolean }): void;
  'bg:jobFailed'(r: { jobId: string; error: SeamErrorData }): void;
  /** Offscreen: nothing is running and no result URL is alive; it may be closed. */
  'bg:offscreenIdle'(): void;
}

/** Handled by the offscreen document (the engine's host). Replies come back as their own messages. */
export interface OffscreenProtocol {
  'off:probe'(trackIds: string[]): void;
  /** Download page-audio tracks into the store, then probe them. */
  'off:fetch'(req: { trackIds: string[]; limitBytes: number }): void;
  'off:join'(req: JoinRequest): void;
  'off:cancel'(jobId: string): void;
  /** The download finished (or failed): release the result's memory. */
  'off:release'(url: string): void;
  'off:ping'(): 'pong';
}

export const background = defineExtensionMessaging<BackgroundProtocol>();
export const offscreen = defineExtensionMessaging<OffscreenProtocol>();
