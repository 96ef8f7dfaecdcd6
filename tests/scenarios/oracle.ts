/**
 * What a scenario's joined file should be, computed from the scenario and the inputs' decoded
 * lengths (measured with native ffmpeg) by the rules Seam states (README, DESIGN, the docblocks
 * of lib/plan/timeline.ts and chapters.ts), written again here: nothing of lib/plan is imported,
 * so a planner that drifts from its own rules is caught instead of agreed with.
 */
import type { FormatId } from '@/lib/core/formats';
import type { InputSpec, Scenario } from './scenario';
import { fileSeconds } from './scenario';
import { inputName } from './inputs';

export interface ExpectedChapter {
  title: string;
  startSec: number;
}

export interface Expected {
  /** ffprobe's codec_name of the audio stream (WAV: any PCM). */
  codec: string;
  rate: number;
  channels: number;
  lengthSec: number;
  /** How far the decoded length (and each chapter's start) may be from the arithmetic. */
  toleranceSec: number;
  /** Chapters in the file (empty: none). */
  chapters: ExpectedChapter[];
  /** How many chapters the chapter files list, or 0 when none are saved. */
  chapterFileChapters: number;
  /** Title and artist tags, when the format holds tags (null: it does not; undefined: none). */
  tags: { title: string | undefined; artist: string | undefined } | null;
  cover: boolean;
  /**
   * Whether the README promises a lossless join (tracks that already match, joined with no edit
   * into a format that holds them); undefined when the scenario leaves it open.
   */
  lossless: boolean | undefined;
}

const LOSSY: readonly FormatId[] = ['mp3', 'm4a', 'm4b', 'm4r', 'ogg', 'opus'];
const OUTPUT_CODEC: Record<FormatId, string> = {
  mp3: 'mp3',
  m4a: 'aac',
  m4b: 'aac',
  m4r: 'aac',
  ogg: 'vorbis',
  opus: 'opus',
  flac: 'flac',
  wav: 'pcm',
};
/** Sample rates each encoder takes (MP3: LAME's; AAC: the MPEG-4 table; Opus: 48 kHz only). */
const ENCODER_RATES: Partial<Record<FormatId, readonly number[]>> = {
  mp3: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000],
  m4a: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000],
  m4b: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000],
  m4r: [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000],
  opus: [48000],
};
const HOLDS_CHAPTERS: readonly FormatId[] = ['mp3', 'm4a', 'm4b'];
const HOLDS_COVER: readonly FormatId[] = ['mp3', 'm4a', 'm4b', 'm4r', 'flac'];
/** Output formats each input codec goes into unchanged (or as the same exact samples). */
const KEPT_AS_IS: Record<InputSpec['format'], readonly FormatId[]> = {
  mp3: ['mp3'],
  m4a: ['m4a', 'm4b', 'm4r'],
  opus: ['opus'],
  flac: ['flac', 'wav'],
  wav: ['wav', 'flac'],
  ogg: [],
};
/** A chapter shorter than this after a trim is dropped (lib/plan/chapters.ts states 1 s). */
const MIN_KEPT_CHAPTER_SEC = 1;
/** "Trim silence": silence of 0.5 s or more goes, less 0.1 s kept next to the sound. */
const SILENCE_MIN_SEC = 0.5;
const SILENCE_KEPT_SEC = 0.1;

/** Samples a frame of the output codec holds, for tolerances. */
function frameSec(format: FormatId, rate: number): number {
  if (format === 'mp3') return (rate < 32000 ? 576 : 1152) / rate;
  if (format.startsWith('m4')) return 1024 / rate;
  if (format === 'opus') return 0.02;
  if (format === 'ogg') return 2048 / rate;
  return 0;
}

