/**
 * A join as data: the steps it runs, in order. The planner (./planner.ts) chooses them; each has
 * one executor on the engine's side (lib/engine/steps/), which the pipeline runs in turn
 * (lib/engine/pipeline.ts). Pure; types only.
 *
 * - pre: tracks that change format midway, each decoded on its own first (./predecode.ts);
 * - main: the join itself: a zero-copy MP3 or WAV join (lib/lossless), one ffmpeg run, or the
 *   same run's timeline encoded in parts on several engines at once (lib/segments);
 * - post: what is done to the joined file afterwards, in order: its joins closed (a stream
 *   copy's encoder padding), its WAV header written again, its ID3 tag written anew; and what
 *   goes beside it (the chapter files' data).
 *
 * A new step is a kind here, an executor there and a line in the planner's choice.
 */
import type { Id3Edit } from '@/lib/containers/id3';
import type { ChapterTime } from './chapters';
import type { PredecodeRun } from './predecode';
import type { ParallelJoin } from './parallel';

/** A track decoded into its intermediate before the join reads it. */
export interface PredecodeStep {
  kind: 'predecode';
  run: PredecodeRun;
}

/**
 * "Match loudness" in a lossless MP3 join: each listed track's frames get their global_gain
 * moved by `steps` (1.5 dB each; lib/lossless/gain/mp3-gain.ts) before the join reads them.
 */
export interface GainMp3Step {
  kind: 'gain-mp3';
  tracks: { track: number; trackId: string; steps: number }[];
}

/** The same for mono AAC-LC in MP4: each frame's single channel element's global_gain. */
export interface GainAacStep {
  kind: 'gain-aac';
  tracks: { track: number; trackId: string; steps: number }[];
}

export type PreStep = PredecodeStep | GainMp3Step | GainAacStep;

/** The zero-copy MP3 join; `exact`: its joins closed exactly (lib/lossless/mp3/seams.ts). */
export interface FastMp3Step {
  kind: 'fast-mp3';
  exact: boolean;
}

/** The zero-copy WAV join. */
export interface FastWavStep {
  kind: 'fast-wav';
}

/** The plan's ffmpeg command (JoinPlan 'ffmpeg'), run in one engine. */
export interface FfmpegStep {
  kind: 'ffmpeg';
}

/**
 * The same command's timeline in segments, each encoded by an engine of its own, spliced
 * (./parallel.ts: the segments, and the rate and channels the command writes).
 */
export interface PartsStep extends ParallelJoin {
  kind: 'parts';
}

export type MainStep = FastMp3Step | FastWavStep | FfmpegStep | PartsStep;

/**
 * A stream copy's joins closed in JS: AAC in MP4 (exactly, the few frames at each encoded
 * again, when `exact`; else whole frames of padding left out) or Opus in Ogg.
 */
export interface CloseJoinsStep {
  kind: 'close-joins';
  container: 'mp4' | 'opus';
  exact: boolean;
}

/** A WAV written by ffmpeg gets a header that names its speakers, and RF64 past 4 GiB. */
export interface WavHeaderStep {
  kind: 'wav-header';
}

/** The zero-copy MP3's leading ID3v2 tag written anew: tags, chapters (ID3 CHAP) and cover. */
export interface RetagMp3Step {
  kind: 'retag-mp3';
  id3: Id3Edit;
}

/** The chapters, title and artist handed back for the chapter files saved beside the file. */
export interface ChapterFilesStep {
  kind: 'chapter-files';
  chapters: ChapterTime[];
  title?: string;
  artist?: string;
}

/** "Match loudness" in a lossless Opus join: one output gain in the OpusHead, dB. */
export interface OpusGainStep {
  kind: 'opus-gain';
  gainDb: number;
}

export type PostStep =
  CloseJoinsStep | OpusGainStep | WavHeaderStep | RetagMp3Step | ChapterFilesStep;

export type JoinStep = PreStep | MainStep | PostStep;
export type StepKind = JoinStep['kind'];

export interface JoinSteps {
  pre: PreStep[];
  main: MainStep;
  post: PostStep[];
}

/** The steps in the order they run. */
export function stepList(steps: JoinSteps): JoinStep[] {
  return [...steps.pre, steps.main, ...steps.post];
}

/** The first step of `kind`, if the join has one. */
export function findStep<K extends StepKind>(
  steps: JoinSteps,
  kind: K,
): Extract<JoinStep, { kind: K }> | undefined {
  return stepList(steps).find((s): s is Extract<JoinStep, { kind: K }> => s.kind === kind);
}
