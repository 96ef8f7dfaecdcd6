/**
 * The decode check: every track is decoded once, whole, before Join may use it. It measures the
 * exact length (to the sample) and tells damaged audio from what only looks like damage in
 * ffmpeg's log. Pure: the engine runs the commands (lib/engine/probe.ts) and hands over the
 * sample count and the log lines.
 *
 * Rules (measured on the corpus in tests/fixtures/corpus with native ffmpeg 5.1):
 * - Tag trouble is not damage: ID3 frames that do not parse, a FLAC picture block that is too
 *   short. They are ignored, with a note.
 * - One complaint only at the very end (the last 10 % of the audio, at most 0.5 s: an ID3v1
 *   tag after FLAC, an Ogg end-of-stream quirk, an APE tag after WavPack) is a note, not
 *   damage: a second decode of all but that tail runs clean. Complaints all within the first
 *   moment (junk before the first frame, skipped) are a note too: a third decode of only that
 *   moment shows them all; unless the file also holds more than 10 % less than it announces.
 * - A file that decodes to much less than its container announces (more than 2 s and more
 *   than 10 % missing), or less of it when ffprobe saw it cut (an MP3 with fewer bytes than its
 *   header announces), is cut short, and the error says how much decodes (`kept`); one that
 *   decodes to nothing cannot be joined at all.
 */
import { CorruptAudioError, TruncatedAudioError, UnsupportedAudioError } from '@/lib/core/errors';
import { text, type Sub, type Text } from '@/lib/core/i18n';
import { channelText, khzText, lengthText } from '@/lib/core/text';
import type { FormatChange, TrackRef } from '@/lib/core/track';
import { EBUR128_FILTER } from './ebur128';
import { ffmpegSaid } from './ffmpeg-log';

/** Missing audio below both of these is an estimate's slack, not a cut. */
const CUT_MIN_SEC = 2;
const CUT_FRACTION = 0.1;
/** "The very end": this share of the decoded length, within these bounds. */
const TAIL_FRACTION = 0.1;
const TAIL_MIN_SEC = 0.02;
const TAIL_MAX_SEC = 0.5;
/** "The very start": this share again, at most 0.1 s. */
const START_MAX_SEC = 0.1;
/**
 * One bad frame makes up to this many lines (FLAC: "invalid sync code", "invalid frame header",
 * "decode_frame() failed", "Error while decoding stream…"). More at the end is not a quirk: a
 * stream whose later frames all fail (a bit depth that changes midway) also "ends" there, as
 * frames that fail give no samples.
 */
const END_NOISE_MAX_LINES = 4;

/**
 * ffmpeg arguments that decode the first audio stream of `input` and count its samples exactly:
 * the audio goes to /dev/null as 8-bit mono at the probed rate, one byte a sample, so the last
 * `total_size` in `progressPath` is the sample count. (Timestamps will not do: a container's
 * start anywhere, WMA's at 64 ms; counting from the filter's own restarts when a stream changes
 * its channel count midway.) `limitSec` decodes only that much (the check of all but the tail).
 */
export function decodeCheckArgs(
  input: string,
  progressPath: string,
  opts: {
    sampleRate: number;
    limitSec?: number;
    inputArgs?: readonly string[];
    /** Measure EBU R128 loudness on the same decode (./ebur128.ts), on a side branch. */
    loudness?: boolean;
  },
): string[] {
  // The side branch's resampler (to ebur128's doubles) converts from the same source format as
  // the output's, so formatsIn reads each format once either way.
  const route = opts.loudness
    ? ['-filter_complex', `[0:a:0]asplit=2[check][r128];[r128]${EBUR128_FILTER},anullsink`]
    : [];
  return [
    // `verbose` for the resampler's line each time the stream's format is set up (formatsIn);
    // `level` tags each line, so only error lines are judged as before (classifyLog).
    ...['-hide_banner', '-loglevel', 'level+verbose', '-nostats'],
    ...(opts.inputArgs ?? []),
    ...(opts.limitSec !== undefined ? ['-t', seconds(opts.limitSec)] : []),
    ...['-i', input, ...route, '-map', opts.loudness ? '[check]' : '0:a:0'],
    ...['-ac', '1', '-ar', String(opts.sampleRate)],
    ...['-c:a', 'pcm_u8', '-progress', progressPath, '-f', 'u8', '-y', '/dev/null'],
  ];
}

