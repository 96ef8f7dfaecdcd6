/**
 * Native ffmpeg and ffprobe (Debian's `ffmpeg` package), for making inputs and for checking what
 * comes out of a join: ffprobe's view, packet hashes, decoded samples, lengths and tones.
 * Used by unit tests, e2e tests and the benchmark alike.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Tests that check outputs with Debian's ffmpeg/ffprobe fail loudly without them rather than
 * skip: a skipped check is a check that silently stopped running. `.ci/run` installs them.
 */
export function requireNativeFfmpeg(): void {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    if (spawnSync(tool, ['-version']).status !== 0) {
      throw new Error(`${tool} not found: install Debian's ffmpeg (apt-get install -y ffmpeg)`);
    }
  }
}

/** Runs native ffmpeg quietly (for making inputs at test time); throws with its log on failure. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * What native ffmpeg says while decoding `path` at `-v warning` ("" when all is well: no "non
 * monotonically increasing dts", no guessed channel layout, no invalid header).
 */
export async function decodeWarnings(path: string): Promise<string> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'warning',
    '-i',
    path,
    '-f',
    'null',
    '-',
  ]);
  return stderr.trim();
}

/** The parts of `ffprobe -show_format -show_streams -show_chapters` the tests look at. */
export interface Probe {
  format: {
    format_name: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    tags?: Record<string, string>;
  };
  streams: {
    index: number;
    codec_type: string;
    codec_name: string;
    sample_rate?: string;
    channels?: number;
    sample_fmt?: string;
    bits_per_raw_sample?: string;
    duration?: string;
    bit_rate?: string;
    disposition?: { attached_pic?: number };
    tags?: Record<string, string>;
  }[];
  chapters: { start_time: string; end_time: string; tags?: { title?: string } }[];
}

/** ffprobe's JSON for a file: format, streams and chapters. */
export async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-print_format', 'json'],
    ...['-show_format', '-show_streams', '-show_chapters', path],
  ]);
  return JSON.parse(stdout) as Probe;
}

/** The first audio stream in ffprobe's terms, with the file's length; throws when there is none. */
export async function probeAudio(path: string): Promise<{
  codec: string;
  sampleRate: number;
  channels: number;
  /** Seconds, as the container says (not decoded). */
  durationSec: number;
  /** kb/s of the stream, or of the whole file when the stream does not say. */
  kbps: number;
}> {
  const probe = await ffprobe(path);
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  if (!audio) throw new Error(`${basename(path)} has no audio stream`);
  return {
    codec: audio.codec_name,
    sampleRate: Number(audio.sample_rate),
    channels: audio.channels ?? 0,
    durationSec: Number(probe.format.duration),
    kbps: Number(audio.bit_rate ?? probe.format.bit_rate) / 1000,
  };
}

/**
 * Every audio packet as ffmpeg's demuxer sees it with a stream copy (`-f framemd5`): its size
 * and the md5 of its bytes, in order, without decoding.
 */
export async function packets(path: string): Promise<{ size: number; hash: string }[]> {
  const { stdout } = await run(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'framemd5', '-'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return (
    stdout
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      // "stream, dts, pts, duration, size, hash" and then, on some packets, side data
      // ("S=1, size, hash": the encoder delay and end padding), which is not the packet.
      .map((l) => {
        const cols = l.split(',').map((c) => c.trim());
        return { size: Number(cols[4]), hash: cols[5]! };
      })
  );
}

/** md5 of every audio packet's bytes, in order. */
export async function packetHashes(path: string): Promise<string[]> {
  return (await packets(path)).map((p) => p.hash);
}

/** The packet hashes of several files one after the other: what a lossless join of them holds. */
export async function concatPacketHashes(paths: readonly string[]): Promise<string[]> {
  return (await Promise.all(paths.map(packetHashes))).flat();
}

export interface Pcm {
  /** Signed 16-bit samples, interleaved. */
  samples: Int16Array;
  rate: number;
  channels: number;
}

/**
 * The audio decoded to signed 16-bit PCM, interleaved. Without `rate` the first audio stream's
 * own sample rate is kept, without `channels` its own channel count (ffprobe tells them).
 */
export async function decodePcm(
  path: string,
  opts: { channels?: number; rate?: number } = {},
): Promise<Pcm> {
  let { rate, channels } = opts;
  if (rate === undefined || channels === undefined) {
    const audio = (await ffprobe(path)).streams.find((s) => s.codec_type === 'audio');
    if (!audio) throw new Error(`${basename(path)} has no audio stream`);
    rate ??= Number(audio.sample_rate);
    channels ??= audio.channels ?? 1;
  }
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0'],
      ...['-ac', String(channels), '-ar', String(rate), '-f', 's16le', '-'],
    ],
    { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
  );
  const buf = stdout as Buffer;
  const samples = new Int16Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 2));
  return { samples: samples.slice(), rate, channels };
}

