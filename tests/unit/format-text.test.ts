import { describe, expect, it } from 'vitest';
import { isQuotaError } from '@/lib/core/errors';
import { fileNames, formatAudio, formatBytes, formatTime } from '@/lib/core/text';
import { render } from '@/lib/core/i18n';

describe('format-text', () => {
  it.each([
    [0, '0:00'],
    [59.6, '1:00'],
    [61, '1:01'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [NaN, '–'],
  ])('formatTime(%d) = %s', (s, text) => expect(formatTime(s)).toBe(text));

  it.each([
    [512, '512 B'],
    [2048, '2.0 KB'],
    [1536 * 1024, '1.5 MB'],
    [50 * 1024 * 1024, '50 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('formatBytes(%d) = %s', (b, text) => expect(formatBytes(b)).toBe(text));

  it('describes audio', () => {
    expect(formatAudio('mp3', 44100, 2)).toBe('MP3 · 44.1 kHz · stereo');
    expect(formatAudio('pcm_s16le', 8000, 1)).toBe('WAV 16-bit · 8 kHz · mono');
    expect(formatAudio('ac3', 48000, 6)).toBe('AC3 · 48 kHz · 6 channels');
  });

  it.each([
    [['a.mp3'], '“a.mp3”'],
    [['a.mp3', 'b.wav'], '“a.mp3” and “b.wav”'],
    [['a', 'b', 'c'], 'these 3 files'],
  ])('fileNames(%j) = %s', (names, text) => expect(render(fileNames(names))).toBe(text));

  it('tells a full disk from other storage failures', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('The quota has been exceeded.'))).toBe(true);
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
  });
});
