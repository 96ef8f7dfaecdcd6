import type { EngineLink } from '@/lib/protocol/contract';

export type { EngineLink } from '@/lib/protocol/contract';

/**
 * How the background reaches the engine. Chrome: messages to the offscreen document
 * (./link-offscreen.ts). Firefox, which has no offscreen API: direct calls on a host in the
 * background page itself (./link-local.ts). The background's wiring picks one at start-up.
 */
let current: EngineLink | undefined;

export function setEngineLink(link: EngineLink): void {
  current = link;
}

export function engineLink(): EngineLink {
  if (!current) throw new Error('no engine link: the background wiring sets one at start-up');
  return current;
}
