import type { AudioInfo } from '@/lib/core/track';
import { NO_TRANSITION, type TrackEdit, type Transition } from '@/lib/core/track';
import { JoinFailedError } from '@/lib/core/errors';
import { formatSpec, RINGTONE_MAX_SEC, type FormatSpec } from '@/lib/core/formats';
import { losslessKind, type LosslessKind } from '@/lib/lossless';
import type { Id3Edit } from '@/lib/media/id3';
import { chapterMillis, ffmetadata, resolveTags, userTagChanges, type ResolvedTags } from './tags';
import { encoderArgs, filterGraph, type GraphTrack } from './graph';
import {
  clampTransitions,
  MIN_KEPT_SEC,
  outputLength,
  trimSpan,
  type Clamp,
  type TrimSpan,
} from './timeline';
import { chapterTimes, resolveChapterMode, type ChapterTime } from './chapters';
import {
  COVER_IMAGE_ID,
  defaultOutput,
  defaultTags,
  type JoinOptions,
  type OutputSettings,
  type OutputTags,
} from '@/lib/core/settings';
import { channelWord, codecLabel, formatDuration, khz, trackList } from '@/lib/core/text';
import {
  allLossless,
  flacDepthNote,
  targetChannels,
  wavTarget,
  type ChannelTarget,
} from './layout';

export { clampTransitions, trimSpan } from './timeline';
export { chapterTimes } from './chapters';
export type { Clamp } from './timeline';
export type { ChapterTime } from './chapters';
export { encoderArgs } from './graph';
export { targetChannels } from './layout';
export { checkOutputLength } from './output-check';

/** A track as the planner sees it: probed, in queue order, with its edit (absent = none). */
export interface PlanTrack {
  id: string;
  name: string;
  info: AudioInfo;
  edit?: TrackEdit | undefined;
}

/** The join options (lib/core/settings.ts), each optional here: tests and previews omit some. */
export type PlanOptions = Partial<Omit<JoinOptions, 'tags'>> & { tags?: Partial<OutputTags> };

/** A file the engine writes into ffmpeg's file system before running. */
export interface PlanInput {
  trackId: string;
  path: string;
}

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
    })
  /** ffmpeg.wasm run: stream copy (lossless) or decode, resample, remix, concatenate, encode. */
  | (PlanCommon & {
      kind: 'ffmpeg';
      inputs: PlanInput[];
      /** Extra text files to write (the concat demuxer's list, the FFMETADATA1 file). */
      files: { path: string; text: string }[];
      args: string[];
      outputPath: string;
    });

/** The first (in queue order) parameters that differ, in words; empty when all match. */
export function mismatchReasons(tracks: readonly PlanTrack[], spec: FormatSpec): string[] {
  const reasons: string[] = [];
  const codecs = unique(tracks.map((t) => t.info.codec));
  if (codecs.length > 1)
    reasons.push(`the tracks use different codecs (${codecs.map(codecLabel).join(', ')})`);
  else if (codecs[0] === 'vorbis' && spec.id === 'ogg')
    reasons.push('Vorbis files cannot be joined unchanged (each has its own codebooks)');
  else if (codecs[0] !== undefined && !spec.copyCodecs.includes(codecs[0]))
    reasons.push(`${codecLabel(codecs[0])} audio cannot go into ${spec.label} unchanged`);
  const rates = unique(tracks.map((t) => t.info.sampleRate));
  if (rates.length > 1) reasons.push(`sample rates differ (${rates.map(khz).join(', ')})`);
  const channels = unique(tracks.map((t) => t.info.channels));
  if (channels.length > 1)
    reasons.push(`channel counts differ (${channels.map(channelWord).join(', ')})`);
  return reasons;
}

/**
 * Tracks whose probe found them unfit for an unchanged join (`AudioInfo.fastPath`), in words:
 * "track 2 changes sample rate from 44.1 kHz to 48 kHz at 0:10".
 */
export function fastPathReasons(tracks: readonly PlanTrack[]): string[] {
  return tracks.flatMap((t, i) => {
    const check = t.info.fastPath;
    return check && !check.ok ? [`track ${i + 1} ${check.reason}`] : [];
  });
}

