/**
 * A scenario: what a person might put together in Seam (inputs, edits, output choices), drawn
 * from a seed. Pure data, JSON all through, so a failing scenario can be printed and pasted into
 * a test. The draw keeps the total audio small (seconds a scenario) except in the scenarios that
 * cross the parallel-parts threshold (two engines for a re-encode of 60 s or more on two cores:
 * lib/segments/plan.ts MIN_SEGMENT_SEC of 30 s a part), which stay just above it.
 */
import { BITRATES, type Bitrate, type FormatId } from '@/lib/core/formats';
import type { ChapterMode } from '@/lib/core/settings';
import type { CrossfadeCurve } from '@/lib/core/track';
import { Rng } from './random';

export type InputFormat = 'mp3' | 'm4a' | 'opus' | 'flac' | 'wav' | 'ogg';
export const INPUT_FORMATS: readonly InputFormat[] = ['mp3', 'm4a', 'opus', 'flac', 'wav', 'ogg'];
export const OUTPUT_FORMATS: readonly FormatId[] = [
  'mp3',
  'm4a',
  'm4b',
  'm4r',
  'ogg',
  'opus',
  'flac',
  'wav',
];

/** One input file, made with native ffmpeg (./inputs.ts). */
export interface InputSpec {
  format: InputFormat;
  rate: number;
  channels: 1 | 2;
  /** How WAV and FLAC hold samples (16-bit when absent): 8-bit, 24-bit, 32-bit float (WAV). */
  sampleFormat?: 'u8' | 's24' | 'f32';
  /** Seconds of sound (a tone over pink noise). */
  seconds: number;
  /** Digital silence before and after the sound, seconds (for "Trim silence"). */
  lead?: number;
  trail?: number;
  /** The tone's frequency and the noise's seed: each input sounds different. */
  freq: number;
  noiseSeed: number;
  /** Title and artist tags written into the file. */
  tags?: { title?: string; artist?: string };
  /** An embedded cover picture (MP3, M4A, FLAC). */
  cover?: boolean;
  /** Chapters of its own (MP3 ID3 CHAP, M4A chapter track): start seconds, titled "Part N". */
  chapters?: number[];
}

export type TransitionSpec =
  | { kind: 'none' }
  | { kind: 'gap'; seconds: number }
  | { kind: 'crossfade'; seconds: number; curve: CrossfadeCurve };

/** A track's edit as the editor stores it: a trim and the transition after it. */
export interface EditSpec {
  startSec?: number;
  endSec?: number;
  after?: TransitionSpec;
}

export interface OutputSpec {
  format: FormatId;
  bitrate: Bitrate;
  mp3Mode: 'cbr' | 'vbr';
  vbrQuality: number;
  sampleRate: 'source' | 44100 | 48000;
  channels: 'source' | 1 | 2;
  normalize: boolean;
  fadeInSec: number;
  fadeOutSec: number;
  chapters: ChapterMode;
  chapterFiles: boolean;
  /** The cover: none, the first track's, an image of one's own, or track N's (0-based). */
  cover: 'none' | 'first' | 'image' | { track: number };
}

export interface Scenario {
  seed: number;
  inputs: InputSpec[];
  /** One per input (same index). */
  edits: EditSpec[];
  /** "Trim silence in every track" pressed after the edits are set. */
  silenceTrim: boolean;
  output: OutputSpec;
  /** The editor's Title and Artist fields (empty: the first track's). */
  tags: { title?: string; artist?: string };
}

/** Sample rates each input codec is drawn at: the common ones mostly, the odd ones now and then. */
const RATES: Record<InputFormat, readonly number[]> = {
  mp3: [22050, 44100, 44100, 48000, 32000, 16000],
  m4a: [22050, 44100, 44100, 48000, 32000],
  opus: [48000],
  flac: [22050, 44100, 44100, 48000, 96000, 16000],
  wav: [22050, 44100, 44100, 48000, 96000, 8000],
  ogg: [22050, 44100, 48000, 32000],
};
/** Tags with characters beyond ASCII, as people's files have them. */
const TITLES = ['Song', 'Canción', 'Чтение', '朗読', 'Track "quoted"'];
const CURVES: readonly CrossfadeCurve[] = ['linear', 'equal-power', 'logarithmic'];
const CHAPTER_MODES: readonly ChapterMode[] = ['auto', 'per-track', 'keep', 'none'];
/** The output format each input codec is copied into, for the draws that aim at a lossless join. */
const COPY_TARGET: Record<InputFormat, FormatId[]> = {
  mp3: ['mp3'],
  m4a: ['m4a', 'm4b'],
  opus: ['opus'],
  flac: ['flac', 'wav'],
  wav: ['wav', 'flac'],
  ogg: ['ogg'],
};

