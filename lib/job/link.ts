import type { JoinRequest } from '@/lib/store/job';

/**
 * How the background reaches the engine. Chrome: messages to the offscreen document
 * (engine-link-offscreen.ts). Firefox, which has no offscreen API: direct calls on a host in the
 * background page itself (engine-link-local.ts). The background's wiring picks one at start-up.
 */
export interface EngineLink {
  probe(trackIds: string[]): Promise<void>;
  /** Download page-audio tracks into the store, then probe them. */
  fetch(req: { trackIds: string[]; limitBytes: number }): Promise<void>;
  join(req: JoinRequest): Promise<void>;
  cancel(jobId: string): Promise<void>;
  /** The download finished (or failed): release the result's memory. */
  release(url: string): Promise<void>;
  /** The engine is there and may be working (tracks left "probing" are in its hands). */
  active(): Promise<boolean>;
  /** A job marked running has lost its engine (crash, browser restart). */
  orphaned(): Promise<boolean>;
  /** The engine has nothing to do: free it (now, or after a grace period). */
  idle(now: boolean): void;
}

let current: EngineLink | undefined;

export function useEngineLink(link: EngineLink): void {
  current = link;
}

export function engineLink(): EngineLink {
  if (!current) throw new Error('no engine link: the background wiring sets one at start-up');
  return current;
}
