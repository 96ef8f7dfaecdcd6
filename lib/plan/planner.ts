import type { AudioInfo } from '@/lib/core/track';
import { NO_TRANSITION, type TrackEdit, type Transition } from '@/lib/core/track';
import { JoinFailedError } from '@/lib/core/errors';
import { formatSpec, RINGTONE_MAX_SEC, type FormatSpec } from '@/lib/core/formats';
import {
  copyJoinKind,
  exactJoinKind,
  losslessKind,
  seamFrames,
  type CopyJoinKind,
  type LosslessKind,
} from '@/lib/lossless';
import type { Id3Edit } from '@/lib/media/id3';
import { id3Edit, resolveTags, type ResolvedTags } from './tags';
import { encoderArgs, filterGraph, MP3_MIN_SAMPLES, type GraphTrack } from './graph';
import { clampTransitions, MIN_KEPT_SEC, outputLength, trimSpan, type Clamp } from './timeline';
import { chapterTimes, resolveChapterMode, type ChapterTime } from './chapters';
import { BITEXACT, coverArgs, inputExtension, LOG_ARGS, metadataArgs } from './args';
import {
  changeNote,
  changeReason,
  changeReasons,
  editReasons,
  fastPathReasons,
  clampNote,
  losslessSummary,
  metadataNotes,
  mismatchReasons,
  trackNotes,
} from './words';
import {
  COVER_IMAGE_ID,
  defaultOutput,
  defaultTags,
  type JoinOptions,
  type OutputSettings,
  type OutputTags,
} from '@/lib/core/settings';
import { channelWord, codecLabel, formatDuration, formatSeconds, khz } from '@/lib/core/text';
import { t, text } from '@/lib/core/i18n';
import { allLossless, flacDepthNote, targetChannels, wavTarget } from './layout';
import {
  intermediateInfo,
  intermediatePath,
  predecodeRun,
  type PredecodeRun,
  type StepInput,
} from './predecode';

export { clampTransitions, trimSpan } from './timeline';
export { chapterTimes } from './chapters';
export { editReasons, fastPathReasons, mismatchReasons } from './words';
export type { Clamp } from './timeline';
export type { ChapterTime } from './chapters';
export { encoderArgs } from './graph';
export { targetChannels } from './layout';
export { checkOutputLength } from './output-check';
export type { PredecodeRun } from './predecode';

/** A track as the planner sees it: probed, in queue order, with its edit (absent = none). */
export interface PlanTrack {
  id: string;
  name: string;
  info: AudioInfo;
  edit?: TrackEdit | undefined;
}

/** The join options (lib/core/settings.ts), each optional here: tests and previews omit some. */
export type PlanOptions = Partial<Omit<JoinOptions, 'tags'>> & { tags?: Partial<OutputTags> };

/** A file the engine mounts into ffmpeg's file system before running. */
export type PlanInput = StepInput;

interface PlanCommon {
  /** True when no audio is decoded and re-encoded. */
  lossless: boolean;
  /** The output's expected length, seconds: progress is ffmpeg's time against it. */
  totalSec: number;
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
}

export type JoinPlan =
  /** Zero-copy join in JS: slices of the input Blobs plus a fresh header. */
  | (PlanCommon & {
      kind: 'fast';
      lossless: true;
      fast: LosslessKind;
      /** MP3 only: rewrite the leading ID3v2 tag (tags, chapters, cover); absent = keep it. */
      id3?: Id3Edit;
      /**
       * MP3 only: the joins are closed exactly, the few frames at each encoded again
       * (lib/lossless/mp3/seams.ts), as the plan's line says; absent: by whole frames.
       */
      exactJoins?: true;
    })
  /** ffmpeg.wasm run: stream copy (lossless) or decode, resample, remix, concatenate, encode. */
  | (PlanCommon & {
      kind: 'ffmpeg';
      inputs: PlanInput[];
      /** Extra text files to write (the concat demuxer's list, the FFMETADATA1 file). */
      files: { path: string; text: string }[];
      args: string[];
      outputPath: string;
      /**
       * A stream copy whose joins a pass in JS closes afterwards (lib/lossless: the encoders'
       * priming and padding left out at each join); absent for every other run.
       */
      closeJoins?: CopyJoinKind;
      /**
       * With `closeJoins`: the joins are closed exactly, the few frames at each encoded again
       * (lib/lossless/mp4-seams.ts), as the plan's line says; absent: by whole frames.
       */
      exactJoins?: true;
      /**
       * Tracks that change format midway, each decoded first in a run of its own (in queue
       * order); the join's inputs marked `intermediate` read what they wrote. Absent: none.
       */
      predecode?: PredecodeRun[];
    });

