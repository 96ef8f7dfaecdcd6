/**
 * The scenario generator's CI seeds (tests/scenarios/): each seed draws inputs, edits and output
 * choices, runs them through the built extension with real ffmpeg.wasm, and checks the saved
 * file with native ffmpeg against an oracle computed apart from the planner (length from the
 * edits' arithmetic, rate, channels, chapters, tags, cover, a clean decode, the lossless promise).
 * `npm run scenarios -- --count N` runs many more; a seed that once failed joins this list.
 *
 * Chosen (from seeds 1 to 3000, by what each covers, fewest seconds of audio) so that together
 * they hold every output format, crossfades with each curve, a gap, trims, "Trim silence",
 * fades, loudness normalization, forced rate and channels, MP3 VBR, a track's cover, chapters
 * kept from the inputs, chapter files, inputs under a second, lossless joins of MP3, AAC (M4B),
 * Opus, WAV into FLAC and 24-bit FLAC into WAV, and an M4B re-encode long enough to run in two
 * parts with an own cover image, mixed inputs, a crossfade, loudness normalization and a forced
 * rate (issue 19's reproduction and more).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';
import { ScenarioRunner } from '../scenarios/runner';
import { drawScenario, summarize } from '../scenarios/scenario';

/** Seed, and what the run must show it covered (beyond passing every check). */
const CI_SEEDS: [seed: number, covers: { lossless?: boolean; parts?: number }][] = [
  [1184, {}],
  [779, {}],
  [2037, {}],
  [2252, { lossless: true }],
  [556, { lossless: true }],
  [1884, {}],
  [1056, { lossless: true }],
  [172, {}],
  [1230, {}],
  [672, { lossless: true }],
  [914, { lossless: true }],
  [2602, { parts: 2 }],
];

let runner: ScenarioRunner;

beforeAll(async () => {
  requireNativeFfmpeg();
  runner = await ScenarioRunner.launch();
});

afterAll(async () => {
  await runner?.close();
});

describe('scenarios through the real extension', () => {
  test.each(CI_SEEDS)('seed %i', async (seed, covers) => {
    const scenario = drawScenario(seed);
    const result = await runner.run(scenario);
    expect(result.failures, summarize(scenario)).toEqual([]);
    if (covers.lossless !== undefined) expect(result.lossless).toBe(covers.lossless);
    if (covers.parts !== undefined) expect(result.parts).toBe(covers.parts);
  });
});