/**
 * ffmpeg arguments that read the first audio stream without decoding it, to find the last
 * timestamp of a file that announces no length (a Chrome MediaRecorder WebM, a streamed FLAC):
 * seconds in `progressPath`, an estimate that the decode check then makes exact.
 */
export function lastTimestampArgs(
  input: string,
  progressPath: string,
  inputArgs: readonly string[] = [],
): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', ...inputArgs, '-i', input, '-map', '0:a:0'],
    ...['-c', 'copy', '-progress', progressPath, '-f', 'null', '-'],
  ];
}

/** The last `out_time_us` of an ffmpeg `-progress` file, in seconds. */
export function progressSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const all = [...text.matchAll(/^out_time_us=(\d+)$/gm)];
  const last = all[all.length - 1];
  return last ? Number(last[1]) / 1e6 : undefined;
}

/** Samples counted by a `decodeCheckArgs` run: the last `total_size` of its `-progress` file. */
export function progressSamples(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const all = [...text.matchAll(/^total_size=(\d+)$/gm)];
  const last = all[all.length - 1];
  return last ? Number(last[1]) : undefined;
}

/** How long to decode for the second run, that leaves the tail out; undefined when too short. */
export function headSeconds(decodedSec: number): number | undefined {
  const tail = Math.min(TAIL_MAX_SEC, Math.max(TAIL_MIN_SEC, decodedSec * TAIL_FRACTION));
  const head = decodedSec - tail;
  return head > 0 ? Number(head.toFixed(6)) : undefined;
}

export interface DecodeRun {
  samples: number;
  log: readonly string[];
}

export interface DecodeVerdict {
  samples: number;
  durationSec: number;
  /** Phrases after the track's name (AudioInfo.notes). */
  notes: Text[];
}

/** ffmpeg's log lines sorted by what they mean. */
export interface LogLines {
  /** Tags and metadata blocks that do not parse: never damage. */
  tags: string[];
  /** An incomplete last sample: by nature at the very end. */
  partialSample: string[];
  /** The first frame refers to bit-reservoir bytes from before the file began. */
  backstep: string[];
  /** The container says the data ends early. */
  cut: string[];
  /** Everything else ffmpeg reports at error level while decoding. */
  damage: string[];
}

const TAG_LINES: readonly RegExp[] = [
  /Cannot read BOM value|Incorrect BOM value|Invalid (ID3v2|ID3) |ID3v2\.\d/i,
  /Error reading (comment )?frame( \w{3,4})?, skipped/i,
  /Failed to read( \w+)? (tag|frame|metadata)|Error reading (tag|metadata)/i,
  /Attached picture metadata block too short|metadata block|Invalid (APE|APEv2) tag/i,
  /Lyrics3|\bVorbis comment|invalid comment/i,
];
const PARTIAL_SAMPLE =
  /Invalid PCM packet, data has size \d+ but at least a size of \d+ was expected/i;
const BACKSTEP = /invalid new backstep/i;
const CUT = /partial file|File ended prematurely|stream ends prematurely/i;
/**
 * Lines that say nothing about the audio: ffmpeg.wasm prints "Aborted()" as ffmpeg exits, and
 * the null muxer complains about timestamps a stream with changing parameters gives it.
 */
const NOISE = /^Aborted\(\)$|non monotonically increasing dts|Non-monotonous DTS/i;
/** Lines that only restate the one before ("Error while decoding stream…", "Last message…"). */
const FOLLOW_UP = /^(Last message repeated \d+ times?|Error while decoding stream #\d+:\d+)/i;

/**
 * ffmpeg's `level` flag tags a line "[flac @ 0x…] [error] …". Lines below error level (and the
 * untagged "Last message repeated" after one) are not judged; in a log without tags (one at
 * `-loglevel error`) every line is.
 */
const LEVEL = /^\s*((?:\[[^\]]*\]\s*)?)\[(panic|fatal|error|warning|info|verbose|debug|trace)\]\s*/;
const JUDGED_LEVELS = new Set(['panic', 'fatal', 'error']);

