/**
 * Parallel encoding, proved with native ffmpeg (Debian's 5.1: libmp3lame, flac, aac, libopus,
 * as in the ffmpeg.wasm core): the planner's segments are encoded one ffmpeg run each, as the
 * engines would, spliced, and compared with a single pass of the same plan.
 *
 * What must hold, for every codec: the parallel file decodes to exactly as many samples as the
 * single pass; its tags, chapters and cover are the single pass's; and its audio differs from
 * the single pass's by no more than the codec's own noise. That threshold, per window of 2048
 * samples (46 ms) anywhere in the file:
 *
 *   RMS(parallel - single)  <=  K x RMS(single - source)  +  1e-4 (-80 dBFS)
 *
 * i.e. splitting moves the audio less than encoding it at all does. K = 1 for MP3 and Opus
 * (measured here: worst windows 0.90 MP3 CBR, 0 MP3 VBR (the decodes are identical), 0.67 Opus).
 * ffmpeg's native AAC encoder carries rate-control state for seconds, so a segment's frames
 * differ from a single pass's all through the segment, not only near its start; its K is 3,
 * chosen from the same file encoded in one pass at 224 instead of 192 kb/s, whose worst window
 * is 2.45 times the codec's error against the source (the parallel encode's: 2.2). A click at a
 * splice point (a lost or doubled frame, a misplaced reservoir byte) shows within a few hundred
 * samples of it, so also: within 256 samples of each splice point, the peak difference is at most
 * the single pass's own peak error within 2048 samples of it. FLAC is lossless: the parallel
 * file is the single pass's byte for byte, but for STREAMINFO's MD5 (left zero).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import { COVER_IMAGE_ID, defaultOutput, type OutputSettings } from '@/lib/core/settings';
import type { TrackEdit } from '@/lib/core/track';
import { frameHeaderAt, readVbrTag } from '@/lib/containers/mp3';
import { leadingId3Size } from '@/lib/containers/id3';
import { planJoin, targetChannels, targetSampleRate, type PlanOptions } from '@/lib/plan/planner';
import { formatSpec } from '@/lib/core/formats';
import { segmentCodec } from '@/lib/segments/codecs';
import { mergeSegments, planSegments } from '@/lib/segments/plan';
import { measureRun, samplesAt, segmentRuns, type SegmentRun } from '@/lib/plan/segment-runs';
import { loudnessGain, parseLoudness, planLoudnessTarget } from '@/lib/plan/loudness';
import { spliceMp3, type Mp3SpliceOptions } from '@/lib/segments/mp3';
import { spliceSegments } from '@/lib/segments/splice';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';
import { FIXTURES } from '../support/paths';
import {
  decodeFloat,
  decodedSamples,
  makeMusic,
  peakDiff,
  probeTrack,
  rmsDiff,
  runNative,
} from './support/segments-native';

const STEREO = { count: 2, layout: 'stereo' };

beforeAll(requireNativeFfmpeg);
const tmp = mkdtempSync(join(tmpdir(), 'seam-segments-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** Tracks of 6 s and segments of at least 4 s on 4 "cores": 3 or 4 segments, splice points mid-track. */
const TRACK_SEC = 6;
const MIN_SEGMENT_SEC = 4;
const CORES = 4;
const WINDOW = 2048;
const FLOOR = 1e-4;

interface TrackSpec {
  /** A fixture's name, or music made at this rate and channel count. */
  fixture?: string;
  rate?: number;
  channels?: 1 | 2;
  edit?: Partial<TrackEdit>;
}

let made = 0;
function makeTracks(specs: TrackSpec[]) {
  const paths = specs.map((s) => {
    if (s.fixture) return join(FIXTURES, s.fixture);
    const path = join(tmp, `music-${made++}.wav`);
    makeMusic(path, TRACK_SEC, s.rate ?? 44100, s.channels ?? 2, made);
    return path;
  });
  const tracks = paths.map((p, i) => probeTrack(p, `track-${made}-${i}`, specs[i]!.edit));
  const source = new Map(tracks.map((t, i) => [t.id, paths[i]!]));
  return { tracks, sourceOf: (id: string) => source.get(id)! };
}

