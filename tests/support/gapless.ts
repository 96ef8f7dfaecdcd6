/**
 * Is a join gapless? Decodes the inputs and the output with native ffmpeg (mono, at the output's
 * rate) and says, at each join, where the next input's audio really sits in the output against
 * where it belongs (the sum of the inputs' decoded lengths before it), and the longest run of
 * digital silence near the join in the output against the inputs' own. One measure for every
 * format (MP3, WAV, AAC, FLAC, Vorbis, Opus): used by unit tests (native runs of real plans) and
 * e2e tests (outputs of the real extension).
 */
import { decodePcm } from './native-ffmpeg';

/** A sample counts as digital silence at or below this (16-bit), about -72 dBFS. */
const SILENT = 8;
/** The join is looked for this many samples either side of where it belongs. */
const SEARCH = 4096;
/** Samples of the next input matched against the output to find where it sits. */
const PROBE = 2048;
/** The probe starts this far into the next input, past anything a junction could change. */
const PROBE_AT = 3072;

export interface JoinFigures {
  /** Samples of output before this join if it were exact: the inputs' decoded lengths so far. */
  expectedAt: number;
  /** Where the next input's audio was found: `expectedAt + shift`. */
  foundAt: number;
  /** Samples added (+) or lost (-) at and before this join, against the inputs. */
  shift: number;
  /** How well the next input's audio matched there (normalized correlation, 1 = identical). */
  match: number;
  /** Longest run of digital silence within SEARCH samples of the join, in the output. */
  silenceRun: number;
  /** The same in the inputs: the end of the input before and the start of the one after. */
  inputsSilenceRun: number;
}

export interface GaplessFigures {
  rate: number;
  /** Decoded samples (per channel) of each input, at the output's rate. */
  inputs: number[];
  /** Their sum. */
  expected: number;
  /** Decoded samples of the output. */
  output: number;
  joins: JoinFigures[];
}

/**
 * Measures a join of `inputs` (in order) into `output`. The inputs must hold audio that does not
 * repeat (music, noise): a pure tone matches itself a period away.
 */
export async function measureGapless(
  inputs: readonly string[],
  output: string,
  opts: {
    /**
     * Samples each input plays, where native ffmpeg 5.1 decodes more: it skips AAC's priming
     * but not the end padding its edit list leaves out. The decodes are cut to these lengths.
     */
    lengths?: readonly number[];
    /** The same for the output. */
    outputLength?: number;
  } = {},
): Promise<GaplessFigures> {
  const decoded = await decodePcm(output, { channels: 1 });
  const out =
    opts.outputLength === undefined
      ? decoded
      : { ...decoded, samples: decoded.samples.subarray(0, opts.outputLength) };
  const ins = await Promise.all(
    inputs.map(async (p, i) => {
      const pcm = await decodePcm(p, { channels: 1, rate: out.rate });
      const n = opts.lengths?.[i];
      return n === undefined ? pcm : { ...pcm, samples: pcm.samples.subarray(0, n) };
    }),
  );
  const lengths = ins.map((p) => p.samples.length);
  const joins: JoinFigures[] = [];
  let at = 0;
  for (let k = 1; k < ins.length; k++) {
    at += lengths[k - 1]!;
    const next = ins[k]!.samples;
    const probeAt = Math.min(PROBE_AT, Math.max(0, next.length - PROBE));
    const probe = next.subarray(probeAt, probeAt + PROBE);
    const { offset, match } = bestMatch(out.samples, probe, at + probeAt, SEARCH);
    const prev = ins[k - 1]!.samples;
    const around = new Int16Array(2 * SEARCH);
    const tail = prev.subarray(Math.max(0, prev.length - SEARCH));
    around.set(tail, 0);
    around.set(next.subarray(0, SEARCH), tail.length);
    joins.push({
      expectedAt: at,
      foundAt: at + offset,
      shift: offset,
      match,
      silenceRun: longestSilence(
        out.samples.subarray(Math.max(0, at - SEARCH), at + offset + SEARCH),
      ),
      inputsSilenceRun: longestSilence(
        around.subarray(0, tail.length + Math.min(SEARCH, next.length)),
      ),
    });
  }
  return {
    rate: out.rate,
    inputs: lengths,
    expected: lengths.reduce((s, n) => s + n, 0),
    output: out.samples.length,
    joins,
  };
}

/** The shift of `probe` against `hay` near `at` (within ±`search`) with the best correlation. */
function bestMatch(
  hay: Int16Array,
  probe: Int16Array,
  at: number,
  search: number,
): { offset: number; match: number } {
  let probeEnergy = 0;
  for (const v of probe) probeEnergy += v * v;
  let best = { offset: 0, match: -Infinity };
  for (let d = -search; d <= search; d++) {
    const start = at + d;
    if (start < 0 || start + probe.length > hay.length) continue;
    let dot = 0;
    let energy = 0;
    for (let i = 0; i < probe.length; i++) {
      const h = hay[start + i]!;
      dot += h * probe[i]!;
      energy += h * h;
    }
    const match = dot / Math.sqrt(energy * probeEnergy || 1);
    if (match > best.match) best = { offset: d, match };
  }
  return best;
}

/** The longest run of samples at or below SILENT. */
export function longestSilence(x: Int16Array): number {
  let best = 0;
  let run = 0;
  for (const v of x) {
    run = Math.abs(v) <= SILENT ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** One line per join for a test's log: "join 1: 57330 -> 58752 (+1422), silence 0 (inputs 0)". */
export function describeFigures(label: string, f: GaplessFigures): string {
  const joins = f.joins.map(
    (j, i) =>
      `join ${i + 1}: ${j.expectedAt} -> ${j.foundAt} (${j.shift >= 0 ? '+' : ''}${j.shift}), ` +
      `match ${j.match.toFixed(3)}, silence ${j.silenceRun} (inputs ${j.inputsSilenceRun})`,
  );
  return [
    `${label} @ ${f.rate} Hz: inputs ${f.inputs.join(' + ')} = ${f.expected}, output ${f.output} ` +
      `(${f.output - f.expected >= 0 ? '+' : ''}${f.output - f.expected})`,
    ...joins.map((l) => `  ${l}`),
  ].join('\n');
}

/**
 * An exact MP3 join (lib/lossless/mp3/seams.ts) at each join: at most this many of the output's
 * frames are not the inputs' (3 to 6 encoded again, and the copied frame or two before them
 * that took reservoir bytes into their unused tails)...
 */
export const MP3_SEAM_NEW_FRAMES = 8;
/**
 * ...and at most this many of the inputs' frames are not in the output: those the new frames
 * stand for (up to 6, and 2 spare where reservoir bytes fit nowhere), the first input's
 * padding frames (1 or 2), the next one's delay frames, and those 2 rewritten tails.
 */
export const MP3_SEAM_LEFT_OUT = 12;

/**
 * How many of `got` (an output's packet hashes) are the inputs' packets in their order: the
 * longest common subsequence of `got` and the inputs' hashes one after another. A gapless MP3
 * join keeps every packet but a few at each join (delay and padding frames left out, the last
 * kept frame before a join rewritten), so this is the total less a few per join.
 */
export function packetsKeptInOrder(
  inputs: readonly (readonly string[])[],
  got: readonly string[],
): number {
  const want = inputs.flat();
  let prev = new Array<number>(got.length + 1).fill(0);
  for (const w of want) {
    const row = new Array<number>(got.length + 1).fill(0);
    for (let j = 1; j <= got.length; j++) {
      row[j] = w === got[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    prev = row;
  }
  return prev[got.length]!;
}
