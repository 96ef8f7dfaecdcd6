/**
 * Exact lossless MP3 joins (lib/lossless/mp3/seams.ts), measured with native ffmpeg 5.1: one
 * continuous signal (a sine sweep over quiet noise: music-like, and wrong at once if a join
 * slips) is cut into three pieces off the frame grid, each encoded on its own, and the pieces
 * are joined by `joinMp3` with the junction coder (native ffmpeg, the engine's arguments).
 *
 * What must hold, at 44.1 and 48 kHz (and 22.05 kHz, MPEG-2), CBR and VBR:
 * - the output decodes to exactly the inputs' decoded samples less the crossfade overlap at
 *   each join (r < one frame: where the next input must move earlier to sit on the frame grid);
 * - no run of digital silence at a join that the inputs lacked;
 * - around each join, the output against the inputs' decodes laid end to end (with the same
 *   crossfades) differs by no more than the codec's own noise. Threshold, per window of 1024
 *   samples over the 8192 around each join:
 *
 *     RMS(output - expected)  <=  K x RMS(decoded inputs - source)  +  1e-4 (-80 dBFS)
 *
 *   with K = 2: the frames there are encoded a second time, from already decoded audio (a
 *   tandem encode at the input's own CBR bitrate, or VBR V0), which adds about the codec's own
 *   error again, and the copied frame before them overlaps a frame of another encode. Measured
 *   here, worst window: 1.73 (44.1 kHz CBR 128k), 1.39 (48 kHz CBR 192k), 0.75 (44.1 kHz
 *   VBR), 0.87 (22.05 kHz VBR). A slipped or doubled frame, a lost reservoir byte or a gap is
 *   10 to 100 times the codec's error;
 * - every frame but a few at each join is one of the inputs' frames, byte for byte, in order;
 * - the first input's tags stay, and the LAME tag says the first input's delay.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { joinMp3 } from '@/lib/lossless/mp3/join';
import { ffprobe, packetHashes, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { measureGapless, packetsKeptInOrder } from '../support/gapless';
import { tempFolder } from './support/files';
import { nativeMp3Coder } from './support/mp3-coder-native';
import { decodeFloat } from './support/segments-native';
import {
  joinOverlaps,
  leadOf,
  makeSweepPieces,
  noiseAroundJoins,
  NOISE_FLOOR,
  NOISE_K,
  type SweepCase,
} from '../support/mp3-seams';

vi.setConfig({ hookTimeout: 180_000, testTimeout: 60_000 });
beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('mp3-seams').dir;

const CASES: SweepCase[] = [
  {
    label: '44.1 kHz CBR 128k',
    rate: 44100,
    channels: 2,
    encode: ['-b:a', '128k'],
    pieces: [61_237, 37_011, 48_900],
    maxChanged: 8,
  },
  {
    label: '44.1 kHz VBR V2',
    rate: 44100,
    channels: 2,
    encode: ['-q:a', '2'],
    pieces: [58_001, 41_777, 50_003],
    maxChanged: 8,
  },
  {
    label: '48 kHz CBR 192k',
    rate: 48000,
    channels: 2,
    encode: ['-b:a', '192k'],
    pieces: [66_666, 39_999, 52_345],
    maxChanged: 8,
  },
  {
    label: '22.05 kHz mono VBR V4 (MPEG-2)',
    rate: 22050,
    channels: 1,
    encode: ['-q:a', '4'],
    pieces: [30_011, 20_202, 25_555],
    maxChanged: 13,
  },
];

describe.each(CASES)('an exact lossless MP3 join, $label', (c) => {
  let out: string;
  let mp3s: string[];
  let wavs: string[];
  let overlaps: number[];
  let coderCalls: number;
  let progress: number[];
  beforeAll(async () => {
    progress = [];
    ({ wavs, mp3s } = makeSweepPieces(c, tmp));
    const coder = nativeMp3Coder();
    const blob = await joinMp3(
      mp3s.map((p, i) => ({ id: `t${i}`, name: `t${i}.mp3`, blob: new Blob([readFileSync(p)]) })),
      { mp3Coder: coder, onProgress: (f) => progress.push(f) },
    );
    coderCalls = coder.calls;
    out = join(tmp, `joined-${c.rate}-${c.encode.join('')}.mp3`);
    writeFileSync(out, new Uint8Array(await blob.arrayBuffer()));
    overlaps = joinOverlaps(mp3s, c.channels);
  });

  it('encodes only around the joins (a decode of each side and one encode per join)', () => {
    expect(coderCalls).toBe(3 * (mp3s.length - 1));
  });

  it('moves its progress with each join closed, after the frame scan, and only forward', () => {
    const joins = mp3s.length - 1;
    // The scan fills the first half; each join closed moves the second half on by its share.
    const closing = progress.filter((f) => f > 0.5 && f < 1);
    expect(closing).toEqual(
      Array.from({ length: joins - 1 }, (_, k) => 0.5 + (0.5 * (k + 1)) / joins),
    );
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
  });

  it('decodes to the inputs’ samples less each join’s crossfade overlap (< one frame)', () => {
    const inputs = mp3s.map((p) => decodeFloat(p, c.channels).length / c.channels);
    const output = decodeFloat(out, c.channels).length / c.channels;
    const frame = leadOf(readFileSync(mp3s[0]!)).frame;
    console.log(
      `${c.label}: inputs ${inputs.join(' + ')} = ${inputs.reduce((a, b) => a + b)}, ` +
        `overlaps ${overlaps.join(', ')}, output ${output}`,
    );
    for (const r of overlaps) expect(r).toBeLessThan(frame);
    expect(output).toBe(inputs.reduce((a, b) => a + b, 0) - overlaps.reduce((a, b) => a + b, 0));
  });

  it('adds no run of digital silence at a join', async () => {
    const f = await measureGapless(mp3s, out);
    for (const j of f.joins) expect(j.silenceRun).toBeLessThanOrEqual(j.inputsSilenceRun);
  });

  it('differs from the inputs around each join by no more than the codec’s own noise', () => {
    const windows = noiseAroundJoins(out, mp3s, wavs, overlaps, c.channels);
    for (const w of windows) {
      expect(w.diff, `window at ${w.at} (join at ${w.join})`).toBeLessThanOrEqual(
        NOISE_K * w.codec + NOISE_FLOOR,
      );
    }
    const worst = Math.max(...windows.map((w) => (w.diff - NOISE_FLOOR) / w.codec));
    console.log(`${c.label}: worst window ${worst.toFixed(2)} x the codec's own error`);
  });

  it('keeps every other frame byte for byte, in order', async () => {
    const inputs = await Promise.all(mp3s.map(packetHashes));
    const got = await packetHashes(out);
    const kept = packetsKeptInOrder(inputs, got);
    const changed = got.length - kept;
    console.log(
      `${c.label}: ${got.length} frames, ${changed} not the inputs' (${mp3s.length - 1} joins)`,
    );
    expect(changed).toBeLessThanOrEqual(c.maxChanged * (mp3s.length - 1));
    expect(changed).toBeGreaterThan(0);
  });

  it('keeps the first input’s tags and encoder delay', async () => {
    const probe = await ffprobe(out);
    expect(probe.format.tags?.title).toBe('Sweep');
    expect(probe.format.tags?.artist).toBe('Seam tests');
    expect(leadOf(readFileSync(out)).lead).toBe(leadOf(readFileSync(mp3s[0]!)).lead);
  });
});
