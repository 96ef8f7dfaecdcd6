/**
 * The join as a pipeline of steps (issue 19): the planner's steps as data, and each step's
 * executor run alone with a stand-in engine (no ffmpeg): what every command reads is mounted,
 * a failing part names itself and stops the others, progress is weighed over the steps, and a
 * post step that cannot read the copy keeps it and says so.
 */
import { describe, expect, it } from 'vitest';
import {
  describeError,
  JoinCanceledError,
  JoinFailedError,
  type SeamError,
} from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { COVER_IMAGE_ID, defaultOutput, type OutputSettings } from '@/lib/core/settings';
import type { AudioInfo } from '@/lib/core/track';
import type { EngineCommand, RunResult } from '@/lib/engine/ffmpeg';
import { runSteps, stepName, type PipelineContext } from '@/lib/engine/pipeline';
import type { StepEngine } from '@/lib/engine/steps/context';
import { planJoin, type JoinPlan, type PlanTrack } from '@/lib/plan/planner';
import { segmentRuns } from '@/lib/plan/segment-runs';
import { stepList } from '@/lib/plan/steps';
import { audioInfo } from './support/audio-info';

const track = (id: string, over: Partial<AudioInfo> = {}): PlanTrack => ({
  id,
  name: `${id}.mp3`,
  info: audioInfo({ decoded: true, ...over }),
});

/** Three mixed tracks, 2:16 in all, as in the cover join. */
const mixed = [
  track('a', { durationSec: 50 }),
  track('b', {
    durationSec: 40,
    codec: 'pcm_s16le',
    container: 'wav',
    sampleRate: 48000,
    channels: 1,
  }),
  track('c', { durationSec: 46, codec: 'flac', container: 'flac' }),
];
const coverJoin: OutputSettings = {
  ...defaultOutput,
  format: 'm4b',
  chapters: 'per-track',
  cover: 'image',
};
const tags = { title: 'Book', artist: 'Seam' };

/** The files a command reads: every `-i` and every concat list entry. */
function readsOf(command: Pick<EngineCommand, 'args' | 'files'>): string[] {
  const inputs = command.args.flatMap((a, i) => (command.args[i - 1] === '-i' ? [a] : []));
  const listed = command.files.flatMap((f) =>
    [...f.text.matchAll(/^file '([^']+)'$/gm)].map((m) => m[1]!),
  );
  return [...inputs, ...listed].filter((p) => p !== '-');
}

/** Every file a command reads is mounted (an input with a Blob) or written beside it. */
function expectMounted(command: EngineCommand, label: string): void {
  const have = new Set([...command.inputs.map((i) => i.path), ...command.files.map((f) => f.path)]);
  expect(
    readsOf(command).filter((p) => !have.has(p)),
    label,
  ).toEqual([]);
}

describe('the planner’s steps', () => {
  it('a long re-encode with an own cover on two cores: encoded in parts, each part reads only what it mounts', () => {
    const plan = planJoin(mixed, coverJoin, { tags, cores: 2 });
    expect(plan.steps.main.kind).toBe('parts');
    if (plan.kind !== 'ffmpeg' || plan.steps.main.kind !== 'parts') return;
    const main = plan.steps.main;
    const runs = segmentRuns(plan, mixed, coverJoin, main.segments.segments, {
      rate: main.rate,
      channels: main.channels,
      decodedSamples: (i) => Math.round(mixed[i]!.info.durationSec * mixed[i]!.info.sampleRate),
    });
    expect(runs.length).toBe(2);
    runs.forEach((r) => expectMounted({ ...r }, `part ${r.segment + 1}`));
    // The first part writes the cover and the tags.
    expect(runs[0]!.inputs.map((i) => i.trackId)).toContain(COVER_IMAGE_ID);
    expect(runs[0]!.args).toContain('attached_pic');
  });

  it.each<[string, PlanTrack[], Partial<OutputSettings>, string[]]>([
    ['MP3s to MP3', [track('a'), track('b')], { format: 'mp3' }, ['fast-mp3', 'retag-mp3']],
    [
      'the same, with chapter files',
      [track('a'), track('b')],
      { format: 'mp3', chapterFiles: true },
      ['fast-mp3', 'retag-mp3', 'chapter-files'],
    ],
    [
      'AAC to M4B',
      [
        track('a', { codec: 'aac', container: 'mov,mp4,m4a,3gp,3g2,mj2' }),
        track('b', { codec: 'aac', container: 'mov,mp4,m4a,3gp,3g2,mj2' }),
      ],
      { format: 'm4b' },
      ['ffmpeg', 'close-joins'],
    ],
    ['mixed to WAV', mixed, { format: 'wav' }, ['ffmpeg', 'wav-header']],
    [
      'a track that changes rate midway',
      [
        track('a'),
        track('b', { formatChange: { reason: 'x', channels: [2], sampleRates: [44100, 48000] } }),
      ],
      { format: 'mp3', bitrate: 128 },
      ['predecode', 'ffmpeg'],
    ],
  ])('%s: %j', (_label, tracks, output, kinds) => {
    const plan = planJoin(tracks, { ...defaultOutput, ...output }, { tags });
    expect(stepList(plan.steps).map((s) => s.kind)).toEqual(kinds);
    if (plan.kind === 'ffmpeg') expectMounted(plan, 'the join');
    for (const pre of plan.steps.pre)
      if (pre.kind === 'predecode') expectMounted(pre.run, 'the decode');
  });
});