/** The part of input i that is kept, seconds of its file. */
function span(s: Scenario, i: number, decodedSec: number): { start: number; end: number } {
  const input = s.inputs[i]!;
  if (s.silenceTrim) {
    const lead = input.lead ?? 0;
    const trail = input.trail ?? 0;
    return {
      start: lead >= SILENCE_MIN_SEC ? lead - SILENCE_KEPT_SEC : 0,
      end: trail >= SILENCE_MIN_SEC ? lead + input.seconds + SILENCE_KEPT_SEC : decodedSec,
    };
  }
  const e = s.edits[i] ?? {};
  return { start: e.startSec ?? 0, end: Math.min(e.endSec ?? decodedSec, decodedSec) };
}

export function expected(s: Scenario, decodedSec: readonly number[]): Expected {
  const o = s.output;
  const n = s.inputs.length;
  const spans = s.inputs.map((_, i) => span(s, i, decodedSec[i]!));
  const starts: number[] = [];
  let pos = 0;
  spans.forEach((sp, i) => {
    starts.push(pos);
    pos += sp.end - sp.start;
    const after = i < n - 1 ? s.edits[i]?.after : undefined;
    if (after?.kind === 'gap') pos += after.seconds;
    if (after?.kind === 'crossfade') pos -= after.seconds;
  });
  const lossless = losslessPromised(s);
  const rate = lossless ? s.inputs[0]!.rate : outputRate(s);
  const channels = lossless ? s.inputs[0]!.channels : outputChannels(s);
  const tolerance = toleranceOf(s, rate, lossless === true);
  const chapterList = chapterTimes(s, spans, starts);
  const first = s.inputs[0]!.tags ?? {};
  return {
    codec: lossless ? losslessCodec(s) : OUTPUT_CODEC[o.format],
    rate,
    channels,
    lengthSec: pos,
    toleranceSec: tolerance,
    chapters: HOLDS_CHAPTERS.includes(o.format) ? chapterList : [],
    chapterFileChapters: o.chapterFiles ? chapterList.length : 0,
    tags:
      o.format === 'wav'
        ? null
        : { title: s.tags.title || first.title, artist: s.tags.artist || first.artist },
    cover: HOLDS_COVER.includes(o.format) && coverWanted(s),
    lossless,
  };
}

function losslessCodec(s: Scenario): string {
  const f = s.output.format;
  if (f === 'wav') return 'pcm';
  if (f === 'flac') return 'flac';
  return OUTPUT_CODEC[f];
}

/** README: "Tracks that already match (same codec, sample rate and channels)" with no edit. */
function losslessPromised(s: Scenario): boolean | undefined {
  const o = s.output;
  // Silence found (or not) decides whether a trim is made: left open.
  if (s.silenceTrim) return undefined;
  const edited =
    s.edits.some(
      (e, i) =>
        e.startSec !== undefined ||
        e.endSec !== undefined ||
        (i < s.inputs.length - 1 && e.after !== undefined && e.after.kind !== 'none'),
    ) ||
    o.normalize ||
    o.fadeInSec > 0 ||
    o.fadeOutSec > 0;
  if (edited) return false;
  const [a] = s.inputs;
  const same = s.inputs.every(
    (i) => i.format === a!.format && i.rate === a!.rate && i.channels === a!.channels,
  );
  if (!same || !KEPT_AS_IS[a!.format].includes(o.format)) return false;
  // Depths a FLAC cannot hold as they are (8-bit, float), or mixed depths: left open.
  const formats = new Set(s.inputs.map((i) => i.sampleFormat ?? 's16'));
  if (formats.size > 1) return undefined;
  if (o.format === 'flac' && (a!.sampleFormat === 'u8' || a!.sampleFormat === 'f32')) {
    return undefined;
  }
  // A rate or channel count asked for that the tracks already have changes nothing: left open.
  if (o.sampleRate !== 'source' || o.channels !== 'source') return undefined;
  return true;
}

/** A forced 44.1/48 kHz, else the highest source rate (lossy: at most 48 kHz), then the encoder's. */
function outputRate(s: Scenario): number {
  const o = s.output;
  const highest = Math.max(...s.inputs.map((i) => i.rate));
  const lossy = LOSSY.includes(o.format);
  const rate =
    o.sampleRate !== 'source' ? o.sampleRate : lossy ? Math.min(highest, 48000) : highest;
  const allowed = ENCODER_RATES[o.format];
  if (!allowed) return rate;
  return allowed.find((r) => r >= rate) ?? allowed[allowed.length - 1]!;
}

