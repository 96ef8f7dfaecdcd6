// Prints the Vitest JSON reports of `npm test` (unit, then e2e; run one after the other so the
// browser tests do not share the 2 cores with native-ffmpeg unit tests) as the one closing line
// CI reads: "tests: N passed, N failed". A missing report (a run that never started) fails.
import { existsSync, readFileSync } from 'node:fs';

const files = ['results-unit.json', 'results-e2e.json'].map(
  (f) => new URL(`../.output/${f}`, import.meta.url),
);
let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const file of files) {
  if (!existsSync(file)) {
    missing++;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (missing) console.error(`${missing} test run(s) did not report: see the output above`);
process.exit(failed > 0 || missing > 0 || passed === 0 ? 1 : 0);
