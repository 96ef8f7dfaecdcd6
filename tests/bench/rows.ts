/**
 * The benchmark's rows. A row is one job done twice on the same inputs: by native ffmpeg and by
 * Seam in the extension. To add one, add an entry here: its name (the table's first column), its
 * inputs (an InputSet from inputs.ts, or a new one), whether `--quick` runs it, and the two ways
 * of doing the job.
 */
import { LONG, SHORT, type InputSet } from './inputs';
import { concatCopy, concatEncode, type NativeRun } from './native';
import type { SeamBench, SeamJob, SeamRun } from './seam';

/** Everything a row's two sides get for one run. */
export interface RunContext {
  /** The input files, in join order. */
  files: string[];
  /** A scratch folder for native outputs (emptied after the run). */
  tmp: string;
  /** What the joined file should last, seconds (the inputs' durations per ffprobe, summed). */
  expectedSec: number;
  /** Labels Seam's memory samples with the phase it is in. */
  mark: (phase: 'add' | 'join' | undefined) => void;
}

export interface Row {
  name: string;
  inputs: InputSet;
  /** Run by `npm run bench -- --quick`. */
  quick: boolean;
  native(ctx: RunContext): Promise<NativeRun>;
  seam(bench: SeamBench, ctx: RunContext): Promise<SeamRun>;
}

const MP3_192: SeamJob = {
  format: 'MP3',
  bitrate: 192,
  reencode: true,
  expect: { codec: 'mp3', kbps: 192 },
};
/** Matching 128 kb/s MP3s to MP3: Seam joins them without re-encoding. */
const MP3_LOSSLESS: SeamJob = { ...MP3_192, reencode: false, expect: { codec: 'mp3', kbps: 128 } };

/** Lossless: native uses the concat demuxer with -c copy; Seam stitches the MP3 frames in JS. */
function lossless(inputs: InputSet, quick: boolean): Row {
  return {
    name: `${inputs.name}, lossless`,
    inputs,
    quick,
    native: ({ files, tmp }) => concatCopy(files, tmp, 'mp3'),
    seam: (bench, { files, expectedSec, mark }) =>
      bench.join(files, MP3_LOSSLESS, expectedSec, mark),
  };
}

/** Re-encode: native uses the concat filter and libmp3lame at 192 kb/s, as Seam's plan does. */
function reencodeMp3(inputs: InputSet, quick: boolean): Row {
  return {
    name: `${inputs.name}, re-encode MP3 192k`,
    inputs,
    quick,
    native: ({ files, tmp }) =>
      concatEncode(files, tmp, 'mp3', ['-c:a', 'libmp3lame', '-b:a', '192k']),
    seam: (bench, { files, expectedSec, mark }) => bench.join(files, MP3_192, expectedSec, mark),
  };
}

export const ROWS: Row[] = [
  lossless(SHORT, true),
  reencodeMp3(SHORT, true),
  lossless(LONG, false),
  reencodeMp3(LONG, false),
];
