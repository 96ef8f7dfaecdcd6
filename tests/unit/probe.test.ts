import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AudioInfo } from '@/lib/core/track';
import {
  CorruptAudioError,
  EmptyFileError,
  NoAudioStreamError,
  SeamError,
  TruncatedAudioError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { parseFfmpegTime, parseProbe, probeArgs } from '@/lib/media/probe';
import { inspectHeader, SNIFF_WINDOW, type HeaderCheck } from '@/lib/media/sniff';

/**
 * The samples are native ffprobe 5.1 output for tests/fixtures, captured by
 * tests/fixtures/make-fixtures.sh with the same arguments as probeArgs, so these tests run
 * without ffprobe. ffmpeg.wasm 0.12 is built from the same ffmpeg line.
 */
const FIXTURES = join(__dirname, '..', 'fixtures');
const SAMPLES = join(__dirname, 'probe-samples');

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Everything the engine has about a fixture: ffprobe's JSON and log, size, header check. */
function sample(name: string) {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  return {
    json: readFileSync(join(SAMPLES, `${name}.json`), 'utf8'),
    stderr: readIfExists(join(SAMPLES, `${name}.stderr.txt`)),
    warnings: readIfExists(join(SAMPLES, `${name}.warnings.txt`)),
    decode: readIfExists(join(SAMPLES, `${name}.decode.txt`)),
    file: { id: `id-${name}`, name, size: statSync(join(FIXTURES, name)).size },
    header: inspectHeader(bytes.subarray(0, SNIFF_WINDOW), bytes.length),
  };
}

/** Runs parseProbe and returns the error it throws (failing the test when it does not). */
function probeError(run: () => unknown): SeamError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SeamError);
    return err as SeamError;
  }
  throw new Error('parseProbe did not throw');
}

describe('probeArgs', () => {
  it('asks for JSON of the format, streams and chapters, written to a file', () => {
    expect(probeArgs('/probe-1/input', '/probe-1.json')).toEqual([
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '-show_chapters',
      '/probe-1/input',
      '-o',
      '/probe-1.json',
    ]);
  });
});

type Expected = Pick<AudioInfo, 'codec' | 'sampleRate' | 'channels' | 'hasVideo' | 'hasCover'> &
  Partial<AudioInfo>;

