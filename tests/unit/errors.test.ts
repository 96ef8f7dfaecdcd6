import { describe, expect, it } from 'vitest';
import {
  FetchRefusedError,
  JoinCanceledError,
  SeamError,
  UnsupportedAudioError,
  describeError,
  sentence,
  errorFromData,
  toErrorData,
  errorText,
} from '@/lib/core/errors';

describe('errors cross boundaries as data', () => {
  it('round-trips the named class and the track', () => {
    const err = new UnsupportedAudioError('not an audio file', { id: 't1', name: 'cat.png' });
    const back = errorFromData(JSON.parse(JSON.stringify(err.toData())));
    expect(back).toBeInstanceOf(UnsupportedAudioError);
    expect(back.name).toBe('UnsupportedAudioError');
    expect(back.trackName).toBe('cat.png');
    expect(describeError(back.toData())).toBe('cat.png: Not an audio file.');
  });

  it.each([new JoinCanceledError(), new FetchRefusedError('refused')])('%s', (err) => {
    const back = errorFromData(err.toData());
    expect(back.constructor).toBe(err.constructor);
    expect(back).toBeInstanceOf(SeamError);
  });

  it('turns foreign errors into the fallback code', () => {
    expect(toErrorData(new TypeError('boom'), 'engine-failed')).toEqual({
      code: 'engine-failed',
      message: 'boom',
    });
    // ffmpeg's name keeps its own casing at the start of a sentence.
    expect(describeError({ code: 'join-failed', message: 'ffmpeg failed' })).toBe('ffmpeg failed.');
  });

  it.each([
    ['an Error', new Error('memory access out of bounds'), 'memory access out of bounds'],
    ['a string', 'RuntimeError: unreachable', 'RuntimeError: unreachable'],
    ['an object with a message', { message: 'Aborted(OOM)' }, 'Aborted(OOM)'],
    ['an Emscripten exit', { name: 'ExitStatus', status: 1 }, 'ffmpeg exited with code 1'],
    ['an exit as a string', 'Program terminated with exit(1)', 'ffmpeg exited with code 1'],
    [
      'an exit as an Error',
      new Error('Program terminated with exit(2)'),
      'ffmpeg exited with code 2',
    ],
    ['an empty object', {}, 'no reason given'],
    ['a stringified object', '[object Object]', 'no reason given'],
    ['an Error without a message', new RangeError(''), 'RangeError'],
    ['nothing', undefined, 'no reason given'],
  ])('errorText says what %s says, never "[object Object]"', (_, err, text) => {
    expect(errorText(err)).toBe(text);
    expect(toErrorData(err).message).toBe(text);
  });

  it('shows every reason as a whole sentence, keeping one that already is', () => {
    expect(sentence('the file is empty (0 bytes)')).toBe('The file is empty (0 bytes).');
    expect(sentence('The join was canceled.')).toBe('The join was canceled.');
    expect(sentence('Is it audio?')).toBe('Is it audio?');
    expect(
      describeError({ code: 'empty-file', message: 'The file is empty.', trackName: 'a.mp3' }),
    ).toBe('a.mp3: The file is empty.');
  });
});
