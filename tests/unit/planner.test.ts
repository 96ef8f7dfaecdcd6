import { findStep } from '@/lib/plan/steps';
import { describe, expect, it } from 'vitest';
import type { AudioInfo } from '@/lib/core/track';
import type { TrackEdit, Transition } from '@/lib/core/track';
import { JoinFailedError } from '@/lib/core/errors';
import { FORMATS, formatSpec, type FormatId } from '@/lib/core/formats';
import { planJoin, targetSampleRate, type JoinPlan, type PlanTrack } from '@/lib/plan/planner';
import { defaultOutput, type OutputSettings } from '@/lib/core/settings';
import { audioInfo } from './support/audio-info';

function track(id: string, info: Partial<AudioInfo>): PlanTrack {
  return { id, name: `${id}.file`, info: audioInfo(info) };
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
      'Lossless except 3 to 6 frames at each join: all tracks are MP3, 44.1 kHz stereo; every frame is copied as it is but 3 to 6 at each join, which are encoded again from the decoded audio so the tracks meet with no gap.',
    );
  });
});

describe('planJoin promises exact AAC joins only where they are made', () => {
  const output: OutputSettings = { ...defaultOutput, format: 'm4b', bitrate: 192 };

  it('AAC-LC tracks: the few frames at each join encoded again (lib/lossless/mp4-seams.ts)', () => {
    const plan = planJoin([aac('a', { profile: 'LC' }), aac('b', { profile: 'LC' })], output);
    expect(findStep(plan.steps, 'close-joins')?.container).toBe('mp4');
    expect(findStep(plan.steps, 'close-joins')?.exact).toBe(true);
    expect(plan.summary).toMatch(
      /^Lossless except 2 to 4 frames at each join: all tracks are AAC, 44.1 kHz stereo;/,
    );
  });

  it.each<[string, Partial<AudioInfo>]>([
    ['HE-AAC', { profile: 'HE-AAC' }],
    ['a profile the probe did not name', {}],
    ['a track too short for the frames at its joins', { profile: 'LC', durationSec: 0.3 }],
    ['5.1', { profile: 'LC', channels: 6 }],
  ])('%s: whole frames, and the plan says so', (_name, extra) => {
    const first = aac('a', { profile: 'LC', channels: extra.channels ?? 2 });
    const plan = planJoin([first, aac('b', extra)], output);
    expect(findStep(plan.steps, 'close-joins')?.container).toBe('mp4');
    expect(findStep(plan.steps, 'close-joins')?.exact).toBe(false);
    expect(plan.summary).toMatch(/^Lossless: all tracks are AAC/);
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
    expect(plan.args.filter((a) => a === '-i')).toHaveLength(4); // and the metadata file
    expect(plan.inputs.map((i) => i.trackId)).toEqual(['a', 'b', 'c']);
    expect(graph).toContain('[a0][a1][a2]concat=n=3:v=0:a=1[out]');
  });

  it('puts a mono input in both channels at full level', () => {
    expect(graph).toContain('[0:a:0]asetpts=N/SR/TB,pan=stereo|c0=c0|c1=c0,aresample=48000');
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
      '-map [out] -c:a libmp3lame -b:a 128k -map_metadata 3 -map_metadata:s:a -1 -map_chapters 3 -fflags +bitexact -flags:a +bitexact -f mp3 /out/joined.mp3',
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
    expect(plan.files[0]).toEqual({
      path: '/in/list.txt',
      text: "file '/in/0.mp4'\nfile '/in/1.mp4'\n",
    });
    expect(plan.args).toContain('copy');
  });
});

// ---------------------------------------------------------------------------------------------
// The matrix: formats × trims × transitions × channel layouts

