/**
 * The planner's first half: what a join will do, decided from the tracks and the settings, as
 * data: its timeline, its target, why it cannot go losslessly (if it cannot), the route it
 * takes, and the tags, chapters and cover it writes. No ffmpeg argument (./commands.ts) and no
 * sentence of the plan's (./describe.ts) is made here. Pure.
 */
import { NO_TRANSITION, type AudioInfo, type Transition } from '@/lib/core/track';
import { JoinFailedError } from '@/lib/core/errors';
import { formatSpec, type FormatSpec } from '@/lib/core/formats';
import { t, text } from '@/lib/core/i18n';
import { formatSeconds } from '@/lib/core/text';
import {
  defaultOutput,
  defaultTags,
  type OutputSettings,
  type OutputTags,
} from '@/lib/core/settings';
import {
  copyJoinKind,
  exactJoinKind,
  losslessKind,
  type CopyJoinKind,
  type ExactJoinKind,
  type LosslessKind,
} from '@/lib/lossless';
import { resolveTags, type ResolvedTags } from './tags';
import {
  clampTransitions,
  MIN_KEPT_SEC,
  outputLength,
  trimSpan,
  type Clamp,
  type TrimSpan,
} from './timeline';
import { chapterTimes, resolveChapterMode, type ChapterTime } from './chapters';
import { editReasons, fastPathReasons, changeReasons, mismatchReasons } from './words';
import { allLossless, flacDepthNote, targetChannels } from './layout';
import type { JoinTarget } from './predecode';
import type { LoudnessMatch, PlanOptions, PlanTrack } from './types';
import { aacGainRefused, commonGain, matchLoudness } from './match-loudness';

/**
 * How the audio goes into the output:
 * - `copy`: unchanged (a zero-copy join, else an ffmpeg stream copy);
 * - `flac`: FLAC decoded and encoded again, which loses nothing (a stream copy would leave the
 *   frames' sample numbers wrong after the first file);
 * - `rewrite`: exact samples (PCM, FLAC, ALAC…) written again as WAV or FLAC that holds them all;
 * - `encode`: decoded, edited, mixed and encoded.
 */
type JoinRoute = 'copy' | 'flac' | 'rewrite' | 'encode';

export interface JoinDecision {
  tracks: readonly PlanTrack[];
  output: OutputSettings;
  spec: FormatSpec;
  opts: PlanOptions;
  spans: TrimSpan[];
  transitions: Transition[];
  clamped: Clamp[];
  totalSec: number;
  target: JoinTarget;
  /** Why the tracks cannot go in unchanged, in words: their parameters differ… */
  mismatch: string[];
  /** …a track's probe found it unfit (said only when the parameters match)… */
  unfit: string[];
  /** …or an edit or setting changes the audio. */
  edits: string[];
  route: JoinRoute;
  /** What the output format cannot hold (channels, bits), said once. */
  formatNotes: string[];
  /** A copy's zero-copy join, the pass that closes a stream copy's joins, its exact joins. */
  fast?: LosslessKind | undefined;
  closeJoins?: CopyJoinKind | undefined;
  exact?: ExactJoinKind | undefined;
  userTags: OutputTags;
  tags: ResolvedTags;
  /** The chapters written, and those listed in chapter files (./types.ts PlanCommon). */
  chapters: ChapterTime[];
  chapterList: ChapterTime[];
  coverTrack: number | undefined;
  coverImage: boolean;
  /** "Match loudness": each track's gain (absent when not asked). */
  loudness: LoudnessMatch | undefined;
}

/**
 * Decides how to join. Lossless when every track has the same codec, sample rate and channel
 * count, the output format holds that codec, no track's probe found it unfit for that
 * (`AudioInfo.fastPath`, e.g. a stream that changes midway), and no edit or setting changes the
 * audio; otherwise a re-encode through one filter graph. Throws JoinFailedError (naming the
 * track) when a trim leaves nothing of a track.
 */
