/**
 * EBU R128 loudness as ffmpeg's ebur128 filter reports it once the stream ends. The decode
 * check runs the filter beside its own decode (./decode-check.ts), so every checked track has
 * its integrated loudness and true peak for "Match loudness" (lib/plan/match-loudness.ts).
 * Pure, and linear in the log's length.
 */

/** A track's measured loudness. */
export interface TrackLoudness {
  /** Integrated loudness, LUFS (-70 or below: silence). */
  i: number;
  /** True peak (4x oversampled), dBTP; the loudest channel's. */
  tp: number;
}

/**
 * The filter for a decode run's side branch: integrated loudness and true peak, each 100 ms
 * frame logged at `verbose` (the task's log keeps few of those: lib/media/ffmpeg-log.ts).
 */
export const EBUR128_FILTER = 'ebur128=peak=true:framelog=verbose';

/** The summary's first line, which the log keeps however long it grew (keepLogLine). */
export const EBUR128_SUMMARY = /ebur128.*\bSummary:\s*$/;

/**
 * The integrated loudness and true peak from ebur128's summary in a log, or undefined when the
 * log holds no complete summary. The summary's lines after its head carry no level tag:
 * "    I:         -20.1 LUFS" under "Integrated loudness:", "    Peak:       -1.2 dBFS" under
 * "True peak:". The last summary counts (a log of one run holds one).
 */
export function parseEbur128Summary(lines: readonly string[]): TrackLoudness | undefined {
  let found: TrackLoudness | undefined;
  let inSummary = false;
  let i: number | undefined;
  let section = '';
  for (const raw of lines) {
    if (EBUR128_SUMMARY.test(raw)) {
      inSummary = true;
      i = undefined;
      section = '';
      continue;
    }
    if (!inSummary) continue;
    const line = raw.trim();
    if (line === '') continue;
    // A tagged line ends the summary (the next thing ffmpeg says).
    if (/^\[/.test(line)) {
      inSummary = false;
      continue;
    }
    if (/^[A-Za-z][A-Za-z ]*:$/.test(line)) {
      section = line.slice(0, -1).toLowerCase();
      continue;
    }
    const m = /^(\w+):\s+(-?(?:\d+(?:\.\d+)?|inf))\s+(LUFS|dBFS|dBTP)$/i.exec(line);
    if (!m) continue;
    const value = m[2]!.toLowerCase() === '-inf' ? -Infinity : Number(m[2]);
    if (section === 'integrated loudness' && m[1] === 'I') i = value;
    if (section === 'true peak' && m[1] === 'Peak' && i !== undefined) {
      found = { i, tp: value };
      inSummary = false;
    }
  }
  return found;
}