/** Forced mono or stereo, else the tracks' count when they agree, else stereo. */
function outputChannels(s: Scenario): number {
  if (s.output.channels !== 'source') return s.output.channels;
  const counts = new Set(s.inputs.map((i) => i.channels));
  if (counts.size === 1) return s.inputs[0]!.channels;
  return 2;
}

function coverWanted(s: Scenario): boolean {
  const c = s.output.cover;
  if (c === 'none') return false;
  if (c === 'image') return true;
  if (c === 'first') return s.inputs[0]!.cover === true;
  return s.inputs[c.track]?.cover === true;
}

function toleranceOf(s: Scenario, rate: number, lossless: boolean): number {
  const o = s.output;
  const joins = s.inputs.length - 1;
  const frame = frameSec(o.format, rate);
  // A re-encode: the codec's priming and padding, and a sample of rounding at each edit.
  let tol = o.format === 'wav' || o.format === 'flac' ? 0.005 : 2 * frame + 0.01;
  // Native ffmpeg 5.1 decodes an AAC input's end padding (up to a frame), which Seam may not.
  tol += s.inputs.filter((i) => i.format === 'm4a').length * (1024 / lowestRate(s)) + 0.002 * joins;
  // A copy's joins are closed within a frame or two of each (lib/lossless).
  if (lossless) tol += joins * 2 * frame;
  // "Trim silence" finds each edge on the track's level, to about a waveform column.
  if (s.silenceTrim) tol += s.inputs.length * 2 * 0.1;
  return tol;
}

/** The lowest input rate (for the AAC inputs' padding: the longest frame). */
const lowestRate = (s: Scenario): number => Math.min(...s.inputs.map((i) => i.rate));

/** One chapter per track, or the tracks' own, by the rules of lib/plan/chapters.ts's docblock. */
function chapterTimes(
  s: Scenario,
  spans: readonly { start: number; end: number }[],
  starts: readonly number[],
): ExpectedChapter[] {
  const n = s.inputs.length;
  const anyOwn = s.inputs.some((i) => (i.chapters?.length ?? 0) > 0);
  const mode = s.output.chapters === 'auto' ? (anyOwn ? 'keep' : 'per-track') : s.output.chapters;
  if (mode === 'none' || (n < 2 && mode !== 'keep')) return [];
  const out: ExpectedChapter[] = [];
  s.inputs.forEach((input, i) => {
    const own = mode === 'keep' ? keptChapters(input, i, spans[i]!) : [];
    const title = input.tags?.title || inputName(input, i);
    if (own.length === 0) out.push({ title, startSec: starts[i]! });
    else for (const c of own) out.push({ title: c.title, startSec: starts[i]! + c.offset });
  });
  return out;
}

function keptChapters(
  input: InputSpec,
  i: number,
  sp: { start: number; end: number },
): { title: string; offset: number }[] {
  const starts = input.chapters ?? [];
  if (starts.length === 0) return [];
  const kept: { title: string; from: number; to: number }[] = [];
  starts.forEach((start, k) => {
    const next = starts[k + 1] ?? fileSeconds(input);
    const from = Math.max(start, sp.start);
    const to = Math.min(next, sp.end);
    if (to > from) kept.push({ title: `Part ${k + 1}`, from, to });
  });
  if (kept.length === 0) return [];
  if (kept[0]!.from - sp.start >= MIN_KEPT_CHAPTER_SEC) {
    kept.unshift({ title: inputName(input, i), from: sp.start, to: kept[0]!.from });
  } else {
    kept[0]!.from = sp.start;
  }
  const long = kept.filter((c) => c.to - c.from >= MIN_KEPT_CHAPTER_SEC);
  const chosen = long.length > 0 ? long : [kept[0]!];
  return chosen.map((c, k) => ({ title: c.title, offset: k === 0 ? 0 : c.from - sp.start }));
}
