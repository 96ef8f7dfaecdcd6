/**
 * The plan in words: why a join re-encodes, what the format leaves out, each track's notes and
 * the lossless head line, as the popup shows them (PlanCommon.lines). Pure; the decision itself
 * is in ./planner.ts.
 */
import type { Transition } from '@/lib/core/track';
import type { FormatSpec } from '@/lib/core/formats';
import type { OutputSettings, OutputTags } from '@/lib/core/settings';
import { channelWord, codecLabel, khz, trackList } from '@/lib/core/text';
import type { ChannelTarget } from './layout';
import type { PlanTrack } from './planner';
import type { TrimSpan } from './timeline';

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
 * What the format leaves out, said once. (Chapters are not mentioned: the editor says by its
 * Chapters box which formats hold them.)
 */
export function metadataNotes(
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
 * Each track's own notes from its probe (a damaged tag ignored, an end that does not decode
 * cleanly), and a word on tracks too short to matter, as sentences: "Track 3 is only 9 samples
 * long (1.1 ms)."
 */
export function trackNotes(tracks: readonly PlanTrack[]): string[] {
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
export const TINY_SEC = 0.05;

/**
 * How a lossless join of frames goes (lib/lossless/junctions.ts: AAC and Opus stream copies,
 * and MP3 tracks too short for seams.ts): said because the frames it leaves out at each join
 * are not the inputs' audio.
 */
export const GAPLESS_HOW =
  ', so they are joined without re-encoding; at each join the whole frames of encoder padding are left out, so the tracks play back to back.';

/**
 * How a lossless MP3 join goes (lib/lossless/mp3/seams.ts): every frame is copied but the few
 * around each join, which are decoded and encoded again so the tracks meet exactly. How many:
 * seams.ts keeps 1,728 samples of margin either side of the join's crossfade, which is 3 to 6
 * frames of 1152 samples (MPEG-1, 32 kHz and up) or 6 to 8 of 576 (MPEG-2 and 2.5, below).
 */
export function mp3SeamSummary(tracks: readonly PlanTrack[]): string {
  const first = tracks[0]!.info;
  const frames = first.sampleRate >= 32000 ? '3 to 6' : '6 to 8';
  return losslessSummary(
    tracks,
    `; every frame is copied as it is but ${frames} at each join, which are encoded again from the decoded audio so the tracks meet with no gap.`,
    `Lossless except ${frames} frames at each join`,
  );
}

/**
 * The head line of a lossless plan: what the tracks share, then how they are joined (by default
 * as they are; `how` says otherwise, e.g. FLAC decoded and encoded again).
 */
export function losslessSummary(
  tracks: readonly PlanTrack[],
  how = ', so they are joined without re-encoding.',
  head = 'Lossless',
): string {
  const first = tracks[0]!.info;
  return `${head}: all tracks are ${codecLabel(first.codec)}, ${khz(first.sampleRate)} ${channelWord(first.channels)}${how}`;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