interface Case {
  name: string;
  format: FormatId;
  output?: Partial<OutputSettings>;
  plan?: PlanOptions;
  tracks: TrackSpec[];
  mp3?: Mp3SpliceOptions;
  /** Files for inputs other than the tracks (the person's cover image), by input id. */
  sourceOf?: (id: string) => string | undefined;
}

let runs = 0;
const dir = () => {
  const d = join(tmp, `run-${runs++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** The plan in one pass, its segments in parallel, spliced; and what to compare them with. */
function encodeBothWays(c: Case) {
  const made = makeTracks(c.tracks);
  const tracks = made.tracks;
  const sourceOf = (id: string) => c.sourceOf?.(id) ?? made.sourceOf(id);
  const output: OutputSettings = { ...defaultOutput, format: c.format, ...c.output };
  const plan = planJoin(tracks, output, c.plan);
  if (plan.kind !== 'ffmpeg') throw new Error('expected a re-encode plan');
  const rate = targetSampleRate(tracks, formatSpec(c.format), output.sampleRate);
  const target = targetChannels(
    tracks.map((t) => t.info),
    output.format,
    output.channels,
  );
  const channels = target.count;
  const single = runNative(plan, dir(), sourceOf);
  // The timeline's length to the second is all the planner needs: the last segment runs to the end.
  const seg = planSegments(segmentCodec(c.format, rate)!, {
    totalSamples: samplesAt(plan.totalSec, rate),
    rate,
    cores: CORES,
    minSegmentSec: MIN_SEGMENT_SEC,
    fadeInSamples: samplesAt(output.fadeInSec, rate),
    fadeOutSamples: samplesAt(output.fadeOutSec, rate),
  });
  expect(seg.segments.length).toBeGreaterThanOrEqual(3);
  const segRuns = segmentRuns(plan, tracks, output, seg.segments, {
    rate,
    channels: target,
    decodedSamples: (i) => decodedSamples(tracks[i]!),
  });
  const encode = (r: SegmentRun) => runNative(r, dir(), sourceOf).bytes;
  const outputs = segRuns.map(encode);
  // The timeline before encoding, as float samples: the plan's graph written as PCM, run where
  // the single pass's inputs are.
  const singleDir = dirname(dirname(single.path));
  const sourcePath = join(singleDir, 'source.f32');
  execFileSync(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-y'],
      ...plan.args
        .slice(0, plan.args.indexOf('[out]') + 1)
        .filter((a) => a !== '-stats')
        .map((a) => a.replace(/^\/in\//, `${singleDir}/in/`)),
      ...['-c:a', 'pcm_f32le', '-f', 'f32le', sourcePath],
    ],
    { stdio: 'pipe' },
  );
  return {
    tracks,
    output,
    plan,
    seg,
    segRuns,
    outputs,
    single,
    sourcePath,
    rate,
    channels,
    encode,
  };
}

function writeOut(blob: Blob, ext: string): Promise<string> {
  const path = join(dir(), `parallel.${ext}`);
  return blob.arrayBuffer().then((b) => {
    writeFileSync(path, new Uint8Array(b));
    return path;
  });
}

/** Decoder complaints: a spliced file must decode as cleanly as a single pass. */
function decodeErrors(path: string): string {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Probed {
  format: { tags?: Record<string, string> };
  streams: { codec_type: string; codec_name: string; disposition?: { attached_pic?: number } }[];
  chapters: { start_time: string; end_time: string; tags?: { title?: string } }[];
}

function ffprobe(path: string): Probed {
  return JSON.parse(
    execFileSync('ffprobe', [
      ...['-v', 'error', '-of', 'json', '-show_format', '-show_streams', '-show_chapters', path],
    ]).toString(),
  ) as Probed;
}

function metadataOf(path: string) {
  const p = ffprobe(path);
  return {
    tags: p.format.tags,
    chapters: p.chapters.map((c) => [c.start_time, c.end_time, c.tags?.title]),
    streams: p.streams.map((s) => [s.codec_type, s.codec_name, s.disposition?.attached_pic]),
  };
}

/**
 * The threshold of the header comment, checked; returns the worst window's ratio for the log.
 * `splice points` are timeline samples where the later segment's audio begins.
 */
function expectWithinCodecNoise(
  singlePath: string,
  parallelPath: string,
  sourcePath: string,
  channels: number,
  splicePoints: number[],
  k: number,
): number {
  const single = decodeFloat(singlePath, channels);
  const parallel = decodeFloat(parallelPath, channels);
  const raw = readFileSync(sourcePath);
  const source = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const frames = single.length / channels;
  let worst = 0;
  const over: string[] = [];
  for (let at = 0; at < frames; at += WINDOW) {
    const diff = rmsDiff(parallel, single, channels, at, at + WINDOW);
    const noise = rmsDiff(single, source, channels, at, at + WINDOW);
    worst = Math.max(worst, diff / Math.max(noise, FLOOR));
    if (diff > k * noise + FLOOR)
      over.push(`${at}: ${diff.toExponential(2)} > ${k} x ${noise.toExponential(2)}`);
  }
  expect(over).toEqual([]);
  for (const j of splicePoints) {
    const click = peakDiff(parallel, single, channels, j - 256, j + 256);
    const codecPeak = peakDiff(single, source, channels, j - WINDOW, j + WINDOW);
    expect(click, `splice point at sample ${j}`).toBeLessThanOrEqual(codecPeak + FLOOR);
  }
  return worst;
}

function lengthOf(path: string, channels: number): number {
  return decodeFloat(path, channels).length / channels;
}

describe('MP3 in parallel is a single pass to the sample, within LAME’s own noise', () => {
  it.each<Case>([
    {
      name: 'CBR 192k, 44.1 kHz stereo, tags, chapters and the first track’s cover',
      format: 'mp3',
      output: { bitrate: 192, chapters: 'per-track' },
      plan: { tags: { title: 'Joined', artist: 'Seam', album: '', year: '2026' } },
      tracks: [{ fixture: 'with-tags-and-cover.mp3' }, {}, {}, {}],
    },
    {
      name: 'VBR quality 2, 48 kHz, trims, a gap, a crossfade, fades, a resampled first track and a later track’s cover',
      format: 'mp3',
      output: { mp3Mode: 'vbr', vbrQuality: 2, fadeInSec: 2, fadeOutSec: 3, sampleRate: 48000 },
      tracks: [
        { rate: 44100, edit: { startSec: 0.5 } },
        { rate: 48000, edit: { transitionAfter: { kind: 'gap', seconds: 0.7 } } },
        {
          rate: 48000,
          edit: {
            endSec: 7.25,
            transitionAfter: { kind: 'crossfade', seconds: 1.5, curve: 'equal-power' },
          },
        },
        { rate: 48000 },
        { fixture: 'with-tags-and-cover.mp3' },
      ],
    },
    {
      name: '64k, 22.05 kHz mono (MPEG-2, 576-sample frames)',
      format: 'mp3',
      output: { bitrate: 96, sampleRate: 'source' },
      tracks: [
        { rate: 22050, channels: 1 },
        { rate: 22050, channels: 1 },
        { rate: 22050, channels: 1 },
      ],
    },
  ])('$name', async (c) => {
    const r = encodeBothWays(c);
    const res = spliceMp3(
      r.outputs.map((bytes, i) => ({ bytes, firstFrame: r.seg.segments[i]!.firstFrame })),
      r.seg.splicePoints,
    );
    if (!res.ok) throw new Error(`splicePoints ${res.failed.join(', ')} failed`);
    const path = await writeOut(res.blob, 'mp3');
    expect(decodeErrors(path)).toBe('');
    expect(lengthOf(path, r.channels)).toBe(lengthOf(r.single.path, r.channels));
    expect(metadataOf(path)).toEqual(metadataOf(r.single.path));
    // One Info/Xing + LAME frame, with the single pass's delay, padding and frame count.
    const tag = (p: string) => {
      const bytes = new Uint8Array(readFileSync(p));
      const at = leadingId3Size(bytes);
      const t = readVbrTag(bytes.subarray(at), frameHeaderAt(bytes, at)!)!;
      return { frames: t.frames, delay: t.delay, padding: t.padding };
    };
    expect(tag(path)).toEqual(tag(r.single.path));
    const delay = res.delay + 529;
    const worst = expectWithinCodecNoise(
      r.single.path,
      path,
      r.sourcePath,
      r.channels,
      res.splicePoints.map((j) => j.frame * r.seg.codec.frame - delay),
      1,
    );
    console.info(`${c.name}: worst window ${worst.toFixed(2)}, splicePoints`, res.splicePoints);
  });
});

describe('MP3 splicePoints whose reservoir bytes do not fit', () => {
  const c: Case = {
    name: 'CBR 192k',
    format: 'mp3',
    output: { bitrate: 192 },
    tracks: [{}, {}, {}],
  };
  // Both tests splice the same encodes.
  let encoded: ReturnType<typeof encodeBothWays> | undefined;
  const both = () => (encoded ??= encodeBothWays(c));

  it('are spliced with the earlier frame rewritten at a higher bitrate', async () => {
    const r = both();
    const res = spliceMp3(
      r.outputs.map((bytes, i) => ({ bytes, firstFrame: r.seg.segments[i]!.firstFrame })),
      r.seg.splicePoints,
      { fixes: { fits: false } },
    );
    if (!res.ok) throw new Error(`splicePoints ${res.failed.join(', ')} failed`);
    expect(res.splicePoints.some((j) => j.fix === 'enlarged')).toBe(true);
    expect(res.splicePoints.every((j) => j.fix === 'enlarged' || j.fix === 'none')).toBe(true);
    const path = await writeOut(res.blob, 'mp3');
    expect(decodeErrors(path)).toBe('');
    expect(lengthOf(path, 2)).toBe(lengthOf(r.single.path, 2));
    expectWithinCodecNoise(
      r.single.path,
      path,
      r.sourcePath,
      2,
      res.splicePoints.map((j) => j.frame * 1152 - res.delay - 529),
      1,
    );
  });

  it('fail by name when no fix may be used, and splice once their two segments are encoded as one', async () => {
    const r = both();
    const first = spliceSegments(r.seg, r.outputs, { fixes: { fits: false, enlarge: false } });
    expect(first.ok).toBe(false);
    const failed = first.ok ? [] : first.failed;
    expect(failed.length).toBeGreaterThan(0);
    // The first failed splice point's segments, merged and encoded again by one engine.
    const later = failed[0]!;
    const merged = mergeSegments(r.seg, later);
    const [run] = segmentRuns(r.plan, r.tracks, r.output, merged.segments, {
      rate: r.rate,
      channels: { count: r.channels, layout: r.channels === 1 ? 'mono' : 'stereo' },
      decodedSamples: (i) => decodedSamples(r.tracks[i]!),
    }).filter((x) => x.segment === later - 1);
    const outputs = [
      ...r.outputs.slice(0, later - 1),
      r.encode(run!),
      ...r.outputs.slice(later + 1),
    ];
    const res = spliceSegments(merged, outputs);
    if (!res.ok) throw new Error(`splicePoints ${res.failed.join(', ')} failed`);
    expect(res.splicePoints).toHaveLength(r.seg.splicePoints.length - 1);
    const path = await writeOut(res.blob, 'mp3');
    expect(decodeErrors(path)).toBe('');
    expect(lengthOf(path, 2)).toBe(lengthOf(r.single.path, 2));
    expectWithinCodecNoise(
      r.single.path,
      path,
      r.sourcePath,
      2,
      res.splicePoints!.map((j) => j.frame * 1152 - 576 - 529),
      1,
    );
  });
});

describe('FLAC in parallel is the single pass, byte for byte but the MD5', () => {
  it.each<[string, number]>([
    ['44.1 kHz stereo with tags and a cover (4608-sample blocks)', 44100],
    ['96 kHz stereo (8192-sample blocks)', 96000],
  ])('%s', async (_name, rate) => {
    const r = encodeBothWays({
      name: 'flac',
      format: 'flac',
      plan: { tags: { title: 'Joined', artist: 'Seam', album: '', year: '' } },
      tracks: [
        ...(rate === 44100 ? [{ fixture: 'with-tags-and-cover.mp3' }] : []),
        { rate },
        { rate },
        { rate },
      ],
    });
    const res = spliceSegments(r.seg, r.outputs);
    if (!res.ok) throw new Error('flac splice failed');
    const parallel = new Uint8Array(await res.blob.arrayBuffer());
    const single = new Uint8Array(readFileSync(r.single.path));
    // STREAMINFO's MD5: the last 16 of its 34 bytes, after "fLaC" and a 4-byte block header.
    single.fill(0, 8 + 18, 8 + 34);
    expect(Buffer.compare(parallel, single)).toBe(0);
    const path = await writeOut(res.blob, 'flac');
    expect(decodeErrors(path)).toBe('');
  });
});

describe('Opus in parallel', () => {
  it('128k: the same length, tags and audio within libopus’s noise', async () => {
    const r = encodeBothWays({
      name: 'opus',
      format: 'opus',
      output: { bitrate: 128 },
      plan: { tags: { title: 'Joined', artist: 'Seam', album: '', year: '' } },
      tracks: [{ rate: 48000 }, { rate: 48000 }, { rate: 48000 }],
    });
    const res = spliceSegments(r.seg, r.outputs);
    if (!res.ok) throw new Error('opus splice failed');
    const path = await writeOut(res.blob, 'opus');
    expect(decodeErrors(path)).toBe('');
    expect(lengthOf(path, 2)).toBe(lengthOf(r.single.path, 2));
    expect(metadataOf(path)).toEqual(metadataOf(r.single.path));
    const worst = expectWithinCodecNoise(
      r.single.path,
      path,
      r.sourcePath,
      2,
      r.seg.splicePoints.map((j) => j.nominal * 960 - 312),
      1,
    );
    console.info(`opus: worst window ${worst.toFixed(2)}`);
  });
});

describe('AAC (M4B) in parallel', () => {
  it('192k with tags, chapters and a cover: the same length and metadata, audio within the codec’s noise', async () => {
    const r = encodeBothWays({
      name: 'm4b',
      format: 'm4b',
      output: { bitrate: 192, chapters: 'per-track' },
      plan: { tags: { title: 'Joined', artist: 'Seam', album: '', year: '' } },
      tracks: [{ fixture: 'with-tags-and-cover.mp3' }, {}, {}, {}],
    });
    const res = spliceSegments(r.seg, r.outputs);
    if (!res.ok) throw new Error('aac splice failed');
    const path = await writeOut(res.blob, 'm4b');
    expect(decodeErrors(path)).toBe('');
    expect(lengthOf(path, 2)).toBe(lengthOf(r.single.path, 2));
    expect(metadataOf(path)).toEqual(metadataOf(r.single.path));
    const worst = expectWithinCodecNoise(
      r.single.path,
      path,
      r.sourcePath,
      2,
      r.seg.splicePoints.map((j) => j.nominal * 1024 - 1024),
      3,
    );
    console.info(`m4b: worst window ${worst.toFixed(2)}`);
  });
});

describe('an own cover image in parallel (issue 19: it failed "without saying why")', () => {
  it.each<[FormatId, number]>([
    ['m4b', 3],
    ['m4a', 3],
    ['mp3', 1],
  ])(
    '%s with chapters, title, artist and a PNG of the person’s own: the single pass’s metadata and length',
    async (format) => {
      const image = join(tmp, 'own-cover.png');
      execFileSync('ffmpeg', [
        ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=teal:s=64x64'],
        ...['-frames:v', '1', image],
      ]);
      const r = encodeBothWays({
        name: `${format}-own-cover`,
        format,
        output: { bitrate: 128, chapters: 'per-track', cover: 'image' },
        plan: { tags: { title: 'Joined', artist: 'Seam', album: '', year: '' } },
        tracks: [{ fixture: 'mono-22050.mp3' }, { rate: 48000 }, { rate: 44100, channels: 1 }],
        sourceOf: (id) => (id === COVER_IMAGE_ID ? image : undefined),
      });
      const res = spliceSegments(r.seg, r.outputs);
      if (!res.ok) throw new Error('splice failed');
      const path = await writeOut(res.blob, formatSpec(format).extension);
      expect(decodeErrors(path)).toBe('');
      expect(lengthOf(path, 2)).toBe(lengthOf(r.single.path, 2));
      const meta = metadataOf(path);
      expect(meta).toEqual(metadataOf(r.single.path));
      expect(meta.streams.filter((s) => s[2] === 1)).toHaveLength(1);
      expect(meta.tags?.title).toBe('Joined');
    },
  );
});

describe('loudness normalization in parallel', () => {
  it('is measured once and applied as one gain: the target loudness, one pass’s length and sound', async () => {
    const { tracks, sourceOf } = makeTracks([{}, {}, {}]);
    const output: OutputSettings = {
      ...defaultOutput,
      format: 'mp3',
      bitrate: 192,
      normalize: true,
      fadeInSec: 1,
      fadeOutSec: 2,
    };
    const plan = planJoin(tracks, output, { loudnessTarget: -20 });
    if (plan.kind !== 'ffmpeg') throw new Error('expected a re-encode plan');
    const target = planLoudnessTarget(plan.args)!;
    expect(target).toBe(-20);
    const measure = measureRun(plan, tracks, { rate: 44100, channels: STEREO, target });
    const measureDir = dir();
    mkdirSync(join(measureDir, 'in'));
    for (const input of measure.inputs) {
      writeFileSync(join(measureDir, input.path), readFileSync(sourceOf(input.trackId)));
    }
    const log = spawnSync(
      'ffmpeg',
      ['-nostdin', ...measure.args.map((a) => a.replace(/^\/in\//, `${measureDir}/in/`))],
      { encoding: 'utf8' },
    ).stderr;
    const measured = parseLoudness(log)!;
    expect(measured.i).toBeLessThan(0);
    const gainDb = loudnessGain(measured, target);
    const opts = {
      rate: 44100,
      channels: STEREO,
      decodedSamples: (i: number) => decodedSamples(tracks[i]!),
      gainDb,
    };
    const seg = planSegments(segmentCodec('mp3', 44100)!, {
      totalSamples: samplesAt(plan.totalSec, 44100),
      rate: 44100,
      cores: CORES,
      minSegmentSec: MIN_SEGMENT_SEC,
      fadeInSamples: 44100,
      fadeOutSamples: 2 * 44100,
    });
    expect(seg.segments.length).toBeGreaterThanOrEqual(3);
    const outputs = segmentRuns(plan, tracks, output, seg.segments, opts).map(
      (r) => runNative(r, dir(), sourceOf).bytes,
    );
    const res = spliceSegments(seg, outputs);
    if (!res.ok) throw new Error('splice failed');
    const path = await writeOut(res.blob, 'mp3');
    // The reference: the same linear gain in one pass (one segment).
    const whole = planSegments(segmentCodec('mp3', 44100)!, {
      totalSamples: samplesAt(plan.totalSec, 44100),
      rate: 44100,
      cores: 1,
    });
    const [one] = segmentRuns(plan, tracks, output, whole.segments, opts);
    const single = runNative(one!, dir(), sourceOf);
    expect(lengthOf(path, 2)).toBe(lengthOf(single.path, 2));
    const integrated = (p: string) => {
      const err = spawnSync('ffmpeg', ['-nostdin', '-i', p, '-af', 'ebur128', '-f', 'null', '-'], {
        encoding: 'utf8',
      }).stderr;
      return Number(
        /I:\s+(-?[\d.]+) LUFS\s+Threshold/.exec(err.slice(err.lastIndexOf('Summary')))![1],
      );
    };
    // Fades make the whole a little quieter than the part the gain was measured on.
    expect(Math.abs(integrated(path) - target)).toBeLessThan(1);
    expect(Math.abs(integrated(path) - integrated(single.path))).toBeLessThan(0.05);
  });
});
