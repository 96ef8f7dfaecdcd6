import type { ScanOptions } from '../scan';

/**
 * The options of a scan injected as a file (`entrypoints/page-scan.ts`): `tab.ts` first sets
 * them on the isolated world's global object with a one-line `executeScript({ func, args })`,
 * then injects /page-scan.js, which reads them here. The page's own scripts run in another world
 * and cannot set them; an element whose id is the global's name can still shadow it (named
 * access on `window`), so only finite numbers are taken and anything else falls back to the
 * scanner's defaults.
 */
export const SCAN_OPTIONS_GLOBAL = '__seamScanOptions';

export function scanOptionsFrom(raw: unknown): ScanOptions {
  const out: ScanOptions = {};
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  for (const key of ['maxFrameDepth', 'maxHits', 'budgetMs'] as const) {
    const v = r[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}
