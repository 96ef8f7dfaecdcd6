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
  countTracks,
  formatApproxBytes,
  formatDuration,
  formatSeconds,
  khz,
} from '@/lib/core/text';
import type { Track, Transition } from '@/lib/core/track';

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

export function planSummary(
  tracks: readonly Track[],
  output: OutputSettings,
  opts: PlanOptions = {},
): JoinSummary {
  if (tracks.length === 0) return { lines: [], failed: 0, blocked: 'Add audio to join.' };
  const bad = tracks.filter((t) => t.status === 'error');
  const good = tracks.filter((t) => t.status !== 'error');
  const pending = good.filter((t) => t.status !== 'ready' || !t.info);
  const them = bad.length === 1 ? 'it' : 'them';
  const blocked =
    bad.length === 0
      ? undefined
      : good.length === 0
        ? `${badNames(bad)} cannot be read. Remove ${them} and add audio that plays.`
        : `${badNames(bad)} cannot be read. Remove ${them} to join the other ${countTracks(good.length)}.`;
  if (pending.length > 0) {
    return {
      lines: [`Checking ${pending.length} of ${countTracks(good.length)}…`],
      failed: bad.length,
      ...(blocked ? { blocked } : {}),
    };
  }
  if (good.length === 0) return { lines: [], failed: bad.length, ...(blocked ? { blocked } : {}) };
  let plan: JoinPlan;
  try {
    plan = planJoin(
      good.map((t) => ({ id: t.id, name: t.name, info: t.info!, edit: t.edit })),
      output,
      opts,
    );
  } catch (err) {
    // A trim that leaves nothing: say which track, as Join would, and keep Join off.
    const e = err as { trackName?: string };
    const reason = `${e.trackName ? `${e.trackName} ` : ''}${errorText(err)}`;
    return { lines: [], failed: bad.length, blocked: blocked ?? reason };
  }
  const size = formatApproxBytes(estimateBytes(plan, good, output));
  const length = formatDuration(plan.totalSec);
  return {
    lines: [...plan.lines, ...checkingLine(tracks)],
    totals:
      bad.length > 0
        ? `${length} for the ${countTracks(good.length)} that can be read · ${size}`
        : `${length} in all · ${size}`,
    failed: bad.length,
    ...(blocked ? { blocked } : {}),
  };
}

/** Long tracks are listed first and decoded to their end in the background: Join waits. */
function checkingLine(tracks: readonly Track[]): string[] {
  const checking = tracks.flatMap((t, i) => (t.info?.decoded === false ? [i + 1] : []));
  if (checking.length === 0) return [];
  const which =
    checking.length === 1
      ? `Track ${checking[0]} is`
      : `Tracks ${checking.slice(0, -1).join(', ')} and ${checking[checking.length - 1]} are`;
  return [`${which} still being checked to the end; Join waits for that.`];
}

/** "a.mp3", "a.mp3 and b.mp3", "a.mp3, b.mp3 and c.mp3"; past three, "5 tracks". */
function badNames(bad: readonly Track[]): string {
  if (bad.length > 3) return countTracks(bad.length);
  const names = bad.map((t) => t.name);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
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
  if (output.channels !== 'source') parts.push(output.channels === 1 ? 'mono' : 'stereo');
  if (output.normalize) parts.push(`loudness to ${loudnessTarget} LUFS`);
  if (output.fadeInSec > 0) parts.push(`fade in ${formatSeconds(output.fadeInSec)}`);
  if (output.fadeOutSec > 0) parts.push(`fade out ${formatSeconds(output.fadeOutSec)}`);
  if (spec.chapters && output.chapters !== 'auto') parts.push(CHAPTER_WORDS[output.chapters]);
  if (spec.cover) {
    if (output.cover === 'none') parts.push('no cover');
    else if (output.cover === 'image') parts.push('own cover image');
    else if (typeof output.cover === 'object') parts.push('cover of another track');
  }
  if (defaultTransition.kind !== 'none') {
    parts.push(
      `${defaultTransition.kind === 'gap' ? 'gaps' : 'crossfades'} of ${formatSeconds(defaultTransition.seconds)}`,
    );
  }
  const typed = (Object.keys(defaultTags) as (keyof OutputTags)[]).filter(
    (k) => tags[k].trim() !== '',
  );
  for (const k of typed.slice(0, 2)) parts.push(`${TAG_NAMES[k]} “${tags[k].trim()}”`);
  if (typed.length > 2)
    parts.push(`${typed.length - 2} more ${typed.length === 3 ? 'tag' : 'tags'}`);
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
    return `MP3 VBR quality ${output.vbrQuality}`;
  }
  return `${spec.label} ${output.bitrate} kb/s`;
}

/** The chapter modes other than the default, as the line beside Join says them. */
const CHAPTER_WORDS = {
  none: 'no chapters',
  'per-track': 'a chapter per track',
  keep: 'the tracks’ own chapters',
} as const;

const TAG_NAMES: Record<keyof OutputTags, string> = {
  title: 'Title',
  artist: 'Artist',
  album: 'Album',
  year: 'Year',
  albumArtist: 'Album artist',
  genre: 'Genre',
  track: 'Track',
  comment: 'Comment',
};
