// Prints Vitest's JSON report as the one closing line CI reads: "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../.output/test-results.json', import.meta.url)));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
    (skipped ? `, ${skipped} skipped` : ''),
);
process.exit(report.numFailedTests > 0 || report.numTotalTests === 0 ? 1 : 0);
