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
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { joinMp3 } from '@/lib/lossless/mp3/join';
import { frameHeaderAt, readVbrTag } from '@/lib/media/mpeg';
import { leadingId3Size } from '@/lib/media/id3';
import { ffprobe, packetHashes, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { measureGapless, packetsKeptInOrder } from '../support/gapless';
import { tempFolder } from './support/files';
import { nativeMp3Coder } from './support/mp3-coder-native';
import { decodeFloat, rmsDiff } from './support/segments-native';

vi.setConfig({ hookTimeout: 180_000, testTimeout: 60_000 });
beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('mp3-seams').dir;

const K = 2;
const FLOOR = 1e-4;
const WINDOW = 1024;
/** Samples each side of a join compared. */
const AROUND = 4096;

interface Case {
  label: string;
  rate: number;
  channels: 1 | 2;
  encode: string[];
  /** Samples in each piece (off every frame grid). */
  pieces: number[];
  /**
   * Frames at most that may differ from the inputs' at each join: those encoded again (3 to 6
   * of 1152 samples: seams.ts's margins are in samples, so twice as many of MPEG-2's 576), and
   * the copied frame or two before them that took reservoir bytes into their unused tails.
   */
  maxChanged: number;
}

const CASES: Case[] = [
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

/** A sweep from 150 Hz to 5 kHz over quiet pink noise, in pieces of `pieces` samples. */
function makePieces(c: Case, dir: string): { wavs: string[]; mp3s: string[] } {
  const total = c.pieces.reduce((a, b) => a + b, 0);
  const sec = total / c.rate;
  const src = join(dir, `${c.rate}-${c.channels}-sweep.wav`);
  const sweep = `aevalsrc=0.5*sin(2*PI*(150*t+${(5000 - 150) / (2 * sec)}*t*t)):s=${c.rate}:d=${sec + 0.1}`;
  const noise = `anoisesrc=color=pink:a=0.05:r=${c.rate}:d=${sec + 0.1}:seed=7`;
  execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', sweep, '-f', 'lavfi', '-i', noise],
    ...[
      '-filter_complex',
      `[0][1]amix=inputs=2:normalize=0,aformat=channel_layouts=${c.channels === 2 ? 'stereo' : 'mono'}[o]`,
    ],
    ...['-map', '[o]', '-c:a', 'pcm_s16le', src],
  ]);
  const wavs: string[] = [];
  const mp3s: string[] = [];
  let at = 0;
  c.pieces.forEach((n, i) => {
    const wav = join(dir, `${c.rate}-${c.channels}-${i}.wav`);
    const mp3 = join(dir, `${c.rate}-${c.channels}-${c.encode.join('')}-${i}.mp3`);
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-i', src],
      ...['-af', `atrim=start_sample=${at}:end_sample=${at + n}`, '-c:a', 'pcm_s16le', wav],
    ]);
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-i', wav, '-c:a', 'libmp3lame', ...c.encode],
      ...(i === 0 ? ['-metadata', 'title=Sweep', '-metadata', 'artist=Seam tests'] : []),
      mp3,
    ]);
    wavs.push(wav);
    mp3s.push(mp3);
    at += n;
  });
  return { wavs, mp3s };
}

/** The LAME tag's delay + 529 of an MP3 file: where its audio starts in its decoded frames. */
function leadOf(bytes: Uint8Array): { lead: number; frame: number } {
  const head = leadingId3Size(bytes);
  const h = frameHeaderAt(bytes, head)!;
  const tag = readVbrTag(bytes.subarray(head), h)!;
  return { lead: tag.delay! + 529, frame: h.samplesPerFrame };
}

/**
 * The inputs' decodes (or sources) laid end to end as the join lays them: each next one `r`
 * samples early, overlapped in an equal-power crossfade. `overlaps[k]` is join k's r.
 */
function layEndToEnd(
  parts: Float32Array[],
  overlaps: number[],
  ch: number,
): { pcm: Float32Array; joins: number[] } {
  const lengths = parts.map((p) => p.length / ch);
  const total = lengths.reduce((a, b) => a + b, 0) - overlaps.reduce((a, b) => a + b, 0);
  const pcm = new Float32Array(total * ch);
  const joins: number[] = [];
  let at = 0;
  parts.forEach((p, k) => {
    const r = k > 0 ? overlaps[k - 1]! : 0;
    const start = at - r;
    if (k > 0) joins.push(at);
    for (let i = 0; i < lengths[k]!; i++) {
      for (let c = 0; c < ch; c++) {
        const v = p[i * ch + c]!;
        const o = (start + i) * ch + c;
        if (i < r) {
          const u = ((i + 0.5) / r) * (Math.PI / 2);
          pcm[o] = pcm[o]! * Math.cos(u) + v * Math.sin(u);
        } else pcm[o] = v;
      }
    }
    at = start + lengths[k]!;
  });
  return { pcm, joins };
}

describe.each(CASES)('an exact lossless MP3 join, $label', (c) => {
  let out: string;
  let mp3s: string[];
  let wavs: string[];
  let overlaps: number[];
  let coderCalls: number;
  beforeAll(async () => {
    ({ wavs, mp3s } = makePieces(c, tmp));
    const coder = nativeMp3Coder();
    const blob = await joinMp3(
      mp3s.map((p, i) => ({ id: `t${i}`, name: `t${i}.mp3`, blob: new Blob([readFileSync(p)]) })),
      { mp3Coder: coder },
    );
    coderCalls = coder.calls;
    out = join(tmp, `joined-${c.rate}-${c.encode.join('')}.mp3`);
    writeFileSync(out, new Uint8Array(await blob.arrayBuffer()));
    // Where each next input must sit, from the inputs alone: A's audio ends at its lead plus its
    // decoded length; B's frames sit on the grid, so B starts r = (end - B's lead) mod frame early.
    const decoded = mp3s.map((p) => decodeFloat(p, c.channels).length / c.channels);
    overlaps = [];
    let end = 0;
    mp3s.forEach((p, k) => {
      const { lead, frame } = leadOf(readFileSync(p));
      if (k === 0) {
        end = lead + decoded[0]!;
        return;
      }
      const r = (((end - lead) % frame) + frame) % frame;
      overlaps.push(r);
      end = end - r + decoded[k]!;
    });
  });

  it('encodes only around the joins (a decode of each side and one encode per join)', () => {
    expect(coderCalls).toBe(3 * (mp3s.length - 1));
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
    const ch = c.channels;
    const expected = layEndToEnd(
      mp3s.map((p) => decodeFloat(p, ch)),
      overlaps,
      ch,
    );
    const source = layEndToEnd(
      wavs.map((p) => decodeFloat(p, ch)),
      overlaps,
      ch,
    );
    const got = decodeFloat(out, ch);
    let worst = 0;
    for (const at of expected.joins) {
      for (let w = at - AROUND; w < at + AROUND; w += WINDOW) {
        const diff = rmsDiff(got, expected.pcm, ch, w, w + WINDOW);
        const codec = rmsDiff(expected.pcm, source.pcm, ch, w, w + WINDOW);
        worst = Math.max(worst, (diff - FLOOR) / codec);
        expect(diff, `window at ${w} (join at ${at})`).toBeLessThanOrEqual(K * codec + FLOOR);
      }
    }
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
