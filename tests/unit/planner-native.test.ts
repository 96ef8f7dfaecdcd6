/**
 * The planner's ffmpeg arguments, run by native ffmpeg (Debian's 5.1, the same major version as
 * the ffmpeg.wasm core): every plan the matrix makes must run, and its output must have the
 * codec, length, chapters and tags the plan promises. Without native ffmpeg these tests fail
 * loudly (requireNativeFfmpeg); the e2e tests run the same plans in ffmpeg.wasm.
 */
import { findStep } from '@/lib/plan/steps';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import type { AudioInfo } from '@/lib/core/track';
import type { TrackEdit } from '@/lib/core/track';
import type { FormatId } from '@/lib/core/formats';
import { joinMp3, joinWav, retagMp3 } from '@/lib/lossless';
import { planJoin, type JoinPlan, type PlanTrack } from '@/lib/plan/planner';
import { defaultOutput, type OutputSettings } from '@/lib/core/settings';
import {
  channelSlice,
  decodePcm,
  decodedDuration,
  ffprobe,
  requireNativeFfmpeg,
  rms,
} from '../support/native-ffmpeg';
import { FIXTURES } from '../support/paths';
import { tempFolder } from './support/files';
import { probeFixture } from './support/probe';

beforeAll(requireNativeFfmpeg);
const tmp = tempFolder('planner-native').dir;

const probed = new Map<string, AudioInfo>();

/** A fixture probed the way the extension probes it (ffprobe JSON + the decoded length). */
function probe(name: string, edit?: Partial<TrackEdit>): PlanTrack {
  const info = structuredClone(probed.get(name) ?? probeFixture(name));
  probed.set(name, info);
  return {
    id: name,
    name,
    info,
    ...(edit ? { edit: { startSec: 0, transitionAfter: { kind: 'none' }, ...edit } } : {}),
  };
}