/** Kinds of scenario, drawn first: each steers the draws that follow. */
type Kind = 'mixed' | 'lossless' | 'parallel';

/** Draws the scenario of `seed`. */
export function drawScenario(seed: number): Scenario {
  const r = new Rng(seed);
  const kind: Kind = r.weighted<Kind>([
    ['mixed', 6],
    ['lossless', 3],
    ['parallel', 1.5],
  ]);
  const count = kind === 'parallel' ? r.int(2, 3) : r.int(1, 4);
  const silenceTrim = kind === 'mixed' && r.chance(0.15);
  const shared = drawInputBase(r);
  const inputs = Array.from({ length: count }, (_, i) =>
    drawInput(r, i, kind, kind === 'lossless' ? shared : drawInputBase(r), count, silenceTrim),
  );
  const output = drawOutput(r, kind, inputs);
  const edits = kind === 'lossless' ? inputs.map(() => ({})) : drawEdits(r, inputs, silenceTrim);
  const tags = r.chance(0.5)
    ? { title: `${r.pick(TITLES)} ${seed}`, ...(r.chance(0.5) ? { artist: 'Seam Scenarios' } : {}) }
    : {};
  return { seed, inputs, edits, silenceTrim, output, tags };
}

type InputBase = Pick<InputSpec, 'format' | 'rate' | 'channels' | 'sampleFormat'>;

function drawInputBase(r: Rng): InputBase {
  const format = r.pick(INPUT_FORMATS);
  const base: InputBase = { format, rate: r.pick(RATES[format]), channels: r.chance(0.3) ? 1 : 2 };
  if (format === 'wav' && r.chance(0.3)) base.sampleFormat = r.pick(['u8', 's24', 'f32'] as const);
  if (format === 'flac' && r.chance(0.25)) base.sampleFormat = 's24';
  return base;
}

function drawInput(
  r: Rng,
  i: number,
  kind: Kind,
  base: InputBase,
  count: number,
  silenceTrim: boolean,
): InputSpec {
  // Parallel: 62 to 72 s in all, so a re-encode crosses 60 s after trims and crossfades.
  const seconds =
    kind === 'parallel'
      ? Math.ceil((r.int(62, 72) / count) * 10) / 10
      : // Now and then one under a second: exact joins need frames on both sides.
        r.chance(0.1)
        ? r.int(3, 9) / 10
        : r.int(20, 60) / 10;
  const input: InputSpec = {
    ...base,
    seconds,
    freq: 220 + 55 * r.int(0, 12),
    noiseSeed: r.int(1, 999),
  };
  if (silenceTrim && r.chance(0.7)) {
    // Silence worth trimming (at least the 0.5 s default) or too short to be (kept).
    input.lead = r.pick([0, 0.2, 0.8, 1.2]);
    input.trail = r.pick([0, 0.3, 0.7, 1.5]);
  }
  if (r.chance(0.35)) {
    input.tags = {
      title: `${r.pick(TITLES)} ${i + 1}`,
      ...(r.chance(0.5) ? { artist: `Singer ${i + 1}` } : {}),
    };
  }
  const pictures = base.format === 'mp3' || base.format === 'm4a' || base.format === 'flac';
  if (pictures && r.chance(0.3)) input.cover = true;
  const chapters = base.format === 'mp3' || base.format === 'm4a';
  if (chapters && seconds >= 4 && r.chance(0.3)) {
    const parts = seconds >= 5 && r.chance(0.5) ? 3 : 2;
    input.chapters = Array.from(
      { length: parts },
      (_, k) => Math.round(((seconds * k) / parts) * 10) / 10,
    );
  }
  return input;
}