describe('parseProbe on the fixtures', () => {
  const mp3Stereo = {
    codec: 'mp3',
    sampleRate: 44100,
    channels: 2,
    hasVideo: false,
    hasCover: false,
  };
  const good: [string, Expected][] = [
    [
      'tone-440-2s-44100-stereo.mp3',
      { ...mp3Stereo, durationSec: 2.0376, bitRate: 128000, tags: {} },
    ],
    ['tone-660-2s-44100-stereo.mp3', { ...mp3Stereo, durationSec: 2.0376, bitRate: 128000 }],
    [
      'tone-880-2s-44100-stereo.mp3',
      { ...mp3Stereo, durationSec: 2.0376, channelLayout: 'stereo' },
    ],
    [
      'mono-22050.mp3',
      {
        codec: 'mp3',
        sampleRate: 22050,
        channels: 1,
        durationSec: 2.0637,
        bitRate: 64000,
        channelLayout: 'mono',
        hasVideo: false,
        hasCover: false,
      },
    ],
    [
      'stereo-48000.wav',
      {
        container: 'wav',
        codec: 'pcm_s16le',
        sampleRate: 48000,
        channels: 2,
        durationSec: 0.4,
        hasVideo: false,
        hasCover: false,
      },
    ],
    [
      'mono-8000.wav',
      {
        container: 'wav',
        codec: 'pcm_s16le',
        sampleRate: 8000,
        channels: 1,
        durationSec: 2,
        bitRate: 128000,
        hasVideo: false,
        hasCover: false,
      },
    ],
    // FLAC streams carry no bit rate; the file's stands in.
    [
      'stereo-96000.flac',
      {
        container: 'flac',
        codec: 'flac',
        sampleRate: 96000,
        channels: 2,
        durationSec: 1,
        bitRate: 277672,
        hasVideo: false,
        hasCover: false,
      },
    ],
    [
      'aac-44100-stereo.m4a',
      {
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        codec: 'aac',
        sampleRate: 44100,
        channels: 2,
        durationSec: 2,
        hasVideo: false,
        hasCover: false,
        tags: {},
      },
    ],
    [
      'video-with-audio.mp4',
      {
        codec: 'aac',
        sampleRate: 44100,
        channels: 2,
        durationSec: 1,
        audioStreamIndex: 1,
        hasVideo: true,
        hasCover: false,
        tags: {},
      },
    ],
    [
      'vorbis-32000.ogg',
      {
        container: 'ogg',
        codec: 'vorbis',
        sampleRate: 32000,
        channels: 1,
        durationSec: 2,
        hasVideo: false,
        hasCover: false,
      },
    ],
    [
      'opus-48000.opus',
      {
        container: 'ogg',
        codec: 'opus',
        sampleRate: 48000,
        channels: 2,
        durationSec: 2.0065,
        hasVideo: false,
        hasCover: false,
      },
    ],
    [
      'with-tags-and-cover.mp3',
      {
        ...mp3Stereo,
        durationSec: 1.0449,
        bitRate: 96000,
        audioStreamIndex: 0,
        hasCover: true,
        tags: {
          title: 'Seam Test Tone',
          artist: 'Seam Fixtures',
          album: 'Odd Files',
          date: '2024',
        },
      },
    ],
    // ffprobe reads only the start: damage in the middle shows only when decoding (see below).
    ['corrupt-garbage-middle.mp3', { ...mp3Stereo, durationSec: 3.0302 }],
  ];

  it.each(good)('%s', (name, expected) => {
    const s = sample(name);
    const info = parseProbe(s.json, s.file, s.stderr, s.header);
    const { durationSec, ...rest } = expected;
    expect(info).toMatchObject(rest);
    if (durationSec !== undefined)
      expect(Math.abs(info.durationSec - durationSec)).toBeLessThan(0.05);
    // The same without the header check: nothing about a good file depends on it.
    expect(parseProbe(s.json, s.file, s.stderr)).toEqual(info);
  });

  const bad: [string, new (...args: never[]) => SeamError, RegExp][] = [
    ['empty.mp3', EmptyFileError, /^The file is empty \(0 bytes\)\.$/],
    [
      'png-named.mp3',
      UnsupportedAudioError,
      /^It is not an audio file \(it looks like a PNG image\)\.$/,
    ],
    ['text-named.wav', UnsupportedAudioError, /^It is not an audio file \(it looks like text\)\.$/],
    ['video-no-audio.mp4', NoAudioStreamError, /^The file has no audio stream\.$/],
    [
      'truncated-half.wav',
      TruncatedAudioError,
      /^The file is cut short: it holds 1\.0 s of the 2\.0 s its header announces\.$/,
    ],
  ];

  it.each(bad)('%s throws %O', (name, errorClass, message) => {
    const s = sample(name);
    const err = probeError(() => parseProbe(s.json, s.file, s.stderr, s.header));
    expect(err).toBeInstanceOf(errorClass);
    expect(err.message).toMatch(message);
    // The error names its track, so the UI can say which file it is about.
    expect(err.trackId).toBe(`id-${name}`);
    expect(err.trackName).toBe(name);
  });

  describe('without the header check (ffprobe alone)', () => {
    it('names a PNG from the demuxer ffprobe picked', () => {
      const s = sample('png-named.mp3');
      const err = probeError(() => parseProbe(s.json, s.file, s.stderr));
      expect(err).toBeInstanceOf(UnsupportedAudioError);
      expect(err.message).toBe('It is not an audio file (it looks like a PNG image).');
    });

    it('refuses text with a plain reason', () => {
      const s = sample('text-named.wav');
      const err = probeError(() => parseProbe(s.json, s.file, s.stderr));
      expect(err).toBeInstanceOf(UnsupportedAudioError);
      expect(err.message).toBe('It is not an audio file Seam can read.');
    });

    it('still catches the cut MP3: its Xing duration and bit rate need twice the bytes', () => {
      // Marked for the decode check, which says how much of it plays (Keep what plays).
      const s = sample('truncated-half.mp3');
      const info = parseProbe(s.json, s.file, s.stderr);
      expect(info.cutShort).toBe(true);
      expect(parseProbe(s.json, s.file, s.stderr, s.header).cutShort).toBe(true);
    });

    it('takes the cut WAV for a healthy 1 s WAV: ffprobe reports the bytes that are there', () => {
      const s = sample('truncated-half.wav');
      const info = parseProbe(s.json, s.file, s.stderr);
      expect(info.durationSec).toBeCloseTo(0.9986, 3);
    });

    it('leaves damage to the decode check: ffprobe warnings ("Packet corrupt") are not a verdict', () => {
      const s = sample('truncated-half.wav');
      expect(parseProbe(s.json, s.file, s.warnings).codec).toBe('pcm_s16le');
    });

    it('reads the mp3 "filesize and duration do not match" warning as a cut file', () => {
      const s = sample('truncated-half.mp3');
      expect(s.warnings).toMatch(/filesize and duration do not match/);
      const json = JSON.parse(s.json) as { streams: { bit_rate?: string }[] };
      delete json.streams[0]!.bit_rate; // so only the warning can tell
      expect(parseProbe(JSON.stringify(json), s.file, s.warnings).cutShort).toBe(true);
    });
  });

  it('reads a damaged MP3 as what it is: the damage is for the decode check to judge', () => {
    const s = sample('corrupt-garbage-middle.mp3');
    expect(parseProbe(s.json, s.file, s.decode, s.header).codec).toBe('mp3');
  });

  it('a header check wins over what ffprobe thought (text read as media)', () => {
    const s = sample('mono-8000.wav');
    const header: HeaderCheck = { kind: 'html' };
    const err = probeError(() => parseProbe(s.json, s.file, '', header));
    expect(err).toBeInstanceOf(UnsupportedAudioError);
    expect(err.message).toBe('It is not an audio file (it looks like a web page (HTML)).');
  });
});

