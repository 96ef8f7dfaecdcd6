/**
 * "Match loudness": one gain per track that brings its integrated loudness (EBU R128, measured
 * by the decode check) to the target, never more than its true peak allows. A lossless MP3
 * join moves each frame's global_gain by whole steps of 1.5 dB (lib/lossless/gain/), so the
 * gain is rounded to a step and a track lands within half a step (0.75 dB) of the target; a
 * re-encode applies the exact gain. Pure.
 */
import type { AudioInfo } from '@/lib/core/track';
import { LOUDNORM_TP } from './graph';
import type { LoudnessMatch } from './types';

/** dB of one MP3 global_gain step: 20·log10(2^(1/4)) (lib/lossless/gain/mp3-gain.ts). */
export const GAIN_STEP_DB = 1.5051499783199058;

/** The highest true peak a gain may lead to: the same ceiling as loudnorm's, dBTP. */
const MATCH_CEILING_DBTP = LOUDNORM_TP;

/** Loudness at or below this is silence (ebur128's floor): nothing to match. */
const SILENCE_LUFS = -70;

/** Why a track keeps (some of) its loudness. */
type UnmatchedReason = 'unmeasured' | 'silent' | 'peak';

export interface TrackGain {
  /** The gain applied, dB (a whole number of steps when `steps` is set). */
  gainDb: number;
  /** global_gain steps (lossless MP3 only). */
  steps?: number;
  /** The track's integrated loudness after the gain, LUFS (undefined when unmeasured). */
  afterLufs?: number;
  /** Within the tolerance of the target. */
  matched: boolean;
  why?: UnmatchedReason;
}

/** How far from the target a matched track may land: half a gain step, 0.75 dB. */
function matchTolerance(mode: 'steps' | 'exact'): number {
  return mode === 'steps' ? GAIN_STEP_DB / 2 : 0.1;
}

/**
 * Each track's gain towards `target` LUFS. `steps`: whole global_gain steps (lossless MP3);
 * `exact`: any gain (a re-encode). A gain the true peak would not allow is lowered to what it
 * allows (the track then says so: `why: 'peak'`).
 */
export function matchLoudness(
  infos: readonly Pick<AudioInfo, 'loudness'>[],
  target: number,
  mode: 'steps' | 'exact',
): TrackGain[] {
  return infos.map(({ loudness }) => {
    if (!loudness || !Number.isFinite(loudness.i)) {
      return {
        gainDb: 0,
        ...(mode === 'steps' ? { steps: 0 } : {}),
        matched: false,
        why: 'unmeasured',
      };
    }
    if (loudness.i <= SILENCE_LUFS) {
      return {
        gainDb: 0,
        ...(mode === 'steps' ? { steps: 0 } : {}),
        afterLufs: loudness.i,
        matched: false,
        why: 'silent',
      };
    }
    const wanted = target - loudness.i;
    // -inf peak: no sample above zero, no ceiling.
    const room = Number.isFinite(loudness.tp) ? MATCH_CEILING_DBTP - loudness.tp : Infinity;
    let gainDb: number;
    let steps: number | undefined;
    if (mode === 'steps') {
      steps = Math.min(Math.round(wanted / GAIN_STEP_DB), Math.floor(room / GAIN_STEP_DB));
      gainDb = steps * GAIN_STEP_DB;
    } else {
      gainDb = Math.min(wanted, room);
    }
    const afterLufs = loudness.i + gainDb;
    const matched = Math.abs(afterLufs - target) <= matchTolerance(mode) + 1e-9;
    return {
      gainDb,
      ...(steps !== undefined ? { steps } : {}),
      afterLufs,
      matched,
      ...(matched ? {} : { why: 'peak' as const }),
    };
  });
}

/**
 * Whether every AAC track's gain can move in place (lib/lossless/gain/aac-gain.ts): AAC-LC,
 * mono or stereo, its frames walked by the decode check (`AudioInfo.aacGain`; mono, whose gain
 * leads each frame, also before that). Undefined when it can; else the walk's reason, or ''
 * when there is none to tell (HE-AAC, more channels, a stereo file not yet checked).
 */
export function aacGainRefused(
  infos: readonly Pick<AudioInfo, 'profile' | 'channels' | 'aacGain'>[],
): string | undefined {
  for (const i of infos) {
    if (i.profile !== 'LC' || i.channels > 2) return '';
    if (i.aacGain?.ok === false) return i.aacGain.reason;
    if (!i.aacGain && i.channels === 2) return '';
  }
  return undefined;
}

/**
 * One gain for every track (an Ogg Opus file's output gain, to 1/256 dB): the middle of the
 * gains the tracks want, no more than the lowest true peak allows, when it brings each within
 * 0.75 dB of the target; else undefined (the tracks are too far apart, or one is unmeasured
 * or silent).
 */
export function commonGain(
  infos: readonly Pick<AudioInfo, 'loudness'>[],
  target: number,
): { gainDb: number; gains: TrackGain[] } | undefined {
  const exact = matchLoudness(infos, target, 'exact');
  if (exact.some((g) => g.why === 'unmeasured' || g.why === 'silent')) return undefined;
  const wanted = infos.map((i) => target - i.loudness!.i);
  const room = Math.min(
    ...infos.map((i) =>
      Number.isFinite(i.loudness!.tp) ? MATCH_CEILING_DBTP - i.loudness!.tp : Infinity,
    ),
  );
  const middle = (Math.min(...wanted) + Math.max(...wanted)) / 2;
  const gainDb = Math.round(Math.min(middle, room) * 256) / 256;
  const gains = infos.map((i): TrackGain => {
    const afterLufs = i.loudness!.i + gainDb;
    return { gainDb, afterLufs, matched: Math.abs(afterLufs - target) <= GAIN_STEP_DB / 2 + 1e-9 };
  });
  return gains.every((g) => g.matched) ? { gainDb, gains } : undefined;
}

/** A track's gain in a re-encode that matches loudness, or none. */
export function exactGain(loudness: LoudnessMatch | undefined, track: number): number | undefined {
  return loudness?.mode === 'exact' ? loudness.gains[track]?.gainDb : undefined;
}