/** The edits and settings that change the audio, in words ("track 2 is trimmed", "fade in"). */
export function editReasons(
  tracks: readonly PlanTrack[],
  spans: readonly TrimSpan[],
  transitions: readonly Transition[],
  output: OutputSettings,
  target: { rate: number; channels: ChannelTarget },
): string[] {
  const reasons: string[] = [];
  const trimmed = spans.flatMap((s, i) => (s.trimmed ? [i + 1] : []));
  if (trimmed.length > 0)
    reasons.push(`${trackList(trimmed)} ${trimmed.length === 1 ? 'is' : 'are'} trimmed`);
  for (const kind of ['crossfade', 'gap'] as const) {
    const at = transitions.flatMap((t, i) => (t.kind === kind ? [i + 1] : []));
    if (at.length > 0) reasons.push(`a ${kind} after ${trackList(at)}`);
  }
  if (output.fadeInSec > 0) reasons.push('fade in');
  if (output.fadeOutSec > 0) reasons.push('fade out');
  if (output.normalize) reasons.push('loudness normalization');
  const first = tracks[0]!.info;
  if (output.sampleRate !== 'source' && target.rate !== first.sampleRate)
    reasons.push(`sample rate ${khz(target.rate)}`);
  if (output.channels !== 'source' && target.channels.count !== first.channels)
    reasons.push(`${channelWord(output.channels)} output`);
  return reasons;
}

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
        `is trimmed to nothing (Start ${s.startSec} s is not before End ${s.endSec} s)`,
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
  const unfit = mismatch.length === 0 ? fastPathReasons(tracks) : [];
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
    allLossless(tracks.map((t) => t.info)) &&
    new Set(tracks.map((t) => t.info.sampleRate)).size === 1 &&
    new Set(tracks.map((t) => t.info.channels)).size === 1;

  // Tags, cover, chapters.
  const userTags = { ...defaultTags, ...opts.tags };
  const tags = spec.tags ? resolveTags(first.info.tags, userTags) : {};
  // One track gets chapters only from chapters of its own; one per track needs two tracks.
  const chapterMode = resolveChapterMode(output.chapters, tracks);
  const chapters =
    spec.chapters && chapterMode !== 'none' && (tracks.length > 1 || chapterMode === 'keep')
      ? chapterTimes(tracks, transitions, {
          mode: chapterMode,
          titleFrom: opts.chapterTitles ?? 'file',
        })
      : [];
  const coverTrack = spec.cover ? chooseCover(tracks, output.cover) : undefined;
  const coverImage = spec.cover && output.cover === 'image';
  const notes = [
    ...formatNotes,
    ...metadataNotes(tracks, output, spec, userTags),
    ...trackNotes(tracks),
  ];
  const warnings: string[] = [];
  if (output.format === 'm4r' && totalSec > RINGTONE_MAX_SEC) {
    warnings.push(
      `Ringtones over ${RINGTONE_MAX_SEC} s may not be accepted by iPhone; this one is ${formatDuration(totalSec)}.`,
    );
  }
  for (const c of clamped) {
    notes.push(
      `The crossfade after track ${c.junction + 1} is shortened to ${c.applied} s: ${c.reason}.`,
    );
  }
  const common = {
    totalSec,
    clamped,
    transitions,
    chapters,
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
    const summary = finish(losslessSummary(tracks));
    const fast = losslessKind(
      output.format,
      tracks.map((t) => t.info),
    );
    if (fast) {
      const id3 =
        fast === 'mp3' ? id3Edit(tracks, userTags, chapters, coverTrack, coverImage) : undefined;
      return {
        kind: 'fast',
        lossless: true,
        fast,
        ...(id3 ? { id3 } : {}),
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

  const graphTracks: GraphTrack[] = tracks.map((t, i) => ({
    channels: t.info.channels,
    span: spans[i]!,
  }));
  const graph = filterGraph(graphTracks, transitions, {
    rate: target.rate,
    channels: target.channels,
    totalSec,
    fadeInSec: output.fadeInSec,
    fadeOutSec: output.fadeOutSec,
    loudnessTarget: output.normalize ? (opts.loudnessTarget ?? -16) : undefined,
  });
  const files: { path: string; text: string }[] = [];
  const meta = metadataArgs(spec, tags, chapters, tracks.length, files);
  const enc = encoderArgs(
    output,
    target.channels.count,
    output.format === 'wav' ? wavTarget(tracks.map((t) => t.info)) : undefined,
  );
  const reasons = [...mismatch, ...unfit, ...edits];
  return {
    kind: 'ffmpeg',
    lossless: flacAgain || rewrite,
    inputs: coverImage ? [...inputs, imageInput] : inputs,
    files,
    args: [
      ...LOG_ARGS,
      ...inputs.flatMap((i, n) => [...(tracks[n]!.info.inputArgs ?? []), '-i', i.path]),
      ...meta.inputArgs,
      ...(coverImage ? ['-i', imageInput.path] : []),
      ...['-filter_complex', graph, '-map', '[out]'],
      ...(coverTrack !== undefined ? coverArgs(coverTrack, tracks[coverTrack]!.info) : []),
      ...(coverImage ? coverArgs(meta.next, undefined) : []),
      ...enc.args,
      ...meta.outputArgs,
      ...BITEXACT,
      ...['-f', spec.muxer, outputPath],
    ],
    outputPath,
    ...common,
    reencodeReasons: reasons,
    ...finish(
      flacAgain
        ? losslessSummary(
            tracks,
            '; they are decoded and encoded again as FLAC, which loses nothing.',
          )
        : rewrite
          ? `Lossless: the tracks hold exact samples (${[...new Set(tracks.map((t) => codecLabel(t.info.codec)))].join(', ')}, ${khz(first.info.sampleRate)} ${channelWord(first.info.channels)}); they are decoded and written again as ${enc.label}, which loses nothing.`
          : `Re-encoding to ${enc.label}, ${khz(target.rate)} ${channelWord(target.channels.count)}: ${reasons.join('; ')}.`,
    ),
  };
}

/** ffmpeg.wasm keeps the previous command's log level; `info` keeps the `time=` progress lines. */
const LOG_ARGS = ['-hide_banner', '-loglevel', 'info', '-stats'];
/** No "Lavf"/"Lavc" version tags (ID3 TSSE, MP4 ©too, WAV ISFT) in the output. */
const BITEXACT = ['-fflags', '+bitexact', '-flags:a', '+bitexact'];

/**
 * Maps input `index`'s attached picture as the output's cover, copied as it is: by its stream
 * index (`disposition.attached_pic`), never a video track (a VP8 film copied into an MP3 as its
 * "cover" fails at the trailer). A probe from before that index was kept takes the first video
 * stream only when the file has no video of its own.
 */
function coverArgs(index: number, info: AudioInfo | undefined): string[] {
  // The person's own image file: its one stream is the picture.
  if (!info) return ['-map', `${index}:v:0`, '-c:v', 'copy', '-disposition:v:0', 'attached_pic'];
  const stream =
    info.coverStreamIndex !== undefined
      ? String(info.coverStreamIndex)
      : info.hasVideo
        ? undefined
        : 'v:0?';
  if (stream === undefined) return [];
  return ['-map', `${index}:${stream}`, '-c:v', 'copy', '-disposition:v:0', 'attached_pic'];
}

/**
 * Tags and chapters through an FFMETADATA1 input at `index` (its file added to `files`); for a
 * format that holds no tags, none at all. Chapters are always mapped explicitly, so an input's
 * own chapters (an M4B joined into another) never leak into the output.
 */
function metadataArgs(
  spec: FormatSpec,
  tags: ResolvedTags,
  chapters: readonly ChapterTime[],
  index: number,
  files: { path: string; text: string }[],
): { inputArgs: string[]; outputArgs: string[]; next: number } {
  if (!spec.tags) {
    return {
      inputArgs: [],
      outputArgs: ['-map_metadata', '-1', '-map_chapters', '-1'],
      next: index,
    };
  }
  files.push({ path: '/in/metadata.txt', text: ffmetadata(tags, chapters) });
  return {
    inputArgs: ['-f', 'ffmetadata', '-i', '/in/metadata.txt'],
    outputArgs: [
      ...['-map_metadata', String(index)],
      // Stream tags of the first input (Vorbis comments live there in Ogg) are not the output's.
      ...['-map_metadata:s:a', '-1'],
      ...['-map_chapters', chapters.length > 0 ? String(index) : '-1'],
    ],
    next: index + 1,
  };
}

/** The lossless MP3 path's tag rewrite, or undefined when the first input's tag can stay. */
function id3Edit(
  tracks: readonly PlanTrack[],
  userTags: OutputTags,
  chapters: ChapterTime[],
  coverTrack: number | undefined,
  coverImage: boolean,
): Id3Edit | undefined {
  const first = tracks[0]!.info;
  const set = userTagChanges(first.tags, userTags);
  const cover: Id3Edit['cover'] = coverImage
    ? { trackId: COVER_IMAGE_ID }
    : coverTrack === 0
      ? 'keep'
      : coverTrack === undefined
        ? first.hasCover
          ? 'none'
          : 'keep'
        : { trackId: tracks[coverTrack]!.id };
  if (Object.keys(set).length === 0 && chapters.length === 0 && cover === 'keep') return undefined;
  return { set, chapters: chapterMillis(chapters), cover };
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
 * What the format leaves out, said once. (Chapters are not mentioned: the editor says by its
 * Chapters box which formats hold them.)
 */
function metadataNotes(
  tracks: readonly PlanTrack[],
  output: OutputSettings,
  spec: FormatSpec,
  userTags: OutputTags,
): string[] {
  const notes: string[] = [];
  const cover = output.cover;
  const wantsCover =
    cover === 'image' ||
    (cover === 'first' && tracks[0]!.info.hasCover) ||
    (typeof cover === 'object' && tracks.some((t) => t.id === cover.trackId && t.info.hasCover));
  if (wantsCover && !spec.cover) notes.push(`${spec.label} files get no cover art here.`);
  if (!spec.tags && Object.values(userTags).some((v) => v.trim() !== ''))
    notes.push(`${spec.label} files get no tags.`);
  return notes;
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
 * Each track's own notes from its probe (a damaged tag ignored, an end that does not decode
 * cleanly), and a word on tracks too short to matter, as sentences: "Track 3 is only 9 samples
 * long (1.1 ms)."
 */
function trackNotes(tracks: readonly PlanTrack[]): string[] {
  return tracks.flatMap((t, i) => {
    const out = (t.info.notes ?? []).map((n) => `Track ${i + 1} ${n}.`);
    const sec = t.info.durationSec;
    if (sec > 0 && sec < TINY_SEC) {
      const samples = t.info.samples ?? Math.round(sec * t.info.sampleRate);
      const ms = Number((sec * 1000).toFixed(sec < 0.01 ? 2 : 1));
      out.push(
        `Track ${i + 1} is only ${samples} sample${samples === 1 ? '' : 's'} long (${ms} ms), too short to hear.`,
      );
    }
    return out;
  });
}

/** Shorter than this a track is too short to hear as more than a click: said in the plan. */
const TINY_SEC = 0.05;

/**
 * The head line of a lossless plan: what the tracks share, then how they are joined (by default
 * as they are; `how` says otherwise, e.g. FLAC decoded and encoded again).
 */
function losslessSummary(
  tracks: readonly PlanTrack[],
  how = ', so they are joined without re-encoding.',
): string {
  const first = tracks[0]!.info;
  return `Lossless: all tracks are ${codecLabel(first.codec)}, ${khz(first.sampleRate)} ${channelWord(first.channels)}${how}`;
}

/** The extension ffmpeg's demuxer probing likes best for this input. */
function inputExtension(info: AudioInfo): string {
  const c = info.container;
  if (c.includes('mp4') || c.includes('mov')) return 'mp4';
  if (c === 'matroska,webm') return 'webm';
  return c.split(',')[0] ?? 'bin';
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