/** Sorts decode log lines; "Last message repeated" and the generic follow-ups join the line before. */
export function classifyLog(lines: readonly string[]): LogLines {
  const out: LogLines = { tags: [], partialSample: [], backstep: [], cut: [], damage: [] };
  let previous: keyof LogLines | undefined;
  let skipping = false;
  for (const tagged of lines) {
    const level = LEVEL.exec(tagged);
    if (level) {
      skipping = !JUDGED_LEVELS.has(level[2]!);
      if (skipping) continue;
    } else if (skipping) continue; // a repeat or a continuation of a line not judged
    const raw = level ? level[1]! + tagged.slice(level[0].length) : tagged;
    const line = stripPrefix(raw);
    if (line === '' || NOISE.test(line)) continue;
    if (previous && FOLLOW_UP.test(line)) {
      // The repeat or restatement counts where its first line did, unless that was a note.
      if (previous === 'damage' || previous === 'cut') out[previous].push(line);
      continue;
    }
    const kind: keyof LogLines = TAG_LINES.some((re) => re.test(line))
      ? 'tags'
      : PARTIAL_SAMPLE.test(line)
        ? 'partialSample'
        : BACKSTEP.test(line)
          ? 'backstep'
          : CUT.test(line)
            ? 'cut'
            : 'damage';
    out[kind].push(line);
    previous = kind;
  }
  return out;
}

/** The decodes the check runs: all of it; then, to place complaints, all but the tail; then the start. */
export interface DecodeRuns {
  full: DecodeRun;
  /** Everything but the last tenth (`headSeconds`), when the full run complained. */
  head?: DecodeRun | undefined;
  /** The first moment only (`startSeconds`), when the head run complained too. */
  start?: DecodeRun | undefined;
}

/** The decode to run next to place the complaints, and how many seconds of it; or none. */
export function nextRun(
  runs: DecodeRuns,
  sampleRate: number,
): { name: 'head' | 'start'; seconds: number } | undefined {
  const sec = runs.full.samples / sampleRate;
  if (!runs.head) {
    const head = headSeconds(sec);
    return badLines(runs.full).length > 0 && head !== undefined
      ? { name: 'head', seconds: head }
      : undefined;
  }
  if (!runs.start && badLines(runs.head).length > 0)
    return { name: 'start', seconds: startSeconds(sec) };
  return undefined;
}

/** The start window: the first tenth, at most 0.1 s. */
function startSeconds(decodedSec: number): number {
  return Number(Math.min(START_MAX_SEC, decodedSec * TAIL_FRACTION).toFixed(6));
}

/**
 * Judges the decode runs (`nextRun` says which to add): the exact length and any notes, or the
 * named error that says why the file cannot be joined.
 *
 * @throws TruncatedAudioError when much less decodes than the container announces (or none of
 *   it), CorruptAudioError when nothing decodes or the audio is damaged between its very start
 *   and its very end.
 */
