import { browser } from '#imports';
import type { PageAudioItem } from './urls';
import { scanPage } from './scan';

export type PageScan =
  { ok: true; items: PageAudioItem[]; pageUrl: string } | { ok: false; reason: string };

const KINDS = new Set(['audio-element', 'video-element', 'link', 'og-audio', 'enclosure']);

/**
 * Runs the scanner in a tab (every frame Seam may reach) and returns what it found, validated:
 * the results come from a web page, so each field is checked and anything odd is dropped.
 */
export async function scanTab(tabId: number): Promise<PageScan> {
  let pageUrl = '';
  try {
    pageUrl = (await browser.tabs.get(tabId)).url ?? '';
  } catch {
    return { ok: false, reason: 'That tab is gone.' };
  }
  if (/^(chrome|edge|about|chrome-extension|moz-extension|view-source|devtools):/.test(pageUrl)) {
    return { ok: false, reason: 'Browser and extension pages cannot be scanned for audio.' };
  }
  let results: { result?: unknown }[];
  try {
    results = await browser.scripting.executeScript({
      target: { tabId, allFrames: true },
      func: scanPage,
      args: [],
    });
  } catch {
    try {
      results = await browser.scripting.executeScript({
        target: { tabId },
        func: scanPage,
        args: [],
      });
    } catch {
      return {
        ok: false,
        reason: 'Seam cannot read this page. Open Seam from its toolbar button while on the page.',
      };
    }
  }
  return { ok: true, items: mergeResults(results.map((r) => r.result)), pageUrl };
}

/** Validates and merges per-frame scanner results; the first occurrence of a URL wins. */
export function mergeResults(perFrame: readonly unknown[]): PageAudioItem[] {
  const seen = new Set<string>();
  const out: PageAudioItem[] = [];
  for (const list of perFrame) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const item = validItem(raw);
      if (!item) continue;
      const key = item.url || `stream:${out.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

function validItem(raw: unknown): PageAudioItem | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.url !== 'string' || typeof r.name !== 'string' || typeof r.kind !== 'string') {
    return undefined;
  }
  if (!KINDS.has(r.kind)) return undefined;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
  const item: PageAudioItem = {
    url: r.url.slice(0, 4096),
    name: r.name.slice(0, 120),
    host: str(r.host, 255) ?? '',
    kind: r.kind as PageAudioItem['kind'],
  };
  const mime = str(r.mime, 100);
  if (mime) item.mime = mime;
  const disabledReason = str(r.disabledReason, 200);
  if (disabledReason) item.disabledReason = disabledReason;
  const frame = str(r.frame, 4096);
  if (frame) item.frame = frame;
  return item;
}
