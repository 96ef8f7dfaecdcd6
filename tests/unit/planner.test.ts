import { describe, expect, it } from 'vitest';
import type { AudioInfo } from '@/lib/audio-info';
import { planJoin, targetSampleRate, type PlanTrack } from '@/lib/planner';
import { formatSpec, type FormatId } from '@/lib/formats';
import { defaultOutput } from '@/lib/settings';

function track(id: string, info: Partial<AudioInfo>): PlanTrack {
  return {
    id,
    name: `${id}.file`,
    info: {
      container: 'mp3',
      codec: 'mp3',
      sampleRate: 44100,
      channels: 2,
      channelLayout: 'stereo',
      durationSec: 60,
      bitRate: 128000,
      audioStreamIndex: 0,
      hasVideo: false,
      hasCover: false,
      tags: {},
      ...info,
    },
  };
}

const mp3 = (id: string, extra: Partial<AudioInfo> = {}) => track(id, extra);
const wav = (id: string, extra: Partial<AudioInfo> = {}) =>
  track(id, { container: 'wav', codec: 'pcm_s16le', ...extra });
const aac = (id: string, extra: Partial<AudioInfo> = {}) =>
  track(id, { container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac', ...extra });

describe('planJoin chooses lossless or re-encode', () => {
  it.each<[string, PlanTrack[], FormatId, string]>([
    ['matching MP3s to MP3', [mp3('a'), mp3('b')], 'mp3', 'fast'],
    ['matching WAVs to WAV', [wav('a'), wav('b')], 'wav', 'fast'],
    ['matching AAC to M4A', [aac('a'), aac('b')], 'm4a', 'ffmpeg-copy'],
    ['matching AAC to M4B', [aac('a'), aac('b')], 'm4b', 'ffmpeg-copy'],
    ['MP3s to WAV', [mp3('a'), mp3('b')], 'wav', 'encode'],
    ['MP3 + WAV to MP3', [mp3('a'), wav('b')], 'mp3', 'encode'],
    ['MP3s of different rates', [mp3('a'), mp3('b', { sampleRate: 22050 })], 'mp3', 'encode'],
    ['mono with stereo', [mp3('a'), mp3('b', { channels: 1 })], 'mp3', 'encode'],
    ['one MP3 to MP3', [mp3('a')], 'mp3', 'fast'],
  ])('%s → %s', (_name, tracks, format, expected) => {
    const plan = planJoin(tracks, { ...defaultOutput, format, bitrate: 192 });
    const kind = plan.kind === 'fast' ? 'fast' : plan.lossless ? 'ffmpeg-copy' : 'encode';
    expect(kind).toBe(expected);
    expect(plan.lossless).toBe(expected !== 'encode');
    expect(plan.totalSec).toBe(60 * tracks.length);
  });

  it('says why it re-encodes', () => {
    const plan = planJoin([mp3('a'), mp3('b', { sampleRate: 22050, channels: 1 })], {
      ...defaultOutput,
      format: 'mp3',
      bitrate: 192,
    });
    expect(plan.summary).toMatch(/^Re-encoding to MP3 192 kb\/s, 44.1 kHz stereo/);
    expect(plan.summary).toContain('sample rates differ (44.1 kHz, 22.05 kHz)');
    expect(plan.summary).toContain('channel counts differ (stereo, mono)');
  });

  it('says lossless before Join', () => {
    const plan = planJoin([mp3('a'), mp3('b')], { ...defaultOutput, format: 'mp3', bitrate: 192 });
    expect(plan.summary).toBe(
      'Lossless: all tracks are MP3, 44.1 kHz stereo, so they are joined without re-encoding.',
    );
  });
});

describe('re-encode graph', () => {
  const plan = planJoin(
    [mp3('a', { sampleRate: 8000, channels: 1 }), wav('b', { sampleRate: 96000 }), aac('c')],
    { ...defaultOutput, format: 'mp3', bitrate: 128 },
  );
  if (plan.kind !== 'ffmpeg') throw new Error('expected an ffmpeg plan');
  const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;

  it('feeds every input in list order into one concat', () => {
    expect(plan.args.filter((a) => a === '-i')).toHaveLength(3);
    expect(plan.inputs.map((i) => i.trackId)).toEqual(['a', 'b', 'c']);
    expect(graph).toContain('[a0][a1][a2]concat=n=3:v=0:a=1[out]');
  });

  it('puts a mono input in both channels at full level', () => {
    expect(graph).toContain('[0:a:0]pan=stereo|c0=c0|c1=c0,aresample=48000');
    expect(graph).not.toContain('[1:a:0]pan');
  });

  it('resamples everything to one rate MP3 can hold', () => {
    expect(graph.match(/aresample=(\d+)/g)).toEqual([
      'aresample=48000',
      'aresample=48000',
      'aresample=48000',
    ]);
  });

  it('encodes with LAME at the chosen bitrate', () => {
    expect(plan.args.join(' ')).toContain(
      '-map [out] -c:a libmp3lame -b:a 128k -f mp3 /out/joined.mp3',
    );
  });

  it('keeps the log level that carries progress lines', () => {
    expect(plan.args.slice(0, 4)).toEqual(['-hide_banner', '-loglevel', 'info', '-stats']);
  });
});

describe('targetSampleRate', () => {
  it.each<[number[], FormatId, number]>([
    [[8000, 22050], 'mp3', 22050],
    [[44100, 96000], 'mp3', 48000],
    [[44100, 96000], 'wav', 96000],
    [[8000, 11025], 'opus', 48000],
    [[22050], 'flac', 22050],
  ])('%j as %s → %d', (rates, format, expected) => {
    const tracks = rates.map((r, i) => mp3(String(i), { sampleRate: r }));
    expect(targetSampleRate(tracks, formatSpec(format))).toBe(expected);
  });
});

describe('stream copy through the concat demuxer', () => {
  it('lists the inputs in order', () => {
    const plan = planJoin([aac('x'), aac('y')], { ...defaultOutput, format: 'm4a', bitrate: 192 });
    if (plan.kind !== 'ffmpeg') throw new Error('expected an ffmpeg plan');
    expect(plan.files).toEqual([
      { path: '/in/list.txt', text: "file '/in/0.mp4'\nfile '/in/1.mp4'\n" },
    ]);
    expect(plan.args).toContain('copy');
  });
});
