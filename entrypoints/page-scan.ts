import { defineUnlistedScript } from '#imports';
import { scanPage } from '@/lib/page-audio/scan';
import { SCAN_OPTIONS_GLOBAL, scanOptionsFrom } from '@/lib/page-audio/scan/options';

// The page scanner (lib/page-audio/scan.ts and scan/), shipped as /page-scan.js and injected by
// lib/page-audio/tab.ts with `scripting.executeScript({ files })` into the isolated world of each
// frame: what main returns is the injection's result.
export default defineUnlistedScript(() =>
  scanPage(document, scanOptionsFrom((globalThis as Record<string, unknown>)[SCAN_OPTIONS_GLOBAL])),
);