export function decideJoin(
  tracks: readonly PlanTrack[],
  stored: OutputSettings,
  opts: PlanOptions,
): JoinDecision {
  if (tracks.length === 0) throw new Error('planJoin needs at least one track');
  // Settings stored by an older version may lack newer fields.
  const output: OutputSettings = { ...defaultOutput, ...stored };
  const spec = formatSpec(output.format);
  const spans = tracks.map(trimSpan);
  spans.forEach((s, i) => {
    // Only a trim can leave nothing: a file of a few samples, untrimmed, is joined as it is.
    if (s.trimmed && s.lengthSec < MIN_KEPT_SEC) {
      throw new JoinFailedError(
        text('plan.trimmedToNothing', formatSeconds(s.startSec), formatSeconds(s.endSec)),
        tracks[i],
      );
    }
  });
  const { transitions, clamped } = clampTransitions(
    tracks,
    opts.defaultTransition ?? NO_TRANSITION,
  );
  const infos = tracks.map((t) => t.info);
  const target = {
    rate: targetSampleRate(tracks, spec, output.sampleRate),
    channels: targetChannels(infos, output.format, output.channels),
  };
  const mismatch = mismatchReasons(tracks, spec);
  // Only worth saying when the tracks would otherwise go in unchanged.
  const unfit = mismatch.length === 0 ? [...fastPathReasons(tracks), ...changeReasons(tracks)] : [];
  const edits = editReasons(tracks, spans, transitions, output, target);
  const loudness = output.matchLoudness
    ? loudnessMatch(infos, output, opts, mismatch.length + unfit.length === 0 && edits.length === 0)
    : undefined;
  // Only an MP3 or AAC-LC join keeps its frames while their gain moves; any other is encoded
  // again (an AAC frame the gain walk refused says why).
  if (loudness?.mode === 'exact') {
    edits.push(
      loudness.refused
        ? t('plan.reasonAacGainRefused', loudness.refused)
        : t('plan.reasonMatchLoudness'),
    );
  }
  const depthNote = output.format === 'flac' ? flacDepthNote(infos) : undefined;
  const formatNotes = [target.channels.note, depthNote].filter((n): n is string => !!n);
  const route = joinRoute(tracks, output, mismatch.length + unfit.length, edits, formatNotes);
  const fast = route === 'copy' ? losslessKind(output.format, infos) : undefined;
  const closeJoins = route === 'copy' ? copyJoinKind(output.format, infos) : undefined;
  const userTags = { ...defaultTags, ...opts.tags };
  // One track gets chapters only from chapters of its own; one per track needs two tracks.
  const chapterMode = resolveChapterMode(output.chapters, tracks);
  const chapterList =
    chapterMode !== 'none' && (tracks.length > 1 || chapterMode === 'keep')
      ? chapterTimes(tracks, transitions, {
          mode: chapterMode,
          titleFrom: opts.chapterTitles ?? 'file',
        })
      : [];
  return {
    tracks,
    output,
    spec,
    opts,
    spans,
    transitions,
    clamped,
    totalSec: outputLength(tracks, transitions),
    target,
    mismatch,
    unfit,
    edits,
    route,
    formatNotes,
    fast,
    closeJoins,
    // MP3 and AAC-LC joins are closed exactly where every track is long enough
    // (lib/lossless/mp3/seams.ts, mp4-seams.ts).
    exact: route === 'copy' ? exactJoinKind(fast, closeJoins, infos) : undefined,
    userTags,
    tags: spec.tags ? resolveTags(tracks[0]!.info.tags, userTags) : {},
    chapters: spec.chapters ? chapterList : [],
    chapterList,
    coverTrack: spec.cover ? chooseCover(tracks, output.cover) : undefined,
    coverImage: spec.cover && output.cover === 'image',
    loudness,
  };
}

/**
 * "Match loudness": by whole global_gain steps when the join would be the zero-copy MP3 join or
 * a stream copy of AAC-LC whose frames the gain walk can read (`unchanged`: nothing else
 * re-encodes it), else by an exact gain in the re-encode.
 */
function loudnessMatch(
  infos: readonly AudioInfo[],
  output: OutputSettings,
  opts: PlanOptions,
  unchanged: boolean,
): LoudnessMatch {
  const list = [...infos];
  // MP3 frames, and AAC-LC in MP4 whose every frame was walked (lib/lossless/gain/): their
  // gain moves in place.
  const aac = copyJoinKind(output.format, list) === 'mp4';
  const refused = aac && unchanged ? aacGainRefused(infos) : undefined;
  const mode =
    unchanged && (losslessKind(output.format, list) === 'mp3' || (aac && refused === undefined))
      ? 'steps'
      : 'exact';
  const target = opts.loudnessTarget ?? -16;
  // Ogg Opus: one output gain for the whole file, when one brings every track to the target.
  const common =
    unchanged && copyJoinKind(output.format, list) === 'opus'
      ? commonGain(infos, target)
      : undefined;
  if (common) return { mode: 'steps', target, gains: common.gains, outputGainDb: common.gainDb };
  return {
    mode,
    target,
    gains: matchLoudness(infos, target, mode),
    ...(refused ? { refused } : {}),
  };
}

