/**
 * `npm run scenarios -- --count N [--seed S] [--seeds 3,17] [--shrink-budget 30] [--no-shrink]`
 *
 * Runs N scenarios (seeds S, S+1, ...) through the built e2e extension in headless Chromium and
 * checks each joined file with native ffmpeg against the oracle (tests/scenarios/oracle.ts).
 * Prints a line per scenario, and for each failing seed its failures and its shrunk scenario as
 * JSON (paste it into a test, or add the seed to tests/e2e/scenarios.test.ts). The report is
 * also written to .output/scenarios/report.json. Exits 1 when any scenario failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';
import { ROOT } from '../support/paths';
import { ScenarioRunner, type ScenarioResult } from './runner';
import { drawScenario, summarize, type Scenario } from './scenario';
import { shrink } from './shrink';

/** A fresh browser every so many scenarios: ffmpeg.wasm does not give all its memory back. */
const RELAUNCH_EVERY = 20;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      seeds: { type: 'string' },
      'shrink-budget': { type: 'string', default: '30' },
      'no-shrink': { type: 'boolean', default: false },
    },
  });
  requireNativeFfmpeg();
  const seeds = values.seeds
    ? values.seeds.split(',').map((x) => Number(x.trim()))
    : Array.from({ length: Number(values.count) }, (_, i) => Number(values.seed) + i);
  let runner = await ScenarioRunner.launch();
  let sinceLaunch = 0;
  const runOne = async (s: Scenario): Promise<ScenarioResult> => {
    if (sinceLaunch >= RELAUNCH_EVERY) {
      await runner.close();
      runner = await ScenarioRunner.launch();
      sinceLaunch = 0;
    }
    sinceLaunch++;
    return runner.run(s);
  };
  const results: ScenarioResult[] = [];
  const shrunk: { seed: number; scenario: Scenario; failures: string[] }[] = [];
  const t0 = Date.now();
  try {
    for (const [k, seed] of seeds.entries()) {
      const scenario = drawScenario(seed);
      const result = await runOne(scenario);
      results.push(result);
      const mark = result.failures.length ? 'FAIL' : 'ok  ';
      const extra = [
        result.lossless ? 'lossless' : '',
        result.parts ? `${result.parts} parts` : '',
        `${result.seconds.toFixed(1)} s`,
      ].filter(Boolean);
      console.log(`${mark} ${k + 1}/${seeds.length} ${summarize(scenario)} [${extra.join(', ')}]`);
      for (const f of result.failures) console.log(`       - ${f}`);
      if (result.failures.length && !values['no-shrink']) {
        const small = await shrink(
          scenario,
          result.failures,
          async (c) => (await runOne(c)).failures,
          Number(values['shrink-budget']),
        );
        shrunk.push({ seed, scenario: small.scenario, failures: small.failures });
        console.log(`       shrunk in ${small.runs} runs to: ${summarize(small.scenario)}`);
        for (const f of small.failures) console.log(`         - ${f}`);
        console.log(`       ${JSON.stringify(small.scenario)}`);
      }
    }
  } finally {
    await runner.close();
  }
  const failed = results.filter((r) => r.failures.length);
  const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
  console.log(
    `\n${results.length} scenarios in ${minutes} min: ${results.length - failed.length} passed, ${failed.length} failed` +
      (failed.length ? ` (seeds ${failed.map((r) => r.scenario.seed).join(', ')})` : ''),
  );
  const dir = join(ROOT, '.output/scenarios');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), JSON.stringify({ results, shrunk }, null, 2));
  process.exitCode = failed.length ? 1 : 0;
}

await main();
