/**
 * Inputs and measures for exact lossless AAC-in-MP4 and Ogg Opus joins (lib/lossless/seam-plan.ts,
 * ./mp4-seams.ts, ./opus-seams.ts), shared by the native unit test and the e2e test: one sine
 * sweep over quiet noise cut into pieces off the frame grid and encoded piece by piece, the
 * inputs laid end to end as the join lays them (each next one r samples early, crossfaded), and
 * the output compared with that.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputTiming } from '@/lib/lossless/mp4';
import { inputEnds } from '@/lib/lossless/ogg-opus';
import { decodeFloat } from '../unit/support/segments-native';
import { layEndToEnd } from './mp3-seams';

export interface ExactCase {
  label: string;
  rate: number;
  channels: 1 | 2;
  /** ffmpeg's encoding arguments for each piece, e.g. ['-c:a', 'aac', '-b:a', '128k']. */
  encode: string[];
  ext: 'm4a' | 'opus';
  /** Samples in each piece (off every frame grid). */
  pieces: number[];
}

/** A sweep from 150 Hz to 5 kHz over quiet pink noise, in pieces of `pieces` samples. */
export function makeExactPieces(c: ExactCase, dir: string): { wavs: string[]; files: string[] } {
  const total = c.pieces.reduce((a, b) => a + b, 0);
  const sec = total / c.rate;
  const top = Math.min(5000, c.rate / 2 - 500);
  const src = join(dir, `${c.ext}-${c.rate}-${c.channels}-sweep.wav`);
  const sweep = `aevalsrc=0.5*sin(2*PI*(150*t+${(top - 150) / (2 * sec)}*t*t)):s=${c.rate}:d=${sec + 0.1}`;
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
  const files: string[] = [];
  let at = 0;
  c.pieces.forEach((n, i) => {
    const wav = join(dir, `${c.ext}-${c.rate}-${c.channels}-${i}.wav`);
    const file = join(dir, `${c.rate}-${c.channels}-${c.encode.join('')}-${i}.${c.ext}`);
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-i', src],
      ...['-af', `atrim=start_sample=${at}:end_sample=${at + n}`, '-c:a', 'pcm_s16le', wav],
    ]);
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-i', wav, ...c.encode],
      ...(i === 0 ? ['-metadata', 'title=Sweep', '-metadata', 'artist=Seam tests'] : []),
      file,
    ]);
    wavs.push(wav);
    files.push(file);
    at += n;
  });
  return { wavs, files };
}

/**
 * A file's decode as it plays: native ffmpeg 5.1 skips an M4A's priming but plays the end
 * padding its edit list leaves out, so an M4A's decode is cut to the length its edit says.
 */
export function decodePlayed(path: string, ch: number, rate: number): Float32Array {
  const pcm = decodeFloat(path, ch);
  const [format, duration] = execFileSync('ffprobe', [
    ...[
      '-v',
      'error',
      '-select_streams',
      'a:0',
      '-show_entries',
      'format=format_name:stream=duration',
    ],
    ...['-of', 'default=nw=1:nk=1', path],
  ])
    .toString()
    .trim()
    .split('\n')
    .reverse();
  if (!format?.includes('mp4')) return pcm;
  const n = Math.round(Number(duration) * rate);
  return pcm.subarray(0, Math.min(pcm.length, n * ch));
}

export interface SeamFigures {
  /** Samples (per channel) of each input as it plays, and of the output. */
  inputs: number[];
  output: number;
  /** Output sample of each join (where the next input's audio starts). */
  joins: number[];
  /** Samples of the output that differ from the inputs laid end to end, within 3 frames... */
  differentNear: number;
  /** ...and farther from every join (copied frames decode exactly as the inputs' did). */
  differentFar: number;
  /** SNR (dB) of the output against the inputs laid end to end away from the joins. */
  farSnr: number;
  /** Per join, SNR (dB) of the output against the inputs laid end to end over the frames near it. */
  snr: number[];
  /** The same of the inputs' own decodes against their source (the codec's own SNR there). */
  codecSnr: number[];
  /** Longest run of exact zeros (all channels) within 4096 samples of each join, in the output. */
  zeroRun: number[];
}

