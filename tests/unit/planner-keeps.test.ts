/**
 * "Lossless keeps everything", run on real files from tests/fixtures/corpus with native ffmpeg
 * 5.1 (the ffmpeg.wasm core's line): channel counts up to 8 with their layout, 32-bit integer
 * and 64-bit float samples, big-endian WAV read right, files of a few samples, covers from the
 * attached picture only. Each plan is run as the engine would run it; the output is checked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioInfo } from '@/lib/core/track';
import type { FormatId } from '@/lib/core/formats';
import { joinWav, parseWav, rifxInput } from '@/lib/lossless';
import { decodeCheckArgs, progressSamples } from '@/lib/media/decode-check';
import { parseProbe, probeArgs } from '@/lib/media/probe';
import { planJoin, type JoinPlan, type PlanTrack } from '@/lib/plan/planner';
import { defaultOutput } from '@/lib/core/settings';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus');
let tmp: string;
beforeAll(() => {
  requireNativeFfmpeg();
  tmp = mkdtempSync(join(tmpdir(), 'seam-planner-keeps-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const probed = new Map<string, AudioInfo>();

/** A corpus file probed as the engine probes it: ffprobe, RIFX as raw PCM, the decoded length. */
async function probe(file: string, id = file): Promise<PlanTrack> {
  const known = probed.get(file);
  if (known) return { id, name: file, info: structuredClone(known) };
  const path = join(CORPUS, file);
  const bytes = readFileSync(path);
  const out = execFileSync('ffprobe', probeArgs(path, '-').slice(0, -2)).toString();
  let info: AudioInfo = parseProbe(out, { id, name: file, size: bytes.length });
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFX') {
    const raw = rifxInput(await parseWav({ id, name: file, blob: new Blob([bytes]) }));
    info = { ...info, ...raw };
  }
  const progress = join(tmp, 'progress.txt');
  spawnSync('ffmpeg', [
    '-nostdin',
    ...decodeCheckArgs(path, progress, {
      sampleRate: info.sampleRate,
      ...(info.inputArgs ? { inputArgs: info.inputArgs } : {}),
    }),
  ]);
  const samples = progressSamples(readFileSync(progress, 'utf8')) ?? 0;
  info = { ...info, samples, durationSec: samples / info.sampleRate, decoded: true };
  probed.set(file, info);
  return { id, name: file, info: structuredClone(info) };
}

