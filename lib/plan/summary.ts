import { startsBeforeChecks } from './decide';
import {
  planJoin,
  targetChannels,
  targetSampleRate,
  type JoinPlan,
  type PlanOptions,
} from './planner';
import { errorText } from '@/lib/core/errors';
import { formatSpec, opusBitrate, VBR_KBPS } from '@/lib/core/formats';
import {
  defaultOutput,
  defaultTags,
  type OutputSettings,
  type OutputTags,
} from '@/lib/core/settings';
import {
  channelWord,
  countTracks,
  formatApproxBytes,
  formatTime,
  formatSeconds,
  khz,
  listOf,
} from '@/lib/core/text';
import type { Track, Transition } from '@/lib/core/track';
import { formatNumber, t, tn } from '@/lib/core/i18n';

/**
 * What Join will do, said before it is pressed, in short lines: lossless or why it re-encodes,
 * then each note and warning; the result's length and estimated size; and, when Join cannot run
 * yet, why. Pure.
 */
export interface JoinSummary {
  /** Short lines: how the tracks are joined first, then notes and warnings. */
  lines: string[];
  /** "6:12 in all · about 8.9 MB"; undefined while a length is unknown. */
  totals?: string;
  /** Why Join cannot run now, said beside the disabled button; undefined when it can. */
  blocked?: string;
  /** How many tracks cannot be read. */
  failed: number;
}

/**
 * `cores` is navigator.hardwareConcurrency, so the plan is the one the engines will run. How
 * they share the work (parts on parallel engines) is the engine's business, never said here.
 */
export function planSummary(
  tracks: readonly Track[],
  output: OutputSettings,
  opts: PlanOptions = {},
  cores = 1,
): JoinSummary {
  if (tracks.length === 0) return { lines: [], failed: 0, blocked: t('plan.addAudio') };
  const bad = tracks.filter((t) => t.status === 'error');
  const good = tracks.filter((t) => t.status !== 'error');
  const pending = good.filter((t) => t.status !== 'ready' || !t.info);
  const blocked =
    bad.length === 0
      ? undefined
      : good.length === 0
        ? tn('plan.unreadableAll', bad.length, badNames(bad))
        : tn('plan.unreadable', bad.length, badNames(bad), countTracks(good.length));
  if (pending.length > 0) {
    return {
      lines: [t('plan.checking', pending.length, countTracks(good.length))],
      failed: bad.length,
      ...(blocked ? { blocked } : {}),
    };
  }
  if (good.length === 0) return { lines: [], failed: bad.length, ...(blocked ? { blocked } : {}) };
  let plan: JoinPlan;
  const planTracks = good.map((t) => ({ id: t.id, name: t.name, info: t.info!, edit: t.edit }));
  try {
    plan = planJoin(planTracks, output, { ...opts, cores });
  } catch (err) {
    // A trim that leaves nothing: say which track, as Join would, and keep Join off.
    const e = err as { trackName?: string };
    const reason = `${e.trackName ? `${e.trackName} ` : ''}${errorText(err)}`;
    return { lines: [], failed: bad.length, blocked: blocked ?? reason };
  }
  const size = formatApproxBytes(estimateBytes(plan, good, output));
  const length = formatTime(plan.totalSec);
  return {
    lines: [
      ...plan.lines,
      ...checkingLine(tracks, startsBeforeChecks(planTracks, output, { ...opts, cores })),
    ],
    totals:
      bad.length > 0
        ? t('plan.totalsReadable', length, countTracks(good.length), size)
        : t('plan.totals', length, size),
    failed: bad.length,
    ...(blocked ? { blocked } : {}),
  };
}

/**
 * Tracks are listed first and decoded to their end in the background: a re-encode waits for
 * that; a join that copies the audio as it is does not (lib/engine/host.ts).
 */
function checkingLine(tracks: readonly Track[], copies: boolean): string[] {
  const checking = tracks.flatMap((t, i) => (t.info?.decoded === false ? [i + 1] : []));
  if (checking.length === 0) return [];
  // Past three numbers, the count says it better than a list.
  if (checking.length > 3) {
    return [tn(copies ? 'plan.manyCheckingBeside' : 'plan.manyChecking', checking.length)];
  }
  const which = listOf(checking.map((n) => formatNumber(n)));
  return [tn(copies ? 'plan.stillCheckingBeside' : 'plan.stillChecking', checking.length, which)];
}

/** "a.mp3", "a.mp3 and b.mp3", "a.mp3, b.mp3 and c.mp3"; past three, "5 tracks". */
function badNames(bad: readonly Track[]): string {
  if (bad.length > 3) return countTracks(bad.length);
  return listOf(bad.map((t) => t.name));
}

/**
 * The joined file's size, roughly: the inputs' bytes for a lossless join, the bitrate times the
 * length for a lossy one, 16-bit PCM for WAV and about 55% of that for FLAC (what it typically
 * saves on music; speech saves more).
 */
