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

  it('falls back to the last error line', () => {
    expect(ffmpegFailure(['ok', 'Some Error happened', 'done'], inputs).reason).toBe(
      'ffmpeg failed: Some Error happened',
    );
    expect(ffmpegFailure([], inputs).reason).toBe('ffmpeg failed');
  });
});
