/**
 * What a store reviewer would flag in Seam's zips, found before they do: source maps, CDN URLs
 * (remote code, or what looks like it), the e2e build's test hooks and host access, and the
 * files every package must carry (the notices, the privacy page, the ffmpeg core). `npm run zip`
 * runs it on what it wrote; tests/unit/store-zips.test.ts too.
 */
import { NOTICES_FILE } from './notices';
import type { ZipEntry } from './zip-entries';

/** Hosts that serve packages as scripts (ffmpeg.wasm's defaults load its core from two). */
export const CDN_HOSTS =
  /unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh|skypack\.dev/;
/** Names only the e2e build has (entrypoints/background.ts, wxt.config.ts E2E_HOSTS). */
const TEST_HOOKS = /seamMenuClick|http:\/\/127\.0\.0\.1/;
const TEXT = /\.(js|mjs|html|css|json|txt|md)$/;
export const REQUIRED = [
  'manifest.json',
  NOTICES_FILE,
  'privacy.html',
  'ffmpeg/ffmpeg-core.js',
  'ffmpeg/ffmpeg-core.wasm',
];

/** Problems with an extension zip, as sentences naming the file; empty when it is fine. */
export function extensionProblems(entries: readonly ZipEntry[]): string[] {
  const problems: string[] = [];
  const names = new Set(entries.map((e) => e.name));
  for (const file of REQUIRED) if (!names.has(file)) problems.push(`${file} is missing`);
  for (const { name, data } of entries) {
    if (name.endsWith('.map')) problems.push(`${name} is a source map`);
    if (!TEXT.test(name)) continue;
    const text = data.toString('utf8');
    if (/sourceMappingURL=/.test(text)) problems.push(`${name} points to a source map`);
    const cdn = CDN_HOSTS.exec(text);
    if (cdn) problems.push(`${name} names a CDN (${cdn[0]})`);
    const hook = TEST_HOOKS.exec(text);
    if (hook) problems.push(`${name} carries the e2e build's ${hook[0]}`);
  }
  const manifest = entries.find((e) => e.name === 'manifest.json');
  if (manifest) {
    const m = JSON.parse(manifest.data.toString('utf8'));
    if (m.host_permissions) problems.push('manifest.json asks for host access at install');
  }
  return problems;
}

/** Problems with the sources zip AMO asks for. */
export function sourcesProblems(entries: readonly ZipEntry[]): string[] {
  const names = entries.map((e) => e.name);
  const problems = ['BUILD.md', 'package.json', 'package-lock.json', 'wxt.config.ts']
    .filter((f) => !names.includes(f))
    .map((f) => `${f} is missing from the sources`);
  for (const n of names) {
    if (/(^|\/)(node_modules|\.output)\//.test(n))
      problems.push(`${n} should not be in the sources`);
  }
  return problems;
}
