/**
 * The benchmark's rows. A row is one job done twice on the same inputs: by native ffmpeg and by
 * Seam in the extension. To add one, add an entry here: its name (the table's first column), its
 * inputs (an InputSet from inputs.ts, or a new one), whether `--quick` runs it, and the two ways
 * of doing the job.
 */
import {
  BOOK_3H,
  BOOK_AAC,
  BOOK_MP3,
  LONG,
  LONG_WAV,
  SHORT,
  WAV_40,
  type InputSet,
} from './inputs';
import { concatCopy, concatCopyBook, concatEncode, type NativeRun } from './native';
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
/** Matching WAVs to WAV: Seam joins the data chunks without ffmpeg. */
const WAV_LOSSLESS: SeamJob = { format: 'WAV', reencode: false, expect: { codec: 'pcm_s16le' } };

/**
 * Lossless: native uses the concat demuxer with -c copy; Seam stitches the MP3 frames (or WAV
 * data chunks) in JS.
 */
function lossless(inputs: InputSet, quick: boolean, ext: 'mp3' | 'wav' = 'mp3'): Row {
  return {
    name: `${inputs.name}, lossless`,
    inputs,
    quick,
    native: ({ files, tmp }) => concatCopy(files, tmp, ext),
    seam: (bench, { files, expectedSec, mark }) =>
      bench.join(files, ext === 'wav' ? WAV_LOSSLESS : MP3_LOSSLESS, expectedSec, mark),
  };
}

/**
 * The other formats at Seam's own settings, native with the same encoder arguments as Seam's
 * plan (lib/plan/graph.ts encoderArgs): AAC 192k; Vorbis quality 6 (Seam's choice for 192 kb/s);
 * Opus 192k at complexity 10 and 48 kHz (libopus's default; lib/engine/worker/stack.ts); FLAC.
 */
const OTHER_FORMATS: { label: string; ext: string; job: SeamJob; encoder: string[] }[] = [
  {
    label: 'M4A (AAC) 192k',
    ext: 'm4a',
    job: { format: 'M4A', bitrate: 192, reencode: 'natural', expect: { codec: 'aac' } },
    encoder: ['-c:a', 'aac', '-b:a', '192k'],
  },
  {
    label: 'OGG (Vorbis q6)',
    ext: 'ogg',
    job: { format: 'OGG', bitrate: 192, reencode: 'natural', expect: { codec: 'vorbis' } },
    encoder: ['-c:a', 'libvorbis', '-q:a', '6'],
  },
  {
    label: 'Opus 192k',
    ext: 'opus',
    job: {
      format: 'Opus',
      bitrate: 192,
      reencode: 'natural',
      expect: { codec: 'opus', rate: 48000 },
    },
    encoder: ['-c:a', 'libopus', '-b:a', '192k', '-compression_level', '10', '-ar', '48000'],
  },
  {
    label: 'FLAC',
    ext: 'flac',
    job: { format: 'FLAC', reencode: 'natural', expect: { codec: 'flac' } },
    encoder: ['-c:a', 'flac'],
  },
];

function reencodeOther(inputs: InputSet, f: (typeof OTHER_FORMATS)[number]): Row {
  return {
    name: `${inputs.name}, re-encode ${f.label}`,
    inputs,
    quick: false,
    native: ({ files, tmp }) => concatEncode(files, tmp, f.ext, f.encoder),
    seam: (bench, { files, expectedSec, mark }) => bench.join(files, f.job, expectedSec, mark),
  };
}

/** Re-encode: native uses the concat filter and libmp3lame at 192 kb/s, as Seam's plan does. */
function reencodeMp3(inputs: InputSet, quick: boolean, natural = false): Row {
  const job: SeamJob = natural ? { ...MP3_192, reencode: 'natural' } : MP3_192;
  return {
    name: `${inputs.name}, re-encode MP3 192k`,
    inputs,
    quick,
    native: ({ files, tmp }) =>
      concatEncode(files, tmp, 'mp3', ['-c:a', 'libmp3lame', '-b:a', '192k']),
    seam: (bench, { files, expectedSec, mark }) => bench.join(files, job, expectedSec, mark),
  };
}

/**
 * A long book's chapter files into one file with a chapter per file and the first file's cover:
 * MP3 losslessly with ID3 chapters (Seam's zero-copy join and a new ID3 tag), M4B by stream copy
 * of the AAC (ffmpeg's concat demuxer in both columns; native gets the chapters and cover too).
 */
function bookRow(inputs: InputSet, format: 'MP3' | 'M4B'): Row {
  const mp3 = format === 'MP3';
  const job: SeamJob = {
    format,
    reencode: false,
    expect: { codec: mp3 ? 'mp3' : 'aac', kbps: 64, chapters: 30, cover: true },
  };
  return {
    name: `${inputs.name} → ${format}, ${mp3 ? 'lossless, ID3 chapters' : 'copy'}, cover, 30 chapters`,
    inputs,
    quick: false,
    native: ({ files, tmp }) => concatCopyBook(files, tmp, mp3 ? 'mp3' : 'm4b'),
    seam: (bench, { files, expectedSec, mark }) => bench.join(files, job, expectedSec, mark),
  };
}

/** The 3-hour book, joined losslessly to one MP3 (one chapter per file), native by stream copy. */
const book3h: Row = {
  name: `${BOOK_3H.name}, lossless`,
  inputs: BOOK_3H,
  quick: false,
  native: ({ files, tmp }) => concatCopy(files, tmp, 'mp3'),
  seam: (bench, { files, expectedSec, mark }) =>
    bench.join(
      files,
      { ...MP3_LOSSLESS, expect: { codec: 'mp3', kbps: 64, channels: 1 } },
      expectedSec,
      mark,
    ),
};

export const ROWS: Row[] = [
  lossless(SHORT, true),
  reencodeMp3(SHORT, true),
  ...OTHER_FORMATS.map((f) => reencodeOther(SHORT, f)),
  lossless(LONG, false),
  reencodeMp3(LONG, false),
  lossless(LONG_WAV, false, 'wav'),
  // The memory row: 0.85 GB of WAV through ffmpeg.wasm.
  reencodeMp3(WAV_40, false, true),
  book3h,
  bookRow(BOOK_MP3, 'MP3'),
  bookRow(BOOK_AAC, 'M4B'),
];
