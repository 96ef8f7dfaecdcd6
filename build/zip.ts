/**
 * `npm run zip`: the three files the stores take, in .output/ — the Chrome Web Store zip, the
 * Firefox add-on zip and the sources zip AMO asks for (its BUILD.md says how to rebuild the
 * add-on from it, byte for byte). Checks each for what a reviewer would flag and prints sizes.
 * `npm run zip:firefox` (what BUILD.md runs) writes only the Firefox add-on and its sources: the
 * sources hold no Chrome-only entrypoint (WXT leaves out what the Firefox build skips).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extensionProblems, sourcesProblems } from './package-check';
import { zipEntries } from './zip-entries';

const root = process.cwd();
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** WXT's default artifact names: {{name}}-{{packageVersion}}-{{browser}}.zip and -sources. */
const ZIPS = {
  chrome: `.output/${name}-${version}-chrome.zip`,
  firefox: `.output/${name}-${version}-firefox.zip`,
  sources: `.output/${name}-${version}-sources.zip`,
};
const firefoxOnly = process.argv.includes('firefox');

const wxt = join(root, 'node_modules/wxt/bin/wxt.mjs');
for (const args of firefoxOnly ? [['zip', '-b', 'firefox']] : [['zip'], ['zip', '-b', 'firefox']]) {
  // A NODE_ENV left in the shell (a test runner sets "test") changes what Vite bundles.
  const env = { ...process.env, NODE_ENV: 'production' };
  const run = spawnSync(process.execPath, [wxt, ...args], { stdio: 'inherit', env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

let failed = false;
console.log('\nStore packages:');
for (const [kind, path] of Object.entries(ZIPS)) {
  if (firefoxOnly && kind === 'chrome') continue;
  const zip = readFileSync(join(root, path));
  const entries = zipEntries(zip);
  const problems = kind === 'sources' ? sourcesProblems(entries) : extensionProblems(entries);
  const size = (statSync(join(root, path)).size / 1e6).toFixed(2);
  console.log(`  ${relative(root, join(root, path))}  ${size} MB  (${entries.length} files)`);
  for (const p of problems) console.error(`    ✗ ${p}`);
  failed ||= problems.length > 0;
}
if (failed) {
  console.error('\nA store would flag the problems above.');
  process.exit(1);
}
