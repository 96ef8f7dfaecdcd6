/**
 * Exact lossless AAC-in-MP4 joins (lib/lossless/mp4-seams.ts), measured with native ffmpeg 5.1:
 * one continuous signal (a sine sweep over quiet noise) is cut into pieces off the 1024 grid,
 * each encoded on its own by ffmpeg's `aac`, the pieces are joined by a stream copy as the
 * extension does (concat demuxer, tags and chapters), and the joins are closed with the junction
 * coder (native ffmpeg, the engine's arguments).
 *
 * What must hold, at 44.1 kHz stereo and 8 kHz mono:
 * - the output plays exactly the inputs' samples less each join's overlap r (< 1024);
 * - outside the few frames encoded again at each join, it decodes bit for bit to the inputs laid
 *   end to end (every other frame is copied, and an AAC frame shapes only its own and the next
 *   frame's samples);
 * - near each join, its SNR against the inputs laid end to end (with the same crossfade) is
 *   above MIN_SNR_DB: about the codec's own SNR against the source there, as a second encode of
 *   already decoded audio at the same bitrate gives (measured figures are logged);
 * - no run of digital silence at a join (the inputs have none);
 * - every frame but those encoded again is one of the inputs' frames, byte for byte, in order;
 * - tags and chapters stay.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AAC_ARGS } from '@/lib/engine/junction-coder';
import {
  AAC_SEAM_FRAMES,
  closeMp4Seams,
  type AacJunctionCoder,
  type AacSeamsResult,
} from '@/lib/lossless/mp4-seams';
import { closeJoins } from '@/lib/lossless';
import { JoinCanceledError, JoinFailedError } from '@/lib/core/errors';
import { ffprobe, packetHashes, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { packetsKeptInOrder } from '../support/gapless';
import {
  m4aOverlaps,
  makeExactPieces,
  measureSeams,
  type ExactCase,
  type SeamFigures,
} from '../support/exact-seams';
import { tempFolder } from './support/files';
import { nativeCoder } from './support/junction-coder-native';

vi.setConfig({ hookTimeout: 180_000, testTimeout: 60_000 });
beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('aac-seams').dir;

/** The least SNR near a join, dB (the codec's own there is logged beside it). */
const MIN_SNR_DB = 20;
const FRAME = 1024;

const CASES: (ExactCase & { minSnr: number; pns?: true })[] = [
  {
    label: '44.1 kHz stereo 128k',
    rate: 44100,
    channels: 2,
    encode: ['-c:a', 'aac', '-b:a', '128k', '-aac_pns', '0'],
    ext: 'm4a',
    pieces: [61_237, 37_011, 48_900, 29_999],
    minSnr: MIN_SNR_DB,
  },
  {
    // ffmpeg's default: noise substitution, whose decoder draws from one random sequence
    // through the stream: after a join, noise bands decode to other noise.
    label: '44.1 kHz stereo 96k, noise substitution',
    rate: 44100,
    channels: 2,
    encode: ['-c:a', 'aac', '-b:a', '96k'],
    ext: 'm4a',
    pieces: [52_345, 41_777, 50_003],
    minSnr: MIN_SNR_DB,
    pns: true,
  },
  {
    label: '8 kHz mono 24k',
    rate: 8000,
    channels: 1,
    encode: ['-c:a', 'aac', '-b:a', '24k'],
    ext: 'm4a',
    pieces: [30_011, 20_202, 25_555],
    minSnr: MIN_SNR_DB,
  },
];

