import { describe, expect, it } from 'vitest';
import { ffmpegFailure } from '@/lib/media/ffmpeg-log';

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
    expect(f.reason).toBe(reason);
    expect(f.trackId).toBe(trackId);
  });

  it('falls back to the last error line, quoted in its own casing without prefix or paths', () => {
    expect(ffmpegFailure(['ok', 'Some Error happened', 'done'], inputs).reason).toBe(
      'It stopped with an error (ffmpeg reports “Some Error happened”)',
    );
    expect(
      ffmpegFailure(['[flac @ 0x55d0c1a2b3c0] /in/0.mp3: CRC error in frame 3.'], inputs).reason,
    ).toBe('It stopped with an error (ffmpeg reports “CRC error in frame 3”)');
    expect(ffmpegFailure([], inputs).reason).toBe('It stopped without saying why');
  });
});