/** The route (`JoinRoute`) for tracks that differ in `differences` ways and these edits. */
function joinRoute(
  tracks: readonly PlanTrack[],
  output: OutputSettings,
  differences: number,
  edits: readonly string[],
  formatNotes: readonly string[],
): JoinRoute {
  if (differences === 0 && edits.length === 0) {
    if (output.format !== 'flac') return 'copy';
    // FLAC that cannot hold the samples at their own depth is not a lossless join.
    if (formatNotes.length === 0) return 'flac';
  }
  const infos = tracks.map((t) => t.info);
  // Exact samples decoded and written again as WAV or FLAC that holds them all, with nothing
  // else changed, lose nothing: the plan says lossless.
  const rewrite =
    (output.format === 'wav' || output.format === 'flac') &&
    edits.length === 0 &&
    formatNotes.length === 0 &&
    fastPathReasons(tracks).length === 0 &&
    // A track that changes format midway is brought to one rate and layout: not kept as it is.
    !infos.some((i) => i.formatChange) &&
    allLossless(infos) &&
    new Set(infos.map((i) => i.sampleRate)).size === 1 &&
    new Set(infos.map((i) => i.channels)).size === 1;
  return rewrite ? 'rewrite' : 'encode';
}

/** Index of the track whose picture becomes the cover, or undefined for none. */
function chooseCover(
  tracks: readonly PlanTrack[],
  choice: OutputSettings['cover'],
): number | undefined {
  const usable = (t: PlanTrack | undefined) => t !== undefined && t.info.hasCover;
  if (choice === 'none' || choice === 'image') return undefined;
  if (choice === 'first') return usable(tracks[0]) ? 0 : undefined;
  const i = tracks.findIndex((t) => t.id === choice.trackId);
  return i >= 0 && usable(tracks[i]) ? i : undefined;
}

/**
 * Highest rate "As source" gives a lossy format: 48 kHz holds everything people hear; a higher
 * rate (one 96 kHz FLAC among the tracks) only spends the bitrate on ultrasound.
 */
const MAX_LOSSY_SOURCE_RATE = 48000;

/**
 * The output sample rate: a forced 44.1/48 kHz, or the highest source rate (nothing is thrown
 * away; for lossy formats at most 48 kHz); either moved to one the encoder accepts (the nearest
 * at or above, else its highest).
 */
export function targetSampleRate(
  tracks: readonly PlanTrack[],
  spec: FormatSpec,
  wanted: OutputSettings['sampleRate'] = 'source',
): number {
  const highest = Math.max(...tracks.map((t) => t.info.sampleRate));
  const rate =
    wanted !== 'source' ? wanted : spec.lossy ? Math.min(highest, MAX_LOSSY_SOURCE_RATE) : highest;
  const allowed = spec.sampleRates;
  if (!allowed) return rate;
  return allowed.find((r) => r >= rate) ?? allowed[allowed.length - 1] ?? rate;
}

/**
 * Whether the join copies every track's audio as it is (zero-copy, stream copy or exact joins,
 * which decode only the few frames around each join): such a join needs no decode check first
 * (lib/engine/host.ts). False when the join cannot be planned (a trim that leaves nothing).
 */
function copiesAsIs(
  tracks: readonly PlanTrack[],
  output: OutputSettings,
  opts: PlanOptions,
): boolean {
  try {
    return decideJoin(tracks, output, opts).route === 'copy';
  } catch {
    return false;
  }
}

/**
 * A join that may start before the tracks' decode checks: it needs nothing only a check
 * measures (Match loudness needs each track's loudness, which the check measures on its
 * decode), and either copies the audio as it is or re-encodes tracks whose own tables hold
 * the length it is planned on (`AudioInfo.lengthHeld`; not one cut short or changing format).
 * A join started so that fails is planned again once the checks are done (lib/engine/host.ts).
 */
export function startsBeforeChecks(
  tracks: readonly PlanTrack[],
  output: OutputSettings,
  opts: PlanOptions,
): boolean {
  if (output.matchLoudness && tracks.some((t) => !t.info.loudness)) return false;
  if (copiesAsIs(tracks, output, opts)) return true;
  // A re-encode decodes every track itself: it needs only lengths it can plan on.
  return tracks.every(
    (t) => t.info.decoded || (t.info.lengthHeld && !t.info.cutShort && !t.info.formatChange),
  );
}
