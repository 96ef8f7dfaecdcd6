/**
 * Exact Ogg Opus joins (the rule of ./seam-plan.ts): not built yet.
 */
import type { JunctionCoder } from './seam-plan';

/** How the junction packets are encoded: as the inputs were. */
export interface OpusEncoding {
  channels: number;
  /** Bits per second. */
  bitrate: number;
}

export type OpusJunctionCoder = JunctionCoder<OpusEncoding>;
