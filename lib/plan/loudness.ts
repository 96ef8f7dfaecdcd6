/**
 * Loudness normalization for a join in segments. Pure.
 *
 * A single pass runs loudnorm, which adapts its gain as it goes (it needs the whole timeline in
 * one filter). Segments cannot share that state, so a first pass measures the whole timeline
 * once (EBU R128 integrated loudness and true peak, loudnorm's own analysis, no encoding), and
 * each segment applies one linear gain: the target less the measured loudness, lowered where the
 * true peak would pass loudnorm's -1.5 dBTP. This is loudnorm's two-pass "linear" mode without
 * its fall-back to dynamic mode (which would treat each segment on its own).
 */
import { LOUDNORM_LRA, LOUDNORM_TP } from './graph';

export interface Loudness {
  /** Integrated loudness, LUFS. */
  i: number;
  /** True peak, dBTP. */
  tp: number;
  /** Loudness range, LU. */
  lra: number;
}

/** The loudnorm filter that measures, printing its analysis as JSON into the log at the end. */
export function measureFilter(target: number): string {
  return `loudnorm=I=${target}:TP=${LOUDNORM_TP}:LRA=${LOUDNORM_LRA}:print_format=json`;
}

/** The measured values from loudnorm's JSON in an ffmpeg log, or undefined. */
export function parseLoudness(log: string): Loudness | undefined {
  const start = log.lastIndexOf('"input_i"');
  if (start < 0) return undefined;
  const open = log.lastIndexOf('{', start);
  const close = log.indexOf('}', start);
  if (open < 0 || close < 0) return undefined;
  try {
    const json = JSON.parse(log.slice(open, close + 1)) as Record<string, string>;
    const value = (k: string) => Number(json[k]);
    const measured = { i: value('input_i'), tp: value('input_tp'), lra: value('input_lra') };
    return Number.isFinite(measured.i) && Number.isFinite(measured.tp) ? measured : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The gain, dB, that brings `measured` to `target` LUFS without its true peak passing
 * loudnorm's ceiling. Silence (-inf LUFS, which loudnorm prints as -70 or below) is left as is.
 */
export function loudnessGain(measured: Loudness, target: number): number {
  if (!(measured.i > -70)) return 0;
  const gain = target - measured.i;
  return Math.min(gain, LOUDNORM_TP - measured.tp);
}

/** The target a plan normalizes to (its graph's loudnorm I=), or undefined when it does not. */
export function planLoudnessTarget(args: readonly string[]): number | undefined {
  const graph = args[args.indexOf('-filter_complex') + 1] ?? '';
  const m = /loudnorm=I=(-?\d+(?:\.\d+)?)/.exec(graph);
  return m ? Number(m[1]) : undefined;
}
