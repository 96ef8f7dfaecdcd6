import { describe, expect, it } from 'vitest';
import { render } from '@/lib/core/i18n';
import { ffmpegFailure, keepLogLine, LOG_KEEP_ALL, LOG_KEEP_MAX } from '@/lib/media/ffmpeg-log';

const inputs = [
  { trackId: 'a', path: '/in/0.mp3' },
  { trackId: 'b', path: '/in/1.wav' },
];

describe('ffmpegFailure', () => {
  it.each([
    [
      ['/in/1.wav: Invalid data found when processing input'],
      'the file is not audio ffmpeg can read',
      'b',
    ],
    [
      ['[mp3 @ 0x1] Header missing', 'Error while decoding stream #0:0'],
      'the audio data is damaged',
      undefined,
    ],
    [
      ['Aborted(): memory access out of bounds'],
      'there was not enough memory for this join',
      undefined,
    ],
    [['Unknown encoder libfoo'], 'this build of ffmpeg cannot write that format', undefined],
  ])('%j', (log, reason, trackId) => {
    const f = ffmpegFailure(log, inputs);
    expect(render(f.reason)).toBe(reason);
    expect(f.trackId).toBe(trackId);
  });

  it('falls back to the last error line, quoted in its own casing without prefix or paths', () => {
    expect(render(ffmpegFailure(['ok', 'Some Error happened', 'done'], inputs).reason)).toBe(
      'It stopped with an error (ffmpeg reports “Some Error happened”)',
    );
    expect(
      render(
        ffmpegFailure(['[flac @ 0x55d0c1a2b3c0] /in/0.mp3: CRC error in frame 3.'], inputs).reason,
      ),
    ).toBe('It stopped with an error (ffmpeg reports “CRC error in frame 3”)');
    expect(render(ffmpegFailure([], inputs, 1).reason)).toBe(
      'ffmpeg ended with code 1 without printing an error',
    );
  });

  it('never says nothing: a missing file is named, and with no error line the last line is quoted', () => {
    // The cover join of issue 19: a part's command read an image that was not mounted.
    const missing = [
      "Input #1, wav, from '/in/1.wav':",
      '/in/cover.img: No such file or directory',
    ];
    expect(render(ffmpegFailure(missing, inputs, 1).reason)).toBe(
      'one of the files it reads was not there',
    );
    const quiet = [
      "Input #0, mp3, from '/in/0.mp3':",
      'Stream mapping:',
      'size=     512kB time=00:00:10.00 bitrate= 400kbits/s speed=10x',
      'Conversion failed!',
    ];
    expect(render(ffmpegFailure(quiet, inputs, 1).reason)).toBe(
      'It stopped with an error (ffmpeg reports “Stream mapping:”)',
    );
    const muxer = [
      'Stream mapping:',
      '[mp4 @ 0x1] Could not find tag for codec pcm_s16le in stream #1, codec not currently supported in container',
      'Conversion failed!',
    ];
    expect(render(ffmpegFailure(muxer, inputs, 1).reason)).toMatch(
      /^It stopped with an error \(ffmpeg reports “Could not find tag for codec pcm_s16le/,
    );
  });
});

describe('keepLogLine: a task log stays bounded', () => {
  const warning = '[mp3float @ 0x1] [warning] Header missing';
  const error = '[mp3float @ 0x1] [error] invalid block type';
  const format = '[auto_aresample_0 @ 0x2] [verbose] ch:1 chl:mono fmt:fltp r:48000Hz -> ch:1';
  it('keeps everything at first', () => {
    expect(keepLogLine(warning, 0)).toBe(true);
    expect(keepLogLine(warning, LOG_KEEP_ALL - 1)).toBe(true);
  });
  it('past the first lines keeps only errors, untagged lines and format lines', () => {
    expect(keepLogLine(warning, LOG_KEEP_ALL)).toBe(false);
    expect(keepLogLine('[info] stream 0', LOG_KEEP_ALL)).toBe(false);
    expect(keepLogLine(error, LOG_KEEP_ALL)).toBe(true);
    expect(keepLogLine('Error while decoding stream #0:0', LOG_KEEP_ALL)).toBe(true);
    expect(keepLogLine(format, LOG_KEEP_ALL)).toBe(true);
  });
  it('keeps nothing past the cap', () => {
    expect(keepLogLine(error, LOG_KEEP_MAX)).toBe(false);
  });
  it('a file whose every packet warns: 100,000 warnings and an error at the end keep the error', () => {
    const log: string[] = [];
    for (let i = 0; i < 100_000; i++) if (keepLogLine(warning, log.length)) log.push(warning);
    if (keepLogLine(format, log.length)) log.push(format);
    if (keepLogLine(error, log.length)) log.push(error);
    expect(log.length).toBe(LOG_KEEP_ALL + 2);
    expect(log.slice(-2)).toEqual([format, error]);
  });
});
