/**
 * The planner's second half: the decision (./decide.ts) as commands and steps: the ffmpeg run of
 * a stream copy or of a re-encode, the tracks decoded first, and the steps before and after the
 * join (./steps.ts). Pure.
 */
import { COVER_IMAGE_ID } from '@/lib/core/settings';
import { id3Edit } from './tags';
import { encoderArgs, filterGraph, MP3_MIN_SAMPLES, type GraphTrack } from './graph';
import { BITEXACT, coverArgs, inputExtension, LOG_ARGS, metadataArgs } from './args';
import { allLossless, wavTarget } from './layout';
import { intermediateInfo, intermediatePath, predecodeRun } from './predecode';
import { parallelJoin } from './parallel';
import type { JoinDecision } from './decide';
import type { JoinSteps, MainStep, PostStep, PreStep } from './steps';
import type { FfmpegCommand, JoinPlan, PlanInput } from './types';
import { exactGain } from './match-loudness';

/** The person's image goes in after the tracks; ffmpeg tells JPEG from PNG by its bytes. */
const IMAGE_INPUT: PlanInput = { trackId: COVER_IMAGE_ID, path: '/in/cover.img' };

/** Each track's file as the engine mounts it. */
function trackInputs(d: JoinDecision): PlanInput[] {
  return d.tracks.map((t, i) => ({ trackId: t.id, path: `/in/${i}.${inputExtension(t.info)}` }));
}

function outputPath(d: JoinDecision): string {
  return `/out/joined.${d.spec.extension}`;
}

/** A stream copy through the concat demuxer, with tags, chapters and cover. */
export function copyCommand(d: JoinDecision): FfmpegCommand {
  const inputs = trackInputs(d);
  const list = inputs.map((i) => `file '${i.path}'`).join('\n') + '\n';
  const files = [{ path: '/in/list.txt', text: list }];
  // Input 0 is the concat demuxer; then the metadata file; then the cover's track, if any.
  const meta = metadataArgs(d.spec, d.tags, d.chapters, 1, files);
  const cover =
    d.coverTrack !== undefined
      ? { index: meta.next, path: inputs[d.coverTrack]!.path, info: d.tracks[d.coverTrack]!.info }
      : d.coverImage
        ? { index: meta.next, path: IMAGE_INPUT.path, info: undefined }
        : undefined;
  const out = outputPath(d);
  return {
    inputs: d.coverImage ? [...inputs, IMAGE_INPUT] : inputs,
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
      ...['-f', d.spec.muxer, out],
    ],
    outputPath: out,
    totalSec: d.totalSec,
  };
}

/**
 * The re-encode: one filter graph over every track (trims, transitions, remix, resample,
 * loudness, fades) into the format's encoder, with tags, chapters and cover; tracks that change
 * format midway are read from their intermediate (./predecode.ts), decoded first.
 */
export function encodeCommand(d: JoinDecision): FfmpegCommand & { pre: PreStep[] } {
  const { tracks, output, target } = d;
  const inputs = trackInputs(d);
  const pre: PreStep[] = tracks.flatMap((t, i) =>
    t.info.formatChange
      ? [{ kind: 'predecode', run: predecodeRun(i, t.id, t.info, inputs[i]!.path, target) }]
      : [],
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
    span: d.spans[i]!,
    gainDb: exactGain(d.loudness, i),
  }));
  const graph = filterGraph(graphTracks, d.transitions, {
    rate: target.rate,
    channels: target.channels,
    totalSec: d.totalSec,
    fadeInSec: output.fadeInSec,
    fadeOutSec: output.fadeOutSec,
    loudnessTarget: output.normalize ? (d.opts.loudnessTarget ?? -16) : undefined,
    ...(output.format === 'mp3' ? { minSamples: MP3_MIN_SAMPLES } : {}),
  });
  const files: { path: string; text: string }[] = [];
  const meta = metadataArgs(d.spec, d.tags, d.chapters, tracks.length, files);
  const enc = encoderArgs(
    output,
    target.channels.count,
    output.format === 'wav' ? wavTarget(tracks.map((t) => t.info)) : undefined,
  );
  // The intermediate is float, which FLAC's encoder takes as 24-bit: sources of 16 bits at
  // most stay 16-bit, as they do without it.
  const flacDepthArgs =
    output.format === 'flac' &&
    pre.length > 0 &&
    tracks.every((t) => allLossless([t.info]) && (t.info.bitsPerSample ?? 16) <= 16)
      ? ['-sample_fmt', 's16']
      : [];
  const cover = coverInputs(d, meta.next);
  const out = outputPath(d);
  return {
    pre,
    inputs: [...joinInputs, ...cover.inputs],
    files,
    args: [
      ...LOG_ARGS,
      ...joinInputs.flatMap((i, n) => [...(joinInfos[n]!.inputArgs ?? []), '-i', i.path]),
      ...meta.inputArgs,
      ...cover.inputArgs,
      ...['-filter_complex', graph, '-map', '[out]'],
      ...cover.outputArgs,
      ...enc.args,
      ...flacDepthArgs,
      ...meta.outputArgs,
      ...BITEXACT,
      ...['-f', d.spec.muxer, out],
    ],
    outputPath: out,
    totalSec: d.totalSec,
  };
}

