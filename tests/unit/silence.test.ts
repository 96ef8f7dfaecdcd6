import { describe, expect, it } from 'vitest';
import { edgeLevels } from '@/lib/editor/peaks';
import { dbToLinear, edgeSilenceTrim, SILENCE_PAD_SEC } from '@/lib/editor/silence';

const RATE = 8000;

/** A mono track: `lead` s of near silence, `body` s of a tone, `trail` s of near silence. */
function track(lead: number, body: number, trail: number, noiseDb = -70): Float32Array {
  const n = Math.round((lead + body + trail) * RATE);
  const out = new Float32Array(n);
  const noise = dbToLinear(noiseDb);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const inBody = t >= lead && t < lead + body;
    out[i] = inBody ? 0.5 * Math.sin(2 * Math.PI * 440 * t) : noise * Math.sin(i * 1.7);
  }
  return out;
}

describe('silence at the ends of a track', () => {
  it('finds 2 s of lead and 3 s of tail silence, keeping a little pad', () => {
    const trim = edgeSilenceTrim(edgeLevels([track(2, 5, 3)], RATE));
    expect(trim.startSec).toBeCloseTo(2 - SILENCE_PAD_SEC, 1);
    expect(trim.endSec).toBeCloseTo(7 + SILENCE_PAD_SEC, 1);
  });

  it('silence shorter than the minimum is left alone', () => {
    expect(edgeSilenceTrim(edgeLevels([track(0.3, 5, 0.2)], RATE))).toEqual({ startSec: 0 });
  });

  it('the threshold decides what counts as silence', () => {
    const hum = edgeLevels([track(2, 5, 2, -40)], RATE);
    // A -40 dBFS hum is sound at -50 dBFS, silence at -30 dBFS.
    expect(edgeSilenceTrim(hum, { thresholdDb: -50, minSec: 0.5 })).toEqual({ startSec: 0 });
    expect(edgeSilenceTrim(hum, { thresholdDb: -30, minSec: 0.5 }).startSec).toBeGreaterThan(1.5);
  });

  it('a click in the silence does not end it', () => {
    const samples = track(2, 5, 0);
    for (let i = 4000; i < 4040; i++) samples[i] = 0.9; // 5 ms click at 0.5 s
    expect(edgeSilenceTrim(edgeLevels([samples], RATE)).startSec).toBeCloseTo(1.9, 1);
  });

  it('a silent track is left as it is; stereo counts its louder channel', () => {
    expect(edgeSilenceTrim(edgeLevels([new Float32Array(RATE * 3)], RATE))).toEqual({
      startSec: 0,
    });
    const left = track(2, 5, 0);
    const right = track(1, 6, 0);
    expect(edgeSilenceTrim(edgeLevels([left, right], RATE)).startSec).toBeCloseTo(0.9, 1);
  });

  it('long tracks are read at their ends only, to the hundredth', () => {
    const levels = edgeLevels([track(1.234, 100, 2)], RATE);
    expect(levels.head.length).toBe(3000);
    expect(levels.tail.length).toBe(3000);
    const trim = edgeSilenceTrim(levels);
    expect(trim.startSec).toBeCloseTo(1.13, 2);
    expect(trim.endSec).toBeCloseTo(101.33, 2);
  });
});
