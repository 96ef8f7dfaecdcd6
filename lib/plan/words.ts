/**
 * The plan in words: why a join re-encodes, what the format leaves out, each track's notes and
 * the lossless head line, as the popup shows them (PlanCommon.lines). Pure; the decision itself
 * is in ./planner.ts.
 */
import type { FormatChange, Transition } from '@/lib/core/track';
import type { FormatSpec } from '@/lib/core/formats';
import type { OutputSettings, OutputTags } from '@/lib/core/settings';
import { channelWord, codecLabel, formatSeconds, khz, trackList } from '@/lib/core/text';
import { t, tn } from '@/lib/core/i18n';
import type { ChannelTarget } from './layout';
import type { PlanTrack } from './types';
import type { TrimSpan } from './timeline';

/** The first (in queue order) parameters that differ, in words; empty when all match. */
export function mismatchReasons(tracks: readonly PlanTrack[], spec: FormatSpec): string[] {
  const reasons: string[] = [];
  const codecs = unique(tracks.map((t) => t.info.codec));
  if (codecs.length > 1) reasons.push(t('plan.reasonCodecs', codecs.map(codecLabel).join(', ')));
  else if (codecs[0] === 'vorbis' && spec.id === 'ogg') reasons.push(t('plan.reasonVorbis'));
  else if (codecs[0] !== undefined && !spec.copyCodecs.includes(codecs[0]))
    reasons.push(t('plan.reasonCodecInto', codecLabel(codecs[0]), spec.label));
  const uncopyable = tracks.flatMap((t, i) => (copiesNoHeader(t.info) ? [i + 1] : []));
  if (codecs.length === 1 && uncopyable.length > 0) {
    const c = tracks[uncopyable[0]! - 1]!.info;
    reasons.push(
      t(
        'plan.reasonNoHeader',
        codecLabel(c.codec),
        containerLabel(c.container),
        trackList(uncopyable),
      ),
    );
  }
  const rates = unique(tracks.map((t) => t.info.sampleRate));
  if (rates.length > 1) reasons.push(t('plan.reasonRates', rates.map(khz).join(', ')));
  const channels = unique(tracks.map((t) => t.info.channels));
  if (channels.length > 1)
    reasons.push(t('plan.reasonChannels', channels.map(channelWord).join(', ')));
  return reasons;
}

/**
 * Containers whose demuxer gives a codec's packets but not the header a copy needs: ffmpeg 5.1
 * reads Opus from CAF without its OpusHead, so a stream copy into Ogg fails ("No extradata
 * present"). Such audio is decoded and encoded again.
 */
const NO_COPY_HEADER: readonly { codec: string; container: RegExp; label: string }[] = [
  { codec: 'opus', container: /^caf$/, label: 'CAF' },
];

function copiesNoHeader(info: { codec: string; container: string }): boolean {
  return NO_COPY_HEADER.some((n) => n.codec === info.codec && n.container.test(info.container));
}

function containerLabel(container: string): string {
  return NO_COPY_HEADER.find((n) => n.container.test(container))?.label ?? container;
}

/**
 * Tracks whose probe found them unfit for an unchanged join (`AudioInfo.fastPath`), in words:
 * "track 2 changes sample rate from 44.1 kHz to 48 kHz at 0:10".
 */
export function fastPathReasons(tracks: readonly PlanTrack[]): string[] {
  return tracks.flatMap((track, i) => {
    const check = track.info.fastPath;
    // A change of format midway is said once, by changeReasons.
    if (track.info.formatChange) return [];
    return check && !check.ok ? [t('plan.reasonTrack', i + 1, check.reason)] : [];
  });
}

/**
 * Tracks whose stream changes format midway (`AudioInfo.formatChange`), which are decoded on
 * their own first (./predecode.ts): "track 2 changes sample rate from 44.1 kHz to 48 kHz at
 * 0:10, so it is decoded first".
 */
export function changeReasons(tracks: readonly PlanTrack[]): string[] {
  return tracks.flatMap((t, i) => {
    const change = t.info.formatChange;
    return change ? [changeReason(i, change)] : [];
  });
}

