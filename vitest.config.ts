import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    // JSON reports (paths given by npm test) let CI print one closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.output/test-results.json' },
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          setupFiles: ['tests/support/setup-language.ts'],
          // Some unit tests check planned commands with native ffmpeg: seconds of work that a busy
          // 2-core machine can stretch. A timeout is for hangs, not a speed test.
          testTimeout: 60_000,
        },
      },
      {
        // The e2e tests run in Node and drive a browser; they import only pure parts of lib/
        // (lib/core), by the same '@/' paths as the unit tests.
        resolve: {
          alias: { '@': fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '') },
        },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts', 'tests/e2e-firefox/**/*.test.ts'],
          environment: 'node',
          // What the tests expect the UI to say is English, from locales/en.yml.
          setupFiles: ['tests/support/setup-language.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
