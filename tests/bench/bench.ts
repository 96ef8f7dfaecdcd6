/**
 * `npm run bench`: times joins in the shipped extension (.output/chrome-mv3, headless Debian
 * Chromium, real ffmpeg.wasm) beside native ffmpeg on the same files, in the same run, and prints
 * a Markdown table of medians, ratios and peak memory. A report, not a test: no thresholds.
 *
 *   npm run bench                  every row, 3 runs each (about 10 minutes)
 *   npm run bench -- --quick       only the rows marked quick (10 x 60 s), 1 run
 *   BENCH_RUNS=5 npm run bench
 *   BENCH_ONLY='Opus|FLAC' npm run bench   only the rows whose name matches
 *   BENCH_JOIN_AFTER_MS=3000        the person's join clicks Join 3 s after it is enabled
 *
 * Writes .output/bench/report.md (the table printed) and .output/bench/report.json (every run).
 * The rows are in rows.ts; the browser and the checks come from tests/support/.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromePath } from '../support/chromium';
import { probeAudio } from '../support/native-ffmpeg';
import { ROOT } from '../support/paths';
import { generateAll, type InputSet } from './inputs';
import { Sampler } from './memory';
import { log, mb, secs, toJson, toMarkdown, type Report, type RowResult } from './report';
import { ROWS } from './rows';
import { SeamBench } from './seam';

const QUICK = process.argv.includes('--quick');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || (QUICK ? 1 : 3));
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const OUT_DIR = join(ROOT, '.output/bench');

async function firstLine(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(cmd, args);
    return stdout.split('\n')[0]?.trim() ?? '';
  } catch {
    return `${cmd}: not found`;
  }
}

async function main(): Promise<number> {
  const rows = (QUICK ? ROWS.filter((r) => r.quick) : ROWS).filter(
    (r) => !ONLY || ONLY.test(r.name),
  );
  const sets = new Map<InputSet, { files: string[]; seconds: number }>();
  for (const set of new Set(rows.map((r) => r.inputs))) {
    const files = await generateAll(set);
    let seconds = 0;
    for (const f of files) seconds += (await probeAudio(f)).durationSec;
    sets.set(set, { files, seconds });
  }
  const versions = {
    chromium: await firstLine(chromePath(), ['--version']),
    ffmpeg: (await firstLine('ffmpeg', ['-version'])).replace(/ Copyright.*/, ''),
    node: process.versions.node,
  };

  // Native and Seam runs take turns, row by row, so that whatever else the machine is doing
  // meanwhile weighs on both columns alike.
  const results: RowResult[] = [];
  const tmp = await mkdtemp(join(os.tmpdir(), 'seam-bench-native-'));
  const sampler = new Sampler();
  const bench = await SeamBench.launch();
  sampler.start();
  try {
    for (const row of rows) {
      const result: RowResult = {
        name: row.name,
        inputs: row.inputs.name,
        native: [],
        seam: [],
        memory: {},
      };
      results.push(result);
      const { files, seconds } = sets.get(row.inputs)!;
      const ctx = {
        files,
        tmp,
        expectedSec: seconds,
        mark: (phase: 'add' | 'join' | undefined) => sampler.mark(phase && `${phase}: ${row.name}`),
      };
      for (let r = 0; r < RUNS; r++) {
        const run = `run ${r + 1}/${RUNS}`;
        sampler.mark(undefined, 'native');
        const n = await row.native(ctx);
        sampler.mark(undefined, undefined);
        result.native.push(n);
        log(`native  ${row.name.padEnd(32)} ${run}: ${secs(n.ms)} (peak RSS ${mb(n.maxRssKb)})`);
        if (result.failure) continue;
        try {
          sampler.mark(undefined, 'seam');
          const res = await row.seam(bench, ctx);
          result.seam.push(res);
          const peak = sampler.peaks.get(`join: ${row.name}`);
          log(
            `Seam    ${row.name.padEnd(32)} ${run}: ${secs(res.joinMs)}` +
              ` (file on disk ${secs(res.diskMs)}, add+list ${res.addListMs === undefined ? 'n/a' : secs(res.addListMs)}, add+probe ${secs(res.addProbeMs)}, checked ${secs(res.checkMs)})` +
              (peak
                ? `; peak so far: largest process ${mb(peak.largestKb)} RSS (${peak.largestType}), all ${mb(peak.pssKb)} PSS`
                : '') +
              (res.check ? `  OUTPUT ODD: ${res.check}` : ''),
          );
          if (r === 0) log(`        plan: ${res.plan}`);
        } catch (err) {
          result.failure = String(err instanceof Error ? err.message : err);
          log(`Seam    ${row.name} ${run}: FAILED: ${result.failure}`);
        } finally {
          sampler.mark(undefined, undefined);
        }
      }
      result.memory = {
        add: sampler.peaks.get(`add: ${row.name}`),
        join: sampler.peaks.get(`join: ${row.name}`),
      };
    }
  } finally {
    sampler.stop();
    await bench.close();
    await rm(tmp, { recursive: true, force: true });
  }

  const cpus = os.cpus();
  const report: Report = {
    date: new Date().toISOString(),
    quick: QUICK,
    runs: RUNS,
    machine: {
      cores: cpus.length,
      cpu: cpus[0]?.model ?? '?',
      ramMb: Math.round(os.totalmem() / 1024 / 1024),
    },
    versions,
    othersCpuShare: { native: sampler.othersShare('native'), seam: sampler.othersShare('seam') },
    reencodeMethod: bench.reencodeMethod,
    rows: results,
    memory: sampler.peaks.get('all'),
  };
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(join(OUT_DIR, 'report.md'), markdown);
  await writeFile(join(OUT_DIR, 'report.json'), toJson(report));
  log(`Written: ${join(OUT_DIR, 'report.md')} and report.json`);
  return results.some((r) => r.failure) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
