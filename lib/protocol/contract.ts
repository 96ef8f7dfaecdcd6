import type { SeamErrorData } from '@/lib/core/errors';
import type { JobPhase } from '@/lib/core/job';
import type { Text } from '@/lib/core/i18n';
import type { JoinOptions, OutputSettings } from '@/lib/core/settings';

/**
 * The engine/job contract, stated once. The engine's host (offscreen document in Chrome,
 * background page in Firefox) implements `EngineCommands` and reports through `JobEvents`; the
 * background reaches it through an `EngineLink` derived from the same commands; the message
 * protocols (./index.ts) are derived from both. A change of shape here is a type error
 * everywhere it matters. Types only: this file runs nowhere.
 */

/** What a join needs: the tracks (in order) and the settings read when Join was pressed. */
export interface JoinRequest {
  jobId: string;
  trackIds: string[];
  output: OutputSettings;
  options: JoinOptions;
}

/**
 * Page-audio tracks to download into the store (then probe), each at most `limitBytes`, only
 * from (and, after redirects, to) the sites in `granted` (the person's host permissions: the
 * engine's host cannot ask the permissions API itself).
 */
export interface FetchRequest {
  trackIds: string[];
  limitBytes: number;
  granted: string[];
}

export interface JobProgress {
  jobId: string;
  phase: JobPhase;
  percent: number;
  lossless: boolean;
}

/** The result is ready at `url`: a blob: URL minted by the engine's host. */
export interface JobResult {
  jobId: string;
  url: string;
  bytes: number;
  lossless: boolean;
  /** The largest the wasm heap grew during an ffmpeg join (absent for the fast path). */
  heapPeakBytes?: number;
  /** Engines that encoded it at once, in segments (absent: one engine, or no ffmpeg run). */
  parts?: number;
  /** What happened at the joins when it differs from the plan's line (absent: as planned). */
  note?: Text;
  /**
   * When the join asked for chapter files (`OutputSettings.chapterFiles`): the chapters and the
   * joined file's title and artist, for the background to save beside it. Absent otherwise.
   */
  chapterFiles?: {
    chapters: { title: string; startSec: number; endSec: number }[];
    title?: string;
    artist?: string;
  };
}

export interface JobFailure {
  jobId: string;
  error: SeamErrorData;
}

/**
 * How long an idle engine stays loaded, so adding a few files in a row loads ffmpeg once.
 * Chrome closes the offscreen document after it; Firefox resets the engine's worker.
 */
export const ENGINE_IDLE_MS = 20_000;

/** What the engine's host does when asked. Each takes one argument (a message's data). */
export interface EngineCommands {
  probe(trackIds: string[]): void;
  fetch(req: FetchRequest): void;
  /**
   * These tracks were removed (Remove, Clear): end their downloads (closing the connections) and
   * stop a decode check of one under way.
   */
  removed(trackIds: string[]): void;
  join(req: JoinRequest): void;
  cancel(jobId: string): void;
  /** The download finished (or failed): release the result's memory. */
  release(url: string): void;
  /**
   * A page opened (or tracks were added): load the engines and warm them up with a short job,
   * so the next Join starts work at once. They go idle and are freed as after any work.
   */
  warm(): void;
}

/** The command names, for wiring and for the structural test; checked against the interface. */
export const ENGINE_COMMANDS = [
  'probe',
  'fetch',
  'removed',
  'join',
  'cancel',
  'release',
  'warm',
] as const;

/** What the engine's host reports about a job, and when it has nothing to do. */
export interface JobEvents {
  progress(p: JobProgress): void;
  done(r: JobResult): Promise<void>;
  failed(r: JobFailure): Promise<void>;
  /** Nothing is running and no result URL is alive. */
  idle(): void;
}

export const JOB_EVENTS = ['progress', 'done', 'failed', 'idle'] as const;

/** How the background reaches the engine: every command, answered once it is handed over. */
export type EngineLink = {
  [K in keyof EngineCommands]: (arg: Parameters<EngineCommands[K]>[0]) => Promise<void>;
} & {
  /** The engine is there and may be working (tracks left "probing" are in its hands). */
  active(): Promise<boolean>;
  /** A job marked running has lost its engine (crash, browser restart). */
  orphaned(): Promise<boolean>;
  /** The engine has nothing to do: free it (now, or after a grace period). */
  idle(now: boolean): void;
};

// The name lists above and the interfaces must agree both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const commandsAgree: Same<(typeof ENGINE_COMMANDS)[number], keyof EngineCommands> = true;
const eventsAgree: Same<(typeof JOB_EVENTS)[number], keyof JobEvents> = true;
void commandsAgree;
void eventsAgree;