describe('parseProbe on made-up ffprobe output', () => {
  const file = { id: 't1', name: 'track.mp3', size: 100_000 };
  const audio = {
    index: 0,
    codec_type: 'audio',
    codec_name: 'mp3',
    sample_rate: '44100',
    channels: 2,
    channel_layout: 'stereo',
    duration: '10.000000',
    bit_rate: '80000',
  };
  const probe = (streams: object[], format: object = {}) =>
    JSON.stringify({ streams, format: { format_name: 'mp3', size: '100000', ...format } });

  it.each<[string, string, string, new (...args: never[]) => SeamError, string]>([
    [
      'invalid JSON',
      'not json',
      '',
      UnsupportedAudioError,
      'It is not an audio file Seam can read.',
    ],
    ['empty output', '', '', UnsupportedAudioError, 'It is not an audio file Seam can read.'],
    [
      '"{}" (ffprobe failed)',
      '{\n\n}',
      '',
      UnsupportedAudioError,
      'It is not an audio file Seam can read.',
    ],
    ['JSON null', 'null', '', UnsupportedAudioError, 'It is not an audio file Seam can read.'],
    [
      'moov atom not found',
      '{}',
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x0] moov atom not found\ninput: Invalid data found when processing input',
      TruncatedAudioError,
      'The file is cut short: its index (the MP4 moov box) is missing.',
    ],
    [
      'image2 demuxer',
      JSON.stringify({ format: { format_name: 'image2' }, streams: [{ codec_type: 'video' }] }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like an image).',
    ],
    [
      'an unnamed image pipe',
      JSON.stringify({ format: { format_name: 'qoi_pipe' }, streams: [{ codec_type: 'video' }] }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like an image).',
    ],
    [
      'JPEG pipe',
      JSON.stringify({ format: { format_name: 'jpeg_pipe' }, streams: [{ codec_type: 'video' }] }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like a JPEG image).',
    ],
    [
      'GIF with a duration',
      JSON.stringify({
        format: { format_name: 'gif', duration: '0.1' },
        streams: [{ codec_type: 'video' }],
      }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like a GIF image).',
    ],
    [
      'text read by the tty demuxer',
      JSON.stringify({
        format: { format_name: 'tty', duration: '1' },
        streams: [{ codec_type: 'video' }],
      }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like text).',
    ],
    [
      'subtitles only',
      JSON.stringify({ format: { format_name: 'srt' }, streams: [{ codec_type: 'subtitle' }] }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like subtitles).',
    ],
    [
      'an ffconcat list',
      JSON.stringify({ format: { format_name: 'concat' }, streams: [audio] }),
      '',
      UnsupportedAudioError,
      'It is not an audio file (it looks like a playlist, not the audio it lists).',
    ],
    [
      'cover art only',
      JSON.stringify({
        format: { format_name: 'mp3' },
        streams: [{ codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } }],
      }),
      '',
      NoAudioStreamError,
      'The file has no audio stream.',
    ],
    [
      'data streams only',
      JSON.stringify({ format: { format_name: 'mpegts' }, streams: [{ codec_type: 'data' }] }),
      '',
      NoAudioStreamError,
      'The file has no audio stream.',
    ],
    [
      'no codec name',
      probe([{ ...audio, codec_name: undefined }]),
      '',
      UnsupportedAudioError,
      'Its audio codec is not one Seam can read.',
    ],
    [
      'no sample rate',
      probe([{ ...audio, sample_rate: '0' }]),
      '',
      CorruptAudioError,
      'Its audio format cannot be read (it states no sample rate or channel count).',
    ],
    [
      'no channels',
      probe([{ ...audio, channels: 0 }]),
      '',
      CorruptAudioError,
      'Its audio format cannot be read (it states no sample rate or channel count).',
    ],
  ])('%s', (_label, json, stderr, errorClass, message) => {
    const err = probeError(() => parseProbe(json, file, stderr));
    expect(err).toBeInstanceOf(errorClass);
    expect(err.message).toBe(message);
  });

  it.each([
    ['no duration anywhere', probe([{ ...audio, duration: undefined }])],
    ['duration 0', probe([{ ...audio, duration: '0.000000' }], { duration: '0.000000' })],
    ['duration N/A', probe([{ ...audio, duration: 'N/A' }], { duration: 'N/A' })],
  ])('does not refuse a file that states no length (%s): the engine measures it', (_l, json) => {
    const info = parseProbe(json, file);
    expect(info.statedSec).toBeUndefined();
    expect(info.durationSec).toBe(0);
  });

  it('keeps the stated length, the sample format and bits, and the cover picture stream', () => {
    const cover = { index: 2, codec_type: 'video', disposition: { attached_pic: 1 } };
    const film = { index: 1, codec_type: 'video', disposition: { attached_pic: 0 } };
    const info = parseProbe(
      probe([{ ...audio, sample_fmt: 's32', bits_per_raw_sample: '24' }, film, cover]),
      file,
    );
    expect(info).toMatchObject({
      statedSec: 10,
      sampleFormat: 's32',
      bitsPerSample: 24,
      hasVideo: true,
      hasCover: true,
      coverStreamIndex: 2,
    });
  });

  it('refuses an empty file before looking at anything else', () => {
    const err = probeError(() => parseProbe(probe([audio]), { ...file, size: 0 }));
    expect(err).toBeInstanceOf(EmptyFileError);
  });

  it('ignores harmless warnings in the log', () => {
    const stderr = [
      '[mp3 @ 0x0] Estimating duration from bitrate, this may be inaccurate',
      '[mp3 @ 0x0] Skipping 417 bytes of junk at 1024.',
      'Guessed Channel Layout for Input Stream #0.0 : mono',
      '[mp3 @ 0x0] Discarding ID3 tags because more suitable tags were found.',
    ].join('\n');
    expect(parseProbe(probe([audio]), file, stderr).codec).toBe('mp3');
  });

  it('prefers the audio stream duration to the container one', () => {
    const json = probe(
      [
        { index: 0, codec_type: 'video', codec_name: 'h264', duration: '60' },
        { ...audio, index: 1, duration: '42.5' },
      ],
      { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '60' },
    );
    const info = parseProbe(json, file);
    expect(info.durationSec).toBe(42.5);
    expect(info.audioStreamIndex).toBe(1);
    expect(info.hasVideo).toBe(true);
  });

  it('falls back to the container duration and bit rate', () => {
    const json = probe([{ ...audio, duration: undefined, bit_rate: undefined }], {
      format_name: 'ogg',
      duration: '12.5',
      bit_rate: '96000',
    });
    const info = parseProbe(json, file);
    expect(info.durationSec).toBe(12.5);
    expect(info.bitRate).toBe(96000);
  });

  it('takes the first of several audio streams', () => {
    const json = probe([
      { ...audio, index: 0, codec_name: 'aac' },
      { ...audio, index: 1, codec_name: 'ac3' },
    ]);
    expect(parseProbe(json, file)).toMatchObject({ codec: 'aac', audioStreamIndex: 0 });
  });

  it('reports 0 bit rate and an empty layout when ffprobe does not say', () => {
    const json = probe([{ ...audio, bit_rate: undefined, channel_layout: undefined }], {
      bit_rate: undefined,
    });
    expect(parseProbe(json, file)).toMatchObject({ bitRate: 0, channelLayout: '' });
  });

  it('merges tags, lower-cases keys, container over stream, drops technical ones', () => {
    const json = probe(
      [
        {
          ...audio,
          tags: { TITLE: 'Stream title', ARTIST: 'Someone', encoder: 'Lavc', language: 'und' },
        },
      ],
      {
        tags: {
          title: 'Container title',
          Album: 'An album',
          major_brand: 'M4A ',
          iTunSMPB: ' 0 1 2',
          comment: ' ',
        },
      },
    );
    expect(parseProbe(json, file).tags).toEqual({
      title: 'Container title',
      artist: 'Someone',
      album: 'An album',
    });
  });

  it('keeps a real language tag', () => {
    const json = probe([{ ...audio, tags: { language: 'eng' } }]);
    expect(parseProbe(json, file).tags).toEqual({ language: 'eng' });
  });

  it('tells a cut MP4 by percent when the header knows no duration', () => {
    const header: HeaderCheck = { kind: 'mp4', declaredBytes: 400_000, payloadOffset: 0 };
    const err = probeError(() => parseProbe('{}', file, '', header));
    expect(err).toBeInstanceOf(TruncatedAudioError);
    expect(err.message).toBe(
      'The file is cut short: it holds 25% of the data its header announces.',
    );
  });

  it('writes long durations as minutes and hours', () => {
    const wav = { ...audio, codec_name: 'pcm_s16le', duration: '1800' };
    const json = probe([wav], { format_name: 'wav' });
    const header: HeaderCheck = {
      kind: 'wav',
      declaredBytes: 44 + 7200 * 16000,
      payloadOffset: 44,
      declaredDurationSec: 7200,
    };
    const big = { ...file, size: 44 + 1800 * 16000 + 8000 };
    const err = probeError(() => parseProbe(json, big, '', header));
    expect(err.message).toBe(
      'The file is cut short: it holds 30:01 of the 2:00:00 its header announces.',
    );
  });

  it('allows a header 1% over the real size', () => {
    const header: HeaderCheck = {
      kind: 'mp3-xing',
      declaredBytes: 100_999,
      payloadOffset: 0,
      declaredDurationSec: 10,
    };
    expect(parseProbe(probe([audio]), file, '', header).durationSec).toBe(10);
    const over: HeaderCheck = { ...header, declaredBytes: 101_001 };
    // An MP3 that opens is cut for the decode check to measure (Keep what plays).
    expect(parseProbe(probe([audio]), file, '', header).cutShort).toBeUndefined();
    expect(parseProbe(probe([audio]), file, '', over).cutShort).toBe(true);
  });

  it('does not call an MP3 cut when the file is larger than bit rate x duration (tags, cover)', () => {
    expect(parseProbe(probe([audio], { size: '900000' }), { ...file, size: 900_000 }).codec).toBe(
      'mp3',
    );
  });

  it('does not apply the MP3 size rule to other containers', () => {
    const json = probe([{ ...audio, codec_name: 'vorbis', bit_rate: '500000' }], {
      format_name: 'ogg',
    });
    expect(parseProbe(json, file).codec).toBe('vorbis');
  });
});