/** Three 60 s tracks in each format's own codec, so "lossless" is possible where nothing changes. */
const NATIVE: Record<FormatId, Partial<AudioInfo>> = {
  mp3: { container: 'mp3', codec: 'mp3' },
  m4a: { container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac' },
  m4b: { container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac' },
  m4r: { container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'aac' },
  ogg: { container: 'ogg', codec: 'vorbis' },
  opus: { container: 'ogg', codec: 'opus', sampleRate: 48000 },
  flac: { container: 'flac', codec: 'flac' },
  wav: { container: 'wav', codec: 'pcm_s16le' },
};

type Trim = 'none' | 'start' | 'end' | 'both';
const TRIM: Record<Trim, { edit: Partial<TrackEdit>; cut: number; start: number }> = {
  none: { edit: {}, cut: 0, start: 0 },
  start: { edit: { startSec: 1.25 }, cut: 1.25, start: 1.25 },
  end: { edit: { endSec: 50.5 }, cut: 9.5, start: 0 },
  both: { edit: { startSec: 0.01, endSec: 59.99 }, cut: 0.02, start: 0.01 },
};
const TRANSITIONS: Record<string, Transition> = {
  none: { kind: 'none' },
  gap: { kind: 'gap', seconds: 1.5 },
  'linear crossfade': { kind: 'crossfade', seconds: 2, curve: 'linear' },
  'equal-power crossfade': { kind: 'crossfade', seconds: 2, curve: 'equal-power' },
  'logarithmic crossfade': { kind: 'crossfade', seconds: 2, curve: 'logarithmic' },
};
const CURVE = { linear: 'tri', 'equal-power': 'qsin', logarithmic: 'log' } as const;
const LAYOUTS: Record<string, number[]> = {
  'all stereo': [2, 2, 2],
  'all mono': [1, 1, 1],
  'mono + stereo': [1, 2, 2],
};

const cases = FORMATS.flatMap((f) =>
  (Object.keys(TRIM) as Trim[]).flatMap((trim) =>
    Object.keys(TRANSITIONS).flatMap((tr) =>
      Object.keys(LAYOUTS).map((layout) => [f.id, trim, tr, layout] as const),
    ),
  ),
);

function graphOf(plan: JoinPlan): string {
  if (plan.kind !== 'ffmpeg') return '';
  const i = plan.args.indexOf('-filter_complex');
  return i < 0 ? '' : plan.args[i + 1]!;
}

describe('planner matrix', () => {
  it.each(cases)('%s, trim %s, %s, %s', (format, trim, trName, layout) => {
    const transition = TRANSITIONS[trName]!;
    const channels = LAYOUTS[layout]!;
    const edits: (Partial<TrackEdit> | undefined)[] = [
      { transitionAfter: transition },
      TRIM[trim].edit,
      undefined,
    ];
    const tracks = channels.map((c, i) => {
      const t = track(`t${i}`, { ...NATIVE[format], channels: c });
      const e = edits[i];
      return e
        ? { ...t, edit: { startSec: 0, transitionAfter: { kind: 'none' }, ...e } as TrackEdit }
        : t;
    });
    const plan = planJoin(tracks, { ...defaultOutput, format, bitrate: 192 });
    const spec = formatSpec(format);

    const trimmed = trim !== 'none';
    const mixed = new Set(channels).size > 1;
    const lossless = !trimmed && transition.kind === 'none' && !mixed && format !== 'ogg';
    expect(plan.lossless).toBe(lossless);
    expect(plan.kind).toBe(lossless && (format === 'mp3' || format === 'wav') ? 'fast' : 'ffmpeg');

    const gap = transition.kind === 'gap' ? transition.seconds : 0;
    const xf = transition.kind === 'crossfade' ? transition.seconds : 0;
    expect(plan.totalSec).toBeCloseTo(180 - TRIM[trim].cut + gap - xf, 9);
    expect(plan.clamped).toEqual([]);

    if (plan.kind === 'ffmpeg') {
      const args = plan.args.join(' ');
      expect(args).toContain(`-f ${spec.muxer} /out/joined.${spec.extension}`);
      expect(args).toContain('-fflags +bitexact');
      if (!lossless || format === 'flac') {
        const graph = graphOf(plan);
        expect(args).toContain(`-c:a ${spec.encoder}`);
        expect(graph.includes('atrim=')).toBe(trimmed);
        if (trim === 'start')
          expect(graph).toContain('[1:a:0]asetpts=N/SR/TB,atrim=start=1.25,asetpts=PTS-STARTPTS');
        if (trim === 'end') expect(graph).toContain('atrim=end=50.5,');
        if (trim === 'both') expect(graph).toContain('atrim=start=0.01:end=59.99,');
        expect(graph.includes('apad=pad_dur=1.5')).toBe(gap > 0);
        if (transition.kind === 'crossfade') {
          const c = CURVE[transition.curve];
          expect(graph).toContain(`[a0][a1]acrossfade=d=2:c1=${c}:c2=${c}[x1]`);
          expect(graph).toContain('[x1][a2]concat=n=2:v=0:a=1[out]');
        } else {
          expect(graph).toContain('[a0][a1][a2]concat=n=3:v=0:a=1[out]');
        }
        expect(graph.includes('pan=stereo|c0=c0|c1=c0')).toBe(mixed);
        const layoutName = channels.includes(2) ? 'stereo' : 'mono';
        expect(graph.match(/channel_layouts=(\w+)/g)).toEqual(
          Array(3).fill(`channel_layouts=${layoutName}`),
        );
        expect(graph.endsWith('[out]')).toBe(true);
      } else {
        expect(args).toContain('-c copy');
      }
    }

    // The summary says why it re-encodes.
    if (trimmed) expect(plan.summary).toContain('track 2 is trimmed');
    if (gap) expect(plan.summary).toContain('a gap after track 1');
    if (xf) expect(plan.summary).toContain('a crossfade after track 1');
    if (mixed) expect(plan.summary).toContain('channel counts differ (mono, stereo)');
    expect(plan.summary.startsWith(lossless ? 'Lossless' : 'Re-encoding')).toBe(true);

    // Chapters where the format holds them, timed by trims and transitions.
    if (spec.chapters) {
      const second = 60 + gap - xf;
      expect(plan.chapters.map((c) => c.startSec)).toEqual([
        0,
        second,
        second + 60 - TRIM[trim].cut,
      ]);
      expect(plan.chapters.map((c) => c.title)).toEqual(['t0', 't1', 't2']);
    } else {
      expect(plan.chapters).toEqual([]);
    }
    if (format === 'm4r')
      expect(plan.warnings[0]).toMatch(/over 40 s may not be accepted by iPhone/);
    else expect(plan.warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Settings one at a time

const out = (o: Partial<OutputSettings>): OutputSettings => ({ ...defaultOutput, ...o });
const argsOf = (plan: JoinPlan) => (plan.kind === 'ffmpeg' ? plan.args.join(' ') : '');

describe('encoders', () => {
  it.each<[string, Partial<OutputSettings>, number, string, RegExp]>([
    ['MP3 CBR', { format: 'mp3', bitrate: 320 }, 2, '-c:a libmp3lame -b:a 320k', /MP3 320 kb\/s/],
    [
      'MP3 VBR',
      { format: 'mp3', mp3Mode: 'vbr', vbrQuality: 4 },
      2,
      '-c:a libmp3lame -q:a 4',
      /MP3 VBR quality 4/,
    ],
    ['M4A', { format: 'm4a', bitrate: 96 }, 2, '-c:a aac -b:a 96k', /M4A \(AAC\) 96 kb\/s/],
    ['M4B', { format: 'm4b', bitrate: 128 }, 2, '-c:a aac -b:a 128k -map_metadata', /M4B/],
    [
      'OGG',
      { format: 'ogg', bitrate: 192 },
      2,
      '-c:a libvorbis -q:a 6',
      /quality 6 \(about 192 kb\/s\)/,
    ],
    ['OGG 96k', { format: 'ogg', bitrate: 96 }, 1, '-c:a libvorbis -q:a 2', /quality 2/],
    [
      'Opus',
      { format: 'opus', bitrate: 320 },
      2,
      '-c:a libopus -b:a 320k -compression_level 10',
      /Opus 320/,
    ],
    [
      'Opus mono is capped',
      { format: 'opus', bitrate: 320 },
      1,
      '-c:a libopus -b:a 256k',
      /Opus 256/,
    ],
    ['FLAC', { format: 'flac' }, 2, '-c:a flac', /FLAC/],
    ['WAV', { format: 'wav' }, 2, '-c:a pcm_s16le', /WAV/],
  ])('%s', (_n, o, channels, expected, label) => {
    // A trim forces the encoder for every format.
    const plan = planJoin(
      [
        mp3('a', { channels }),
        { ...mp3('b', { channels }), edit: { startSec: 1, transitionAfter: { kind: 'none' } } },
      ],
      out(o),
    );
    expect(argsOf(plan)).toContain(expected);
    expect(plan.summary).toMatch(label);
  });
});

describe('sample rate and channels', () => {
  it.each<
    [string, Partial<OutputSettings>, number[], number[], FormatId, number, string, string | null]
  >([
    ['source: matching, lossless', {}, [44100, 44100], [2, 2], 'mp3', 44100, 'stereo', null],
    [
      'forced 48 kHz re-encodes',
      { sampleRate: 48000 },
      [44100, 44100],
      [2, 2],
      'mp3',
      48000,
      'stereo',
      'sample rate 48 kHz',
    ],
    [
      'forced 44.1 kHz when already so',
      { sampleRate: 44100 },
      [44100, 44100],
      [2, 2],
      'mp3',
      44100,
      'stereo',
      null,
    ],
    ['forced mono', { channels: 1 }, [44100, 44100], [2, 2], 'mp3', 44100, 'mono', 'mono output'],
    [
      'forced stereo when already so',
      { channels: 2 },
      [44100, 44100],
      [2, 2],
      'mp3',
      44100,
      'stereo',
      null,
    ],
    [
      'forced stereo from mono',
      { channels: 2 },
      [44100, 44100],
      [1, 1],
      'mp3',
      44100,
      'stereo',
      'stereo output',
    ],
    [
      'Opus is always 48 kHz',
      { sampleRate: 44100 },
      [44100, 44100],
      [2, 2],
      'opus',
      48000,
      'stereo',
      'sample rate 48 kHz',
    ],
    [
      'forced 44.1 kHz into Opus from 48 kHz Opus stays lossless (Opus is 48 kHz)',
      { sampleRate: 44100 },
      [48000, 48000],
      [2, 2],
      'opus',
      48000,
      'stereo',
      null,
    ],
    [
      'source: the highest rate',
      {},
      [22050, 32000],
      [1, 1],
      'wav',
      32000,
      'mono',
      'sample rates differ',
    ],
  ])('%s', (_n, o, rates, chans, format, rate, layout, reason) => {
    const tracks = rates.map((r, i) =>
      track(`t${i}`, { ...NATIVE[format], sampleRate: r, channels: chans[i]! }),
    );
    const plan = planJoin(tracks, out({ format, ...o }));
    if (reason === null) {
      expect(plan.lossless).toBe(true);
    } else {
      expect(plan.lossless).toBe(false);
      expect(plan.summary).toContain(reason);
      expect(argsOf(plan)).toContain(`aformat=sample_rates=${rate}:channel_layouts=${layout}`);
    }
  });
});

describe('whole-result effects', () => {
  const tracks = [mp3('a'), mp3('b')];

  it('fades in and out, the fade-out ending with the output', () => {
    const plan = planJoin(tracks, out({ fadeInSec: 3, fadeOutSec: 4.5 }));
    expect(plan.lossless).toBe(false);
    expect(plan.summary).toContain('fade in; fade out');
    expect(graphOf(plan)).toMatch(
      /\[cat\]afade=t=in:st=0:d=3,afade=t=out:st=115\.5:d=4\.5\[out\]$/,
    );
  });

  it('normalizes to the chosen target, then returns to the output rate', () => {
    const plan = planJoin(tracks, out({ normalize: true }), { loudnessTarget: -14 });
    expect(plan.summary).toContain('loudness normalization');
    expect(graphOf(plan)).toMatch(
      /\[cat\]asetnsamples=n=4410:p=0,loudnorm=I=-14:TP=-1\.5:LRA=11,aresample=44100,aformat=sample_rates=44100:channel_layouts=stereo\[out\]$/,
    );
    expect(graphOf(planJoin(tracks, out({ normalize: true }), { loudnessTarget: -99 }))).toContain(
      'loudnorm=I=-30:', // the Settings field's own lower bound (lib/core/limits.ts),
    );
  });

  it('loudnorm gets 100 ms frames, whatever a crossfade hands on (its memory grows with them)', () => {
    const faded = tracks.map((t, i) =>
      i === 0
        ? {
            ...t,
            edit: {
              startSec: 0,
              transitionAfter: {
                kind: 'crossfade' as const,
                seconds: 10,
                curve: 'linear' as const,
              },
            },
          }
        : t,
    );
    const g = graphOf(planJoin(faded, out({ normalize: true })));
    expect(g).toMatch(/acrossfade=d=10/);
    expect(g).toMatch(/asetnsamples=n=4410:p=0,loudnorm=/);
  });

  it('fades come after normalization', () => {
    const g = graphOf(planJoin(tracks, out({ normalize: true, fadeOutSec: 1 })));
    expect(g.indexOf('loudnorm')).toBeLessThan(g.indexOf('afade'));
  });

  it('a fade longer than the result is cut to it', () => {
    const g = graphOf(planJoin(tracks, out({ fadeOutSec: 500 })));
    expect(g).toContain('afade=t=out:st=0:d=120');
  });
});

describe('transitions in the plan', () => {
  it('reports a clamped crossfade', () => {
    const plan = planJoin(
      [
        {
          ...mp3('a'),
          edit: {
            startSec: 0,
            transitionAfter: { kind: 'crossfade', seconds: 5, curve: 'linear' },
          },
        },
        mp3('b', { durationSec: 3 }),
      ],
      out({}),
    );
    expect(plan.clamped).toEqual([
      { junction: 0, requested: 5, applied: 2.9, reason: 'track 2 is only 3 s long' },
    ]);
    expect(plan.summary).toContain(
      'The crossfade after track 1 is shortened to 2.9 s: track 2 is only 3 s long.',
    );
    expect(graphOf(plan)).toContain('acrossfade=d=2.9:');
    expect(plan.totalSec).toBeCloseTo(60.1, 9);
  });

  it('takes the default transition for tracks never edited', () => {
    const plan = planJoin([mp3('a'), mp3('b'), mp3('c')], out({}), {
      defaultTransition: { kind: 'gap', seconds: 2 },
    });
    expect(plan.transitions).toEqual([
      { kind: 'gap', seconds: 2 },
      { kind: 'gap', seconds: 2 },
    ]);
    expect(plan.totalSec).toBe(184);
    expect(plan.summary).toContain('a gap after tracks 1 and 2');
  });

  it('refuses a trim that leaves nothing, naming the track', () => {
    const bad = {
      ...mp3('b'),
      edit: { startSec: 30, endSec: 30, transitionAfter: { kind: 'none' } },
    } as PlanTrack;
    expect(() => planJoin([mp3('a'), bad], out({}))).toThrow(JoinFailedError);
    try {
      planJoin([mp3('a'), bad], out({}));
    } catch (err) {
      expect((err as JoinFailedError).trackName).toBe('b.file');
    }
  });
});

describe('tags, cover and chapters in the plan', () => {
  const tagged = (id: string, extra: Partial<AudioInfo> = {}) =>
    mp3(id, {
      tags: { title: `Title ${id}`, artist: 'Artist', album: 'Album', date: '2020' },
      ...extra,
    });

  it('writes an FFMETADATA1 file as the input after the tracks, with chapters', () => {
    const plan = planJoin([tagged('a'), tagged('b', { sampleRate: 48000 })], out({}), {
      tags: { title: 'Joined' },
    });
    if (plan.kind !== 'ffmpeg') throw new Error('expected ffmpeg');
    const meta = plan.files.find((f) => f.path === '/in/metadata.txt')!;
    expect(meta.text).toContain('title=Joined\nartist=Artist\nalbum=Album\ndate=2020\n');
    expect(meta.text).toContain('[CHAPTER]\nTIMEBASE=1/1000\nSTART=60000\nEND=120000\ntitle=b\n');
    const args = argsOf(plan);
    expect(args).toContain('-f ffmetadata -i /in/metadata.txt -filter_complex');
    expect(args).toContain('-map_metadata 2 -map_metadata:s:a -1 -map_chapters 2');
    expect(plan.tags).toEqual({ title: 'Joined', artist: 'Artist', album: 'Album', date: '2020' });
  });

  it('maps no chapters when they are off or the format has none', () => {
    expect(
      argsOf(planJoin([tagged('a'), tagged('b', { channels: 1 })], out({ chapters: 'none' }))),
    ).toContain('-map_chapters -1');
    expect(
      argsOf(planJoin([tagged('a'), tagged('b', { channels: 1 })], out({ format: 'ogg' }))),
    ).toContain('-map_chapters -1');
  });

  it('WAV gets neither tags nor chapters', () => {
    const plan = planJoin([tagged('a'), tagged('b', { channels: 1 })], out({ format: 'wav' }), {
      tags: { title: 'x' },
    });
    expect(argsOf(plan)).toContain('-map_metadata -1 -map_chapters -1');
    expect(plan.summary).toContain('WAV files get no tags.');
  });

  it.each<
    [string, FormatId, Partial<AudioInfo>[], OutputSettings['cover'], string | null, string | null]
  >([
    [
      'the first track’s',
      'mp3',
      [{ hasCover: true }, {}],
      'first',
      '-map 0:v:0? -c:v copy -disposition:v:0 attached_pic',
      null,
    ],
    ['another track’s', 'm4a', [{}, { hasCover: true }], { trackId: 'b' }, '-map 1:v:0?', null],
    ['none', 'mp3', [{ hasCover: true }, {}], 'none', null, null],
    ['first has none', 'flac', [{}, { hasCover: true }], 'first', null, null],
    [
      'OGG cannot',
      'ogg',
      [{ hasCover: true }, {}],
      'first',
      null,
      'OGG files get no cover art here.',
    ],
    [
      'Opus cannot',
      'opus',
      [{ hasCover: true }, {}],
      'first',
      null,
      'Opus files get no cover art here.',
    ],
  ])('cover: %s', (_n, format, infos, cover, mapped, note) => {
    const tracks = [tagged('a', { ...infos[0], channels: 1 }), tagged('b', infos[1])];
    const plan = planJoin(tracks, out({ format, cover }));
    const args = argsOf(plan);
    if (mapped) expect(args).toContain(mapped);
    else expect(args).not.toContain(':v:0');
    if (note) expect(plan.summary).toContain(note);
  });

  it('the lossless MP3 path rewrites its ID3 tag only when something changes', () => {
    const tracks = [tagged('a', { hasCover: true }), tagged('b')];
    const keep = planJoin(tracks, out({ chapters: 'none' }), { tags: { title: 'Title a' } });
    expect(keep.kind).toBe('fast');
    expect(findStep(keep.steps, 'retag-mp3')).toBe(undefined);

    const chapters = planJoin(tracks, out({}));
    if (chapters.kind !== 'fast') throw new Error('expected the fast path');
    expect(findStep(chapters.steps, 'retag-mp3')?.id3).toEqual({
      set: {},
      chapters: [
        { title: 'a', start: 0, end: 60_000 },
        { title: 'b', start: 60_000, end: 120_000 },
      ],
      cover: 'keep',
    });

    const edited = planJoin(tracks, out({ chapters: 'none', cover: 'none' }), {
      tags: { artist: 'New', year: '1999' },
    });
    expect(findStep(edited.steps, 'retag-mp3')?.id3).toEqual({
      set: { artist: 'New', year: '1999' },
      chapters: [],
      cover: 'none',
    });

    const other = planJoin(
      [tagged('a'), tagged('b', { hasCover: true })],
      out({ chapters: 'none', cover: { trackId: 'b' } }),
    );
    expect(findStep(other.steps, 'retag-mp3')?.id3.cover).toEqual({ trackId: 'b' });
  });

  it('M4A/M4B stream copy takes tags, chapters and the cover through extra inputs', () => {
    const plan = planJoin([aac('x', { hasCover: true }), aac('y')], out({ format: 'm4b' }));
    expect(plan.kind === 'ffmpeg' && plan.lossless).toBe(true);
    expect(argsOf(plan)).toContain(
      '-f concat -safe 0 -i /in/list.txt -f ffmetadata -i /in/metadata.txt -i /in/0.mp4 -map 0:a -map 2:v:0? -c:v copy -disposition:v:0 attached_pic -c copy -map_metadata 1 -map_metadata:s:a -1 -map_chapters 1',
    );
  });
});

describe('planJoin honours the probe’s fast-path check (AudioInfo.fastPath)', () => {
  const unfit = (reason: string) => ({ fastPath: { ok: false as const, reason } });
  const changes = 'changes sample rate from 44.1 kHz to 48 kHz at 0:10';

  it.each<[string, PlanTrack[], FormatId]>([
    ['MP3s', [mp3('a'), mp3('b', unfit(changes))], 'mp3'],
    ['WAVs', [wav('a'), wav('b', unfit(changes))], 'wav'],
  ])('%s: a track found unfit is re-encoded, with the reason shown', (_, tracks, format) => {
    const plan = planJoin(tracks, { ...defaultOutput, format });
    expect(plan.kind).toBe('ffmpeg');
    expect(plan.lossless).toBe(false);
    expect(plan.reencodeReasons).toEqual([`track 2 ${changes}`]);
    expect(plan.summary).toContain(`track 2 ${changes}.`);
    expect(plan.summary).toMatch(/^Re-encoding to /);
  });

  it('a track found fit, or never checked, keeps the fast path', () => {
    const fit = { fastPath: { ok: true as const } };
    for (const tracks of [
      [mp3('a', fit), mp3('b', fit)],
      [mp3('a'), mp3('b')],
    ]) {
      const plan = planJoin(tracks, { ...defaultOutput, format: 'mp3' });
      expect(plan.kind).toBe('fast');
      expect(plan.reencodeReasons).toEqual([]);
    }
  });

  it('names every unfit track, in queue order, beside the edits', () => {
    const plan = planJoin(
      [
        mp3('a', unfit('changes from stereo to mono at 0:01')),
        mp3('b'),
        {
          ...mp3('c', unfit('holds 10 s in its frames but decodes to 20 s')),
          edit: { startSec: 1, transitionAfter: { kind: 'none' } },
        },
      ],
      { ...defaultOutput, format: 'mp3' },
    );
    expect(plan.reencodeReasons).toEqual([
      'track 1 changes from stereo to mono at 0:01',
      'track 3 holds 10 s in its frames but decodes to 20 s',
      'track 3 is trimmed',
    ]);
  });

  it('says nothing of it when the tracks are re-encoded for another reason anyway', () => {
    const plan = planJoin([mp3('a'), mp3('b', { ...unfit(changes), channels: 1 })], {
      ...defaultOutput,
      format: 'mp3',
    });
    expect(plan.reencodeReasons).toEqual(['channel counts differ (stereo, mono)']);
  });
});