export function judgeDecode(
  track: TrackRef,
  info: {
    sampleRate: number;
    statedSec?: number | undefined;
    codec?: string | undefined;
    bitsPerSample?: number | undefined;
    /** ffprobe saw fewer bytes than the header announces (AudioInfo.cutShort). */
    cutShort?: boolean | undefined;
  },
  runs: DecodeRuns,
): DecodeVerdict {
  const { full } = runs;
  const durationSec = full.samples / info.sampleRate;
  const stated = info.statedSec;
  const sorted = classifyLog(full.log);
  if (full.samples <= 0) {
    // ffmpeg 5.1 (native and the wasm core) reads 32-bit FLAC's header and decodes none of its
    // frames, saying nothing: the file is whole, the decoder cannot read it.
    if (info.codec === 'flac' && info.bitsPerSample === 32)
      throw new UnsupportedAudioError(text('errors.flac32'), track);
    if (stated !== undefined && stated > 0)
      throw new TruncatedAudioError(text('errors.cutShortNone', lengthText(stated)), track);
    throw new CorruptAudioError(
      withFfmpegWords('errors.nothingDecodes', 'errors.nothingDecodesSaid', sorted.damage),
      track,
    );
  }
  // Cut short: by much (the rule above), or by what ffprobe already saw (`cutShort`). What
  // decodes goes with the error, so the person may keep what plays.
  if (
    stated !== undefined &&
    (info.cutShort
      ? durationSec < stated
      : stated - durationSec > Math.max(CUT_MIN_SEC, stated * CUT_FRACTION))
  )
    throw new TruncatedAudioError(
      text('errors.cutShortHolds', lengthText(durationSec), lengthText(stated)),
      track,
      { decodedSec: durationSec, statedSec: stated },
    );

  const notes: Text[] = [];
  if (sorted.tags.length > 0) notes.push(text('notes.damagedTag'));
  if (sorted.partialSample.length > 0) notes.push(text('notes.partialSample'));
  // A file cut from a longer stream starts with a frame whose bit reservoir is not there: that
  // frame's first granules decode as silence. Once is that; more is damage.
  if (sorted.backstep.length === 1) notes.push(text('notes.backstep'));

  const bad = badLines(full);
  if (bad.length === 0) return { samples: full.samples, durationSec, notes };
  const damaged = (lines: readonly string[]) =>
    new CorruptAudioError(withFfmpegWords('errors.damaged', 'errors.damagedSaid', lines), track);
  if (!runs.head) throw damaged(bad);
  const beforeTail = badLines(runs.head);
  const inTail = lineCount(bad) - lineCount(beforeTail);
  if (inTail > END_NOISE_MAX_LINES) throw damaged(bad);
  if (beforeTail.length > 0) {
    // Junk before the first frame (a FLAC stream that starts with unparsable data) is skipped:
    // fine when every complaint before the tail is already there in the first moment.
    const atStart = runs.start ? lineCount(badLines(runs.start)) : 0;
    if (atStart < lineCount(beforeTail)) throw damaged(beforeTail);
    // Skipped junk takes no audio with it: frames that fail at the start of a file that then
    // holds much less than it announces (an ALS stream whose frames mostly fail) are damage.
    if (stated !== undefined && stated - durationSec > stated * CUT_FRACTION)
      throw damaged(beforeTail);
    notes.push(text('notes.junkStart'));
  }
  if (inTail > 0) notes.push(text('notes.noisyEnd'));
  return { samples: full.samples, durationSec, notes };
}

/** The lines of a run that may mean damage: errors that are not tags, notes or noise. */
function badLines(run: DecodeRun): string[] {
  const sorted = classifyLog(run.log);
  const backstep = sorted.backstep.length > 1 ? sorted.backstep : [];
  return [...sorted.damage, ...sorted.cut, ...backstep];
}

/** Lines, counting "Last message repeated N times" as N. */
function lineCount(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + Number(/^Last message repeated (\d+)/i.exec(l)?.[1] ?? 1), 0);
}

/** The decoded stream's format each time ffmpeg set up its conversion (a decode run's log). */
export interface StreamFormat {
  channels: number;
  /** ffmpeg's layout name: "mono", "stereo", "5.1(side)"… */
  layout: string;
  /** Sample format: "s16", "s32", "fltp"… */
  sampleFormat: string;
  sampleRate: number;
}

/**
 * ffmpeg 5.1 sets its (simple) filter graph up again whenever the decoded frames change sample
 * rate, channel layout or sample format, and the resampler it inserts says at `verbose` what it
 * converts from: "[auto_aresample_0 @ 0x…] [verbose] ch:2 chl:stereo fmt:fltp r:44100Hz -> …".
 * The formats in order, each change once (a file that goes back and forth lists each step).
 * Empty when no conversion was needed (a source already in the check's own 8-bit mono).
 */
export function formatsIn(lines: readonly string[]): StreamFormat[] {
  const out: StreamFormat[] = [];
  for (const line of lines) {
    const m = /\[verbose\] ch:(\d+) chl:(\S+) fmt:(\w+) r:(\d+)Hz ->/.exec(line);
    if (!m) continue;
    const f: StreamFormat = {
      channels: Number(m[1]),
      layout: m[2]!,
      sampleFormat: m[3]!,
      sampleRate: Number(m[4]),
    };
    const last = out[out.length - 1];
    if (
      !last ||
      last.channels !== f.channels ||
      last.layout !== f.layout ||
      last.sampleFormat !== f.sampleFormat ||
      last.sampleRate !== f.sampleRate
    )
      out.push(f);
  }
  return out;
}

