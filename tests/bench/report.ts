/** The benchmark's report: a Markdown table for people and the same numbers as JSON. */
import type { MemoryPeak } from './memory';
import type { NativeRun } from './native';
import type { ReencodeMethod, SeamRun } from './seam';

export interface RowResult {
  name: string;
  /** The input set's name ("10 × 60 s"). */
  inputs: string;
  native: NativeRun[];
  seam: SeamRun[];
  /** Why Seam's runs stopped, when one failed. */
  failure?: string;
  /** Chromium's peak memory while Seam added and probed the inputs, and while it joined. */
  memory: { add?: MemoryPeak; join?: MemoryPeak };
}

export interface Report {
  date: string;
  quick: boolean;
  runs: number;
  machine: { cores: number; cpu: string; ramMb: number };
  versions: { chromium: string; ffmpeg: string; node: string };
  /** Share of the machine's CPU other processes used while native ffmpeg, and Seam, ran. */
  othersCpuShare: { native: number; seam: number };
  reencodeMethod?: ReencodeMethod;
  rows: RowResult[];
  /** Chromium's peak memory over the whole run. */
  memory?: MemoryPeak;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function secs(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

export function mb(kb: number): string {
  return `${Math.round(kb / 1024)} MB`;
}

/** Progress goes to stderr; the report to stdout. */
export function log(msg: string): void {
  console.error(msg);
}

const ratio = (x: number) => `${x < 1 ? x.toFixed(2) : x.toFixed(1)}x`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Medians of a row, for the table and the JSON. */
export function summarize(row: RowResult) {
  const firstProgress = row.seam.flatMap((r) => (r.firstProgressMs ? [r.firstProgressMs] : []));
  const nativeMs = median(row.native.map((r) => r.ms));
  const persons = row.seam.flatMap((r) => (r.person ? [r.person] : []));
  const seamMs = row.seam.length ? median(row.seam.map((r) => r.joinMs)) : undefined;
  return {
    nativeMs,
    nativeMaxRssKb: Math.max(0, ...row.native.map((r) => r.maxRssKb)),
    seamJoinMs: seamMs,
    seamDiskMs: row.seam.length ? median(row.seam.map((r) => r.diskMs)) : undefined,
    seamAddProbeMs: row.seam.length ? median(row.seam.map((r) => r.addProbeMs)) : undefined,
    seamFirstProgressMs: firstProgress.length ? median(firstProgress) : undefined,
    ratio: seamMs === undefined ? undefined : seamMs / nativeMs,
    personSavedMs: persons.length ? median(persons.map((p) => p.addToSavedMs)) : undefined,
    // A forced re-encode (the probe tag) can only be set up once the checks are done: its
    // person's clock is the checks, then the join to the file on disk (marked as derived).
    derivedSavedMs: row.seam.length ? median(row.seam.map((r) => r.checkMs + r.diskMs)) : undefined,
    personEnabledMs: persons.length ? median(persons.map((p) => p.enabledMs)) : undefined,
    longestStillMs: Math.max(
      0,
      ...row.seam.map((r) => r.longestStillMs ?? 0),
      ...persons.map((p) => p.longestStillMs),
    ),
  };
}

/** Add + probe per input set: the median over every Seam run on it, and its memory peak. */
function addProbe(report: Report) {
  const sets = [...new Set(report.rows.map((r) => r.inputs))];
  return sets.flatMap((inputs) => {
    const rows = report.rows.filter((r) => r.inputs === inputs);
    const runs = rows.flatMap((r) => r.seam);
    if (runs.length === 0) return [];
    const peaks = rows.flatMap((r) => (r.memory.add ? [r.memory.add] : []));
    return [
      {
        inputs,
        medianMs: median(runs.map((r) => r.addProbeMs)),
        listMs: listed(runs),
        checkMs: median(runs.map((r) => r.checkMs)),
        memory: maxPeak(peaks),
      },
    ];
  });
}

/** The median of the runs' add + list times, when every run saw the list complete. */
function listed(runs: readonly { addListMs?: number }[]): number | undefined {
  const times = runs.flatMap((r) => (r.addListMs !== undefined ? [r.addListMs] : []));
  return times.length === runs.length ? median(times) : undefined;
}

function maxPeak(peaks: MemoryPeak[]): MemoryPeak | undefined {
  if (peaks.length === 0) return undefined;
  const largest = peaks.reduce((a, b) => (b.largestKb > a.largestKb ? b : a));
  return {
    largestKb: largest.largestKb,
    largestType: largest.largestType,
    totalKb: Math.max(...peaks.map((p) => p.totalKb)),
    pssKb: Math.max(...peaks.map((p) => p.pssKb)),
  };
}

/** The report as JSON: every run's numbers, and each row's medians. */
export function toJson(report: Report): string {
  return `${JSON.stringify(
    {
      ...report,
      rows: report.rows.map((r) => ({ ...r, summary: summarize(r) })),
      addProbe: addProbe(report),
    },
    null,
    2,
  )}\n`;
}

/** The report as Markdown: a line about the machine, the timings, the memory, what was measured. */
export function toMarkdown(report: Report): string {
  const { machine, versions, othersCpuShare: busy } = report;
  const lines: string[] = [];
  lines.push(
    `Seam benchmark, ${report.date.slice(0, 16).replace('T', ' ')} UTC: ` +
      `${machine.cores} cores (${machine.cpu}), ${mb(machine.ramMb * 1024)} RAM; ` +
      `${versions.chromium}; ${versions.ffmpeg}; Node ${versions.node}. ` +
      `Median of ${report.runs} run${report.runs === 1 ? '' : 's'}${report.quick ? ' (--quick)' : ''}. ` +
      `Other processes used ${pct(busy.native)} of the machine's CPU during the native runs ` +
      `and ${pct(busy.seam)} during the Seam runs.`,
  );
  if (Math.max(busy.native, busy.seam) > 0.1) {
    lines.push(
      '',
      'Note: other work was running on the machine meanwhile; with 2 cores, timings may be ' +
        'slower than on an idle machine. Native and Seam runs alternate, so both see it.',
    );
  }
  lines.push(
    '',
    '| job | native ffmpeg | Seam (extension) | ratio | Seam, file on disk | add to saved (Join when enabled) | its ratio | longest still | peak memory (largest process) |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of report.rows) {
    const s = summarize(row);
    const peak = row.memory.join ? mb(row.memory.join.largestKb) : 'n/a';
    if (s.seamJoinMs === undefined) {
      lines.push(
        `| ${row.name} | ${secs(s.nativeMs)} | failed | n/a | n/a | n/a | n/a | n/a | ${peak} |`,
      );
      continue;
    }
    const note = row.failure ? ` (${row.seam.length} of ${report.runs} runs; then failed)` : '';
    const person =
      s.personSavedMs !== undefined
        ? `${secs(s.personSavedMs)} (Join on at ${secs(s.personEnabledMs!)}) | ${ratio(s.personSavedMs / s.nativeMs)}`
        : s.derivedSavedMs !== undefined
          ? `${secs(s.derivedSavedMs)} † | ${ratio(s.derivedSavedMs / s.nativeMs)}`
          : 'n/a | n/a';
    lines.push(
      `| ${row.name} | ${secs(s.nativeMs)} | ${secs(s.seamJoinMs)}${note} | ${ratio(s.ratio!)} | ${secs(s.seamDiskMs!)} | ${person} | ${secs(s.longestStillMs)} | ${peak} |`,
    );
  }
  // How soon Join shows progress, on the first re-encode row (the engine is warm from the probes).
  const firstReencode = report.rows.find((r) => /re-encode/.test(r.name));
  const first = firstReencode && summarize(firstReencode).seamFirstProgressMs;
  if (first !== undefined) {
    lines.push(
      `| Join to first progress (${firstReencode!.name}; click to the bar above 0 %) | n/a | ${secs(first)} | n/a | n/a |`,
    );
  }
  const adds = addProbe(report);
  for (const a of adds) {
    if (a.listMs !== undefined) {
      lines.push(
        `| add + list ${a.inputs} (from setInputFiles until the list shows every track with its length, from its header) | n/a | ${secs(a.listMs)} | n/a | n/a |`,
      );
    }
    lines.push(
      `| add + probe ${a.inputs} (informative; from setInputFiles until all listed, Join enabled) | n/a | ${secs(a.medianMs)} | n/a | n/a |`,
      `| add + decode check ${a.inputs} (every track decoded to its end, in the background; Join above is clicked after it) | n/a | ${secs(a.checkMs)} | n/a | n/a |`,
    );
  }

  lines.push(
    '',
    '| peak memory during | native ffmpeg (maxrss) | largest Chromium process (RSS) | all Chromium processes (RSS sum) | all Chromium processes (PSS sum) |',
    '| --- | --- | --- | --- | --- |',
  );
  const peakRow = (label: string, native: string, p: MemoryPeak | undefined) => {
    if (p) {
      lines.push(
        `| ${label} | ${native} | ${mb(p.largestKb)} (${p.largestType}) | ${mb(p.totalKb)} | ${mb(p.pssKb)} |`,
      );
    }
  };
  for (const a of adds) peakRow(`add + probe ${a.inputs}`, 'n/a', a.memory);
  for (const row of report.rows) {
    peakRow(row.name, mb(summarize(row).nativeMaxRssKb), row.memory.join);
  }
  peakRow('the whole run', 'n/a', report.memory);

  lines.push(
    '',
    '"Add to saved": a second join of the same files as a person does it: the output chosen ' +
      'first, the files added, Join clicked as soon as it is enabled, timed from adding to the ' +
      'download\'s completion (its ratio against the native column). "Longest still": the ' +
      'longest the progress bar kept the same percent and phase between the click and done, ' +
      'over both joins. A re-encode of matching MP3s forced by tagging a stored probe result ' +
      "is tagged, in the person's join, as soon as every track is probed (a re-encode waits " +
      "for the probes in Seam too), and Join is clicked right after; † where no person's " +
      'join was run, its add to saved is the checks, then the join to the file on disk. ' +
      'Seam (extension): from the click on Join to the job record turning "done" in ' +
      'storage.session (the join finished and the download started); Join is clicked once ' +
      'every track\'s decode check is done (its own row above). "File on disk": to the ' +
      "download's completion. Native ffmpeg: wall time of the process, output written to disk. " +
      'Lossless: Seam stitches the MP3 frames in JS; native uses the concat demuxer with ' +
      '-c copy. Re-encode: native uses the concat filter and libmp3lame -b:a 192k.' +
      (report.reencodeMethod
        ? ` Seam was made to re-encode matching MP3s by ${
            report.reencodeMethod === 'setting'
              ? 'the output setting sampleRate: 44100 (chrome.storage.local "output")'
              : "tagging the first track's stored probe result with another codec name " +
                '(Seam has no "force re-encode" option), so it plans its ordinary re-encode ' +
                '(decode, concat filter, LAME 192 kb/s)'
          }.`
        : '') +
      " Chromium's memory is sampled every 200 ms from /proc; the RSS sum counts shared pages " +
      'once per process that maps them, the PSS sum shares them out (closer to what the run ' +
      "really uses). Native ffmpeg's is its own peak RSS (getrusage, through -benchmark).",
  );
  const odd = report.rows.flatMap((r) =>
    r.seam.filter((x) => x.check).map((x) => `${r.name}: ${x.check}`),
  );
  if (odd.length > 0) lines.push('', 'Odd outputs:', ...odd.map((o) => `- ${o}`));
  const failed = report.rows.filter((r) => r.failure);
  if (failed.length > 0) {
    lines.push('', 'Failures:', ...failed.map((r) => `- ${r.name}: ${r.failure}`));
  }
  return `${lines.join('\n')}\n`;
}