/**
 * The output against the inputs' decodes laid end to end with the join's crossfades (and the
 * sources, laid the same way, for the codec's own noise): `near` samples either side of each
 * join are where frames were encoded again.
 */
export function measureSeams(
  out: string,
  files: readonly string[],
  wavs: readonly string[],
  overlaps: number[],
  c: { channels: number; rate: number },
  near: number,
): SeamFigures {
  const ch = c.channels;
  const ins = files.map((p) => decodePlayed(p, ch, c.rate));
  const expected = layEndToEnd(ins, overlaps, ch);
  // The sources cut as the inputs play (an M4A's edit list is whole milliseconds).
  const source = layEndToEnd(
    wavs.map((p, i) => {
      const cut = new Float32Array(ins[i]!.length);
      cut.set(decodeFloat(p, ch).subarray(0, cut.length));
      return cut;
    }),
    overlaps,
    ch,
  );
  const got = decodePlayed(out, ch, c.rate);
  let differentNear = 0;
  let differentFar = 0;
  let farSignal = 0;
  let farError = 0;
  const n = Math.min(got.length, expected.pcm.length) / ch;
  for (let t = 0; t < n; t++) {
    let same = true;
    const isNear = expected.joins.some((j) => Math.abs(t - j) < near);
    for (let k = 0; k < ch; k++) {
      const e = expected.pcm[t * ch + k]!;
      if (got[t * ch + k] !== e) same = false;
      if (!isNear) {
        farSignal += e * e;
        farError += (got[t * ch + k]! - e) ** 2;
      }
    }
    if (same) continue;
    if (isNear) differentNear++;
    else differentFar++;
  }
  const snrOf = (x: Float32Array, ref: Float32Array, j: number) => {
    let s = 0;
    let e = 0;
    for (
      let i = Math.max(0, (j - near) * ch);
      i < Math.min(x.length, ref.length, (j + near) * ch);
      i++
    ) {
      s += ref[i]! ** 2;
      e += (x[i]! - ref[i]!) ** 2;
    }
    return 10 * Math.log10(s / Math.max(e, 1e-20));
  };
  const zeroRun = expected.joins.map((j) => {
    let best = 0;
    let run = 0;
    for (let t = Math.max(0, j - 4096); t < Math.min(n, j + 4096); t++) {
      let zero = true;
      for (let k = 0; k < ch; k++) if (Math.abs(got[t * ch + k]!) > 1 / 32768) zero = false;
      run = zero ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  });
  return {
    inputs: ins.map((p) => p.length / ch),
    output: got.length / ch,
    joins: expected.joins,
    differentNear,
    differentFar,
    farSnr: 10 * Math.log10(farSignal / Math.max(farError, 1e-20)),
    snr: expected.joins.map((j) => snrOf(got, expected.pcm, j)),
    codecSnr: expected.joins.map((j) => snrOf(expected.pcm, source.pcm, j)),
    zeroRun,
  };
}

/**
 * Each join's overlap r of an exact M4A join, from the inputs' edit lists: A's audio ends where
 * its edit ends, B's 1024-sample frames sit on the output's grid, so B starts r early.
 */
export async function m4aOverlaps(files: readonly string[]): Promise<number[]> {
  const overlaps: number[] = [];
  let end = 0;
  for (const [k, p] of files.entries()) {
    const t = await inputTiming(new Blob([readFileSync(p)]));
    if (k > 0) {
      const r = (((end - t.lead) % 1024) + 1024) % 1024;
      overlaps.push(r);
      end += t.frames * 1024 - t.tail - t.lead - r;
    } else end = t.frames * 1024 - t.tail;
  }
  return overlaps;
}

/**
 * Each join's overlap r of an exact Opus join, from the inputs' pre-skips and last granule
 * positions: B's 960-sample packets sit on the output's grid, so B starts r early.
 */
export async function opusOverlaps(files: readonly string[]): Promise<number[]> {
  const overlaps: number[] = [];
  let end = 0;
  for (const [k, p] of files.entries()) {
    const { preSkip, endGranule } = await inputEnds(new Blob([readFileSync(p)]));
    if (k > 0) {
      const r = (((end - preSkip) % 960) + 960) % 960;
      overlaps.push(r);
      end += endGranule - preSkip - r;
    } else end = endGranule;
  }
  return overlaps;
}
