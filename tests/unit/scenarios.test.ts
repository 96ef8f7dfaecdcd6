/**
 * The scenario generator's pure parts (tests/scenarios/): a seed always draws the same
 * scenario, draws stay within what the oracle assumes (no crossfade the planner would have to
 * clamp), the oracle's arithmetic on a scenario worked out by hand, and the shrinker's steps.
 */
import { describe, expect, test } from 'vitest';
import { expected } from '../scenarios/oracle';
import { drawScenario, fileSeconds, type Scenario } from '../scenarios/scenario';
import { failureKind, shrink, simpler } from '../scenarios/shrink';

const SEEDS = Array.from({ length: 500 }, (_, i) => i + 1);

describe('drawing', () => {
  test('a seed names one scenario', () => {
    expect(drawScenario(42)).toEqual(drawScenario(42));
    expect(drawScenario(42)).not.toEqual(drawScenario(43));
  });

  test('crossfades fit in both neighbours with room to spare; trims keep audio', () => {
    for (const seed of SEEDS) {
      const s = drawScenario(seed);
      const kept = s.inputs.map((input, i) =>
        s.silenceTrim
          ? input.seconds
          : (s.edits[i]!.endSec ?? fileSeconds(input)) - (s.edits[i]!.startSec ?? 0),
      );
      kept.forEach((k) => expect(k, `seed ${seed}`).toBeGreaterThanOrEqual(0.3));
      s.edits.slice(0, -1).forEach((e, i) => {
        if (e.after?.kind !== 'crossfade') return;
        expect(e.after.seconds, `seed ${seed}`).toBeLessThanOrEqual(
          Math.min(kept[i]!, kept[i + 1]!) / 2 - 0.1 + 1e-9,
        );
      });
    }
  });

  test('500 seeds hold every output format, each curve, parallel-length and lossless draws', () => {
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      const s = drawScenario(seed);
      seen.add(s.output.format);
      for (const e of s.edits) if (e.after?.kind === 'crossfade') seen.add(e.after.curve);
      if (s.inputs.reduce((n, i) => n + fileSeconds(i), 0) > 60) seen.add('parallel');
      if (expected(s, s.inputs.map(fileSeconds)).lossless) seen.add('lossless');
    }
    for (const want of ['mp3', 'm4a', 'm4b', 'm4r', 'ogg', 'opus', 'flac', 'wav']) {
      expect(seen).toContain(want);
    }
    for (const want of ['linear', 'equal-power', 'logarithmic', 'parallel', 'lossless']) {
      expect(seen).toContain(want);
    }
  });
});

/** Three inputs worked out by hand: 4 s, 3 s and 5 s. */
const HAND: Scenario = {
  seed: 0,
  inputs: [
    { format: 'mp3', rate: 44100, channels: 2, seconds: 4, freq: 440, noiseSeed: 1 },
    {
      format: 'wav',
      rate: 22050,
      channels: 1,
      seconds: 3,
      freq: 550,
      noiseSeed: 2,
      tags: { title: 'Middle' },
    },
    {
      format: 'm4a',
      rate: 48000,
      channels: 2,
      seconds: 5,
      freq: 660,
      noiseSeed: 3,
      chapters: [0, 2.5],
    },
  ],
  edits: [
    { startSec: 0.5, after: { kind: 'crossfade', seconds: 1, curve: 'linear' } },
    { endSec: 2.5, after: { kind: 'gap', seconds: 0.4 } },
    {},
  ],
  silenceTrim: false,
  output: {
    format: 'm4b',
    bitrate: 128,
    mp3Mode: 'cbr',
    vbrQuality: 2,
    sampleRate: 'source',
    channels: 'source',
    normalize: false,
    fadeInSec: 0,
    fadeOutSec: 0,
    chapters: 'auto',
    chapterFiles: true,
    cover: 'image',
  },
  tags: { artist: 'Someone' },
};

describe('the oracle', () => {
  test('length, starts, chapters kept from an input, tags, rate and channels by hand', () => {
    const want = expected(HAND, [4, 3, 5]);
    // 3.5 + 2.5 + 5 of audio, less the 1 s crossfade, plus the 0.4 s gap.
    expect(want.lengthSec).toBeCloseTo(10.4, 9);
    // "auto" keeps the third track's own chapters; the others get one each (a title tag first).
    expect(want.chapters).toEqual([
      { title: '1 mp3', startSec: 0 },
      { title: 'Middle', startSec: 2.5 },
      { title: 'Part 1', startSec: 5.4 },
      { title: 'Part 2', startSec: 7.9 },
    ]);
    expect(want.chapterFileChapters).toBe(4);
    expect(want).toMatchObject({
      codec: 'aac',
      rate: 48000,
      channels: 2,
      cover: true,
      lossless: false,
      tags: { title: undefined, artist: 'Someone' },
    });
  });

  test('matching tracks with no edit are promised lossless; WAV holds no tags or cover', () => {
    const same: Scenario = {
      ...HAND,
      inputs: [HAND.inputs[1]!, { ...HAND.inputs[1]!, freq: 880 }],
      edits: [{}, {}],
      output: { ...HAND.output, format: 'wav', cover: 'first' },
    };
    const want = expected(same, [3, 3]);
    expect(want).toMatchObject({ lossless: true, codec: 'pcm', rate: 22050, channels: 1 });
    expect(want.tags).toBeNull();
    expect(want.cover).toBe(false);
  });
});

describe('shrinking', () => {
  test('each step drops one thing; a cover naming a later track follows it', () => {
    const steps = simpler({ ...HAND, output: { ...HAND.output, cover: { track: 2 } } });
    const fewer = steps.filter((s) => s.inputs.length === 2);
    expect(fewer).toHaveLength(3);
    expect(fewer[0]!.output.cover).toEqual({ track: 1 });
    expect(fewer[2]!.output.cover).toBe('none');
    // Removing the middle track drops the crossfade into it.
    expect(fewer[1]!.edits[0]!.after).toBeUndefined();
  });

  test('keeps removing while the same kind of failure remains', async () => {
    // A "bug" that needs only the crossfade: everything else goes.
    const fails = (s: Scenario) =>
      Promise.resolve(
        s.edits.some((e) => e.after?.kind === 'crossfade')
          ? [`decodes to ${s.inputs.length}.5 s, expected 9 s`]
          : [],
      );
    const { scenario } = await shrink(HAND, await fails(HAND), fails, 200);
    expect(scenario.inputs).toHaveLength(2);
    expect(scenario.edits[0]!.after?.kind).toBe('crossfade');
    expect(scenario.edits.every((e) => e.startSec === undefined && e.endSec === undefined)).toBe(
      true,
    );
    expect(scenario.output.cover).toBe('none');
    expect(failureKind('decodes to 1.5 s')).toBe(failureKind('decodes to 2.25 s'));
  });
});