let runs = 0;
/** Runs a plan with native tools; returns the output file's path. */
async function run(plan: JoinPlan, tracks: readonly PlanTrack[]): Promise<string> {
  const dir = join(tmp, `run-${runs++}`);
  mkdirSync(join(dir, 'in'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  if (plan.kind === 'fast') {
    const inputs = tracks.map((t) => ({
      id: t.id,
      name: t.name,
      blob: new Blob([readFileSync(join(FIXTURES, t.name))]),
    }));
    const fast = plan.steps.main.kind === 'fast-mp3' ? 'mp3' : 'wav';
    const id3 = findStep(plan.steps, 'retag-mp3')?.id3;
    let blob = await (fast === 'mp3' ? joinMp3 : joinWav)(inputs);
    if (id3) {
      const cover = id3.cover;
      const from =
        typeof cover === 'object' ? inputs.find((i) => i.id === cover.trackId) : undefined;
      blob = await retagMp3(blob, id3, from?.blob);
    }
    const out = join(dir, `out/joined.${fast}`);
    writeFileSync(out, new Uint8Array(await blob.arrayBuffer()));
    return out;
  }
  const local = (s: string) =>
    s.replaceAll('/in/', `${dir}/in/`).replaceAll('/out/', `${dir}/out/`);
  plan.inputs.forEach((input, i) =>
    copyFileSync(join(FIXTURES, tracks[i]!.name), local(input.path)),
  );
  for (const f of plan.files) writeFileSync(local(f.path), local(f.text));
  const args = plan.args.map(local).filter((a) => a !== '-stats');
  const res = spawnSync('ffmpeg', ['-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (res.status !== 0)
    throw new Error(`ffmpeg failed: ${args.join(' ')}\n${res.stderr.slice(-2000)}`);
  return local(plan.outputPath);
}

const CODEC: Record<FormatId, string> = {
  mp3: 'mp3',
  m4a: 'aac',
  m4b: 'aac',
  m4r: 'aac',
  ogg: 'vorbis',
  opus: 'opus',
  flac: 'flac',
  wav: 'pcm_s16le',
};
/** Encoder delay and padding a decode may add or lose (AAC priming, MP3 frame rounding). */
const SLACK: Record<FormatId, number> = {
  mp3: 0.06,
  m4a: 0.05,
  m4b: 0.05,
  m4r: 0.05,
  ogg: 0.03,
  opus: 0.03,
  flac: 0.01,
  wav: 0.01,
};

const TONES = [
  'tone-440-2s-44100-stereo.mp3',
  'tone-660-2s-44100-stereo.mp3',
  'tone-880-2s-44100-stereo.mp3',
];
const out = (o: Partial<OutputSettings>): OutputSettings => ({ ...defaultOutput, ...o });

describe('plans run in ffmpeg and produce what they promise', () => {
  const FORMATS: FormatId[] = ['mp3', 'm4a', 'm4b', 'm4r', 'ogg', 'opus', 'flac', 'wav'];
  const EDITS: [string, (Partial<TrackEdit> | undefined)[]][] = [
    ['as recorded', [undefined, undefined]],
    ['trimmed', [{ startSec: 0.25, endSec: 1.75 }, { startSec: 0.5 }]],
    ['gap', [{ transitionAfter: { kind: 'gap', seconds: 0.75 } }, undefined]],
    [
      'crossfade',
      [{ transitionAfter: { kind: 'crossfade', seconds: 0.5, curve: 'equal-power' } }, undefined],
    ],
  ];
  const LAYOUTS: [string, string[]][] = [
    ['stereo + stereo', [TONES[0]!, TONES[1]!]],
    ['mono + stereo', ['mono-22050.mp3', 'aac-44100-stereo.m4a']],
  ];

  // Every format with every kind of edit; the channel layouts alternate (the pure planner tests
  // cover the full product).
  for (const format of FORMATS) {
    for (const [e, [editName, edits]] of EDITS.entries()) {
      for (const [layoutName, names] of [LAYOUTS[(e + FORMATS.indexOf(format)) % 2]!]) {
        it(`${format}, ${editName}, ${layoutName}`, async () => {
          const tracks = names.map((n, i) => probe(n, edits[i]));
          const plan = planJoin(tracks, out({ format, bitrate: 128 }));
          const file = await run(plan, tracks);
          const p = await ffprobe(file);
          const audio = p.streams.find((s) => s.codec_type === 'audio')!;
          expect(audio.codec_name).toBe(CODEC[format]);
          if (format === 'opus') expect(audio.sample_rate).toBe('48000');
          const len = await decodedDuration(file, { rate: 48000 });
          expect(Math.abs(len - plan.totalSec)).toBeLessThanOrEqual(
            SLACK[format] + (plan.lossless ? 0.1 : 0.02),
          );
        });
      }
    }
  }
});

describe('edits change the length exactly', () => {
  const lengthOf = async (format: FormatId, edits: (Partial<TrackEdit> | undefined)[]) => {
    const tracks = TONES.map((n, i) => probe(n, edits[i]));
    const plan = planJoin(tracks, out({ format }));
    return { plan, len: await decodedDuration(await run(plan, tracks), { rate: 48000 }) };
  };

  it.each<[string, (Partial<TrackEdit> | undefined)[], number]>([
    ['trim 0.37 s off the start', [{ startSec: 0.37 }], -0.37],
    ['trim 0.5 s off the end', [undefined, { endSec: 1.5 }], -0.5],
    ['trim both ends of two tracks', [{ startSec: 0.1, endSec: 1.9 }, { startSec: 0.25 }], -0.45],
    ['a 1.25 s gap', [{ transitionAfter: { kind: 'gap', seconds: 1.25 } }], 1.25],
    [
      'a 0.8 s crossfade',
      [{ transitionAfter: { kind: 'crossfade', seconds: 0.8, curve: 'linear' } }],
      -0.8,
    ],
    [
      'two crossfades on both sides of track 2',
      [
        { transitionAfter: { kind: 'crossfade', seconds: 0.6, curve: 'logarithmic' } },
        { transitionAfter: { kind: 'crossfade', seconds: 0.7, curve: 'equal-power' } },
      ],
      -1.3,
    ],
  ])('%s (WAV)', async (_n, edits, delta) => {
    const { plan, len } = await lengthOf('wav', edits);
    expect(plan.totalSec).toBeCloseTo(6 + delta, 6);
    expect(len).toBeCloseTo(6 + delta, 2);
  });

  it('a crossfade mixes both tracks at its middle, at about full level (equal power)', async () => {
    const tracks = [
      probe(TONES[0]!, {
        transitionAfter: { kind: 'crossfade', seconds: 1, curve: 'equal-power' },
      }),
      probe(TONES[1]!),
    ];
    const plan = planJoin(tracks, out({ format: 'wav' }));
    const file = await run(plan, tracks);
    const pcm = await decodePcm(file, { channels: 1, rate: 44100 });
    const before = rms(channelSlice(pcm, 0, 0.2, 0.4));
    const middle = rms(channelSlice(pcm, 0, 1.45, 0.1));
    expect(middle / before).toBeGreaterThan(0.8);
    expect(middle / before).toBeLessThan(1.25);
  });

  it('fades and normalization keep the length', async () => {
    const tracks = TONES.map((n) => probe(n));
    const plan = planJoin(
      tracks,
      out({ format: 'wav', fadeInSec: 1, fadeOutSec: 1.5, normalize: true }),
      {
        loudnessTarget: -20,
      },
    );
    expect(plan.summary).toMatch(/fade in; fade out; loudness normalization/);
    const len = await decodedDuration(await run(plan, tracks), { rate: 48000 });
    expect(len).toBeCloseTo(6, 2);
  });

  it('forced 48 kHz mono', async () => {
    const tracks = TONES.slice(0, 2).map((n) => probe(n));
    const plan = planJoin(tracks, out({ format: 'flac', sampleRate: 48000, channels: 1 }));
    const p = await ffprobe(await run(plan, tracks));
    expect(p.streams[0]).toMatchObject({ sample_rate: '48000', channels: 1 });
  });
});

describe('tags, cover and chapters', () => {
  const names = [TONES[0]!, 'with-tags-and-cover.mp3', TONES[1]!];

  it.each<[FormatId, boolean]>([
    ['mp3', true],
    ['m4a', true],
    ['m4b', true],
    ['flac', false],
    ['ogg', false],
  ])('%s: chapters %s', async (format, hasChapters) => {
    const tracks = [
      probe('with-tags-and-cover.mp3', {
        transitionAfter: { kind: 'crossfade', seconds: 0.4, curve: 'linear' },
        chapterTitle: 'Opening; = #1',
      }),
      probe(TONES[0]!, { startSec: 0.5, transitionAfter: { kind: 'gap', seconds: 0.3 } }),
      probe(TONES[1]!),
    ];
    const plan = planJoin(tracks, out({ format }), {
      tags: { title: 'The Whole Thing', year: '2031' },
    });
    const p = await ffprobe(await run(plan, tracks));
    const tags = { ...p.format.tags, ...p.streams.find((s) => s.codec_type === 'audio')?.tags };
    const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lower).toMatchObject({
      title: 'The Whole Thing',
      artist: 'Seam Fixtures',
      album: 'Odd Files',
      date: '2031',
    });
    expect(Object.keys(lower).filter((k) => k === 'encoder' && /Lavf\d/.test(lower[k]!))).toEqual(
      [],
    );
    if (hasChapters) {
      // Chapter 2 starts where the crossfade starts: 1.04 - 0.4; chapter 3 after the gap.
      const first = tracks[0]!.info.durationSec;
      const starts = [0, first - 0.4, first - 0.4 + 1.5 + 0.3];
      expect(p.chapters.map((c) => Number(c.start_time))).toEqual(
        starts.map((s) => expect.closeTo(s, 2) as unknown as number),
      );
      expect(p.chapters.map((c) => c.tags?.title)).toEqual([
        'Opening; = #1',
        'tone-440-2s-44100-stereo',
        'tone-660-2s-44100-stereo',
      ]);
    } else {
      expect(p.chapters).toEqual([]);
    }
    const pic = p.streams.find((s) => s.disposition?.attached_pic === 1);
    if (format === 'ogg') expect(pic).toBeUndefined();
    else expect(pic).toBeDefined();
  });

  it('lossless MP3 keeps the fast path and writes chapters, tags and another track’s cover', async () => {
    const tracks = names.map((n) => probe(n));
    const plan = planJoin(
      tracks,
      out({ format: 'mp3', cover: { trackId: 'with-tags-and-cover.mp3' } }),
      {
        tags: { title: 'Fast' },
      },
    );
    expect(plan.kind).toBe('fast');
    const p = await ffprobe(await run(plan, tracks));
    expect(p.format.tags).toMatchObject({ title: 'Fast' });
    expect(p.chapters).toHaveLength(3);
    expect(p.streams.some((s) => s.disposition?.attached_pic === 1)).toBe(true);
  });

  it('lossless M4A copy writes chapters and tags', async () => {
    const tracks = ['aac-44100-stereo.m4a', 'aac-44100-stereo.m4a'].map((n, i) => ({
      ...probe(n),
      id: `t${i}`,
    }));
    const plan = planJoin(tracks, out({ format: 'm4b' }), { tags: { album: 'Book' } });
    expect(plan.kind === 'ffmpeg' && plan.lossless).toBe(true);
    const p = await ffprobe(await run(plan, tracks));
    expect(p.format.tags).toMatchObject({ album: 'Book' });
    expect(p.chapters.map((c) => Number(c.start_time))).toEqual([
      0,
      expect.closeTo(tracks[0]!.info.durationSec, 2),
    ]);
  });

  it('FLAC from matching FLAC is lossless: the samples are the same', async () => {
    const tracks = ['stereo-96000.flac', 'stereo-96000.flac'].map((n, i) => ({
      ...probe(n),
      id: `t${i}`,
    }));
    const plan = planJoin(tracks, out({ format: 'flac' }));
    expect(plan.lossless).toBe(true);
    expect(plan.summary).toMatch(/^Lossless: .*loses nothing/);
    const file = await run(plan, tracks);
    const pcm = (path: string) =>
      execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 's32le', '-'], {
        maxBuffer: 64 << 20,
      });
    const src = pcm(join(FIXTURES, 'stereo-96000.flac'));
    const joined = pcm(file);
    expect(Buffer.compare(joined, Buffer.concat([src, src]))).toBe(0);
  });
});
