/**
 * "Find chapters" (issue 23 item 2) without a browser: pauses found on a level envelope, split
 * points just before the sound after each, the person's markers made chapters, and those
 * chapters standing for the track's own in the planner.
 */
import { describe, expect, it } from 'vitest';
import {
  chaptersFromMarkers,
  envelopeOfPieces,
  findPauses,
  levelEnvelope,
  proposeSplits,
  MAX_SPLITS,
} from '@/lib/editor/pauses';
import { ownChapters, resolveChapterMode } from '@/lib/plan/chapters';

const RATE = 1000;

/** Tones (level 0.5) and silences, by seconds: [sound, pause, sound, …]. */
function signal(parts: number[], noise = 0): Float32Array {
  const total = parts.reduce((a, b) => a + b, 0);
  const out = new Float32Array(total * RATE);
  let at = 0;
  parts.forEach((sec, i) => {
    for (let k = 0; k < sec * RATE; k++) {
      out[at + k] = i % 2 === 0 ? 0.5 * Math.sin(k / 3) : noise * (k % 2 ? 1 : -1);
    }
    at += sec * RATE;
  });
  return out;
}

describe('levelEnvelope', () => {
  it('is the loudest sample of every channel per 10 ms step', () => {
    const env = levelEnvelope([new Float32Array([0, 0.2, -0.7, 0]), new Float32Array([0.9])], 200);
    expect(env.stepSec).toBeCloseTo(0.01);
    expect(Array.from(env.levels)).toEqual([Math.fround(0.9), Math.fround(0.7)]);
    expect(env.durationSec).toBeCloseTo(0.02);
  });
});

describe('envelopeOfPieces', () => {
  it('places each piece where its bytes lie: a pause late in a long file stays where it is', () => {
    // A 30-minute constant-bitrate file in 36 pieces, a 3 s pause at 25:00. Each piece decoded
    // alone comes out 5 steps (50 ms) long: end to end, the pause would drift 1.75 s late.
    const step = 0.01;
    const total = 1800 / step;
    const truth = new Float32Array(total).fill(0.5);
    truth.fill(0, 1500 / step, 1503 / step);
    const pieces = 36;
    const bytesPer = 1000;
    const parts = Array.from({ length: pieces }, (_, p) => {
      const span = truth.subarray((p * total) / pieces, ((p + 1) * total) / pieces);
      const levels = new Float32Array(span.length + 5).fill(0.5);
      levels.set(span);
      return { stepSec: step, levels, durationSec: levels.length * step };
    });
    const env = envelopeOfPieces(parts, bytesPer, pieces * bytesPer, 1800);
    expect(env.levels.length).toBe(total);
    const [pause] = findPauses(env, { minPauseSec: 1.5, thresholdDb: -40 });
    expect(pause!.startSec).toBeGreaterThan(1500 - 0.1);
    expect(pause!.startSec).toBeLessThan(1500 + 0.1);
  });
});

describe('findPauses and proposeSplits', () => {
  const three = levelEnvelope([signal([5, 2, 5, 2, 5])], RATE);
  it('finds the two 2 s silences between three tones, not the ends', () => {
    const pauses = findPauses(three, { minPauseSec: 1.5, thresholdDb: -40 });
    expect(pauses).toHaveLength(2);
    expect(pauses[0]!.startSec).toBeCloseTo(5, 1);
    expect(pauses[0]!.endSec).toBeCloseTo(7, 1);
    expect(proposeSplits(three, { minPauseSec: 1.5, thresholdDb: -40 })).toEqual([6.9, 13.9]);
  });
  it('takes the person’s length and depth: longer or deeper pauses only', () => {
    expect(proposeSplits(three, { minPauseSec: 2.5, thresholdDb: -40 })).toEqual([]);
    const hiss = levelEnvelope([signal([5, 2, 5], 0.02)], RATE);
    expect(proposeSplits(hiss, { minPauseSec: 1, thresholdDb: -40 })).toEqual([]);
    expect(proposeSplits(hiss, { minPauseSec: 1, thresholdDb: -30 })).toEqual([6.9]);
  });
  it('leaves out silence at the start and the end', () => {
    const padded = levelEnvelope([signal([0, 3, 2, 3, 4]).slice(0)], RATE);
    // [pause 3 s (leading), sound 2 s, pause 3 s, sound 4 s]: only the inner pause.
    expect(proposeSplits(padded, { minPauseSec: 1, thresholdDb: -40 })).toEqual([7.9]);
    const trailing = levelEnvelope([signal([2, 3])], RATE);
    expect(proposeSplits(trailing, { minPauseSec: 1, thresholdDb: -40 })).toEqual([]);
  });
  it('proposes at most MAX_SPLITS, in one pass', () => {
    const clicks = new Float32Array(3000 * 100);
    for (let i = 0; i < clicks.length; i += 200) clicks[i] = 1;
    const env = levelEnvelope([clicks], 100);
    expect(proposeSplits(env, { minPauseSec: 0.5, thresholdDb: -40 })).toHaveLength(MAX_SPLITS);
  });
});

describe('chaptersFromMarkers', () => {
  const untitled = (n: number) => `Chapter ${n}`;
  it('starts at 0, sorts, drops markers outside or too close, names the untitled', () => {
    expect(
      chaptersFromMarkers(
        [
          { sec: 13.9, title: 'Third' },
          { sec: 6.9, title: '' },
          { sec: 7.1, title: 'too close' },
          { sec: 30, title: 'past the end' },
          { sec: 0, title: 'at the start' },
        ],
        'Opening',
        19,
        untitled,
      ),
    ).toEqual([
      { startSec: 0, title: 'Opening' },
      { startSec: 6.9, title: 'Chapter 2' },
      { startSec: 13.9, title: 'Third' },
    ]);
  });
});

describe('marked chapters stand for the track’s own', () => {
  const track = {
    name: 'Long lecture.mp3',
    info: { durationSec: 19, chapters: [{ title: 'From the file', startSec: 0, endSec: 19 }] },
    edit: {
      startSec: 0,
      transitionAfter: { kind: 'none' as const },
      chapters: [
        { startSec: 0, title: 'One' },
        { startSec: 7, title: 'Two' },
      ],
    },
  };
  it('ends each where the next starts, the last at the track’s end', () => {
    expect(ownChapters(track)).toEqual([
      { title: 'One', startSec: 0, endSec: 7 },
      { title: 'Two', startSec: 7, endSec: 19 },
    ]);
    expect(resolveChapterMode('auto', [track])).toBe('keep');
    expect(ownChapters({ ...track, edit: { ...track.edit, chapters: [] } })).toEqual(
      track.info.chapters,
    );
  });
});