/** One track's line of `changeReasons`. */
export function changeReason(index: number, change: FormatChange): string {
  return t('plan.changeReason', index + 1, change.reason);
}

/** The same as a sentence, where the plan's head line does not say it. */
export function changeNote(index: number, change: FormatChange): string {
  return t('plan.changeNote', index + 1, change.reason);
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
    reasons.push(tn('plan.reasonTrimmed', trimmed.length, trackList(trimmed)));
  for (const kind of ['crossfade', 'gap'] as const) {
    const at = transitions.flatMap((t, i) => (t.kind === kind ? [i + 1] : []));
    if (at.length > 0)
      reasons.push(
        t(kind === 'gap' ? 'plan.reasonGapAfter' : 'plan.reasonCrossfadeAfter', trackList(at)),
      );
  }
  if (output.fadeInSec > 0) reasons.push(t('plan.reasonFadeIn'));
  if (output.fadeOutSec > 0) reasons.push(t('plan.reasonFadeOut'));
  if (output.normalize) reasons.push(t('plan.reasonLoudness'));
  const first = tracks[0]!.info;
  if (output.sampleRate !== 'source' && target.rate !== first.sampleRate)
    reasons.push(t('plan.reasonRate', khz(target.rate)));
  if (output.channels !== 'source' && target.channels.count !== first.channels)
    reasons.push(t('plan.reasonChannelsOut', channelWord(output.channels)));
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
  if (wantsCover && !spec.cover) notes.push(t('plan.noCoverArt', spec.label));
  if (!spec.tags && Object.values(userTags).some((v) => v.trim() !== ''))
    notes.push(t('plan.noTagsIn', spec.label));
  return notes;
}

/**
 * Each track's own notes from its probe (a damaged tag ignored, an end that does not decode
 * cleanly), and a word on tracks too short to matter, as sentences: "Track 3 is only 9 samples
 * long (1.1 ms)."
 */
export function trackNotes(tracks: readonly PlanTrack[]): string[] {
  return tracks.flatMap((track, i) => {
    const out = (track.info.notes ?? []).map((n) => t('plan.trackNote', i + 1, n));
    const sec = track.info.durationSec;
    if (sec > 0 && sec < TINY_SEC) {
      const samples = track.info.samples ?? Math.round(sec * track.info.sampleRate);
      const ms = Number((sec * 1000).toFixed(sec < 0.01 ? 2 : 1));
      out.push(tn('plan.tooShort', samples, i + 1, ms));
    }
    return out;
  });
}

/** Shorter than this a track is too short to hear as more than a click: said in the plan. */
const TINY_SEC = 0.05;

/**
 * The head line of a lossless plan: what the tracks share, then how they are joined: as they
 * are ("copy"); as they are with the whole frames of encoder padding left out at each join
 * ("gapless", lib/lossless/junctions.ts: AAC and Opus stream copies, and MP3 tracks too short
 * for seams.ts; said because those frames are not the inputs' audio); every frame copied but the
 * few around each join, decoded and encoded again so the tracks meet exactly ("seams", with
 * `frames`, the fewest and most at each join: lib/lossless/mp3/seams.ts, ./mp4-seams.ts); or FLAC decoded and encoded again ("flac").
 */
export function losslessSummary(
  tracks: readonly PlanTrack[],
  how: 'copy' | 'gapless' | 'seams' | 'flac' = 'copy',
  frames?: readonly [number, number],
): string {
  const first = tracks[0]!.info;
  const shared = [
    codecLabel(first.codec),
    khz(first.sampleRate),
    channelWord(first.channels),
  ] as const;
  if (how === 'seams') {
    // The frames encoded again at each join, fewest and most (lib/lossless: seamFrames).
    const [least, most] = frames ?? [3, 6];
    return t('plan.losslessSeams', ...shared, least, most);
  }
  const key = {
    copy: 'plan.lossless',
    gapless: 'plan.losslessGapless',
    flac: 'plan.losslessFlac',
  } as const;
  return t(key[how], ...shared);
}

/** The crossfade after a track, shortened to what the tracks allow (./timeline.ts), in words. */
export function clampNote(junction: number, applied: number, reason: string): string {
  return t('plan.crossfadeShortened', junction + 1, formatSeconds(applied), reason);
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
