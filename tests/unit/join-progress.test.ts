/**
 * The progress bar's stages (issue 22, item 4): reading counts the inputs ffmpeg opens, joining
 * weighs the steps by the audio each reads, finishing gives each post step an equal share, and no
 * stage says 100 while work is left in it.
 */
import { describe, expect, it } from 'vitest';
import { openedInput } from '@/lib/media/ffmpeg-log';
import { inputCount, progressStages, stagePercent, stepProgress } from '@/lib/plan/progress';
import type { JoinStep } from '@/lib/plan/steps';

describe('stagePercent', () => {
  it.each([
    [0, 0],
    [0.005, 0],
    [0.025, 2],
    [0.5, 50],
    [0.999, 99],
    [1, 99],
    [1.5, 99],
    [-1, 0],
    [Number.NaN, 0],
  ])('%s of a stage is %s%%', (f, percent) => {
    expect(stagePercent(f)).toBe(percent);
  });

  it('40 tracks opened one by one show 40 different numbers', () => {
    const shown = Array.from({ length: 40 }, (_, i) => stagePercent((i + 1) / 40));
    expect(new Set(shown).size).toBe(40);
    expect(shown.every((p) => p > 0 && p < 100)).toBe(true);
  });
});

describe('progressStages and stepProgress', () => {
  const predecode = { kind: 'predecode', run: { totalSec: 60 } } as unknown as JoinStep;
  const main: JoinStep = { kind: 'ffmpeg' };
  const header: JoinStep = { kind: 'wav-header' };
  const close: JoinStep = { kind: 'close-joins', container: 'mp4', exact: true };
  const chapters: JoinStep = { kind: 'chapter-files', chapters: [] };

  it('a decode and the join share joining by their seconds; post steps finish the file', () => {
    const stages = progressStages([predecode, main, header, chapters], 120);
    expect(stages.map((s) => s.phase)).toEqual(['joining', 'joining', 'finishing', 'finishing']);
    expect(stepProgress(stages, 0, 0.5)).toEqual({ phase: 'joining', percent: 16 });
    expect(stepProgress(stages, 1, 0)).toEqual({ phase: 'joining', percent: 33 });
    expect(stepProgress(stages, 1, 1)).toEqual({ phase: 'joining', percent: 99 });
    expect(stepProgress(stages, 2, 0)).toEqual({ phase: 'finishing', percent: 0 });
    expect(stepProgress(stages, 3, 0)).toEqual({ phase: 'finishing', percent: 50 });
    expect(stepProgress(stages, 3, 1)).toEqual({ phase: 'finishing', percent: 99 });
  });

  it('closing 39 joins one by one moves finishing at each', () => {
    const stages = progressStages([main, close], 40);
    const shown = Array.from({ length: 39 }, (_, i) => stepProgress(stages, 1, (i + 1) / 39));
    expect(new Set(shown.map((s) => s.percent)).size).toBe(39);
    expect(shown.every((s) => s.phase === 'finishing')).toBe(true);
  });

  it('a join with no audio to weigh still moves by its own fraction', () => {
    expect(stepProgress(progressStages([main], 0), 0, 0.3)).toEqual({
      phase: 'joining',
      percent: 30,
    });
  });
});

describe('reading: the inputs ffmpeg opens', () => {
  it('counts an ffmpeg command’s inputs', () => {
    expect(inputCount(['-hide_banner', '-i', '/in/0.mp3', '-i', '/in/1.mp3', 'out.wav'])).toBe(2);
  });

  it.each([
    ["Input #0, mp3, from '/in/0.mp3':", 0],
    ["Input #39, wav, from '/in/39.wav':", 39],
    ['  Duration: 00:00:01.00, start: 0.000000, bitrate: 128 kb/s', undefined],
    ["Output #0, wav, to '/out/joined.wav':", undefined],
    ['size=  512kB time=00:01:02.34 bitrate=...', undefined],
  ])('%s: input %s', (line, index) => {
    expect(openedInput(line)).toBe(index);
  });
});
