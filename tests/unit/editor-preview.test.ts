import { describe, expect, it } from 'vitest';
import {
  fadeCurve,
  fadeInGain,
  fadeMarks,
  previewPlan,
  previewPositions,
  PREVIEW_LEAD_SEC,
} from '@/lib/editor/preview';

const a = { startSec: 0, endSec: 30 };
const b = { startSec: 2, endSec: 40 };

describe('previewPlan', () => {
  it('plays the tail of one track straight into the next', () => {
    const p = previewPlan(a, b, { kind: 'none' });
    expect(p.a).toEqual({ fromSec: 30 - PREVIEW_LEAD_SEC, toSec: 30, atSec: 0 });
    expect(p.b).toEqual({ fromSec: 2, toSec: 2 + PREVIEW_LEAD_SEC, atSec: PREVIEW_LEAD_SEC });
    expect(p.fadeSec).toBe(0);
    expect(p.totalSec).toBe(2 * PREVIEW_LEAD_SEC);
  });

  it('leaves the gap as silence', () => {
    const p = previewPlan(a, b, { kind: 'gap', seconds: 1.5 });
    expect(p.b.atSec).toBe(PREVIEW_LEAD_SEC + 1.5);
    expect(p.totalSec).toBe(2 * PREVIEW_LEAD_SEC + 1.5);
  });

  it('overlaps a crossfade, with lead time before and after it', () => {
    const p = previewPlan(a, b, { kind: 'crossfade', seconds: 2, curve: 'equal-power' });
    expect(p.a.fromSec).toBe(30 - 2 - PREVIEW_LEAD_SEC);
    expect(p.b.atSec).toBe(PREVIEW_LEAD_SEC);
    expect(p.b.toSec).toBe(2 + 2 + PREVIEW_LEAD_SEC);
    expect(p.fadeSec).toBe(2);
    expect(p.curve).toBe('equal-power');
    // b starts exactly when a has 2 s left.
    expect(p.a.toSec - p.a.fromSec - p.b.atSec).toBe(2);
  });

  it('stays inside short tracks', () => {
    const p = previewPlan(
      { startSec: 1, endSec: 2 },
      { startSec: 0, endSec: 0.5 },
      {
        kind: 'crossfade',
        seconds: 4,
        curve: 'linear',
      },
    );
    expect(p.fadeSec).toBe(0.5);
    expect(p.a.fromSec).toBe(1);
    expect(p.b.toSec).toBe(0.5);
    expect(p.b.atSec).toBe(0.5);
  });
});

describe('fade curves', () => {
  it.each(['linear', 'equal-power', 'logarithmic'] as const)('%s goes from 0 to 1', (curve) => {
    expect(fadeInGain(curve, 0)).toBe(0);
    expect(fadeInGain(curve, 1)).toBe(1);
    const c = fadeCurve(curve, 'in', 11);
    for (let i = 1; i < c.length; i++) expect(c[i]!).toBeGreaterThanOrEqual(c[i - 1]!);
  });

  it('has the shapes of ffmpeg tri, qsin and log', () => {
    expect(fadeInGain('linear', 0.5)).toBe(0.5);
    expect(fadeInGain('equal-power', 0.5)).toBeCloseTo(Math.SQRT1_2, 10);
    // log: 1 + 0.2 log10(x): 0.8 at x = 0.1, -20 dB of headroom per decade.
    expect(fadeInGain('logarithmic', 0.1)).toBeCloseTo(0.8, 10);
    expect(fadeInGain('logarithmic', 1e-6)).toBe(0);
  });

  it('keeps equal power: the two gains square to one across the fade', () => {
    const fin = fadeCurve('equal-power', 'in', 9);
    const fout = fadeCurve('equal-power', 'out', 9);
    for (let i = 0; i < 9; i++) expect(fin[i]! ** 2 + fout[i]! ** 2).toBeCloseTo(1, 6);
  });

  it('mirrors the fade-out', () => {
    const fin = fadeCurve('logarithmic', 'in', 5);
    const fout = fadeCurve('logarithmic', 'out', 5);
    expect(Array.from(fout)).toEqual(Array.from(fin).reverse());
  });
});

describe('previewPositions: where the playheads stand', () => {
  // 5 s and 4 s kept, a 2 s crossfade: 3 s lead, so A plays 0..5 s of its tail from 0 s in.
  const plan = previewPlan(
    { startSec: 0, endSec: 5 },
    { startSec: 0, endSec: 4 },
    { kind: 'crossfade', seconds: 2, curve: 'linear' },
  );
  it.each([
    [0, { a: 0 }],
    [2.5, { a: 2.5 }],
    [3.5, { a: 3.5, b: 0.5 }],
    [5, { a: 5, b: 2 }],
    [6, { b: 3 }],
    [7, { b: 4 }],
    [7.5, {}],
  ])('%s s into the preview: %o', (sec, at) => {
    expect(previewPositions(plan, sec)).toEqual(at);
  });
});

describe('fadeMarks: where a crossfade lies on each waveform', () => {
  it('the fade out over the end of the kept part, the fade in over its start', () => {
    expect(fadeMarks({ startSec: 1, endSec: 9 }, 2, 3)).toEqual([
      { kind: 'in', fromSec: 1, toSec: 3 },
      { kind: 'out', fromSec: 6, toSec: 9 },
    ]);
  });
  it('none without a crossfade, and never longer than the kept part', () => {
    expect(fadeMarks({ startSec: 0, endSec: 5 }, 0, 0)).toEqual([]);
    expect(fadeMarks({ startSec: 4, endSec: 5 }, 0, 2)).toEqual([
      { kind: 'out', fromSec: 4, toSec: 5 },
    ]);
  });
});
