/**
 * `npm run zip` writes the Chrome and Firefox packages and the sources zip, with nothing a store
 * would flag; then BUILD.md's commands, run on the extracted sources zip, give the same Firefox
 * add-on and the same sources zip, byte for byte. Two real builds: the slowest unit test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICES_FILE } from '@/build/notices';
import { extensionProblems, sourcesProblems } from '@/build/package-check';
import { zipEntries } from '@/build/zip-entries';
import { ROOT } from '../support/paths';

const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const zipPath = (dir: string, kind: string) => join(dir, `.output/${name}-${version}-${kind}.zip`);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const BUILD_TIMEOUT = 600_000;

let rebuilt: string;

beforeAll(() => {
  execFileSync('npm', ['run', 'zip'], { cwd: ROOT, stdio: 'pipe' });
}, BUILD_TIMEOUT);

afterAll(() => {
  if (rebuilt) rmSync(rebuilt, { recursive: true, force: true });
});

describe('store zips', () => {
  it.each(['chrome', 'firefox'])('the %s zip has no source map, CDN URL or test hook', (kind) => {
    const entries = zipEntries(readFileSync(zipPath(ROOT, kind)));
    expect(extensionProblems(entries)).toEqual([]);
    const notices = entries.find((e) => e.name === NOTICES_FILE)!.data.toString('utf8');
    for (const pkg of ['@ffmpeg/core', 'preact', 'webextension-polyfill', 'idb']) {
      expect(notices).toMatch(new RegExp(`^${pkg} \\d`, 'm'));
    }
  });

  it('the checks catch what a store would flag', () => {
    const file = (n: string, text = '') => ({ name: n, data: Buffer.from(text) });
    expect(
      extensionProblems([
        file('manifest.json', '{"host_permissions":["http://127.0.0.1/*"]}'),
        file('a.js', 'x//# sourceMappingURL=a.js.map'),
        file('a.js.map'),
        file('b.js', 'fetch("https://unpkg.com/@ffmpeg/core")'),
        file('c.js', 'globalThis.seamMenuClick = f'),
      ]),
    ).toEqual([
      `${NOTICES_FILE} is missing`,
      'privacy.html is missing',
      'ffmpeg/ffmpeg-core.js is missing',
      'ffmpeg/ffmpeg-core.wasm is missing',
      "manifest.json carries the e2e build's http://127.0.0.1",
      'a.js points to a source map',
      'a.js.map is a source map',
      'b.js names a CDN (unpkg.com)',
      "c.js carries the e2e build's seamMenuClick",
      'manifest.json asks for host access at install',
    ]);
  });

  it('the sources zip has BUILD.md and the lock file, no node_modules or builds', () => {
    const entries = zipEntries(readFileSync(zipPath(ROOT, 'sources')));
    expect(sourcesProblems(entries)).toEqual([]);
    const names = entries.map((e) => e.name);
    expect(names.some((n) => n.startsWith('tests/'))).toBe(false);
  });

  it(
    "BUILD.md's commands on the sources zip rebuild the Firefox add-on byte for byte",
    () => {
      rebuilt = mkdtempSync(join(tmpdir(), 'seam-rebuild-'));
      for (const { name: file, data } of zipEntries(readFileSync(zipPath(ROOT, 'sources')))) {
        execFileSync('mkdir', ['-p', dirname(join(rebuilt, file))]);
        writeFileSync(join(rebuilt, file), data);
      }
      // `npm ci` would install the same lock file's packages; the test reuses this checkout's.
      symlinkSync(join(ROOT, 'node_modules'), join(rebuilt, 'node_modules'));
      const build = readFileSync(join(rebuilt, 'BUILD.md'), 'utf8');
      expect(build).toContain('npm ci\nnpm run zip:firefox\n');
      execFileSync('npm', ['run', 'zip:firefox'], { cwd: rebuilt, stdio: 'pipe' });
      expect(existsSync(zipPath(rebuilt, 'chrome'))).toBe(false);
      expect(sha(zipPath(rebuilt, 'firefox'))).toBe(sha(zipPath(ROOT, 'firefox')));
      expect(sha(zipPath(rebuilt, 'sources'))).toBe(sha(zipPath(ROOT, 'sources')));
    },
    BUILD_TIMEOUT,
  );
});