let runs = 0;
/** Runs an ffmpeg plan with native ffmpeg; returns the output's path. */
function run(plan: JoinPlan, tracks: readonly PlanTrack[]): string {
  if (plan.kind !== 'ffmpeg') throw new Error('expected an ffmpeg plan');
  const dir = join(tmp, `run-${runs++}`);
  mkdirSync(join(dir, 'in'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  const local = (s: string) =>
    s.replaceAll('/in/', `${dir}/in/`).replaceAll('/out/', `${dir}/out/`);
  plan.inputs.forEach((input, i) => copyFileSync(join(CORPUS, tracks[i]!.name), local(input.path)));
  for (const f of plan.files) writeFileSync(local(f.path), local(f.text));
  const args = plan.args.map(local).filter((a) => a !== '-stats');
  const res = spawnSync('ffmpeg', ['-nostdin', '-y', ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`ffmpeg failed:\n${res.stderr.slice(-1500)}`);
  return local(plan.outputPath);
}

interface Stream {
  codec_type: string;
  codec_name: string;
  channels?: number;
  channel_layout?: string;
  sample_fmt?: string;
  bits_per_raw_sample?: string;
  disposition?: { attached_pic?: number };
}

function streams(path: string): Stream[] {
  const json = execFileSync('ffprobe', [
    ...['-v', 'error', '-of', 'json', '-show_streams', path],
  ]).toString();
  return (JSON.parse(json) as { streams: Stream[] }).streams;
}

function audioOf(path: string): Stream {
  return streams(path).find((s) => s.codec_type === 'audio')!;
}

/** Decoded samples of the first audio stream (each channel), as signed 16-bit. */
function pcm16(path: string, inputArgs: string[] = []): Int16Array {
  const buf = execFileSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', ...inputArgs, '-i', path, '-map', '0:a:0', '-f', 's16le', '-'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
}

const out = (format: FormatId) => ({ ...defaultOutput, format });

describe('channels: every one of up to 8, in the tracks’ layout', () => {
  const FLAC8 = 'flac-test-files/subset/43_-_8_channels_7.1.flac';

  it('8-channel FLAC joined to FLAC stays 7.1, and the plan says lossless', async () => {
    const tracks = [await probe(FLAC8, 'a'), await probe(FLAC8, 'b')];
    const plan = planJoin(tracks, out('flac'));
    expect(plan.lossless).toBe(true);
    expect(plan.summary).toMatch(/^Lossless/);
    const a = audioOf(run(plan, tracks));
    expect([a.channels, a.channel_layout]).toEqual([8, '7.1']);
  });

  it.each<[FormatId, number, string]>([
    ['wav', 8, '7.1'],
    ['m4a', 8, '7.1'],
    ['ogg', 8, '7.1'],
    ['opus', 8, '7.1'],
  ])('to %s: %i channels (%s)', async (format, channels, layout) => {
    const tracks = [await probe(FLAC8)];
    const a = audioOf(run(planJoin(tracks, out(format)), tracks));
    expect(a.channels).toBe(channels);
    if (format !== 'm4a') expect(a.channel_layout).toBe(layout);
  });

  it('to MP3: stereo, and the plan says why', async () => {
    const tracks = [await probe(FLAC8)];
    const plan = planJoin(tracks, out('mp3'));
    expect(plan.summary).toContain(
      'MP3 holds at most two channels here: the 8 channels are mixed down to stereo.',
    );
    expect(audioOf(run(plan, tracks)).channels).toBe(2);
  });

  it('5.1 with side surrounds to Opus: the Vorbis-order 5.1 that libopus takes', async () => {
    const tracks = [await probe('flac-test-files/subset/41_-_6_channels_5.1.flac')];
    const a = audioOf(run(planJoin(tracks, out('opus')), tracks));
    expect([a.channels, a.channel_layout]).toEqual([6, '5.1']);
  });

  it('an 8-channel WAV with no channel mask keeps 8 channels in FLAC', async () => {
    const tracks = [await probe('wavefile/out/8-channel-16-bit-48kHz-mono-fromScratch.wav')];
    expect(audioOf(run(planJoin(tracks, out('flac')), tracks)).channels).toBe(8);
  });
});

describe('sample formats: 32-bit integer and 64-bit float stay as they are', () => {
  it.each([
    ['tinytag/32bit_pcm.wav', 's32'],
    ['taglib/float64.wav', 'dbl'],
  ])('%s joined to WAV: the zero-copy join, %s samples', async (file, fmt) => {
    const tracks = [await probe(file, 'a'), await probe(file, 'b')];
    const plan = planJoin(tracks, out('wav'));
    expect(plan.kind).toBe('fast');
    const bytes = readFileSync(join(CORPUS, file));
    const blob = await joinWav(
      tracks.map((t) => ({ id: t.id, name: t.name, blob: new Blob([bytes]) })),
    );
    const path = join(tmp, `fast-${runs++}.wav`);
    writeFileSync(path, new Uint8Array(await blob.arrayBuffer()));
    expect(audioOf(path).sample_fmt).toBe(fmt);
  });

  it('32-bit integer with 16-bit WAV (other rates): written as 32-bit WAV', async () => {
    const tracks = [
      await probe('wavefile/32bit-48kHz-noBext-mono.wav'),
      await probe('file-type/fixture.wav'),
    ];
    const plan = planJoin(tracks, out('wav'));
    expect(plan.summary).toMatch(/WAV \(32-bit PCM\)/);
    expect(audioOf(run(plan, tracks)).sample_fmt).toBe('s32');
  });

  it('64-bit float to FLAC: the plan says FLAC rounds it to 24 bits, and is not lossless', async () => {
    const tracks = [await probe('wavefile/64bit-48kHz-noBext-mono.wav')];
    const plan = planJoin(tracks, out('flac'));
    expect(plan.lossless).toBe(false);
    expect(plan.summary).toContain('FLAC holds at most 24 bits a sample here');
    expect(audioOf(run(plan, tracks)).bits_per_raw_sample).toBe('24');
  });

  it('AIFF (big-endian PCM) to WAV is a lossless re-write', async () => {
    const file = 'mutagen/with-id3.aif';
    const tracks = [await probe(file, 'a'), await probe(file, 'b')];
    const plan = planJoin(tracks, out('wav'));
    expect(plan.lossless).toBe(true);
    const joined = pcm16(run(plan, tracks));
    const one = pcm16(join(CORPUS, file));
    expect(joined.length).toBe(one.length * 2);
    expect(Array.from(joined.subarray(one.length))).toEqual(Array.from(one));
  });
});

describe('big-endian WAV (RIFX)', () => {
  const RIFX = 'wavefile/RIFX-16bit-mono.wav';

  it('is read as big-endian PCM: a plan that works, and samples that are not noise', async () => {
    const t = await probe(RIFX);
    expect(t.info.codec).toBe('pcm_s16be');
    const plan = planJoin([t, { ...t, id: 'b' }], out('wav'));
    expect(plan.kind).toBe('ffmpeg');
    expect(plan.lossless).toBe(true);
    const joined = pcm16(run(plan, [t, { ...t, id: 'b' }]));
    // The data chunk's bytes, read big-endian, by hand.
    const info = await parseWav({
      id: 'r',
      name: RIFX,
      blob: new Blob([readFileSync(join(CORPUS, RIFX))]),
    });
    const bytes = readFileSync(join(CORPUS, RIFX)).subarray(
      info.dataOffset,
      info.dataOffset + info.dataSize,
    );
    const expected = Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readInt16BE(i * 2));
    expect(joined.length).toBe(expected.length * 2);
    expect(Array.from(joined.subarray(0, expected.length))).toEqual(expected);
  });
});

describe('tiny files', () => {
  it.each(['music-metadata/aiff/Fnonull.aif', 'music-metadata/aiff/Pmiscck.aif'])(
    '%s joins as it is, with a note, and no invented trim',
    async (file) => {
      const tracks = [await probe(file, 'a'), await probe(file, 'b')];
      const plan = planJoin(tracks, out('wav'));
      expect(plan.summary).toMatch(
        /Track 1 is only \d+ samples long \([\d.]+ ms\), too short to hear\./,
      );
      const joined = pcm16(run(plan, tracks));
      expect(joined.length).toBe(2 * tracks[0]!.info.samples!);
      // And to MP3, which pads to its frames but must not fail.
      expect(audioOf(run(planJoin(tracks, out('mp3')), tracks)).codec_name).toBe('mp3');
    },
  );

  it('4 samples at 192 kHz to MP3: padded to one frame (a file ffprobe opens), and the plan says so', async () => {
    // Resampled to 48 kHz, next to nothing reaches LAME, which then writes only its Info frame:
    // ffprobe fails on it ("Failed to read frame size").
    const file = 'lofty/hound/waveformatextensible-24bit-192kHz-mono.wav';
    const tracks = [await probe(file, 'a'), await probe(file, 'b')];
    const plan = planJoin(tracks, out('mp3'));
    expect(plan.summary).toContain(
      'The joined audio is shorter than one MP3 frame: it is padded with silence to 24 ms.',
    );
    const path = run(plan, tracks);
    expect(audioOf(path).codec_name).toBe('mp3');
    expect(pcm16(path).length).toBe(1152);
  });
});

describe('covers come from the attached picture, never from a video track', () => {
  const VP8 = 'music-metadata/matroska/big-buck-bunny_trailer-short.vp8.webm';

  it.each<FormatId>(['mp3', 'm4a'])('a VP8 WebM with a JPEG poster joins to %s', async (format) => {
    const t = await probe(VP8);
    expect(t.info.hasVideo && t.info.hasCover).toBe(true);
    const s = streams(run(planJoin([t, { ...t, id: 'b' }], out(format)), [t, { ...t, id: 'b' }]));
    expect(s.filter((x) => x.codec_type === 'audio')).toHaveLength(1);
    const pictures = s.filter((x) => x.codec_type === 'video');
    expect(pictures.map((p) => [p.codec_name, p.disposition?.attached_pic])).toEqual([
      ['mjpeg', 1],
    ]);
  });
});