export function estimateBytes(
  plan: Pick<JoinPlan, 'lossless' | 'totalSec' | 'kind'>,
  tracks: readonly Pick<Track, 'size' | 'info' | 'edit'>[],
  output: OutputSettings,
): number {
  const spec = formatSpec(output.format);
  const planTracks = tracks.flatMap((t, i) =>
    t.info ? [{ id: String(i), name: '', info: t.info, edit: t.edit }] : [],
  );
  if (plan.lossless && output.format !== 'flac') {
    return tracks.reduce((sum, t) => sum + t.size, 0);
  }
  const rate = targetSampleRate(planTracks, spec, output.sampleRate);
  const channels = targetChannels(
    planTracks.map((t) => t.info),
    output.format,
    output.channels,
  ).count;
  const pcm = rate * channels * 2 * plan.totalSec;
  switch (output.format) {
    case 'wav':
      return pcm + 44;
    case 'flac':
      return pcm * 0.55;
    case 'mp3': {
      const kbps =
        output.mp3Mode === 'vbr'
          ? (VBR_KBPS[Math.min(9, Math.max(0, output.vbrQuality))] ?? output.bitrate)
          : output.bitrate;
      return (kbps * 1000 * plan.totalSec) / 8;
    }
    case 'opus':
      return (opusBitrate(output.bitrate, channels) * 1000 * plan.totalSec) / 8;
    default:
      return (output.bitrate * 1000 * plan.totalSec) / 8;
  }
}

/**
 * The output settings, tags and default transition the next join uses, as short phrases for
 * the line beside Join ("MP3 192 kb/s", "loudness to -16 LUFS", "Title “Live at the Forum”"),
 * and whether they are all at their defaults (then "Reset to defaults" has nothing to do).
 */
export function nextJoinSettings(
  output: OutputSettings,
  tags: OutputTags,
  defaultTransition: Transition,
  loudnessTarget: number,
): { parts: string[]; atDefaults: boolean } {
  const spec = formatSpec(output.format);
  const parts = [qualityLabel(output)];
  if (output.sampleRate !== 'source') parts.push(khz(output.sampleRate));
  if (output.channels !== 'source') parts.push(channelWord(output.channels === 1 ? 1 : 2));
  if (output.normalize) parts.push(t('plan.loudness', String(loudnessTarget)));
  if (output.matchLoudness) parts.push(t('plan.matchLoudness', String(loudnessTarget)));
  if (output.fadeInSec > 0) parts.push(t('plan.fadeIn', formatSeconds(output.fadeInSec)));
  if (output.fadeOutSec > 0) parts.push(t('plan.fadeOut', formatSeconds(output.fadeOutSec)));
  if (spec.chapters && output.chapters !== 'auto') parts.push(t(CHAPTER_WORDS[output.chapters]));
  if (spec.cover) {
    if (output.cover === 'none') parts.push(t('plan.noCover'));
    else if (output.cover === 'image') parts.push(t('plan.ownCover'));
    else if (typeof output.cover === 'object') parts.push(t('plan.otherCover'));
  }
  if (defaultTransition.kind !== 'none') {
    const secs = formatSeconds(defaultTransition.seconds);
    parts.push(t(defaultTransition.kind === 'gap' ? 'plan.gaps' : 'plan.crossfades', secs));
  }
  const typed = (Object.keys(defaultTags) as (keyof OutputTags)[]).filter(
    (k) => tags[k].trim() !== '',
  );
  for (const k of typed.slice(0, 2)) parts.push(t('plan.tag', t(TAG_NAMES[k]), tags[k].trim()));
  if (typed.length > 2) parts.push(tn('plan.moreTags', typed.length - 2));
  const atDefaults =
    typed.length === 0 &&
    defaultTransition.kind === 'none' &&
    (Object.keys(defaultOutput) as (keyof OutputSettings)[]).every(
      (k) => JSON.stringify(output[k]) === JSON.stringify(defaultOutput[k]),
    );
  return { parts, atDefaults };
}

/** "MP3 192 kb/s", "MP3 VBR quality 2", "M4B 128 kb/s", "FLAC". */
export function qualityLabel(
  output: Pick<OutputSettings, 'format' | 'bitrate' | 'mp3Mode' | 'vbrQuality'>,
): string {
  const spec = formatSpec(output.format);
  if (!spec.lossy) return spec.label;
  if (output.format === 'mp3' && output.mp3Mode === 'vbr') {
    return t('plan.mp3Vbr', String(output.vbrQuality));
  }
  return `${spec.label} ${t('units.kbps', output.bitrate)}`;
}

/** The chapter modes other than the default, as the line beside Join says them. */
const CHAPTER_WORDS = {
  none: 'plan.noChapters',
  'per-track': 'plan.chapterPerTrack',
  keep: 'plan.ownChapters',
} as const;

const TAG_NAMES = {
  title: 'output.title',
  artist: 'output.artist',
  album: 'output.album',
  year: 'output.year',
  albumArtist: 'output.albumArtist',
  genre: 'output.genre',
  track: 'plan.trackTag',
  comment: 'output.comment',
} as const satisfies Record<keyof OutputTags, string>;