/**
 * The re-encode's cover: the person's image (an input after the metadata file), or a track's
 * picture, mapped from its input; a track that is read from its intermediate gives its cover
 * from its file, an input of its own after the others.
 */
function coverInputs(d: JoinDecision, next: number) {
  const { coverTrack, coverImage, tracks } = d;
  const fromFile =
    coverTrack !== undefined && tracks[coverTrack]!.info.formatChange ? coverTrack : undefined;
  const fileInput =
    fromFile !== undefined
      ? {
          trackId: tracks[fromFile]!.id,
          path: `/in/cover-${fromFile}.${inputExtension(tracks[fromFile]!.info)}`,
        }
      : undefined;
  const fileIndex = next + (coverImage ? 1 : 0);
  return {
    inputs: [...(coverImage ? [IMAGE_INPUT] : []), ...(fileInput ? [fileInput] : [])],
    inputArgs: [
      ...(coverImage ? ['-i', IMAGE_INPUT.path] : []),
      ...(fileInput ? [...(tracks[fromFile!]!.info.inputArgs ?? []), '-i', fileInput.path] : []),
    ],
    outputArgs: [
      ...(coverTrack !== undefined
        ? coverArgs(fileInput ? fileIndex : coverTrack, tracks[coverTrack]!.info)
        : []),
      ...(coverImage ? coverArgs(next, undefined) : []),
    ],
  };
}

/**
 * The steps of a join: a copy's zero-copy join with its ID3 rewrite, or its stream copy with
 * its joins closed; a re-encode's tracks decoded first, its run in one engine or in parts; a
 * WAV's header written again; the chapter files' data last.
 */
export function joinSteps(d: JoinDecision, plan: JoinPlan, pre: PreStep[] = []): JoinSteps {
  const post: PostStep[] = [];
  let main: MainStep;
  // Match loudness, losslessly: each track's frames gained before the join reads them.
  const gains = d.loudness?.mode === 'steps' ? d.loudness.gains : [];
  const moved = d.tracks.flatMap((t, i) =>
    gains[i]?.steps ? [{ track: i, trackId: t.id, steps: gains[i].steps }] : [],
  );
  if (moved.length > 0) {
    pre = [...pre, { kind: d.fast === 'mp3' ? 'gain-mp3' : 'gain-aac', tracks: moved }];
  }
  if (plan.kind === 'fast') {
    main = d.fast === 'mp3' ? { kind: 'fast-mp3', exact: d.exact === 'mp3' } : { kind: 'fast-wav' };
    const id3 =
      d.fast === 'mp3'
        ? id3Edit(d.tracks, d.userTags, d.chapters, d.coverTrack, d.coverImage)
        : undefined;
    if (id3) post.push({ kind: 'retag-mp3', id3 });
  } else {
    // Long re-encodes run in parts, one engine per core (./parallel.ts: the rule the plan
    // summary states too).
    const parts = parallelJoin(plan, d.tracks, d.output, d.opts.cores ?? 1);
    main = parts ? { kind: 'parts', ...parts } : { kind: 'ffmpeg' };
    if (d.output.format === 'wav') post.push({ kind: 'wav-header' });
    if (d.closeJoins) {
      post.push({ kind: 'close-joins', container: d.closeJoins, exact: d.exact === 'mp4' });
      const outputGain = d.loudness?.outputGainDb;
      if (outputGain) post.push({ kind: 'opus-gain', gainDb: outputGain });
    }
  }
  if (d.output.chapterFiles && d.chapterList.length > 0) {
    post.push({
      kind: 'chapter-files',
      chapters: d.chapterList,
      ...(d.tags.title ? { title: d.tags.title } : {}),
      ...(d.tags.artist ? { artist: d.tags.artist } : {}),
    });
  }
  return { pre, main, post };
}