describe.each(CASES)('an exact lossless M4A join, $label', (c) => {
  let out: string;
  let files: string[];
  let wavs: string[];
  let overlaps: number[];
  let result: AacSeamsResult;
  let calls: number;
  let m: SeamFigures;
  let chapterTwo: number;
  beforeAll(async () => {
    ({ wavs, files } = makeExactPieces(c, tmp));
    const list = join(tmp, `list-${c.rate}.txt`);
    writeFileSync(list, files.map((f) => `file '${f}'`).join('\n') + '\n');
    const meta = join(tmp, `meta-${c.rate}.txt`);
    // Chapter "Two" starts just after the first join: it moves by that join's overlap.
    const two = Math.ceil((c.pieces[0]! / c.rate) * 1000) + 5;
    writeFileSync(
      meta,
      `;FFMETADATA1\ntitle=Joined\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=${two}\ntitle=One\n` +
        `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${two}\nEND=${two + 1000}\ntitle=Two\n`,
    );
    chapterTwo = two / 1000;
    const copied = join(tmp, `copied-${c.rate}.m4a`);
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-i', meta],
      ...['-map', '0:a', '-map_metadata', '1', '-map_chapters', '1', '-c', 'copy', '-f', 'ipod'],
      copied,
    ]);
    const coder = nativeCoder(AAC_ARGS);
    result = await closeMp4Seams(
      new Blob([readFileSync(copied)]),
      files.map((p) => new Blob([readFileSync(p)])),
      coder,
    );
    calls = coder.calls;
    out = join(tmp, `joined-${c.rate}.m4a`);
    writeFileSync(out, new Uint8Array(await result.blob.arrayBuffer()));
    overlaps = await m4aOverlaps(files);
    m = measureSeams(out, files, wavs, overlaps, c, (AAC_SEAM_FRAMES[1] + 1) * FRAME);
  });

  it('decodes and encodes only around the joins (two decodes and one encode per join)', () => {
    expect(calls).toBe(3 * (files.length - 1));
    console.log(`${c.label}: frames encoded again per join ${result.newFrames.join(', ')}`);
    for (const n of result.newFrames) {
      expect(n).toBeGreaterThanOrEqual(AAC_SEAM_FRAMES[0]);
      expect(n).toBeLessThanOrEqual(AAC_SEAM_FRAMES[1]);
    }
  });

  it('plays the inputs’ samples less each join’s crossfade overlap (< one frame)', () => {
    console.log(
      `${c.label}: inputs ${m.inputs.join(' + ')} = ${m.inputs.reduce((a, b) => a + b)}, ` +
        `overlaps ${overlaps.join(', ')}, output ${m.output}`,
    );
    for (const r of overlaps) expect(r).toBeLessThan(FRAME);
    expect(result.overlaps.map((o) => Math.round(o.overlapSec * c.rate))).toEqual(overlaps);
    // The edit list's length is in the movie's timescale: whole milliseconds (ffmpeg's 1000).
    const expected = m.inputs.reduce((a, b) => a + b, 0) - overlaps.reduce((a, b) => a + b, 0);
    expect(Math.abs(m.output - expected)).toBeLessThanOrEqual(Math.ceil(c.rate / 2000));
  });

  it('decodes bit for bit to the inputs away from the joins, within codec noise near them', () => {
    console.log(
      `${c.label}: samples not the inputs' ${m.differentNear} near the joins, ${m.differentFar} elsewhere; ` +
        `SNR near each join ${m.snr.map((s) => s.toFixed(1)).join(', ')} dB ` +
        `(the codec's own against the source: ${m.codecSnr.map((s) => s.toFixed(1)).join(', ')} dB)`,
    );
    console.log(`${c.label}: SNR away from the joins ${m.farSnr.toFixed(1)} dB`);
    if (c.pns) expect(m.farSnr).toBeGreaterThan(c.minSnr);
    else expect(m.differentFar).toBe(0);
    expect(m.differentNear).toBeGreaterThan(0);
    for (const s of m.snr) expect(s).toBeGreaterThan(c.minSnr);
  });

  it('adds no run of digital silence at a join', () => {
    for (const z of m.zeroRun) expect(z).toBeLessThan(8);
  });

  it('keeps every other frame byte for byte, in order', async () => {
    const inputs = await Promise.all(files.map(packetHashes));
    const got = await packetHashes(out);
    const kept = packetsKeptInOrder(inputs, got);
    const fresh = result.newFrames.reduce((a, b) => a + b, 0);
    console.log(`${c.label}: ${got.length} frames, ${got.length - kept} not the inputs'`);
    expect(got.length - kept).toBe(fresh);
  });

  it('keeps the tags, and the chapters move with the audio', async () => {
    const probe = await ffprobe(out);
    expect(probe.format.tags?.title).toBe('Joined');
    const chapters = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', out]).toString(),
    ) as { chapters: { start_time: string; end_time: string; tags?: { title?: string } }[] };
    expect(chapters.chapters.map((ch) => ch.tags?.title)).toEqual(['One', 'Two']);
    const start = Number(chapters.chapters[1]!.start_time);
    console.log(`${c.label}: chapter two at ${chapterTwo} s moved to ${start} s`);
    expect(Math.abs(start - (chapterTwo - overlaps[0]! / c.rate))).toBeLessThanOrEqual(0.0011);
  });
});

describe('an exact AAC join whose coder fails in the engine', () => {
  const c = CASES[0]!;
  let joined: Blob;
  let inputs: Blob[];
  beforeAll(() => {
    const { files } = makeExactPieces({ ...c, label: 'coder fails' }, tmp);
    const list = join(tmp, 'list-fails.txt');
    writeFileSync(list, files.map((f) => `file '${f}'`).join('\n') + '\n');
    const copied = join(tmp, 'copied-fails.m4a');
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list],
      ...['-map', '0:a', '-c', 'copy', '-f', 'ipod', copied],
    ]);
    joined = new Blob([readFileSync(copied)]);
    inputs = files.map((p) => new Blob([readFileSync(p)]));
  });
  const failing = (error: Error): AacJunctionCoder => ({
    decode: () => Promise.reject(error),
    encode: () => Promise.reject(error),
  });

  it('closes the joins by whole frames and says so (an odd input ffmpeg cannot decode there)', async () => {
    let why: string | undefined;
    const out = await closeJoins('mp4', joined, inputs, {
      mp4: failing(new JoinFailedError('the frames at a join could not be decoded')),
      onWholeFrames: (w) => (why = w),
    });
    expect(why).toBe('the frames at a join could not be decoded');
    // The whole-frame pass's file: every input's audio, within a frame at each join.
    const played = Number((await ffprobe(await blobFile(out))).format.duration);
    const sum = c.pieces.reduce((a, b) => a + b, 0) / c.rate;
    expect(Math.abs(played - sum)).toBeLessThan((1024 * (c.pieces.length - 1)) / c.rate + 0.002);
  });

  it('ends the join on Cancel instead', async () => {
    await expect(
      closeJoins('mp4', joined, inputs, { mp4: failing(new JoinCanceledError()) }),
    ).rejects.toThrow(JoinCanceledError);
  });

  async function blobFile(b: Blob): Promise<string> {
    const path = join(tmp, 'whole-frames.m4a');
    writeFileSync(path, new Uint8Array(await b.arrayBuffer()));
    return path;
  }
});
