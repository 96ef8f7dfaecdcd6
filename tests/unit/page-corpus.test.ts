/**
 * The scanner and the grouping over the real saved pages of tests/fixtures/pages, parsed by
 * happy-dom (no scripts, no layout): the five measures of issue 13, with their goals. The e2e
 * corpus test (tests/e2e/page-corpus.test.ts) measures the same in Chromium through the popup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { groupHits } from '@/lib/page-audio/group';
import { scanPage } from '@/lib/page-audio/scan';
import {
  CORPUS,
  GOALS,
  GOALS_21,
  PAGES_DIR,
  reportAll,
  measurePage,
  ratio,
  summarize,
  type PageResult,
} from '../page-corpus/measures';

const results: PageResult[] = [];

/** A saved page as the browser would hold it; a feed as Chromium shows one: text in a <pre>. */
async function listPage(page: (typeof CORPUS)[number]) {
  const text = readFileSync(join(PAGES_DIR, page.file), 'utf8');
  const window = new Window({
    url: page.url,
    settings: {
      disableJavaScriptFileLoading: true,
      disableJavaScriptEvaluation: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
    },
  });
  try {
    const doc = window.document;
    if (page.kind === 'feed') {
      doc.write('<html><body><pre></pre></body></html>');
      doc.querySelector('pre')!.textContent = text;
    } else doc.write(text);
    // happy-dom's DOM is many times slower than a browser's: the scan's time budget is for
    // Chromium (tests/e2e/page-corpus.test.ts runs these pages there within it).
    const scan = scanPage(doc as unknown as Document, { budgetMs: 60_000 });
    expect(scan.leftOut).toBeUndefined();
    return groupHits(scan).filter((r) => !r.other);
  } finally {
    await window.happyDOM.close();
  }
}

describe('page corpus (happy-dom)', () => {
  it.each(CORPUS.map((p) => [p.slug, p] as const))(
    '%s',
    { timeout: 60_000 },
    async (_slug, page) => {
      const rows = await listPage(page);
      const result = measurePage(
        page,
        rows.map((r) => ({ name: r.name, urls: r.formats.map((f) => f.url) })),
      );
      results.push(result);
      // Never an interface sound, a description page or a live stream as a row.
      const bad = [
        ...(page.interfaceSounds ?? []),
        ...(page.notAudio ?? []),
        ...(page.liveStreams ?? []),
      ];
      // The first corpus holds this already; the new pages are measured (issue 21), their decoys
      // counted as unwanted rows.
      if (!page.batch)
        for (const r of rows) for (const f of r.formats) expect(bad).not.toContain(f.url);
    },
  );

  afterAll(() => {
    const all = summarize(results, undefined, 'first');
    console.log(reportAll('Page corpus, happy-dom', results));
    for (const r of results) {
      if (r.unwanted.length + r.missed.length + r.misnamed.length === 0) continue;
      console.log(
        `${r.slug}: ${JSON.stringify({ unwanted: r.unwanted, missed: r.missed, misnamed: r.misnamed }, null, 1)}`,
      );
    }
    expect(ratio(all.wanted)).toBeGreaterThanOrEqual(GOALS.wanted);
    expect(ratio(all.distinct)).toBeGreaterThanOrEqual(GOALS.distinct);
    expect(ratio(all.foundHtml)).toBeGreaterThanOrEqual(GOALS.foundHtml);
    expect(ratio(all.foundAll)).toBeGreaterThanOrEqual(GOALS.foundAll);
    expect(ratio(all.named)).toBeGreaterThanOrEqual(GOALS.named);
    // Issue 21's goals, on the new pages alone and on the whole corpus.
    for (const set of ['new', 'all'] as const) {
      const m = summarize(results, undefined, set);
      expect(ratio(m.wanted), set).toBeGreaterThanOrEqual(GOALS_21.wanted);
      expect(ratio(m.distinct), set).toBeGreaterThanOrEqual(GOALS_21.distinct);
      expect(ratio(m.foundHtml), set).toBeGreaterThanOrEqual(GOALS_21.foundHtml);
      expect(ratio(m.foundAll), set).toBeGreaterThanOrEqual(GOALS_21.foundAll);
      expect(ratio(m.named), set).toBeGreaterThanOrEqual(GOALS_21.named);
      expect(ratio(m.namedHtml), set).toBeGreaterThanOrEqual(GOALS_21.named);
    }
  });
});