describe('parseFfmpegTime', () => {
  it.each<[string, number | undefined]>([
    ['size=     512kB time=00:01:02.34 bitrate= 67.2kbits/s speed=40.1x', 62.34],
    ['size=N/A time=00:00:00.00 bitrate=N/A speed=N/A', 0],
    ['size=N/A time=N/A bitrate=N/A speed=N/A', undefined],
    ['time=01:00:00.00', 3600],
    ['time=123:04:05.5', 123 * 3600 + 4 * 60 + 5.5],
    ['time=00:00:07', 7],
    ['time=-00:00:00.02 bitrate=N/A', 0],
    [
      'size=  1kB time=00:00:01.00 bitrate=8kbits/s\rsize=  2kB time=00:00:02.50 bitrate=8kbits/s',
      2.5,
    ],
    ['out_time=00:00:03.250000', 3.25],
    ['[mp3 @ 0x0] Estimating duration from bitrate', undefined],
    ['Duration: 00:00:02.04, start: 0.025057, bitrate: 129 kb/s', undefined],
    ['', undefined],
  ])('%s → %s', (line, seconds) => {
    const t = parseFfmpegTime(line);
    if (seconds === undefined) expect(t).toBeUndefined();
    else expect(t).toBeCloseTo(seconds, 6);
  });
});