/**
 * The change as a sentence (data: it is made in the engine and put into words where shown), or
 * undefined for a stream of one format: "changes sample rate midway (44.1 kHz, then 48 kHz)",
 * "changes channels midway (mono, then stereo, then 6 channels)".
 */
export function describeChange(formats: readonly StreamFormat[]): FormatChange | undefined {
  if (formats.length < 2) return undefined;
  // Each value once per run, compared as written by ffmpeg; then as data in words.
  const steps = (key: (f: StreamFormat) => string, word: (f: StreamFormat) => Sub) =>
    formats.filter((f, i, all) => i === 0 || key(f) !== key(all[i - 1]!)).map(word);
  const kinds: { name: Text; steps: Sub[] }[] = [
    {
      name: text('formatChange.sampleRate'),
      steps: steps(
        (f) => String(f.sampleRate),
        (f) => khzText(f.sampleRate),
      ),
    },
    {
      name: text('formatChange.channels'),
      steps: steps(
        (f) => String(f.channels),
        (f) => channelText(f.channels),
      ),
    },
    {
      name: text('formatChange.sampleFormat'),
      steps: steps(
        (f) => f.sampleFormat.replace(/p$/, ''),
        (f) => sampleFormatText(f.sampleFormat),
      ),
    },
  ].filter((k) => k.steps.length > 1);
  // Only the layout changed (the same count, other speakers): said as channels all the same,
  // in ffmpeg's names for the layouts ("5.1(side)").
  const changed =
    kinds.length > 0
      ? kinds
      : [
          {
            name: text('formatChange.channels'),
            steps: steps(
              (f) => f.layout,
              (f) => f.layout,
            ),
          },
        ];
  const names = changed.map((k) => k.name);
  const named =
    names.length === 1
      ? names[0]!
      : text(
          'formatChange.and',
          names.slice(0, -1).reduce((a, b) => text('formatChange.list', a, b)),
          names[names.length - 1]!,
        );
  const runs = changed
    .map((k) => k.steps.reduce((a, b) => text('formatChange.then', a, b)))
    .reduce((a, b) => text('formatChange.groups', a, b));
  return {
    reason: text('formatChange.midway', named, runs),
    channels: formats.map((f) => f.channels).filter((c, i, all) => i === 0 || c !== all[i - 1]),
    sampleRates: formats
      .map((f) => f.sampleRate)
      .filter((r, i, all) => i === 0 || r !== all[i - 1]),
  };
}

/** A sample format in words, as data: "16-bit", "32-bit float"; ffmpeg's name if unknown. */
function sampleFormatText(format: string): Sub {
  const f = format.replace(/p$/, '');
  const bits = SAMPLE_BITS[f];
  if (bits !== undefined) return text('plan.bitSamples', String(bits));
  if (f === 'flt') return text('formatChange.float');
  if (f === 'dbl') return text('formatChange.double');
  return format;
}

const SAMPLE_BITS: Record<string, number> = { u8: 8, s16: 16, s32: 32, s64: 64 };

/** What ffmpeg said first, quoted as it said it (only its case is kept): ` (ffmpeg: "…")`. */
function withFfmpegWords(
  plain: 'errors.nothingDecodes' | 'errors.damaged',
  said: 'errors.nothingDecodesSaid' | 'errors.damagedSaid',
  lines: readonly string[],
): Text {
  const first = lines.find((l) => !FOLLOW_UP.test(l)) ?? lines[0];
  // ffmpeg's own words stay as ffmpeg wrote them.
  return first ? text(said, ffmpegSaid(first)) : text(plain);
}

/** A log line without its "[flac @ 0x…]" prefix and trailing white space. */
function stripPrefix(line: string): string {
  return line.replace(/^\s*\[[^\]]*\]\s*/, '').trim();
}

/** Seconds for an ffmpeg option: at most 6 decimals, no exponent. */
function seconds(sec: number): string {
  return String(Number(Math.max(0, sec).toFixed(6)));
}
