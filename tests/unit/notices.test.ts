/**
 * THIRD_PARTY_NOTICES.txt (build/notices.ts) and the ffmpeg source offer (build/ffmpeg-core.ts):
 * which package a bundled module belongs to, what the notice holds, and that the README states
 * the same source offer. tests/unit/store-zips.test.ts checks the file is in both store zips.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FFMPEG_CORE, FFMPEG_LIBRARIES } from '@/build/ffmpeg-core';
import { packageOf, thirdPartyNotices } from '@/build/notices';
import { ROOT } from '../support/paths';

describe('packageOf', () => {
  it.each([
    ['/r/node_modules/preact/dist/preact.module.js', 'preact'],
    ['/r/node_modules/@wxt-dev/storage/dist/index.mjs?v=1', '@wxt-dev/storage'],
    ['/r/node_modules/a/node_modules/@scope/b/x.js', '@scope/b'],
    ['C:\\r\\node_modules\\idb\\build\\index.js', 'idb'],
    ['/r/lib/core/errors.ts', undefined],
    ['\0vite/preload-helper.js', undefined],
  ])('%s is in %s', (id, name) => {
    expect(packageOf(id)).toBe(name);
  });
});

describe('third-party notices', () => {
  const text = thirdPartyNotices(['preact', '@webext-core/messaging', 'idb'], ROOT);

  it('covers the ffmpeg core with its source offer and the GPL-2.0 text', () => {
    expect(text).toContain(`${FFMPEG_CORE.package} ${FFMPEG_CORE.version}`);
    expect(text).toContain(FFMPEG_CORE.commit);
    for (const l of FFMPEG_LIBRARIES) expect(text).toContain(`${l.name} ${l.ref} (${l.licence})`);
    expect(text).toContain(
      'GNU GENERAL PUBLIC LICENSE\n                       Version 2, June 1991',
    );
  });

  it("gives each package's version, licence and licence text, sorted", () => {
    const preact = JSON.parse(readFileSync(join(ROOT, 'node_modules/preact/package.json'), 'utf8'));
    expect(text).toContain(`preact ${preact.version}\n${'='.repeat(78)}\nLicence: MIT`);
    expect(text).toContain(readFileSync(join(ROOT, 'node_modules/idb/LICENSE'), 'utf8').trim());
    // A package with no licence file gets its licence's standard terms, said as such.
    expect(text).toContain('@webext-core/messaging ships no licence file; its package.json says');
    const order = ['@webext-core/messaging', 'idb', 'preact'].map((p) => text.indexOf(`\n${p} `));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('fails the build for a package with no licence file and a licence it has no text for', () => {
    const root = mkdtempSync(join(tmpdir(), 'seam-notices-'));
    try {
      mkdirSync(join(root, 'node_modules/odd'), { recursive: true });
      const pkg = { name: 'odd', version: '1.0.0', license: 'SEE LICENSE IN odd.txt' };
      writeFileSync(join(root, 'node_modules/odd/package.json'), JSON.stringify(pkg));
      expect(() => thirdPartyNotices(['odd'], root)).toThrow(/odd ships no licence file/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('README', () => {
  it("states the same ffmpeg source offer (tag, commit, every library's version)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`tree/${FFMPEG_CORE.tag}`);
    expect(readme).toContain(FFMPEG_CORE.commit);
    for (const l of FFMPEG_LIBRARIES) {
      expect(readme).toMatch(
        new RegExp(`\\| ${l.name} +\\| ${l.ref.replace(/[()]/g, '\\$&')} +\\|`),
      );
    }
  });
});