function drawOutput(r: Rng, kind: Kind, inputs: readonly InputSpec[]): OutputSpec {
  const format =
    kind === 'lossless'
      ? r.pick(COPY_TARGET[inputs[0]!.format])
      : kind === 'parallel'
        ? r.pick<FormatId>(['mp3', 'm4a', 'm4b', 'opus', 'flac'])
        : r.pick(OUTPUT_FORMATS);
  const edited = kind !== 'lossless';
  const cover = r.weighted<OutputSpec['cover']>([
    ['first', 3],
    ['none', 2],
    ['image', kind === 'parallel' ? 6 : 2],
    [{ track: r.int(0, inputs.length - 1) }, 2],
  ]);
  return {
    format,
    bitrate: r.pick(BITRATES),
    mp3Mode: r.chance(0.4) ? 'vbr' : 'cbr',
    vbrQuality: r.int(0, 9),
    sampleRate: edited && r.chance(0.3) ? r.pick([44100, 48000] as const) : 'source',
    channels: edited && r.chance(0.3) ? r.pick([1, 2] as const) : 'source',
    normalize: edited && r.chance(0.2),
    fadeInSec: edited && r.chance(0.2) ? r.int(3, 10) / 10 : 0,
    fadeOutSec: edited && r.chance(0.2) ? r.int(3, 10) / 10 : 0,
    chapters: r.pick(CHAPTER_MODES),
    chapterFiles: r.chance(0.25),
    cover,
  };
}

/** Seconds of each input's file (sound and silence). */
export const fileSeconds = (i: InputSpec): number => (i.lead ?? 0) + i.seconds + (i.trail ?? 0);

/**
 * Trims (on inputs without silence to trim) and transitions; a crossfade is at most half of the
 * shorter neighbour's kept length less 0.1 s, so it never needs the planner's clamp.
 */
function drawEdits(r: Rng, inputs: readonly InputSpec[], silenceTrim: boolean): EditSpec[] {
  const edits: EditSpec[] = inputs.map((input) => {
    const len = fileSeconds(input);
    const edit: EditSpec = {};
    if (!silenceTrim && len >= 2 && r.chance(0.3)) {
      if (r.chance(0.6)) edit.startSec = r.int(1, Math.floor(len * 20)) / 100;
      if (r.chance(0.6))
        edit.endSec = Math.round((len - r.int(1, Math.floor(len * 20)) / 100) * 100) / 100;
    }
    return edit;
  });
  const kept = inputs.map((input, i) => {
    const e = edits[i]!;
    // With silence trimmed, at least the sound is kept.
    if (silenceTrim) return input.seconds;
    return (e.endSec ?? fileSeconds(input)) - (e.startSec ?? 0);
  });
  for (let i = 0; i + 1 < inputs.length; i++) {
    const kind = r.weighted<TransitionSpec['kind']>([
      ['none', 4],
      ['gap', 2],
      ['crossfade', 3],
    ]);
    if (kind === 'gap') edits[i]!.after = { kind, seconds: r.int(1, 10) / 10 };
    if (kind === 'crossfade') {
      const most = Math.floor((Math.min(kept[i]!, kept[i + 1]!) / 2 - 0.1) * 10) / 10;
      if (most >= 0.1) {
        edits[i]!.after = {
          kind,
          seconds: r.int(1, Math.min(10, Math.round(most * 10))) / 10,
          curve: r.pick(CURVES),
        };
      }
    }
  }
  return edits;
}

/** A short line for logs: "seed 7: 3 inputs (mp3 44100/2, ...) -> m4b, 2 crossfades". */
export function summarize(s: Scenario): string {
  const ins = s.inputs.map(
    (i) =>
      `${i.format}${i.sampleFormat ? `:${i.sampleFormat}` : ''} ${i.rate}/${i.channels} ${fileSeconds(i).toFixed(1)}s`,
  );
  const t = s.edits.map((e) => e.after?.kind).filter((k) => k && k !== 'none');
  const trims = s.edits.filter((e) => e.startSec !== undefined || e.endSec !== undefined).length;
  const o = s.output;
  const extras = [
    trims ? `${trims} trims` : '',
    t.length ? t.join('+') : '',
    s.silenceTrim ? 'silence trim' : '',
    o.normalize ? 'loudness' : '',
    o.fadeInSec || o.fadeOutSec ? 'fades' : '',
    `chapters ${o.chapters}${o.chapterFiles ? '+files' : ''}`,
    `cover ${typeof o.cover === 'object' ? `track ${o.cover.track + 1}` : o.cover}`,
  ].filter(Boolean);
  return `seed ${s.seed}: [${ins.join(', ')}] -> ${o.format}${o.format === 'mp3' ? ` ${o.mp3Mode}` : ''} (${extras.join(', ')})`;
}
