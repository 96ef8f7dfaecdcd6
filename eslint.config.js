import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import noUiLiteral from './eslint/ui-text.js';

/**
 * Besides the recommended rules, the architecture's boundaries (lib/README.md), so that a
 * crossing fails `npm run check`:
 * - pure folders (lib/core, lib/containers, lib/media, lib/plan, lib/lossless, lib/segments, and
 *   lib/editor but for the files that play and draw audio) import no browser API, no UI
 *   framework, no storage, no engine, and only each other, by `@/lib/…` or relative paths alike;
 * - no two files of lib/ import each other in a circle (import-x/no-cycle; build/folder-cycles.ts
 *   does the same for folders, in `npm run check`);
 * - no function in lib/ is over 80 lines (an error; a table or an injected function that must
 *   stay whole says why where it is: lib/page-audio/scan.ts's scanPage);
 * - components/ import no browser API and declare no domain limits (they come from lib/core);
 * - lib/ imports nothing from components/ or entrypoints/;
 * - components/ hard-code no words a person reads: they come from locales/ (eslint/ui-text.js).
 */
const PURE = [
  'lib/core/**',
  'lib/containers/**',
  'lib/media/**',
  'lib/plan/**',
  'lib/lossless/**',
  'lib/segments/**',
  'lib/editor/**',
];
/** The editor's files that play and draw audio in extension pages (lib/README.md). */
const EDITOR_IMPURE = ['lib/editor/player.ts', 'lib/editor/waveform.ts'];

const noUpward = {
  group: ['**/components/*', '@/components/*', '**/entrypoints/*', '@/entrypoints/*'],
  message: 'lib/ must not depend on components/ or entrypoints/.',
};
const browserApis = {
  group: ['wxt/*', 'webextension-polyfill', '@webext-core/*', '@wxt-dev/*'],
  message: 'No browser API here: this folder is pure (see lib/README.md).',
};
// "#" starts a comment in the patterns' gitignore syntax: '#imports' is named as a path.
const wxtImports = { name: '#imports', message: browserApis.message };
const uiFramework = {
  group: ['preact', 'preact/*'],
  message: 'No UI framework in lib/: components draw, lib decides.',
};
// Each impure folder by `@/lib/…` and by relative path ("../store/tracks", "../../engine/x").
const IMPURE_FOLDERS = ['store', 'job', 'engine', 'queue', 'page-audio', 'protocol'];
const impureLib = {
  group: [
    ...IMPURE_FOLDERS.flatMap((f) => [`@/lib/${f}`, `@/lib/${f}/**`, `**/${f}`, `**/${f}/**`]),
    ...EDITOR_IMPURE.map((f) => `**/editor/${f.split('/').pop().replace(/\.ts$/, '')}`),
    'idb',
    '@ffmpeg/*',
  ],
  message:
    'A pure folder imports only pure folders (core, containers, media, plan, lossless, segments, editor).',
};
const browserGlobals = [
  { name: 'browser', message: 'No browser API here (see lib/README.md).' },
  { name: 'chrome', message: 'No browser API here (see lib/README.md).' },
  { name: 'indexedDB', message: 'No storage here (see lib/README.md).' },
];

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'tests/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUpward, uiFramework] }] },
  },
  {
    files: ['lib/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: PURE,
    ignores: EDITOR_IMPURE,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [wxtImports], patterns: [noUpward, uiFramework, browserApis, impureLib] },
      ],
      'no-restricted-globals': ['error', ...browserGlobals],
    },
  },
  {
    files: ['components/**'],
    plugins: { seam: { rules: { 'no-ui-literal': noUiLiteral } } },
    rules: {
      'seam/no-ui-literal': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '#imports', importNames: ['browser'], message: 'Components draw.' }],
          patterns: [
            {
              group: ['wxt/browser', 'webextension-polyfill', '@webext-core/*'],
              message: 'Components draw.',
            },
            { group: ['idb', '@ffmpeg/*'], message: 'Components draw.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...browserGlobals],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'VariableDeclarator[id.name=/^[A-Z0-9_]*(MIN|MAX|LIMIT|LUFS|_SEC|_MB|_BYTES)[A-Z0-9_]*$/][init.type="Literal"]',
          message: 'Domain limits live in lib/core/limits.ts, not in components.',
        },
      ],
    },
  },
);
