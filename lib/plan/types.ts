/**
 * The planner's types: what it takes (tracks, options) and what it gives (a JoinPlan: its
 * steps, the command the main step runs, the tags, chapters and cover written, and the plan in
 * words). Types only, so every part of the planner can name them without importing another.
 */
import type { AudioInfo, TrackEdit, Transition } from '@/lib/core/track';
import type { JoinOptions, OutputTags } from '@/lib/core/settings';
import type { ChapterTime } from './chapters';
import type { JoinSteps } from './steps';
import type { StepInput } from './predecode';
import type { ResolvedTags } from './tags';
import type { Clamp } from './timeline';
import type { TrackGain } from './match-loudness';

/** A track as the planner sees it: probed, in queue order, with its edit (absent = none). */
export interface PlanTrack {
  id: string;
  name: string;
  info: AudioInfo;
  edit?: TrackEdit | undefined;
}

/**
 * The join options (lib/core/settings.ts), each optional here: tests and previews omit some;
 * and the cores the engines may use (absent or 1: one engine, never in parts).
 */
export type PlanOptions = Partial<Omit<JoinOptions, 'tags'>> & {
  tags?: Partial<OutputTags>;
  cores?: number;
};

/** A file the engine mounts into ffmpeg's file system before running. */
export type PlanInput = StepInput;

/** One ffmpeg run: the files it mounts and reads, its arguments, and what it writes. */
export interface FfmpegCommand {
  inputs: PlanInput[];
  /** Extra text files to write (the concat demuxer's list, the FFMETADATA1 file). */
  files: { path: string; text: string }[];
  args: string[];
  outputPath: string;
  /** The output's expected length, seconds: progress is ffmpeg's time against it. */
  totalSec: number;
}

export interface PlanCommon {
  /** True when no audio is decoded and re-encoded. */
  lossless: boolean;
  /** The output's expected length, seconds: progress is ffmpeg's time against it. */
  totalSec: number;
  /** What the join runs, in order (./steps.ts). */
  steps: JoinSteps;
  /** One line for the UI: lossless or why not, then notes and warnings. */
  summary: string;
  /** The same as short lines: lossless or why not first, then each note and warning. */
  lines: string[];
  /** Why the join re-encodes (empty when lossless), e.g. "track 2 is trimmed". */
  reencodeReasons: string[];
  /** Things the person should know before Join, e.g. the M4R length warning. */
  warnings: string[];
  /** Crossfades shortened to fit. */
  clamped: Clamp[];
  /** The transitions as applied, one per junction. */
  transitions: Transition[];
  /** The chapters written (empty when none are). */
  chapters: ChapterTime[];
  /**
   * The chapters as chapter files beside the output list them: the same, and for a format
   * that holds none (a FLAC or WAV with its .cue) what it would hold. Empty with "No chapters".
   */
  chapterList: ChapterTime[];
  /** The tags written (empty when the format holds none). */
  tags: ResolvedTags;
  /** Index of the track whose cover is written, or undefined for none (or for an image). */
  coverTrack: number | undefined;
  /** True when the cover is the person's own image file (input COVER_IMAGE_ID). */
  coverImage: boolean;
  /** "Match loudness": each track's gain, in queue order (absent when not asked). */
  loudness?: LoudnessMatch | undefined;
}

/** How "Match loudness" is done: by global_gain steps (lossless MP3) or a gain in the graph. */
export interface LoudnessMatch {
  mode: 'steps' | 'exact';
  /** LUFS. */
  target: number;
  gains: TrackGain[];
  /** Why AAC frames keep their gain and the tracks are encoded again (a walk's reason). */
  refused?: string;
  /** A lossless Opus join's one output gain (OpusHead), dB, that matches every track. */
  outputGainDb?: number;
}

export type JoinPlan =
  /** Zero-copy join in JS: slices of the input Blobs plus a fresh header. */
  | (PlanCommon & { kind: 'fast'; lossless: true })
  /**
   * ffmpeg.wasm run: stream copy (lossless) or decode, resample, remix, concatenate, encode;
   * the command is the main step's, in one engine or in parts.
   */
  | (PlanCommon & FfmpegCommand & { kind: 'ffmpeg' });

export type FfmpegPlan = Extract<JoinPlan, { kind: 'ffmpeg' }>;
