import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

  it('ships the ffmpeg core inside the extension', () => {
    for (const f of ['ffmpeg-core.js', 'ffmpeg-core.wasm', 'worker.js', 'const.js', 'errors.js']) {
      const path = join(SHIPPED_BUILD_DIR, 'ffmpeg', f);
      expect(existsSync(path), f).toBe(true);
    }
    expect(statSync(join(SHIPPED_BUILD_DIR, 'ffmpeg/ffmpeg-core.wasm')).size).toBeGreaterThan(20e6);
  });

  it('carries no test hook', () => {
    expect(readFileSync(join(SHIPPED_BUILD_DIR, 'background.js'), 'utf8')).not.toContain(
      'seamMenuClick',
    );
  });
});

describe('keyboard shortcut', () => {
  it('opens the popup: _execute_action in Chrome (MV3), _execute_browser_action in Firefox (MV2)', () => {
    const shortcut = { suggested_key: { default: 'Alt+Shift+J' }, description: 'Open Seam' };
    expect(manifest().commands).toEqual({ _execute_action: shortcut });
    expect(manifest(FIREFOX_BUILD_DIR).commands).toEqual({ _execute_browser_action: shortcut });
  });
});
