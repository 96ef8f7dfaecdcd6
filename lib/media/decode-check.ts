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
 *   damage: a second decode of all but that tail runs clean.
 * - A file that decodes to much less than its container announces (more than 2 s and more
 *   than 10 % missing) is cut short; one that decodes to nothing cannot be joined at all.
 */
import { CorruptAudioError, TruncatedAudioError } from '@/lib/core/errors';
import { formatLength } from '@/lib/core/text';
import type { TrackRef } from '@/lib/core/track';

/** Missing audio below both of these is an estimate's slack, not a cut. */
const CUT_MIN_SEC = 2;
const CUT_FRACTION = 0.1;
/** "The very end": this share of the decoded length, within these bounds. */
const TAIL_FRACTION = 0.1;
const TAIL_MIN_SEC = 0.02;
const TAIL_MAX_SEC = 0.5;
/**
 * One bad frame makes up to this many lines (FLAC: "invalid sync code", "invalid frame header",
 * "decode_frame() failed", "Error while decoding stream…"). More at the end is not a quirk: a
 * stream whose later frames all fail (a bit depth that changes midway) also "ends" there, as
 * frames that fail give no samples.
 */
const END_NOISE_MAX_LINES = 4;

/**
 * ffmpeg arguments that decode the first audio stream of `input` to nothing and write its exact
 * sample count to `progressPath`: `asetpts=N/SR/TB` makes each frame's time its sample count, so
 * the last `out_time_us` is samples / rate (a container's own timestamps start anywhere: WMA's
 * at 64 ms). `limitSec` decodes only that much (the check of all but the tail).
 */
export function decodeArgs(
  input: string,
  progressPath: string,
  opts: { limitSec?: number; inputArgs?: readonly string[] } = {},
): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error'],
    ...(opts.inputArgs ?? []),
    ...(opts.limitSec !== undefined ? ['-t', seconds(opts.limitSec)] : []),
    ...['-i', input, '-map', '0:a:0', '-af', 'asetpts=N/SR/TB'],
    ...['-progress', progressPath, '-f', 'null', '-'],
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

/** Sample frames from a `-progress` file of a `decodeArgs` run at this sample rate. */
export function progressSamples(text: string | undefined, sampleRate: number): number | undefined {
  const sec = progressSeconds(text);
  return sec === undefined ? undefined : Math.round(sec * sampleRate);
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
  notes: string[];
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
/** Lines that only restate the one before ("Error while decoding stream…", "Last message…"). */
const FOLLOW_UP = /^(Last message repeated \d+ times?|Error while decoding stream #\d+:\d+)/i;

/** Sorts decode log lines; "Last message repeated" and the generic follow-ups join the line before. */
export function classifyLog(lines: readonly string[]): LogLines {
  const out: LogLines = { tags: [], partialSample: [], backstep: [], cut: [], damage: [] };
  let previous: keyof LogLines | undefined;
  for (const raw of lines) {
    const line = stripPrefix(raw);
    if (line === '') continue;
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

/** True when the full run found something that only a decode without the tail can place. */
export function needsHeadRun(full: DecodeRun, sampleRate: number): boolean {
  const sorted = classifyLog(full.log);
  return (
    (sorted.damage.length > 0 || sorted.cut.length > 0) &&
    headSeconds(full.samples / sampleRate) !== undefined
  );
}

/**
 * Judges a full decode (and, when `needsHeadRun` said so, a decode of all but the tail):
 * the exact length and any notes, or the named error that says why the file cannot be joined.
 *
 * @throws TruncatedAudioError when much less decodes than the container announces (or none of
 *   it), CorruptAudioError when nothing decodes or the audio is damaged before its very end.
 */
export function judgeDecode(
  track: TrackRef,
  info: { sampleRate: number; statedSec?: number | undefined },
  full: DecodeRun,
  head?: DecodeRun,
): DecodeVerdict {
  const durationSec = full.samples / info.sampleRate;
  const stated = info.statedSec;
  const sorted = classifyLog(full.log);
  if (full.samples <= 0) {
    if (stated !== undefined && stated > 0)
      throw new TruncatedAudioError(
        `The file is cut short: none of the ${formatLength(stated)} its header announces can be decoded.`,
        track,
      );
    throw new CorruptAudioError(
      `No audio in it can be decoded${damageWords(sorted.damage, ' ')}.`,
      track,
    );
  }
  if (stated !== undefined && stated - durationSec > Math.max(CUT_MIN_SEC, stated * CUT_FRACTION))
    throw new TruncatedAudioError(
      `The file is cut short: it holds ${formatLength(durationSec)} of the ${formatLength(stated)} its header announces.`,
      track,
    );

  const notes: string[] = [];
  if (sorted.tags.length > 0) notes.push('has a damaged tag, which is ignored');
  if (sorted.partialSample.length > 0)
    notes.push('ends with an incomplete sample, which is left out');
  // A file cut from a longer stream starts with a frame whose bit reservoir is not there: that
  // frame's first granules decode as silence. Once is that; more is damage.
  if (sorted.backstep.length === 1)
    notes.push(
      'starts with a frame that needs audio from before the file began (a moment of silence)',
    );
  else sorted.damage.push(...sorted.backstep);

  const bad = [...sorted.damage, ...sorted.cut];
  if (bad.length > 0) {
    const before = head ? classifyLog(head.log) : undefined;
    const earlier = before ? [...before.damage, ...before.cut] : bad;
    if (before && earlier.length === 0 && lineCount(bad) <= END_NOISE_MAX_LINES) {
      notes.push('ends with a moment that does not decode cleanly; the rest is whole');
    } else {
      throw new CorruptAudioError(
        `The audio is damaged: part of it cannot be decoded${damageWords(earlier.length > 0 ? earlier : bad, ' ')}.`,
        track,
      );
    }
  }
  return { samples: full.samples, durationSec, notes };
}

/** Lines, counting "Last message repeated N times" as N. */
function lineCount(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + Number(/^Last message repeated (\d+)/i.exec(l)?.[1] ?? 1), 0);
}

/** What ffmpeg said first, quoted as it said it (only its case is kept): ` (ffmpeg: "…")`. */
function damageWords(lines: readonly string[], lead: string): string {
  const first = lines.find((l) => !FOLLOW_UP.test(l)) ?? lines[0];
  if (!first) return '';
  const said = first.replace(/\.$/, '');
  const short = said.length > 80 ? `${said.slice(0, 79)}…` : said;
  return `${lead}(ffmpeg reports “${short}”)`;
}

/** A log line without its "[flac @ 0x…]" prefix and trailing white space. */
function stripPrefix(line: string): string {
  return line.replace(/^\s*\[[^\]]*\]\s*/, '').trim();
}

/** Seconds for an ffmpeg option: at most 6 decimals, no exponent. */
function seconds(sec: number): string {
  return String(Number(Math.max(0, sec).toFixed(6)));
}
