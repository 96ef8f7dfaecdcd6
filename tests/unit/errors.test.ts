import { describe, expect, it } from 'vitest';
import { text } from '@/lib/core/i18n';
import {
  EngineFailedError,
  JoinFailedError,
  asStep,
  canRetry,
  inStep,
  type SeamErrorData,
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

describe('a join step’s failure says which step and why (issue 19)', () => {
  it('keeps the class, reason and track, names the innermost step, and crosses as data', () => {
    const reason = text('refusals.ffmpegFileMissing');
    const inner = inStep(new JoinFailedError(reason), text('steps.part', 1, 2));
    const outer = inStep(inner, text('steps.encode'));
    expect(outer).toBe(inner);
    const back = errorFromData(JSON.parse(JSON.stringify(outer.toData())) as SeamErrorData);
    expect(back).toBeInstanceOf(JoinFailedError);
    expect(describeError(back.toData())).toBe(
      'Encoding part 1 of 2 failed: one of the files it reads was not there.',
    );
    expect(canRetry(back.toData())).toBe(true);
  });

  it('turns a foreign error into an engine failure in its own words; a cancel stays a cancel', async () => {
    const err = await asStep(text('steps.splice'), () =>
      Promise.reject(new RangeError('offset is out of bounds')),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineFailedError);
    expect(describeError((err as SeamError).toData())).toBe(
      'Putting the parts together failed: offset is out of bounds.',
    );
    const canceled = inStep(new JoinCanceledError(), text('steps.splice'));
    expect(canceled.step).toBeUndefined();
  });

  it.each<[string, SeamErrorData, boolean]>([
    ['interrupted', { code: 'job-interrupted', message: 'x' }, true],
    ['engine failed', { code: 'engine-failed', message: 'x' }, true],
    [
      'a track’s fault',
      { code: 'join-failed', message: 'x', trackId: 't', step: text('steps.encode') },
      false,
    ],
    ['no step', { code: 'join-failed', message: 'x' }, false],
    ['a damaged track', { code: 'corrupt-audio', message: 'x', trackId: 't' }, false],
  ])('Retry offered: %s → %s', (_l, data, retry) => expect(canRetry(data)).toBe(retry));
});