/**
 * Samples per channel a full decode yields, at the stream's own rate (sample-exact), or
 * resampled to `rate` (one process fewer: no ffprobe).
 */
export async function sampleCount(
  path: string,
  opts: { rate?: number } = {},
): Promise<{ samples: number; rate: number }> {
  const { samples, rate } = await decodePcm(path, { channels: 1, rate: opts.rate });
  return { samples: samples.length, rate };
}

/** Seconds of audio a full decode yields (see sampleCount). */
export async function decodedDuration(path: string, opts: { rate?: number } = {}): Promise<number> {
  const { samples, rate } = await sampleCount(path, opts);
  return samples / rate;
}

/** One channel of interleaved PCM, from `startSec` for `lengthSec`, as floats in -1..1. */
export function channelSlice(
  pcm: Pcm,
  channel: number,
  startSec: number,
  lengthSec: number,
): Float64Array {
  const from = Math.max(0, Math.round(startSec * pcm.rate));
  const frames = Math.floor(pcm.samples.length / pcm.channels);
  const to = Math.min(frames, from + Math.round(lengthSec * pcm.rate));
  const out = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = pcm.samples[i * pcm.channels + channel]! / 32768;
  return out;
}

export function rms(x: Float64Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return x.length ? Math.sqrt(sum / x.length) : 0;
}

/**
 * The frequency of a pure tone from its zero crossings (with a small hysteresis so coding noise
 * near zero does not count twice): rising crossings per second.
 */
export function toneFrequency(x: Float64Array, rate: number): number {
  const level = rms(x);
  const hyst = level * 0.1;
  let armed = false;
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < -hyst) armed = true;
    else if (armed && v > hyst) {
      armed = false;
      // Interpolated position of the crossing, counted from the first one.
      const prev = x[i - 1] ?? 0;
      const pos = i - 1 + (hyst - prev) / (v - prev || 1);
      if (first < 0) first = pos;
      else count++;
      last = pos;
    }
  }
  if (count === 0) return 0;
  return (count * rate) / (last - first);
}

/**
 * What is heard in each of consecutive sections of a stereo decode (the inputs of a join, in
 * order, `lengths` seconds each): the tone's frequency (left channel) and each channel's level,
 * measured over the middle of the section (half of it, at most 0.5 s).
 */
export function toneSections(
  pcm: Pcm,
  lengths: readonly number[],
): { hz: number; left: number; right: number }[] {
  let at = 0;
  return lengths.map((sec) => {
    const len = Math.min(0.5, sec / 2);
    const start = at + (sec - len) / 2;
    at += sec;
    const left = channelSlice(pcm, 0, start, len);
    const right = channelSlice(pcm, 1, start, len);
    return { hz: toneFrequency(left, pcm.rate), left: rms(left), right: rms(right) };
  });
}

/**
 * Sine tones written by native ffmpeg as 44.1 kHz mono WAVs (lengths exact to the sample) in a
 * new temporary folder named from `prefix`: each `[file name, frequency Hz, seconds]`.
 */
export async function sineTones(
  prefix: string,
  tones: readonly (readonly [name: string, freq: number, sec: number])[],
): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const out: string[] = [];
  for (const [name, freq, sec] of tones) {
    const path = join(dir, name);
    await ffmpeg([
      ...['-f', 'lavfi', '-i', `sine=frequency=${freq}:sample_rate=44100:duration=${sec}`],
      path,
    ]);
    out.push(path);
  }
  return out;
}