interface Call {
  command: EngineCommand;
  signal: AbortSignal | undefined;
}

/** A stand-in engine: runs finish at once with `bytes`, or fail as `fail` says. */
function fakeEngine(fail?: (command: EngineCommand) => Error | undefined) {
  const calls: Call[] = [];
  const engine: StepEngine = {
    run: (command, _tracks, _blobs, onProgress, _mime, signal) => {
      calls.push({ command, signal });
      const err = fail?.(command);
      if (err) return Promise.reject(err);
      if (command.outputPath.includes('part-')) {
        // The other parts run until they are stopped.
        return new Promise<RunResult>((_, reject) => {
          const stop = () => reject(new JoinCanceledError());
          if (signal?.aborted) stop();
          else signal?.addEventListener('abort', stop, { once: true });
        });
      }
      onProgress(1, 'reading');
      onProgress(0.5, 'joining');
      onProgress(1, 'joining');
      const decode = command.outputPath.endsWith('.f32');
      const blob = new Blob([decode ? new Float32Array(2 * 44100 * 2) : 'joined']);
      return Promise.resolve({ blob, heapPeakBytes: 1, writtenSec: command.totalSec });
    },
    analyse: () => Promise.resolve(''),
    task: () => Promise.reject(new Error('no tasks here')),
  };
  return { engine, calls };
}

function pipeline(
  plan: JoinPlan,
  tracks: readonly PlanTrack[],
  engine: StepEngine,
  output: OutputSettings,
) {
  const reports: [string, number][] = [];
  const abort = new AbortController();
  const blobs = new Map<string, Blob>([
    ...tracks.map((t) => [t.id, new Blob([t.id])] as const),
    [COVER_IMAGE_ID, new Blob(['png'])],
  ]);
  const ctx: PipelineContext = {
    plan,
    output,
    ready: tracks,
    blobs,
    engine,
    lease: (n, work) => work(Array.from({ length: n }, () => engine)),
    signal: abort.signal,
    report: (phase, percent) => void reports.push([phase, percent]),
  };
  return { ctx, reports, abort };
}

describe('the steps’ executors, with a stand-in engine', () => {
  it('a part that fails names itself, and the other parts are stopped', async () => {
    const plan = planJoin(mixed, coverJoin, { tags, cores: 2 });
    const { engine, calls } = fakeEngine((c) =>
      c.outputPath.includes('part-0')
        ? new JoinFailedError(text('refusals.ffmpegFileMissing'))
        : undefined,
    );
    const { ctx } = pipeline(plan, mixed, engine, coverJoin);
    const err = (await runSteps(plan.steps, ctx).catch((e: unknown) => e)) as SeamError;
    expect(err).toBeInstanceOf(JoinFailedError);
    expect(describeError(err.toData())).toBe(
      'Encoding part 1 of 2 failed: one of the files it reads was not there.',
    );
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.signal?.aborted)).toBe(true);
  });

  it('progress runs over the steps by the audio each reads: a 60 s decode, then the 120 s join', async () => {
    const tracks = [
      track('a'),
      track('b', { formatChange: { reason: 'x', channels: [2], sampleRates: [44100, 48000] } }),
    ];
    const output: OutputSettings = { ...defaultOutput, format: 'mp3', bitrate: 128 };
    const plan = planJoin(tracks, output);
    const { engine, calls } = fakeEngine();
    const { ctx, reports } = pipeline(plan, tracks, engine, output);
    const state = await runSteps(plan.steps, ctx);
    expect(calls.map((c) => c.command.outputPath)).toEqual([
      '/out/decoded-1.f32',
      '/out/joined.mp3',
    ]);
    // The decode's 60 s are a third of the work, the join's 120 s two thirds; reading is not a
    // phase of its own after a step before the join.
    expect(reports).toEqual([
      ['joining', 16],
      ['joining', 33],
      ['joining', 66],
      ['joining', 99],
    ]);
    expect(state.tracks[1]!.info.codec).toBe('pcm_f32le');
    expect(state.heapPeakBytes).toBe(1);
  });

  it('closing the joins of a copy it cannot read keeps the copy, and the saved line says so', async () => {
    const aac = { codec: 'aac', container: 'mov,mp4,m4a,3gp,3g2,mj2', profile: 'LC' };
    const tracks = [track('a', aac), track('b', aac)];
    const output: OutputSettings = { ...defaultOutput, format: 'm4a' };
    const plan = planJoin(tracks, output);
    const { engine } = fakeEngine();
    const { ctx } = pipeline(plan, tracks, engine, output);
    const state = await runSteps(plan.steps, ctx);
    expect(await state.result?.text()).toBe('joined');
    expect(state.note).toEqual(text('join.joinsAsCopied'));
  });

  it('Cancel before a step stops the pipeline there', async () => {
    const plan = planJoin([track('a'), track('b')], { ...defaultOutput, format: 'flac' });
    const { engine, calls } = fakeEngine();
    const { ctx, abort } = pipeline(plan, [track('a'), track('b')], engine, defaultOutput);
    abort.abort();
    await expect(runSteps(plan.steps, ctx)).rejects.toBeInstanceOf(JoinCanceledError);
    expect(calls).toEqual([]);
  });

  it('names each step in words', () => {
    const plan = planJoin(mixed, coverJoin, { tags });
    expect(stepList(plan.steps).map((s) => stepName(s, { plan, ready: mixed }))).toEqual([
      text('steps.encode'),
    ]);
  });
});
