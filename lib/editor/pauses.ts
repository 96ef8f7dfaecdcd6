/**
 * "Find chapters": split points proposed from a long track's pauses, for the person to look at,
 * move, name and accept. A pause is a stretch quieter than a level (dBFS) for at least a length;
 * its split point is just before the sound after it, so a chapter starts with its first word.
 * Pauses at the track's very start and end are not splits. Pure: it reads a level envelope.
 */
import { dbToLinear } from './silence';

/** The loudest sample (over all channels) in each step of a track, linear 0..1. */
export interface LevelEnvelope {
  /** Seconds per value. */
  stepSec: number;
  levels: Float32Array;
  durationSec: number;
}

/**
 * A long file's envelope from the envelopes of its pieces (each `pieceBytes` of the file,
 * decoded alone), each placed where its bytes lie in the track rather than end to end: a piece
 * decoded alone rounds its length and loses a frame at each cut, which end to end would add up
 * along the file and move every later pause.
 */
export function envelopeOfPieces(
  pieces: readonly LevelEnvelope[],
  pieceBytes: number,
  totalBytes: number,
  durationSec: number,
): LevelEnvelope {
  const step = pieces[0]?.stepSec ?? 0.01;
  const n = Math.max(1, Math.round(durationSec / step));
  const levels = new Float32Array(n);
  pieces.forEach((piece, p) => {
    const from = Math.floor(((p * pieceBytes) / totalBytes) * n);
    const to = Math.min(
      n,
      Math.floor((Math.min(totalBytes, (p + 1) * pieceBytes) / totalBytes) * n),
    );
    const span = to - from;
    const have = piece.levels.length;
    for (let j = 0; j < span && have > 0; j++) {
      levels[from + j] = piece.levels[Math.min(have - 1, Math.floor((j * have) / span))]!;
    }
  });
  return { stepSec: durationSec / n, levels, durationSec };
}

export interface PauseOptions {
  /** Pauses shorter than this are not split at, seconds. */
  minPauseSec: number;
  /** Quieter than this is a pause, dBFS. */
  thresholdDb: number;
}

/** Speech pauses between chapters are longer than between sentences (about 0.5 s). */
export const DEFAULT_PAUSES: PauseOptions = { minPauseSec: 1.5, thresholdDb: -40 };

/** The envelope's step: 10 ms, finer than any pause worth a chapter. */
const ENVELOPE_STEP_SEC = 0.01;

/** A split lands this far before the sound after the pause. */
const SPLIT_LEAD_SEC = 0.1;

/** At most this many proposals (a track of clicks must not make a list of thousands). */
export const MAX_SPLITS = 500;

/** Peak per step of decoded channels: one pass, linear in the samples. */
export function levelEnvelope(
  channels: readonly Float32Array[],
  sampleRate: number,
  stepSec = ENVELOPE_STEP_SEC,
): LevelEnvelope {
  const length = channels.reduce((n, c) => Math.max(n, c.length), 0);
  const per = Math.max(1, Math.round(sampleRate * stepSec));
  const levels = new Float32Array(Math.ceil(length / per));
  for (const data of channels) {
    for (let i = 0; i < data.length; i++) {
      const v = Math.abs(data[i]!);
      const b = (i / per) | 0;
      if (v > levels[b]!) levels[b] = v;
    }
  }
  return {
    stepSec: per / sampleRate,
    levels,
    durationSec: sampleRate > 0 ? length / sampleRate : 0,
  };
}

/** Stretches quieter than the threshold for at least the minimum, inside the track, in order. */
export function findPauses(
  env: LevelEnvelope,
  opts: PauseOptions = DEFAULT_PAUSES,
): { startSec: number; endSec: number }[] {
  const floor = dbToLinear(opts.thresholdDb);
  const need = Math.max(1, Math.ceil(opts.minPauseSec / env.stepSec - 1e-9));
  const out: { startSec: number; endSec: number }[] = [];
  const n = env.levels.length;
  let heard = false;
  let quietFrom = -1;
  for (let i = 0; i <= n; i++) {
    const quiet = i < n && env.levels[i]! < floor;
    if (quiet) {
      if (quietFrom < 0) quietFrom = i;
      continue;
    }
    // A pause counts only between two sounds: not before the first, not after the last.
    if (quietFrom >= 0 && heard && i < n && i - quietFrom >= need) {
      out.push({ startSec: quietFrom * env.stepSec, endSec: i * env.stepSec });
      if (out.length >= MAX_SPLITS) break;
    }
    quietFrom = -1;
    if (i < n) heard = true;
  }
  return out;
}

/** The proposed split points, seconds to 0.01: just before the sound after each pause. */
export function proposeSplits(env: LevelEnvelope, opts: PauseOptions = DEFAULT_PAUSES): number[] {
  return findPauses(env, opts).map((p) =>
    round(Math.max(p.startSec, p.endSec - Math.min(SPLIT_LEAD_SEC, (p.endSec - p.startSec) / 2))),
  );
}

function round(sec: number): number {
  return Math.round(sec * 100) / 100;
}

/** A chapter the person accepted: where it starts in the track, and its title. */
export interface MarkedChapter {
  startSec: number;
  title: string;
}

/**
 * Chapters from the person's markers: the first starts at 0, one more at each marker (sorted,
 * inside the track, none closer than `minGapSec` to the one before), each ending where the
 * next starts. Titles left empty get `untitled(n)` (1-based).
 */
export function chaptersFromMarkers(
  markers: readonly { sec: number; title: string }[],
  first: string,
  durationSec: number,
  untitled: (n: number) => string,
  minGapSec = 0.5,
): MarkedChapter[] {
  const sorted = markers
    .filter((m) => Number.isFinite(m.sec) && m.sec > 0 && m.sec < durationSec)
    .sort((a, b) => a.sec - b.sec);
  const out: MarkedChapter[] = [{ startSec: 0, title: first.trim() || untitled(1) }];
  for (const m of sorted) {
    if (m.sec - out[out.length - 1]!.startSec < minGapSec) continue;
    out.push({ startSec: round(m.sec), title: m.title.trim() || untitled(out.length + 1) });
  }
  return out;
}
