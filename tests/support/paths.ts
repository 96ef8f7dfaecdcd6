/** Where things are: the repository, the builds the browser tests load, the fixtures. */
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The e2e build (`wxt build --mode e2e`): the shipped extension plus host access to 127.0.0.1,
 * standing in for the grant a person's click gives, so tests can serve pages locally.
 * tests/e2e/manifest.test.ts checks the shipped build asks for no host access.
 */
export const E2E_BUILD_DIR = join(ROOT, process.env.SEAM_BUILD_DIR ?? '.output/chrome-mv3-e2e');
/** The shipped Chrome build (`npm run build`): what the benchmark times. */
export const SHIPPED_BUILD_DIR = join(ROOT, '.output/chrome-mv3');
/** The shipped Firefox build (`npm run build:firefox`). */
export const FIREFOX_BUILD_DIR = join(ROOT, '.output/firefox-mv2');
/**
 * The Firefox e2e build (`wxt build -b firefox --mode e2e`): as the Chrome one, the shipped
 * add-on plus host access to 127.0.0.1 and the context menu's test hook. The Firefox tests run it.
 */
export const FIREFOX_E2E_BUILD_DIR = join(
  ROOT,
  process.env.SEAM_FIREFOX_BUILD_DIR ?? '.output/firefox-mv2-e2e',
);

export const FIXTURES = join(ROOT, 'tests/fixtures');

/** Absolute path of a fixture file (`fixture('lossless/vbr-xing.mp3')` for a subfolder). */
export const fixture = (name: string): string => join(FIXTURES, name);
