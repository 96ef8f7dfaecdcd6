/**
 * Tracks that change format midway are decoded on their own first (lib/plan/predecode.ts):
 * the plan's words, its runs and the join's inputs; then the planned runs on the MP3s made
 * with `cat` through native ffmpeg 5.1 (the same major version as ffmpeg.wasm), whose join
 * must hold every input's audio.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioInfo, FormatChange } from '@/lib/core/track';
import { describeChange, type StreamFormat } from '@/lib/media/decode-check';
import { render, type Text } from '@/lib/core/i18n';
import { checkOutputLength, planJoin, type JoinPlan, type PlanTrack } from '@/lib/plan/planner';
import { parseFfmpegTime } from '@/lib/media/probe';
import {
  INTERMEDIATE_SAMPLE_BYTES,
  intermediateInfo,
  predecodeFilters,
} from '@/lib/plan/predecode';
import { parallelJoin } from '@/lib/plan/parallel';
import { defaultOutput } from '@/lib/core/settings';
import { decodedDuration, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';
import { audioInfo } from './support/audio-info';
import { tempFolder } from './support/files';
import { probeFixture } from './support/probe';

const RATE_CHANGE: FormatChange = {
  reason: 'changes sample rate from 44.1 kHz to 48 kHz at 0:10',
  channels: [2],
  sampleRates: [44100, 48000],
};
const MONO_TAIL: FormatChange = {
  reason: 'changes from stereo to mono at 0:10',
  channels: [2, 1],
  sampleRates: [44100],
};

function track(id: string, info: Partial<AudioInfo> = {}): PlanTrack {
  return { id, name: `${id}.mp3`, info: audioInfo(info) };
}

type FfmpegPlan = Extract<JoinPlan, { kind: 'ffmpeg' }>;
function ffmpegPlan(plan: JoinPlan): FfmpegPlan {
  if (plan.kind !== 'ffmpeg') throw new Error('expected an ffmpeg plan');
  return plan;
}

describe('describeChange', () => {
  const f = (channels: number, layout: string, sampleFormat: string, sampleRate: number) =>
    ({ channels, layout, sampleFormat, sampleRate }) satisfies StreamFormat;

  it.each<[string, StreamFormat[], string | undefined]>([
    ['one format', [f(2, 'stereo', 'fltp', 44100)], undefined],
    [
      'a rate change',
      [f(2, 'stereo', 'fltp', 44100), f(2, 'stereo', 'fltp', 48000)],
      'changes sample rate midway (44.1 kHz, then 48 kHz)',
    ],
    [
      'growing channels',
      [f(1, 'mono', 's16', 44100), f(2, 'stereo', 's16', 44100), f(6, '5.1(side)', 's16', 44100)],
      'changes channels midway (mono, then stereo, then 6 channels)',
    ],
    [
      'bit depth and rate',
      [f(1, 'mono', 's16', 44100), f(1, 'mono', 's32', 48000)],
      'changes sample rate and sample format midway (44.1 kHz, then 48 kHz; 16-bit, then 32-bit)',
    ],
  ])('%s', (_name, formats, reason) => {
    const change = describeChange(formats);
    expect(change && render(change.reason as Text)).toBe(reason);
  });

  it('lists the channel counts and rates in order', () => {
    const change = describeChange([
      f(2, 'stereo', 'fltp', 48000),
      f(2, 'stereo', 'fltp', 44100),
      f(2, 'stereo', 'fltp', 48000),
    ]);
    expect(change).toMatchObject({ channels: [2], sampleRates: [48000, 44100, 48000] });
  });
});

describe('planJoin decodes a track that changes format first', () => {
  it('plans a run of its own into raw float at the join rate, and reads that in the join', () => {
    const tracks = [track('a'), track('b', { formatChange: RATE_CHANGE })];
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'mp3', bitrate: 128 }));
    expect(plan.steps.pre.flatMap((s) => (s.kind === 'predecode' ? [s.run] : []))).toHaveLength(1);
    const step = plan.steps.pre.flatMap((s) => (s.kind === 'predecode' ? [s.run] : []))![0]!;
    expect(step).toMatchObject({ track: 1, trackId: 'b', totalSec: 60 });
    expect(step.inputs).toEqual([{ trackId: 'b', path: '/in/1.mp3' }]);
    expect(step.args).toEqual([
      ...['-hide_banner', '-loglevel', 'info', '-stats', '-i', '/in/1.mp3', '-map', '0:a:0'],
      ...[
        '-af',
        'aresample=44100,aformat=sample_fmts=flt:sample_rates=44100:channel_layouts=stereo',
      ],
      ...['-c:a', 'pcm_f32le', '-f', 'f32le', step.outputPath],
    ]);
    expect(plan.inputs).toEqual([
      { trackId: 'a', path: '/in/0.mp3' },
      { trackId: 'b', path: '/in/1.f32', intermediate: true },
    ]);
    const args = plan.args.join(' ');
    expect(args).toContain('-i /in/0.mp3 -f f32le -ar 44100 -ch_layout stereo -i /in/1.f32');
    expect(plan.summary).toMatch(
      /^Re-encoding to MP3 128 kb\/s, 44\.1 kHz stereo: track 2 changes sample rate from 44\.1 kHz to 48 kHz at 0:10, so it is decoded first\./,
    );
    // Said once: the head line has it.
    expect(plan.lines.filter((l) => l.includes('decoded first'))).toHaveLength(1);
  });

  it('says it as a note when the head line gives other reasons', () => {
    const tracks = [
      track('a', { container: 'wav', codec: 'pcm_s16le' }),
      track('b', { formatChange: MONO_TAIL }),
    ];
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'mp3', bitrate: 128 }));
    expect(plan.lines[0]).toMatch(/^Re-encoding .*: the tracks use different codecs/);
    expect(plan.lines).toContain(
      'Track 2 changes from stereo to mono at 0:10: it is decoded first.',
    );
  });

  it('puts a mono stretch into both speakers at full level, as a mono track', () => {
    const stereo = { rate: 44100, channels: { count: 2, layout: 'stereo' } };
    expect(predecodeFilters(MONO_TAIL, stereo)).toBe(
      'pan=stereo|FL=FL+FC|FR=FR+FC,aresample=44100,aformat=sample_fmts=flt:sample_rates=44100:channel_layouts=stereo',
    );
    expect(predecodeFilters(RATE_CHANGE, stereo)).not.toContain('pan');
    const mono = { rate: 44100, channels: { count: 1, layout: 'mono' } };
    expect(predecodeFilters(MONO_TAIL, mono)).not.toContain('pan');
    // A mono track whose stream grows to stereo is stereo once decoded: no pan of c0 in the join.
    const grows = track('b', {
      channels: 1,
      channelLayout: 'mono',
      formatChange: { reason: 'changes channels midway', channels: [1, 2], sampleRates: [44100] },
    });
    const plan = ffmpegPlan(
      planJoin([track('a'), grows], { ...defaultOutput, format: 'mp3', bitrate: 128 }),
    );
    expect(plan.args[plan.args.indexOf('-filter_complex') + 1]).not.toContain('pan=');
  });

  it('keeps a cover from the file of a track read from its intermediate', () => {
    const tracks = [
      track('a', { formatChange: RATE_CHANGE, hasCover: true, coverStreamIndex: 1 }),
      track('b'),
    ];
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'mp3', bitrate: 128 }));
    expect(plan.inputs[2]).toEqual({ trackId: 'a', path: '/in/cover-0.mp3' });
    const args = plan.args.join(' ');
    // Inputs: 0 and 1 the tracks, 2 the tags, 3 the file for its cover.
    expect(args).toContain('-f ffmetadata -i /in/metadata.txt -i /in/cover-0.mp3');
    expect(args).toContain('-map 3:1 -c:v copy');
    // Its segments' commands would not place that input: one engine.
    expect(parallelJoin(plan, tracks, { ...defaultOutput, format: 'mp3' }, 4)).toBeUndefined();
  });

  it('plans no run for tracks of one format, nor for a lossless join', () => {
    const plan = planJoin([track('a'), track('b')], { ...defaultOutput, format: 'mp3' });
    expect(
      'predecode' in plan && plan.steps.pre.flatMap((s) => (s.kind === 'predecode' ? [s.run] : [])),
    ).toBeFalsy();
  });

  it('gives the intermediate its exact length once written', () => {
    const info = intermediateInfo(
      audioInfo({ formatChange: RATE_CHANGE, statedSec: 61 }),
      { rate: 48000, channels: { count: 2, layout: 'stereo' } },
      96_000,
    );
    expect(info).toMatchObject({
      codec: 'pcm_f32le',
      sampleRate: 48000,
      channels: 2,
      samples: 96_000,
      durationSec: 2,
      decoded: true,
      inputArgs: ['-f', 'f32le', '-ar', '48000', '-ch_layout', 'stereo'],
    });
    expect(info.formatChange).toBeUndefined();
    expect(info.statedSec).toBeUndefined();
  });
});

describe('the planned runs in native ffmpeg', () => {
  beforeAll(requireNativeFfmpeg);
  const tmp = tempFolder('predecode-native').dir;

  it.each([
    ['cat-44100-then-48000.mp3', RATE_CHANGE],
    ['cat-stereo-then-mono.mp3', MONO_TAIL],
  ])('joins %s to MP3 at full length', async (name, change) => {
    const first = { ...probeFixture('tone-440-2s-44100-stereo.mp3') };
    const cat = { ...probeFixture(name), formatChange: change };
    const tracks: PlanTrack[] = [
      { id: 'a', name: 'tone-440-2s-44100-stereo.mp3', info: first },
      { id: 'b', name, info: cat },
    ];
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'mp3', bitrate: 128 }));
    const dir = join(tmp, name);
    mkdirSync(join(dir, 'in'), { recursive: true });
    mkdirSync(join(dir, 'out'), { recursive: true });
    const local = (s: string) =>
      s.replaceAll('/in/', `${dir}/in/`).replaceAll('/out/', `${dir}/out/`);
    const ffmpeg = (args: string[]) => {
      const res = spawnSync('ffmpeg', ['-nostdin', '-y', ...args.map(local)], { encoding: 'utf8' });
      expect(res.status, res.stderr.slice(-1500)).toBe(0);
    };
    // The files at their paths, as the engine mounts them.
    copyFileSync(fixture(tracks[0]!.name), local('/in/0.mp3'));
    copyFileSync(fixture(name), local('/in/1.mp3'));
    const step = plan.steps.pre.flatMap((s) => (s.kind === 'predecode' ? [s.run] : []))![0]!;
    ffmpeg(step.args);
    const bytes = statSync(local(step.outputPath)).size;
    const decodedSec = bytes / INTERMEDIATE_SAMPLE_BYTES / 2 / step.target.rate;
    expect(Math.abs(decodedSec - cat.durationSec)).toBeLessThan(0.03);
    copyFileSync(local(step.outputPath), local(plan.inputs[1]!.path));
    for (const f of plan.files) {
      writeFileSync(local(f.path), f.text);
    }
    ffmpeg(plan.args);
    const want = first.durationSec + cat.durationSec;
    const len = await decodedDuration(local(plan.outputPath), {
      rate: plan.steps.pre.flatMap((s) => (s.kind === 'predecode' ? [s.run] : []))![0]!.target.rate,
    });
    // Within one MP3 frame of the inputs' audio (plus the encoder's delay and padding).
    expect(len).toBeGreaterThan(want - 1152 / 44100);
    expect(len).toBeLessThan(want + (3 * 1152) / 44100);
  });
});

describe('a FLAC track that changes format, joined to FLAC', () => {
  const flac = (id: string, extra: Partial<AudioInfo> = {}) =>
    track(id, { container: 'flac', codec: 'flac', bitsPerSample: 16, ...extra });
  const change: FormatChange = {
    reason: 'changes channels midway (mono, then stereo)',
    channels: [1, 2],
    sampleRates: [44100],
  };

  it('is not called lossless (it is brought to one layout), and stays 16-bit', () => {
    const tracks = [flac('a', { channels: 1, channelLayout: 'mono' })];
    tracks.push(flac('b', { channels: 1, channelLayout: 'mono', formatChange: change }));
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'flac' }));
    expect(plan.lossless).toBe(false);
    expect(plan.summary).toMatch(/^Re-encoding to FLAC, 44\.1 kHz mono: track 2 changes channels/);
    expect(plan.args.join(' ')).toContain('-c:a flac -sample_fmt s16');
  });

  it('keeps 24 bits from a 24-bit source', () => {
    const tracks = [flac('a', { bitsPerSample: 24 }), flac('b', { formatChange: change })];
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'flac' }));
    expect(plan.args).not.toContain('-sample_fmt');
  });
});

describe('a FLAC that starts at a frame header mid-stream, in the join graph (native ffmpeg)', () => {
  beforeAll(requireNativeFfmpeg);
  const tmp = tempFolder('frame-header-native').dir;

  it('passes the output check: time is counted from its samples, not its timestamps', async () => {
    // Its packets are 46 ms apart by their timestamps but hold 93 ms each.
    const names = [
      'corpus/flac-test-files/uncommon/10_-_file_starting_at_frame_header.flac',
      'corpus/taglib/sinewave.flac',
    ];
    // Their lengths as the decode check counts them (samples), as native ffmpeg's verdict has.
    const decoded = [15.071859, 3.550023];
    const tracks: PlanTrack[] = names.map((name, i) => ({
      id: String(i),
      name,
      info: { ...probeFixture(name), durationSec: decoded[i]! },
    }));
    const plan = ffmpegPlan(planJoin(tracks, { ...defaultOutput, format: 'mp3', bitrate: 128 }));
    const local = (s: string) =>
      s.replaceAll('/in/', `${tmp}/in/`).replaceAll('/out/', `${tmp}/out/`);
    mkdirSync(join(tmp, 'in'), { recursive: true });
    mkdirSync(join(tmp, 'out'), { recursive: true });
    plan.inputs.forEach((input, i) => copyFileSync(fixture(names[i]!), local(input.path)));
    for (const f of plan.files) writeFileSync(local(f.path), f.text);
    const res = spawnSync('ffmpeg', ['-nostdin', '-y', ...plan.args.map(local)], {
      encoding: 'utf8',
    });
    expect(res.status, res.stderr.slice(-1500)).toBe(0);
    const written = parseFfmpegTime(res.stderr.replaceAll('\r', '\n'));
    expect(() => checkOutputLength(plan, written)).not.toThrow();
    const len = await decodedDuration(local(plan.outputPath), { rate: 44100 });
    const want = tracks[0]!.info.durationSec + tracks[1]!.info.durationSec;
    expect(Math.abs(len - want)).toBeLessThan(0.06);
  });
});
