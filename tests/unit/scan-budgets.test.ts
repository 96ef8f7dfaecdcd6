/**
 * The popup's (and "Add all audio on this page"'s) scan of a tab has a time limit of its own
 * (issue 18, "What to build" 3): a page that never runs the scan (busy or frozen with its own
 * scripts) costs a sentence, not a popup waiting forever. What a scan left out is said.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_HITS, SCAN_TIMEOUT_MS, mergeResults, scanTab } from '@/lib/page-audio/tab';

const hit = (i: number) => ({ url: `https://a.test/${i}.mp3`, via: 'link', owner: `a${i}` });

describe('scanTab', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('stops waiting for a page that never answers, and says so', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://frozen.test/' });
    const calls = vi
      .spyOn(fakeBrowser.scripting, 'executeScript')
      .mockImplementation(() => new Promise(() => undefined));
    const scan = scanTab(tab.id!);
    await vi.advanceTimersByTimeAsync(SCAN_TIMEOUT_MS);
    await expect(scan).resolves.toEqual({
      ok: false,
      reason: 'The page did not answer within 5 s, so Seam stopped waiting for it.',
    });
    // Not asked again frame by frame: one wait is enough.
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('says what a scan that stopped early left out', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://big.test/' });
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue([
      {
        frameId: 0,
        documentId: 'd',
        result: { hits: [hit(1)], feeds: [], title: 'Big', isFeed: false, leftOut: 'time' },
      },
    ] as never);
    await expect(scanTab(tab.id!)).resolves.toMatchObject({
      ok: true,
      leftOut: 'Seam stopped reading after 1.5 s: audio further down is not listed.',
    });
  });
});

describe('mergeResults', () => {
  it('caps the hits of all frames together and says so', () => {
    const frame = { hits: Array.from({ length: 3000 }, (_, i) => hit(i)), feeds: [], title: '' };
    const merged = mergeResults([frame, frame]);
    expect(merged.leftOut).toBe('hits');
    expect(mergeResults([frame]).leftOut).toBeUndefined();
    expect(MAX_HITS).toBe(5000);
  });

  it('reads only the start of a very long text from the page', () => {
    const merged = mergeResults([
      { hits: [{ ...hit(1), own: 'A title '.repeat(1_000_000) }], feeds: [], title: '' },
    ]);
    expect([...merged.recordings[0]!.name].length).toBeLessThanOrEqual(200);
  });
});
