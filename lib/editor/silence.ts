/**
 * Silence at a track's start and end, found on its decoded level: where the audio first and
 * last rises above a threshold (dBFS) for longer than a blip. The result is an ordinary trim the
 * person can adjust. Pure: it reads a level envelope (./peaks.ts `edgeLevels`).
 */

/** Peak level per step at a track's two ends, linear (0..1). */
export interface EdgeLevels {
  /** Seconds per value. */
  stepSec: number;
  /** The first seconds of the track, one value per step. */
  head: Float32Array;
  /** The last seconds of the track, one value per step, ending at the track's end. */
  tail: Float32Array;
  /** The track's length, seconds. */
  durationSec: number;
}

export interface SilenceOptions {
  /** Level below which audio counts as silence, dBFS. */
  thresholdDb: number;
  /** Silence shorter than this is left alone, seconds. */
  minSec: number;
}

const DEFAULT_SILENCE: SilenceOptions = { thresholdDb: -50, minSec: 0.5 };

/**
 * Sound shorter than this above the threshold (a click, a breath of noise) does not end the
 * silence; a word does.
 */
const MIN_SOUND_SEC = 0.05;
/** Audio kept before the first sound and after the last, so a soft attack or decay survives. */
export const SILENCE_PAD_SEC = 0.1;

export function dbToLinear(db: number): number {
  return 10 ** (db / 20);
}

/**
 * The trim that removes silence at both ends: `startSec` is where to start (0 when the track
 * starts with sound), `endSec` where to end (undefined when it ends with sound). Silence shorter
 * than `minSec` is kept. A track that is silent throughout is left as it is.
 */
export function edgeSilenceTrim(
  levels: EdgeLevels,
  opts: SilenceOptions = DEFAULT_SILENCE,
): { startSec: number; endSec?: number } {
  const floor = dbToLinear(opts.thresholdDb);
  const need = Math.max(1, Math.round(MIN_SOUND_SEC / levels.stepSec));
  const first = firstSound(levels.head, floor, need);
  const last = firstSound(Float32Array.from(levels.tail).reverse(), floor, need);
  if (first === undefined || last === undefined) return { startSec: 0 };
  const lead = first * levels.stepSec;
  const trail = last * levels.stepSec;
  const round = (s: number) => Math.round(s * 100) / 100;
  const startSec = lead >= opts.minSec ? round(Math.max(0, lead - SILENCE_PAD_SEC)) : 0;
  const endSec =
    trail >= opts.minSec
      ? round(Math.min(levels.durationSec, levels.durationSec - trail + SILENCE_PAD_SEC))
      : undefined;
  if (endSec !== undefined && endSec - startSec <= SILENCE_PAD_SEC) return { startSec: 0 };
  return endSec === undefined ? { startSec } : { startSec, endSec };
}

/** Index of the first run of `need` values above `floor`, or undefined when there is none. */
function firstSound(values: Float32Array, floor: number, need: number): number | undefined {
  let run = 0;
  for (let i = 0; i < values.length; i++) {
    run = values[i]! > floor ? run + 1 : 0;
    if (run >= need) return i - need + 1;
  }
  return undefined;
}
