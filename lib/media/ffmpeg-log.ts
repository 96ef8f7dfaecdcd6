import { text, type Text } from '@/lib/core/i18n';
import { EBUR128_SUMMARY } from './ebur128';

/** An input file of an ffmpeg run: its path in the engine and the track it holds. */
interface RunInput {
  path: string;
  trackId: string;
}

/** Lines ffmpeg prints when it gives up, and what to tell a person instead. */
const REASONS: readonly [RegExp, Text][] = [
  [/Invalid data found when processing input/i, text('refusals.ffmpegNotAudio')],
  [
    /could not find codec parameters|unknown format|Failed to read frame size/i,
    text('refusals.ffmpegUnknownFormat'),
  ],
  [
    /does not contain any stream|matches no streams|Output file #0 does not contain/i,
    text('refusals.ffmpegNoStream'),
  ],
  [/Error while decoding|Invalid frame|corrupt|Header missing/i, text('refusals.ffmpegDamaged')],
  [
    /Cannot allocate memory|out of memory|memory access out of bounds/i,
    text('refusals.ffmpegMemory'),
  ],
  [/Unknown encoder|Encoder not found/i, text('refusals.ffmpegNoEncoder')],
  [/No such file or directory/i, text('refusals.ffmpegFileMissing')],
];

/** Lines that say something went wrong, in ffmpeg's words. */
const TROUBLE = /error|fail|invalid|could not|cannot|can't|not supported|unable|no such/i;
/** Lines that say nothing about why: progress, the closing "Conversion failed!", empty ones. */
const EMPTY = /^\s*$|^\s*(size|frame)=\s*\S+.*time=|^Conversion failed!?$|^Press \[q\]/i;

/**
 * Explains a failed ffmpeg run from its log: the reason in words and, when a line names one of
 * the input paths, which track it was about. Never says nothing: past the known reasons, the
 * last line that sounds like trouble is quoted, else the last line at all, else the exit code.
 */
export function ffmpegFailure(
  log: readonly string[],
  inputs: readonly RunInput[],
  code?: number,
): { reason: Text; trackId?: string } {
  for (const line of [...log].reverse()) {
    const input = inputs.find((i) => line.includes(i.path));
    const hit = REASONS.find(([re]) => re.test(line));
    if (hit) return { reason: hit[1], ...(input ? { trackId: input.trackId } : {}) };
  }
  const said = [...log].reverse().filter((l) => !EMPTY.test(l));
  const line = said.find((l) => TROUBLE.test(l)) ?? said[0];
  const quoted = line && ffmpegSaid(line, inputs);
  if (quoted) return { reason: text('refusals.ffmpegSaid', quoted) };
  return { reason: text('refusals.ffmpegExitOnly', code ?? '?') };
}

/**
 * A log line fit to quote to a person: without its "[mp3 @ 0x55…]" prefix and the engine's
 * paths (a leading one, and the inputs' anywhere), as ffmpeg wrote it otherwise (its own casing), cut at 80 characters.
 */
export function ffmpegSaid(line: string, inputs: readonly RunInput[] = []): string {
  let text = line.replace(/^\s*\[[^\]]*\]\s*/, '').trim();
  for (const i of inputs) text = text.split(`${i.path}: `).join('').split(i.path).join('the file');
  // The engine's own paths ("/task-…/input.flac: Invalid data…") mean nothing to a person.
  text = text.replace(/^\/\S*: /, '').replace(/\.$/, '');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A task keeps every log line up to this many; past it, only the lines that are judged. */
export const LOG_KEEP_ALL = 2_000;
/** …and none past this many (a file whose every frame complains is damaged long before). */
export const LOG_KEEP_MAX = 50_000;

/**
 * Whether a task's log keeps `line`, with `kept` lines kept so far: everything at first; then
 * lines at error level or above, untagged lines (a run at `-loglevel error` tags none), and the
 * resampler's format lines the decode check reads (lib/media/decode-check.ts, formatsIn) and the
 * head of ebur128's loudness summary (./ebur128.ts). A
 * long file whose every packet warns would otherwise hold a log as long as the file.
 */
export function keepLogLine(line: string, kept: number): boolean {
  if (kept < LOG_KEEP_ALL) return true;
  if (kept >= LOG_KEEP_MAX) return false;
  const level = /\[(panic|fatal|error|warning|info|verbose|debug|trace)\]/.exec(line)?.[1];
  return (
    level === undefined ||
    level === 'panic' ||
    level === 'fatal' ||
    level === 'error' ||
    /\[verbose\] ch:\d+ /.test(line) ||
    EBUR128_SUMMARY.test(line)
  );
}

/**
 * The index of the input ffmpeg has just opened, from its `Input #3, mp3, from '/in/3.mp3':`
 * line (one per `-i`, in order, before it writes anything), or undefined for any other line.
 */
export function openedInput(line: string): number | undefined {
  const m = /^Input #(\d+), /m.exec(line);
  return m ? Number(m[1]) : undefined;
}
