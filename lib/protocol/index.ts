import { defineExtensionMessaging } from '@webext-core/messaging';
import type { EngineCommands, JobEvents } from './contract';
import { guardMessaging } from './guard';

export * from './contract';

/**
 * One protocol per receiving context, derived from the contract (./contract.ts). Every
 * extension context hears runtime messages, so the type names carry the receiver's prefix and a
 * context only registers handlers for its own. Messages carry JSON only: audio travels through
 * IndexedDB, the result as a blob: URL string.
 */

/** `{ 'off:probe'(ids): void, ... }` from `{ probe(ids): void, ... }`. */
type Prefixed<P extends string, T> = {
  [K in keyof T & string as `${P}:${K}`]: T[K] extends (...args: infer A) => unknown
    ? (...args: A) => void
    : never;
};

/** Sent by extension pages (popup, options) to the background. */
interface PageToBackground {
  /** Tracks were added to the store; probe them. */
  'bg:tracksAdded'(trackIds: string[]): void;
  /** Page-audio tracks were added (status "fetching"); download them. */
  'bg:fetchTracks'(trackIds: string[]): void;
  /** Tracks were removed from the queue: stop their downloads. */
  'bg:tracksRemoved'(trackIds: string[]): void;
  /** Start a join of the current queue with the stored output settings. */
  'bg:startJoin'(): { jobId: string };
  'bg:cancelJoin'(jobId: string): void;
  /** A page opened: fail a job whose engine is gone, re-probe tracks left unprobed. */
  'bg:checkIn'(): void;
}

/** Handled by the background: the pages' requests, and the engine's job events (bg:done, ...). */
export type BackgroundProtocol = PageToBackground & Prefixed<'bg', JobEvents>;

/** Handled by the offscreen document (the engine's host): the engine's commands. */
export type OffscreenProtocol = Prefixed<'off', EngineCommands> & {
  'off:ping'(): 'pong';
  /** Whether the engine's host has anything queued, running or held (asked before closing). */
  'off:busy'(): boolean;
};

/**
 * Who may send each message (lib/protocol/senders.ts): every extension context hears every
 * runtime message, and so can a content script in a page tab. A type without a rule does not
 * compile; a message from anyone else is refused before its handler runs.
 */
export const background = guardMessaging(defineExtensionMessaging<BackgroundProtocol>(), {
  'bg:tracksAdded': 'pages',
  'bg:fetchTracks': 'pages',
  'bg:tracksRemoved': 'pages',
  'bg:startJoin': 'pages',
  'bg:cancelJoin': 'pages',
  'bg:checkIn': 'pages',
  'bg:progress': 'engine',
  'bg:done': 'engine',
  'bg:failed': 'engine',
  'bg:idle': 'engine',
});
export const offscreen = guardMessaging(defineExtensionMessaging<OffscreenProtocol>(), {
  'off:ping': 'background',
  'off:busy': 'background',
  'off:probe': 'background',
  'off:fetch': 'background',
  'off:removed': 'background',
  'off:join': 'background',
  'off:cancel': 'background',
  'off:release': 'background',
  'off:warm': 'background',
});
