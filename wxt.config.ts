import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { bundledPackages, NOTICES_FILE, thirdPartyNotices } from './build/notices';
import { privacyPage } from './build/privacy';

/**
 * ffmpeg.wasm's core shipped inside the extension (MV3 forbids remote code), copied from
 * node_modules at build time so the 32 MB wasm never lands in git. The classic-script (UMD)
 * build: Seam's own worker (entrypoints/ffmpeg-worker.ts, lib/engine/worker/) loads it with
 * importScripts. @ffmpeg/ffmpeg's worker, class and constants are not shipped: they carry CDN
 * defaults (unpkg URLs) that store review flags, and Seam's worker replaces them.
 */
const ffmpegAssets = [
  ['@ffmpeg/core/dist/umd/ffmpeg-core.js', 'ffmpeg/ffmpeg-core.js'],
  ['@ffmpeg/core/dist/umd/ffmpeg-core.wasm', 'ffmpeg/ffmpeg-core.wasm'],
] as const;

/**
 * The e2e build (`wxt build --mode e2e`, into .output/chrome-mv3-e2e) may reach the tests' local
 * server without a person's click, standing in for the grant a real click gives. The shipped
 * build asks for no host access at install.
 */
const E2E_HOSTS = ['http://127.0.0.1/*'];

/** The suggested keyboard shortcut that opens the popup (README, "Keyboard shortcut"). */
const POPUP_SHORTCUT = 'Alt+Shift+J';

/** What the bundles hold, for THIRD_PARTY_NOTICES.txt (build/notices.ts). */
const bundled = bundledPackages();

/** `npm start` opens this browser (Debian's Chromium unless CHROME_PATH says otherwise). */
const chromePath =
  process.env.CHROME_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const isRoot = process.getuid?.() === 0;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  outDirTemplate: '{{browser}}-mv{{manifestVersion}}{{modeSuffix}}',
  webExt: {
    ...(chromePath ? { binaries: { chrome: chromePath, edge: chromePath } } : {}),
    // Chromium refuses to start its sandbox as root (containers, CI machines).
    chromiumArgs: isRoot ? ['--no-sandbox'] : [],
    startUrls: ['chrome://extensions'],
  },
  zip: {
    // The sources AMO reviews: what `npm ci && npm run zip` needs to rebuild the add-on
    // (BUILD.md), and no tests, fixtures or tooling it does not use.
    includeSources: [
      'BUILD.md',
      'LICENSE',
      'README.md',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'wxt.config.ts',
      'build/**',
      'components/**',
      'entrypoints/**',
      'lib/**',
      'locales/**',
      'public/**',
      'store/**',
    ],
  },
  // No auto-imports: every module says what it imports. (They matched names by their text: a
  // private method `#mount` in the ffmpeg worker pulled components/mount.ts, and with it preact
  // and the browser polyfill, into the worker, which then failed to start.)
  imports: false,
  vite: () => ({ plugins: [preact(), privacyPage(), bundled.plugin] }),
  hooks: {
    'build:before': () => bundled.reset(),
    // Firefox runs the engine in the background page (it has no offscreen API); a persistent
    // page is never suspended, so a long join cannot be cut off.
    'build:manifestGenerated': (wxt, manifest) => {
      if (
        wxt.config.browser === 'firefox' &&
        manifest.manifest_version === 2 &&
        manifest.background
      ) {
        Object.assign(manifest.background, { persistent: true });
      }
    },
    'build:publicAssets': (_wxt, files) => {
      for (const [src, dest] of ffmpegAssets) {
        files.push({ absoluteSrc: resolve('node_modules', src), relativeDest: dest });
      }
      // Runs after every bundle is written: the notices cover what they hold, and the core.
      files.push({
        contents: thirdPartyNotices(bundled.names(), process.cwd()),
        relativeDest: NOTICES_FILE,
      });
    },
  },
  manifest: ({ browser, manifestVersion, mode }) => {
    const mv2 = manifestVersion === 2;
    const sites = ['http://*/*', 'https://*/*'];
    const csp = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';";
    return {
      // The person's language picks these from locales/ (@wxt-dev/i18n writes _locales/).
      default_locale: 'en',
      name: '__MSG_extName__',
      short_name: 'Seam',
      description: '__MSG_extDescription__',
      permissions: [
        'storage',
        'unlimitedStorage',
        'downloads',
        'contextMenus',
        'activeTab',
        'scripting',
        ...(browser === 'firefox' ? [] : ['offscreen']),
        // MV2 has no host_permissions: host patterns sit among the permissions.
        ...(mv2 && mode === 'e2e' ? E2E_HOSTS : []),
      ],
      ...(!mv2 && mode === 'e2e' ? { host_permissions: E2E_HOSTS } : {}),
      // MV2 has no optional_host_permissions either.
      ...(mv2 ? { optional_permissions: sites } : { optional_host_permissions: sites }),
      content_security_policy: mv2 ? csp : { extension_pages: csp },
      action: { default_title: 'Seam' },
      // Opens the popup from the keyboard; the person can change it in the browser's shortcut
      // settings (chrome://extensions/shortcuts, Firefox's "Manage Extension Shortcuts").
      commands: {
        [mv2 ? '_execute_browser_action' : '_execute_action']: {
          suggested_key: { default: POPUP_SHORTCUT },
          description: 'Open Seam',
        },
      },
      ...(browser === 'firefox'
        ? {
            browser_specific_settings: {
              gecko: {
                id: 'seam@seam.invalid',
                strict_min_version: '128.0',
                // Seam collects nothing (AMO asks new add-ons to say so).
                data_collection_permissions: { required: ['none'] },
              },
            },
          }
        : {}),
    };
  },
});
