import { describe, expect, it } from 'vitest';
import { computePeaks, peakLevel, resamplePeaks } from '@/lib/editor/peaks';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('computePeaks', () => {
  it('takes the min and max of each equal slice', () => {
    const p = computePeaks([f32([0.1, -0.2, 0.5, -0.9, 0.3, 0.0, -0.4, 0.8])], 8, 4);
    expect(Array.from(p.max)).toEqual([0.1, 0.5, 0.3, 0.8].map(Math.fround));
    expect(Array.from(p.min)).toEqual([-0.2, -0.9, 0, -0.4].map(Math.fround));
    expect(p.durationSec).toBe(1);
  });

  it('merges every channel into one outline', () => {
    const left = f32([0.5, 0.5, 0, 0]);
    const right = f32([0, 0, -0.75, -0.25]);
    const p = computePeaks([left, right], 4, 2);
    expect(Array.from(p.max)).toEqual([0.5, 0]);
    expect(Array.from(p.min)).toEqual([0, -0.75]);
  });

  it('puts every sample in exactly one bucket when the length does not divide', () => {
    // 10 samples in 3 buckets: [0,3) [3,6) [6,10); a spike at each boundary lands once.
    const data = new Float32Array(10);
    data[2] = 0.2;
    data[3] = 0.3;
    data[9] = 0.9;
    const p = computePeaks([data], 10, 3);
    expect(Array.from(p.max)).toEqual([0.2, 0.3, 0.9].map(Math.fround));
  });

  it('spreads a short signal over more buckets than samples', () => {
    const p = computePeaks([f32([1, -1])], 2, 4);
    expect(Array.from(p.max)).toEqual([1, 1, 0, 0]);
    expect(Array.from(p.min)).toEqual([0, 0, -1, -1]);
  });

  it('clips decoder overshoot to ±1', () => {
    const p = computePeaks([f32([1.4, -1.2])], 2, 1);
    expect(p.max[0]).toBe(1);
    expect(p.min[0]).toBe(-1);
  });

  it('gives flat peaks for silence and for no audio at all', () => {
    expect(Array.from(computePeaks([new Float32Array(100)], 100, 5).max)).toEqual([0, 0, 0, 0, 0]);
    const empty = computePeaks([], 44100, 3);
    expect(empty.durationSec).toBe(0);
    expect(Array.from(empty.max)).toEqual([0, 0, 0]);
  });

  it('measures duration from the longest channel', () => {
    expect(
      computePeaks([new Float32Array(8000), new Float32Array(4000)], 8000, 10).durationSec,
    ).toBe(1);
  });
});

describe('resamplePeaks', () => {
  const peaks = computePeaks([f32([0.1, 0.2, 0.9, 0.1, -0.5, 0.1, 0.3, 0.1])], 8, 8);

  it('keeps every spike when drawing narrower than the buckets', () => {
    const r = resamplePeaks(peaks, 2);
    expect(Array.from(r.max)).toEqual([0.9, 0.3].map(Math.fround));
    expect(Array.from(r.min)).toEqual([0, -0.5]);
  });

  it('repeats buckets when drawing wider', () => {
    const r = resamplePeaks(peaks, 16);
    expect(r.max.length).toBe(16);
    expect(r.max[4]).toBe(Math.fround(0.9));
    expect(r.max[5]).toBe(Math.fround(0.9));
  });

  it('draws a window of the track', () => {
    const r = resamplePeaks(peaks, 2, 0.5, 1);
    expect(Array.from(r.max)).toEqual([0.1, 0.3].map(Math.fround));
  });

  it('gives empty columns for nothing to draw', () => {
    expect(resamplePeaks(peaks, 0).max.length).toBe(0);
    expect(Array.from(resamplePeaks({ ...peaks, durationSec: 0 }, 3).max)).toEqual([0, 0, 0]);
  });
});

describe('peakLevel', () => {
  it('is the loudest absolute sample', () => {
    expect(peakLevel({ min: f32([-0.2, -0.7]), max: f32([0.5, 0.1]) })).toBe(Math.fround(0.7));
    expect(peakLevel({ min: f32([]), max: f32([]) })).toBe(0);
  });
});
