/**
 * Native ffmpeg as the parallel engines would run it, for the segment tests: test audio, probing
 * as the extension probes, running a plan or a segment's command, decoding to float samples and
 * comparing two decodes around the splice points.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AudioInfo, TrackEdit } from '@/lib/core/track';
import { parseProbe, probeArgs } from '@/lib/media/probe';
import type { PlanInput, PlanTrack } from '@/lib/plan/planner';
import { decodedSec } from './probe';

/**
 * Music-like test audio: a chord with vibrato, pink noise, and percussive bursts every 0.37 s
 * (so LAME switches to short blocks and leans on its reservoir), at `rate` with `channels`.
 */
export function makeMusic(path: string, sec: number, rate: number, channels: 1 | 2, seed: number) {
  const f = 180 + seed * 37;
  const burst = `aevalsrc=0.6*random(${seed})*lt(mod(t\\,0.37)\\,0.03):s=${rate}:d=${sec}`;
  const chord =
    `aevalsrc=0.25*sin(2*PI*${f}*t+3*sin(5*t))+0.2*sin(2*PI*${f * 1.5}*t)` +
    `+0.15*sin(2*PI*${f * 2.01}*t):s=${rate}:d=${sec}`;
  const noise = `anoisesrc=color=pink:a=0.15:r=${rate}:d=${sec}:seed=${seed}`;
  const pan =
    channels === 2 ? 'pan=stereo|c0=0.6*c0+c1+c2|c1=0.4*c0+c1+0.8*c2' : 'pan=mono|c0=0.5*c0+c1+c2';
  execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', chord, '-f', 'lavfi', '-i', noise, '-f', 'lavfi', '-i', burst],
    ...['-filter_complex', `[0][1][2]amerge=inputs=3,${pan},alimiter=limit=0.9[o]`, '-map', '[o]'],
    ...['-c:a', 'pcm_s16le', path],
  ]);
}

/** A file probed the way the extension probes it (ffprobe JSON + the decoded length). */
export function probeTrack(path: string, name: string, edit?: Partial<TrackEdit>): PlanTrack {
  const out = execFileSync('ffprobe', probeArgs(path, '-').slice(0, -2)).toString();
  const info: AudioInfo = parseProbe(out, { id: name, name, size: readFileSync(path).length });
  const sec = decodedSec(path);
  if (Number.isFinite(sec)) info.durationSec = sec;
  return {
    id: name,
    name,
    info,
    ...(edit ? { edit: { startSec: 0, transitionAfter: { kind: 'none' }, ...edit } } : {}),
  };
}

/** Samples a file decodes to, from its decoded length in µs (exact below 1 MHz). */
export function decodedSamples(track: PlanTrack): number {
  return Math.round(track.info.durationSec * track.info.sampleRate);
}

export interface Runnable {
  inputs: PlanInput[];
  files: { path: string; text: string }[];
  args: string[];
  outputPath: string;
}

/**
 * Runs a plan or a segment's command with native ffmpeg in `dir` (its /in and /out), with the
 * tracks' files copied to the paths it names; returns the output's bytes and the seconds taken.
 */
export function runNative(
  run: Runnable,
  dir: string,
  sourceOf: (trackId: string) => string,
): { bytes: Uint8Array<ArrayBuffer>; path: string; ms: number } {
  mkdirSync(join(dir, 'in'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  const local = (s: string) =>
    s.replaceAll('/in/', `${dir}/in/`).replaceAll('/out/', `${dir}/out/`);
  for (const input of run.inputs) copyFileSync(sourceOf(input.trackId), local(input.path));
  for (const f of run.files) writeFileSync(local(f.path), local(f.text));
  const args = run.args.map(local).filter((a) => a !== '-stats');
  const t0 = performance.now();
  const res = spawnSync('ffmpeg', ['-nostdin', '-y', ...args], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (res.status !== 0)
    throw new Error(`ffmpeg failed: ${args.join(' ')}\n${res.stderr.slice(-2000)}`);
  const path = local(run.outputPath);
  return { bytes: new Uint8Array(readFileSync(path)), path, ms };
}

/** Interleaved float samples of a decode (gapless: native ffmpeg honours LAME tags, pre-skip). */
export function decodeFloat(path: string, channels: number): Float32Array {
  const raw = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-map', '0:a:0', '-ac', String(channels), '-f', 'f32le', '-'],
    { maxBuffer: 1 << 30 },
  );
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
}

/** Root mean square of a - b over frames [from, to) (interleaved, `channels` a frame). */
export function rmsDiff(
  a: Float32Array,
  b: Float32Array,
  channels: number,
  from: number,
  to: number,
): number {
  let sum = 0;
  const lo = Math.max(0, from) * channels;
  const hi = Math.min(a.length, b.length, to * channels);
  for (let i = lo; i < hi; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum / Math.max(1, hi - lo));
}

/** Largest |a - b| over frames [from, to). */
export function peakDiff(
  a: Float32Array,
  b: Float32Array,
  channels: number,
  from: number,
  to: number,
): number {
  let peak = 0;
  const lo = Math.max(0, from) * channels;
  const hi = Math.min(a.length, b.length, to * channels);
  for (let i = lo; i < hi; i++) peak = Math.max(peak, Math.abs(a[i]! - b[i]!));
  return peak;
}
