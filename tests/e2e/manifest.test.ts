import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREFOX_BUILD_DIR, SHIPPED_BUILD_DIR } from '../support/paths';

/** The shipped build (`npm run build`), checked for what it asks of the person and what it ships. */
const manifest = (dir = SHIPPED_BUILD_DIR) =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

describe('shipped manifest', () => {
  it('asks for no host access at install; sites are optional, asked one at a time', () => {
    const m = manifest();
    expect(m.host_permissions).toBeUndefined();
    expect(m.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(m.content_scripts).toBeUndefined();
    expect([...m.permissions].sort()).toEqual(
      [
        'activeTab',
        'contextMenus',
        'downloads',
        'offscreen',
        'scripting',
        'storage',
        'unlimitedStorage',
      ].sort(),
    );
  });

  it('allows WebAssembly but no remote script', () => {
    const csp: string = manifest().content_security_policy.extension_pages;
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('ships the ffmpeg core inside the extension, with Seam’s own worker', () => {
    for (const f of ['ffmpeg/ffmpeg-core.js', 'ffmpeg/ffmpeg-core.wasm', 'ffmpeg-worker.js']) {
      expect(existsSync(join(SHIPPED_BUILD_DIR, f)), f).toBe(true);
    }
    expect(statSync(join(SHIPPED_BUILD_DIR, 'ffmpeg/ffmpeg-core.wasm')).size).toBeGreaterThan(20e6);
  });

  it('its ffmpeg worker holds the worker alone: no browser polyfill, no UI code', () => {
    // A worker has no extension APIs: the polyfill throws as it loads there, and ffmpeg never
    // starts (a page's module pulled in by a name once broke every probe, check and join).
    for (const dir of [SHIPPED_BUILD_DIR, FIREFOX_BUILD_DIR]) {
      const worker = readFileSync(join(dir, 'ffmpeg-worker.js'), 'utf8');
      expect(worker, dir).not.toContain('only be loaded in a browser extension');
      expect(worker, dir).not.toContain('dangerouslySetInnerHTML');
    }
  });

  it('carries no test hook', () => {
    expect(readFileSync(join(SHIPPED_BUILD_DIR, 'background.js'), 'utf8')).not.toContain(
      'seamMenuClick',
    );
  });
});

/** Every file of a build, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(dir, f));
}

/** Files a browser or a store reviewer reads as text. */
const TEXT = /\.(js|mjs|html|json|css)$/;

describe.each([
  ['Chrome', SHIPPED_BUILD_DIR],
  ['Firefox', FIREFOX_BUILD_DIR],
])('the shipped %s build', (_name, dir) => {
  const shipped = () => {
    if (!existsSync(join(dir, 'manifest.json'))) {
      throw new Error(`No build in ${dir}: run npm run build and npm run build:firefox first`);
    }
    return files(dir).filter((f) => TEXT.test(f));
  };

  it('holds no CDN URL (unpkg, jsdelivr, cdn.), which store review flags as remote code', () => {
    const found = shipped().flatMap((f) => {
      const hits = readFileSync(join(dir, f), 'utf8').match(/unpkg|jsdelivr|\bcdn\./gi) ?? [];
      return hits.map((h) => `${f}: ${h}`);
    });
    expect(found).toEqual([]);
  });

  it('holds no unused script or worker: each is named by the manifest, a page or another script', () => {
    const texts = shipped();
    const unused = files(dir)
      .filter((f) => /\.(js|mjs|wasm)$/.test(f))
      .filter(
        (f) =>
          !texts.some(
            (other) => other !== f && readFileSync(join(dir, other), 'utf8').includes(basename(f)),
          ),
      );
    expect(unused).toEqual([]);
  });
});

describe('keyboard shortcut', () => {
  it('opens the popup: _execute_action in Chrome (MV3), _execute_browser_action in Firefox (MV2)', () => {
    const shortcut = { suggested_key: { default: 'Alt+Shift+J' }, description: 'Open Seam' };
    expect(manifest().commands).toEqual({ _execute_action: shortcut });
    expect(manifest(FIREFOX_BUILD_DIR).commands).toEqual({ _execute_browser_action: shortcut });
  });
});
