/**
 * Exact lossless Ogg Opus joins (lib/lossless/opus-seams.ts), measured with native ffmpeg 5.1:
 * one continuous signal (a sine sweep over quiet noise) is cut into pieces off the 960 grid,
 * each encoded on its own by libopus, the pieces are joined by a stream copy as the extension
 * does (concat demuxer), and the joins are closed with the junction coder (native ffmpeg, the
 * engine's arguments).
 *
 * What must hold, stereo 96 kb/s and mono 64 kb/s (CELT, as libopus codes music there):
 * - the output decodes to exactly the inputs' samples less each join's overlap r (< 960);
 * - near each join, its SNR against the inputs laid end to end (with the same crossfade) is
 *   above MIN_SNR_DB; away from the joins it is higher still (an Opus decoder carries energy
 *   and pitch state from packet to packet, so the copied packets after a join decode a little
 *   differently until that state settles: not bit for bit, unlike MP3 and AAC);
 * - no run of digital silence at a join (the inputs have none);
 * - every packet but those encoded again is one of the inputs' packets, byte for byte, in order.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OPUS_ARGS } from '@/lib/engine/junction-coder';
import {
  closeOpusSeams,
  OPUS_SEAM_FRAMES,
  OpusSeamNotPossibleError,
  type OpusSeamsResult,
} from '@/lib/lossless/opus-seams';
import { packetHashes, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { packetsKeptInOrder } from '../support/gapless';
import {
  makeExactPieces,
  measureSeams,
  opusOverlaps,
  type ExactCase,
  type SeamFigures,
} from '../support/exact-seams';
import { tempFolder } from './support/files';
import { nativeCoder } from './support/junction-coder-native';

vi.setConfig({ hookTimeout: 180_000, testTimeout: 60_000 });
beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('opus-seams').dir;

/** The least SNR near a join, dB (the codec's own there is logged beside it). */
const MIN_SNR_DB = 15;
const FRAME = 960;

const CASES: ExactCase[] = [
  {
    label: 'stereo 96k',
    rate: 48000,
    channels: 2,
    encode: ['-c:a', 'libopus', '-b:a', '96k'],
    ext: 'opus',
    pieces: [66_666, 39_999, 52_345, 30_001],
  },
  {
    label: 'mono 64k',
    rate: 48000,
    channels: 1,
    encode: ['-c:a', 'libopus', '-b:a', '64k'],
    ext: 'opus',
    pieces: [40_011, 30_202, 35_555],
  },
];

describe.each(CASES)('an exact lossless Opus join, $label', (c) => {
  let out: string;
  let files: string[];
  let wavs: string[];
  let overlaps: number[];
  let result: OpusSeamsResult;
  let calls: number;
  let m: SeamFigures;
  beforeAll(async () => {
    ({ wavs, files } = makeExactPieces(c, tmp));
    const list = join(tmp, `list-${c.channels}.txt`);
    writeFileSync(list, files.map((f) => `file '${f}'`).join('\n') + '\n');
    const copied = join(tmp, `copied-${c.channels}.opus`);
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list],
      ...['-map', '0:a', '-c', 'copy', '-f', 'ogg', copied],
    ]);
    const coder = nativeCoder(OPUS_ARGS);
    result = await closeOpusSeams(
      new Blob([readFileSync(copied)]),
      files.map((p) => new Blob([readFileSync(p)])),
      coder,
    );
    calls = coder.calls;
    out = join(tmp, `joined-${c.channels}.opus`);
    writeFileSync(out, new Uint8Array(await result.blob.arrayBuffer()));
    overlaps = await opusOverlaps(files);
    m = measureSeams(out, files, wavs, overlaps, c, (OPUS_SEAM_FRAMES[1] + 1) * FRAME);
  });

  it('decodes and encodes only around the joins (two decodes and one encode per join)', () => {
    expect(calls).toBe(3 * (files.length - 1));
    console.log(`Opus ${c.label}: packets encoded again per join ${result.newFrames.join(', ')}`);
    for (const n of result.newFrames) {
      expect(n).toBeGreaterThanOrEqual(OPUS_SEAM_FRAMES[0]);
      expect(n).toBeLessThanOrEqual(OPUS_SEAM_FRAMES[1]);
    }
  });

  it('decodes to the inputs’ samples less each join’s crossfade overlap (< one packet)', () => {
    console.log(
      `Opus ${c.label}: inputs ${m.inputs.join(' + ')} = ${m.inputs.reduce((a, b) => a + b)}, ` +
        `overlaps ${overlaps.join(', ')}, output ${m.output}`,
    );
    for (const r of overlaps) expect(r).toBeLessThan(FRAME);
    expect(result.overlaps.map((o) => Math.round(o.overlapSec * 48000))).toEqual(overlaps);
    expect(m.output).toBe(
      m.inputs.reduce((a, b) => a + b, 0) - overlaps.reduce((a, b) => a + b, 0),
    );
  });

  it('differs from the inputs by about the codec’s noise near the joins, less away from them', () => {
    console.log(
      `Opus ${c.label}: samples not the inputs' ${m.differentNear} near the joins, ${m.differentFar} ` +
        `elsewhere; SNR near each join ${m.snr.map((s) => s.toFixed(1)).join(', ')} dB (the codec's ` +
        `own against the source: ${m.codecSnr.map((s) => s.toFixed(1)).join(', ')} dB); away from ` +
        `the joins ${m.farSnr.toFixed(1)} dB`,
    );
    for (const s of m.snr) expect(s).toBeGreaterThan(MIN_SNR_DB);
    expect(m.farSnr).toBeGreaterThan(MIN_SNR_DB + 10);
  });

  it('adds no run of digital silence at a join', () => {
    for (const z of m.zeroRun) expect(z).toBeLessThan(8);
  });

  it('keeps every other packet byte for byte, in order', async () => {
    const inputs = await Promise.all(files.map(packetHashes));
    const got = await packetHashes(out);
    const kept = packetsKeptInOrder(inputs, got);
    const fresh = result.newFrames.reduce((a, b) => a + b, 0);
    console.log(`Opus ${c.label}: ${got.length} packets, ${got.length - kept} not the inputs'`);
    expect(got.length - kept).toBe(fresh);
  });
});

describe('an Opus join of SILK or hybrid packets', () => {
  it('is refused, for the whole-packet join', async () => {
    const c: ExactCase = {
      label: 'mono 32k (hybrid)',
      rate: 48000,
      channels: 1,
      encode: ['-c:a', 'libopus', '-b:a', '32k'],
      ext: 'opus',
      pieces: [40_011, 30_202],
    };
    const { files } = makeExactPieces(c, tmp);
    const list = join(tmp, 'list-hybrid.txt');
    writeFileSync(list, files.map((f) => `file '${f}'`).join('\n') + '\n');
    const copied = join(tmp, 'copied-hybrid.opus');
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list],
      ...['-map', '0:a', '-c', 'copy', '-f', 'ogg', copied],
    ]);
    await expect(
      closeOpusSeams(
        new Blob([readFileSync(copied)]),
        files.map((p) => new Blob([readFileSync(p)])),
        nativeCoder(OPUS_ARGS),
      ),
    ).rejects.toThrow(OpusSeamNotPossibleError);
  });
});