/**
 * Chooses how to join. Lossless (the zero-copy fast path for MP3 and WAV, else an ffmpeg stream
 * copy) when every track has the same codec, sample rate and channel count, the output format
 * holds that codec, no track's probe found it unfit for that (`AudioInfo.fastPath`, e.g. a
 * stream that changes midway), and no edit or setting changes the audio; otherwise a re-encode
 * through one filter graph (trims, transitions, remix, resample, normalization, fades) and the
 * format's encoder. Tags, cover and chapters are written either way where the format holds them.
 * Throws JoinFailedError (naming the track) when a trim leaves nothing of a track.
 */
export function planJoin(
  tracks: readonly PlanTrack[],
  stored: OutputSettings,
  opts: PlanOptions = {},
): JoinPlan {
  if (tracks.length === 0) throw new Error('planJoin needs at least one track');
  // Settings stored by an older version may lack newer fields.
  const output: OutputSettings = { ...defaultOutput, ...stored };
  const spec = formatSpec(output.format);
  const first = tracks[0]!;
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
  const totalSec = outputLength(tracks, transitions);
  const target = {
    rate: targetSampleRate(tracks, spec, output.sampleRate),
    channels: targetChannels(
      tracks.map((t) => t.info),
      output.format,
      output.channels,
    ),
  };
  const mismatch = mismatchReasons(tracks, spec);
  // Only worth saying when the tracks would otherwise go in unchanged.
  const unfit = mismatch.length === 0 ? [...fastPathReasons(tracks), ...changeReasons(tracks)] : [];
  const edits = editReasons(tracks, spans, transitions, output, target);
  const lossless = mismatch.length === 0 && unfit.length === 0 && edits.length === 0;
  // What the output format cannot hold (channels, bits), said once.
  const depthNote = output.format === 'flac' ? flacDepthNote(tracks.map((t) => t.info)) : undefined;
  const formatNotes = [target.channels.note, depthNote].filter((n): n is string => !!n);
  // Exact samples (PCM, FLAC, ALAC…) decoded and written again as WAV or FLAC that holds them
  // all, with nothing else changed, lose nothing: the plan says lossless.
  const rewrite =
    !lossless &&
    (output.format === 'wav' || output.format === 'flac') &&
    edits.length === 0 &&
    formatNotes.length === 0 &&
    fastPathReasons(tracks).length === 0 &&
    // A track that changes format midway is brought to one rate and layout: not kept as it is.
    !tracks.some((t) => t.info.formatChange) &&
    allLossless(tracks.map((t) => t.info)) &&
    new Set(tracks.map((t) => t.info.sampleRate)).size === 1 &&
    new Set(tracks.map((t) => t.info.channels)).size === 1;

  // Tags, cover, chapters.
  const userTags = { ...defaultTags, ...opts.tags };
  const tags = spec.tags ? resolveTags(first.info.tags, userTags) : {};
  // One track gets chapters only from chapters of its own; one per track needs two tracks.
  const chapterMode = resolveChapterMode(output.chapters, tracks);
  const chapterList =
    chapterMode !== 'none' && (tracks.length > 1 || chapterMode === 'keep')
      ? chapterTimes(tracks, transitions, {
          mode: chapterMode,
          titleFrom: opts.chapterTitles ?? 'file',
        })
      : [];
  const chapters = spec.chapters ? chapterList : [];
  const coverTrack = spec.cover ? chooseCover(tracks, output.cover) : undefined;
  const coverImage = spec.cover && output.cover === 'image';
  const notes = [
    ...formatNotes,
    ...metadataNotes(tracks, output, spec, userTags),
    ...trackNotes(tracks),
  ];
  const warnings: string[] = [];
  if (output.format === 'm4r' && totalSec > RINGTONE_MAX_SEC) {
    warnings.push(t('plan.ringtone', formatSeconds(RINGTONE_MAX_SEC), formatDuration(totalSec)));
  }
  if (output.format === 'mp3' && totalSec * target.rate < MP3_MIN_SAMPLES) {
    // The graph pads it (./graph.ts minSamples): say so, as the length changes.
    notes.push(t('plan.paddedToFrame', Math.round((MP3_MIN_SAMPLES / target.rate) * 1000)));
  }
  for (const c of clamped) {
    notes.push(clampNote(c.junction, c.applied, c.reason));
  }
  const common = {
    totalSec,
    clamped,
    transitions,
    chapters,
    chapterList,
    tags,
    coverTrack,
    coverImage,
    warnings,
  };
  const finish = (head: string) => ({
    summary: [head, ...notes, ...warnings].join(' '),
    lines: [head, ...notes, ...warnings],
  });

  const inputs = tracks.map((t, i) => ({
    trackId: t.id,
    path: `/in/${i}.${inputExtension(t.info)}`,
  }));
  // The person's image goes in after the tracks; ffmpeg tells JPEG from PNG by its bytes.
  const imageInput = { trackId: COVER_IMAGE_ID, path: '/in/cover.img' };
  const outputPath = `/out/joined.${spec.extension}`;

  // FLAC frames carry their own sample numbers, which a stream copy leaves wrong after the
  // first file; decoding and encoding FLAC again loses nothing, so that is the lossless path.
  const flacAgain = lossless && output.format === 'flac';
  if (lossless && !flacAgain) {
    const fast = losslessKind(
      output.format,
      tracks.map((t) => t.info),
    );
    const closeJoins = copyJoinKind(
      output.format,
      tracks.map((t) => t.info),
    );
    // MP3 and AAC-LC joins are closed exactly where every track is long enough
    // (lib/lossless/mp3/seams.ts, mp4-seams.ts).
    const exact = exactJoinKind(
      fast,
      closeJoins,
      tracks.map((t) => t.info),
    );
    const summary = finish(
      tracks.length < 2
        ? losslessSummary(tracks)
        : exact
          ? losslessSummary(tracks, 'seams', seamFrames(exact, tracks[0]!.info.sampleRate))
          : fast === 'mp3' || closeJoins
            ? losslessSummary(tracks, 'gapless')
            : losslessSummary(tracks),
    );
    if (fast) {
      const id3 =
        fast === 'mp3' ? id3Edit(tracks, userTags, chapters, coverTrack, coverImage) : undefined;
      return {
        kind: 'fast',
        lossless: true,
        fast,
        ...(id3 ? { id3 } : {}),
        ...(exact ? { exactJoins: true as const } : {}),
        ...common,
        reencodeReasons: [],
        ...summary,
      };
    }
    const list = inputs.map((i) => `file '${i.path}'`).join('\n') + '\n';
    const files = [{ path: '/in/list.txt', text: list }];
    // Input 0 is the concat demuxer; then the metadata file; then the cover's track, if any.
    const meta = metadataArgs(spec, tags, chapters, 1, files);
    const cover =
      coverTrack !== undefined
        ? { index: meta.next, path: inputs[coverTrack]!.path, info: tracks[coverTrack]!.info }
        : coverImage
          ? { index: meta.next, path: imageInput.path, info: undefined }
          : undefined;
    return {
      kind: 'ffmpeg',
      lossless: true,
      ...(closeJoins ? { closeJoins } : {}),
      ...(closeJoins && exact ? { exactJoins: true as const } : {}),
      inputs: coverImage ? [...inputs, imageInput] : inputs,
      files,
      args: [
        ...LOG_ARGS,
        ...['-f', 'concat', '-safe', '0', '-i', '/in/list.txt'],
        ...meta.inputArgs,
        ...(cover ? ['-i', cover.path] : []),
        ...['-map', '0:a'],
        ...(cover ? coverArgs(cover.index, cover.info) : []),
        ...['-c', 'copy'],
        ...meta.outputArgs,
        ...BITEXACT,
        ...['-f', spec.muxer, outputPath],
      ],
      outputPath,
      ...common,
      reencodeReasons: [],
      ...summary,
    };
  }

  // Tracks that change format midway are read from their intermediate (./predecode.ts).
  const predecode = tracks.flatMap((t, i) =>
    t.info.formatChange ? [predecodeRun(i, t.id, t.info, inputs[i]!.path, target)] : [],
  );
  const joinInfos = tracks.map((t) =>
    t.info.formatChange ? intermediateInfo(t.info, target) : t.info,
  );
  const joinInputs: PlanInput[] = inputs.map((input, i) =>
    tracks[i]!.info.formatChange
      ? { trackId: input.trackId, path: intermediatePath(i), intermediate: true }
      : input,
  );
  const graphTracks: GraphTrack[] = tracks.map((_, i) => ({
    channels: joinInfos[i]!.channels,
    span: spans[i]!,
  }));
  const graph = filterGraph(graphTracks, transitions, {
    rate: target.rate,
    channels: target.channels,
    totalSec,
    fadeInSec: output.fadeInSec,
    fadeOutSec: output.fadeOutSec,
    loudnessTarget: output.normalize ? (opts.loudnessTarget ?? -16) : undefined,
    ...(output.format === 'mp3' ? { minSamples: MP3_MIN_SAMPLES } : {}),
  });
  const files: { path: string; text: string }[] = [];
  const meta = metadataArgs(spec, tags, chapters, tracks.length, files);
  const enc = encoderArgs(
    output,
    target.channels.count,
    output.format === 'wav' ? wavTarget(tracks.map((t) => t.info)) : undefined,
  );
  // The intermediate is float, which FLAC's encoder takes as 24-bit: sources of 16 bits at
  // most stay 16-bit, as they do without it.
  const flacDepthArgs =
    output.format === 'flac' &&
    predecode.length > 0 &&
    tracks.every((t) => allLossless([t.info]) && (t.info.bitsPerSample ?? 16) <= 16)
      ? ['-sample_fmt', 's16']
      : [];
  const reasons = [...mismatch, ...unfit, ...edits];
  // Said as a note where the head line does not already say it.
  const heads = flacAgain || rewrite ? [] : reasons;
  tracks.forEach((t, i) => {
    const change = t.info.formatChange;
    if (change && !heads.includes(changeReason(i, change))) notes.push(changeNote(i, change));
  });
  // A cover from a track that is read from its intermediate comes from its file, an input of
  // its own after the others.
  const coverFromFile =
    coverTrack !== undefined && tracks[coverTrack]!.info.formatChange ? coverTrack : undefined;
  const coverInput =
    coverFromFile !== undefined
      ? {
          trackId: tracks[coverFromFile]!.id,
          path: `/in/cover-${coverFromFile}.${inputExtension(tracks[coverFromFile]!.info)}`,
        }
      : undefined;
  const coverIndex = meta.next + (coverImage ? 1 : 0);
  return {
    kind: 'ffmpeg',
    lossless: flacAgain || rewrite,
    inputs: [
      ...joinInputs,
      ...(coverImage ? [imageInput] : []),
      ...(coverInput ? [coverInput] : []),
    ],
    files,
    args: [
      ...LOG_ARGS,
      ...joinInputs.flatMap((i, n) => [...(joinInfos[n]!.inputArgs ?? []), '-i', i.path]),
      ...meta.inputArgs,
      ...(coverImage ? ['-i', imageInput.path] : []),
      ...(coverInput
        ? [...(tracks[coverFromFile!]!.info.inputArgs ?? []), '-i', coverInput.path]
        : []),
      ...['-filter_complex', graph, '-map', '[out]'],
      ...(coverTrack !== undefined
        ? coverArgs(coverInput ? coverIndex : coverTrack, tracks[coverTrack]!.info)
        : []),
      ...(coverImage ? coverArgs(meta.next, undefined) : []),
      ...enc.args,
      ...flacDepthArgs,
      ...meta.outputArgs,
      ...BITEXACT,
      ...['-f', spec.muxer, outputPath],
    ],
    outputPath,
    ...(predecode.length > 0 ? { predecode } : {}),
    ...common,
    reencodeReasons: reasons,
    ...finish(
      flacAgain
        ? losslessSummary(tracks, 'flac')
        : rewrite
          ? t(
              'plan.rewrite',
              [...new Set(tracks.map((t) => codecLabel(t.info.codec)))].join(', '),
              khz(first.info.sampleRate),
              channelWord(first.info.channels),
              enc.label,
            )
          : t(
              'plan.reencode',
              enc.label,
              khz(target.rate),
              channelWord(target.channels.count),
              reasons.join(t('plan.reasonSeparator')),
            ),
    ),
  };
}

/** Index of the track whose picture becomes the cover, or undefined for none. */
export function chooseCover(
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
