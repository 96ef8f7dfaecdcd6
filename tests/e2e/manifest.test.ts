import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_BUILD_DIR } from '../support/paths';

/** The shipped build (`npm run build`), checked for what it asks of the person and what it ships. */
const manifest = () => JSON.parse(readFileSync(join(SHIPPED_BUILD_DIR, 'manifest.json'), 'utf8'));

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

  it('ships the ffmpeg core inside the extension', () => {
    // The classic-script core and its wasm, run by Seam's own worker (ffmpeg-worker.js).
    for (const f of ['ffmpeg/ffmpeg-core.js', 'ffmpeg/ffmpeg-core.wasm', 'ffmpeg-worker.js']) {
      expect(existsSync(join(SHIPPED_BUILD_DIR, f)), f).toBe(true);
    }
    expect(statSync(join(SHIPPED_BUILD_DIR, 'ffmpeg/ffmpeg-core.wasm')).size).toBeGreaterThan(20e6);
  });

  it('carries no test hook', () => {
    expect(readFileSync(join(SHIPPED_BUILD_DIR, 'background.js'), 'utf8')).not.toContain(
      'seamMenuClick',
    );
  });
});
