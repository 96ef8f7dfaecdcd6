import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/**
 * ffmpeg.wasm pieces shipped inside the extension (MV3 forbids remote code). They are copied from
 * node_modules at build time so the 32 MB wasm never lands in git. The worker and its two imports
 * are shipped as plain files because ffmpeg.wasm's bundled worker URL breaks under the dev server.
 */
const ffmpegAssets = [
  ['@ffmpeg/core/dist/esm/ffmpeg-core.js', 'ffmpeg/ffmpeg-core.js'],
  ['@ffmpeg/core/dist/esm/ffmpeg-core.wasm', 'ffmpeg/ffmpeg-core.wasm'],
  ['@ffmpeg/ffmpeg/dist/esm/worker.js', 'ffmpeg/worker.js'],
  ['@ffmpeg/ffmpeg/dist/esm/const.js', 'ffmpeg/const.js'],
  ['@ffmpeg/ffmpeg/dist/esm/errors.js', 'ffmpeg/errors.js'],
] as const;

/**
 * The e2e build (`wxt build --mode e2e`, into .output/chrome-mv3-e2e) may reach the tests' local
 * server without a person's click, standing in for the grant a real click gives. The shipped
 * build asks for no host access at install.
 */
const E2E_HOSTS = ['http://127.0.0.1/*'];

/** `npm start` opens this browser (Debian's Chromium unless CHROME_PATH says otherwise). */
const chromePath =
  process.env.CHROME_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const isRoot = process.getuid?.() === 0;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  outDirTemplate: '{{browser}}-mv{{manifestVersion}}{{modeSuffix}}',
  webExt: {
    ...(chromePath ? { binaries: { chrome: chromePath, edge: chromePath } } : {}),
    // Chromium refuses to start its sandbox as root (containers, CI machines).
    chromiumArgs: isRoot ? ['--no-sandbox'] : [],
    startUrls: ['chrome://extensions'],
  },
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      for (const [src, dest] of ffmpegAssets) {
        files.push({ absoluteSrc: resolve('node_modules', src), relativeDest: dest });
      }
    },
  },
  manifest: ({ browser, mode }) => ({
    name: 'Seam: join audio, on your machine',
    short_name: 'Seam',
    description:
      'Join audio files without uploading them: local files and page audio, joined by ffmpeg inside your browser.',
    permissions: [
      'storage',
      'unlimitedStorage',
      'downloads',
      'contextMenus',
      'activeTab',
      'scripting',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    ...(mode === 'e2e' ? { host_permissions: E2E_HOSTS } : {}),
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';",
    },
    action: { default_title: 'Seam' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'seam@seam.invalid', strict_min_version: '128.0' },
          },
        }
      : {}),
  }),
});
