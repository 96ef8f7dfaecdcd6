/**
 * What every step's executor is given: the plan, the join's inputs, the engines, Cancel, its
 * own progress, and the join's state that steps hand on to each other. One signature for every
 * executor (`StepExecutor`), so a step can be run and tested alone with a stand-in engine.
 * Offscreen document (Chrome), background page (Firefox).
 */
import type { Text } from '@/lib/core/i18n';
import type { OutputSettings } from '@/lib/core/settings';
import type { JoinOverlap } from '@/lib/lossless';
import type { JoinPlan, PlanTrack } from '@/lib/plan/planner';
import type { JoinStep } from '@/lib/plan/steps';
import type { JobResult } from '@/lib/protocol/contract';
import type { Engine } from '../ffmpeg';

/** What a step needs of an engine: runs, analyses, and short tasks (probes, junction coders). */
export type StepEngine = Pick<Engine, 'run' | 'analyse' | 'task'>;

/** The phases a step reports, as Engine.run does: mounting the inputs, then working. */
export type StepPhase = 'reading' | 'joining';

/** What the steps hand on to each other and to the job's result. */
export interface JoinState {
  /**
   * The tracks as the join reads them: a track decoded first (a pre step) has its
   * intermediate's info and exact length.
   */
  tracks: PlanTrack[];
  /** The joined file so far: the main step's output, then each post step's. */
  result?: Blob;
  /** Where an exact MP3 join moved each next track earlier (chapters follow it). */
  overlaps: JoinOverlap[];
  /** The largest an engine's wasm heap grew. */
  heapPeakBytes?: number;
  /** Engines that encoded the file at once, in parts. */
  parts?: number;
  /** What happened at the joins when it is not what the plan's line said. */
  note?: Text;
  /** The chapter files' data, when the join asked for them. */
  chapterFiles?: JobResult['chapterFiles'];
}

export interface StepContext {
  plan: JoinPlan;
  output: OutputSettings;
  /** The tracks as probed, in queue order. */
  ready: readonly PlanTrack[];
  /** Every Blob a run may mount, by key: the tracks' audio, intermediates, the cover image. */
  blobs: Map<string, Blob>;
  /** The join's engine. */
  engine: StepEngine;
  /** `n` engines at once (the join's own first), for a step that runs in parts. */
  lease<T>(n: number, work: (engines: StepEngine[]) => Promise<T>): Promise<T>;
  signal: AbortSignal;
  /** This step's progress, 0..1 (the pipeline weighs it against the other steps). */
  progress(fraction: number, phase?: StepPhase): void;
  state: JoinState;
}

/** Runs one step of a join. */
export type StepExecutor<S extends JoinStep> = (step: S, ctx: StepContext) => Promise<void>;

/** The joined file so far; a post step before any main step is a planner's mistake. */
export function joined(ctx: StepContext): Blob {
  if (!ctx.state.result) throw new Error('a post step ran before the join');
  return ctx.state.result;
}
