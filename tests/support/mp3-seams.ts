/**
 * Inputs and expectations for exact lossless MP3 joins (lib/lossless/mp3/seams.ts), shared by
 * the native unit test and the e2e test: one sine sweep over quiet noise cut into pieces off the
 * frame grid and encoded piece by piece, where each next piece must sit in the join, and the
 * inputs laid end to end as the join lays them (each next one r samples early, crossfaded).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leadingId3Size } from '@/lib/containers/id3';
import { frameHeaderAt, readVbrTag } from '@/lib/containers/mp3';
import { decodeFloat, rmsDiff } from '../unit/support/segments-native';

export interface SweepCase {
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

/** A sweep from 150 Hz to 5 kHz over quiet pink noise, in pieces of `pieces` samples. */
export function makeSweepPieces(c: SweepCase, dir: string): { wavs: string[]; mp3s: string[] } {
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
export function leadOf(bytes: Uint8Array): { lead: number; frame: number } {
  const head = leadingId3Size(bytes);
  const h = frameHeaderAt(bytes, head)!;
  const tag = readVbrTag(bytes.subarray(head), h)!;
  return { lead: tag.delay! + 529, frame: h.samplesPerFrame };
}

/**
 * The inputs' decodes (or sources) laid end to end as the join lays them: each next one `r`
 * samples early, overlapped in an equal-power crossfade. `overlaps[k]` is join k's r.
 */
export function layEndToEnd(
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

/**
 * Each join's overlap r, from the inputs alone: A's audio ends at its lead plus its decoded
 * length; B's frames sit on the frame grid, so B starts r = (end - B's lead) mod frame early.
 */
export function joinOverlaps(mp3s: readonly string[], channels: number): number[] {
  const overlaps: number[] = [];
  let end = 0;
  mp3s.forEach((p, k) => {
    const decoded = decodeFloat(p, channels).length / channels;
    const { lead, frame } = leadOf(readFileSync(p));
    if (k === 0) {
      end = lead + decoded;
      return;
    }
    const r = (((end - lead) % frame) + frame) % frame;
    overlaps.push(r);
    end = end - r + decoded;
  });
  return overlaps;
}

/** The threshold of noiseAroundJoins's windows: K x the codec's own error + FLOOR. */
export const NOISE_K = 2;
export const NOISE_FLOOR = 1e-4;
const WINDOW = 1024;
/** Samples each side of a join compared. */
const AROUND = 4096;

/**
 * The output against the inputs' decodes laid end to end (with the join's crossfades), and the
 * codec's own error (those decodes against the source pieces laid the same way), RMS per
 * window of 1024 samples over the 8192 around each join.
 */
export function noiseAroundJoins(
  out: string,
  mp3s: readonly string[],
  wavs: readonly string[],
  overlaps: number[],
  ch: number,
): { join: number; at: number; diff: number; codec: number }[] {
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
  const windows: { join: number; at: number; diff: number; codec: number }[] = [];
  for (const at of expected.joins) {
    for (let w = at - AROUND; w < at + AROUND; w += WINDOW) {
      windows.push({
        join: at,
        at: w,
        diff: rmsDiff(got, expected.pcm, ch, w, w + WINDOW),
        codec: rmsDiff(expected.pcm, source.pcm, ch, w, w + WINDOW),
      });
    }
  }
  return windows;
}
