/**
 * The refusals made in lib (lossless WAV and MP3 joins, ffmpeg's failures, page audio) come
 * from locales/: English reads as it always did, German differs and fills in every substitution.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render, type Text } from '@/lib/core/i18n';
import { UnsupportedAudioError } from '@/lib/core/errors';
import { ffmpegFailure } from '@/lib/media/ffmpeg-log';
import { describeStream, parseFrameHeader, streamChange } from '@/lib/containers/mp3';
import { disabledWords, STREAMED_REASON } from '@/lib/page-audio/urls';
import { installLanguage } from '@/tests/support/language';

// MPEG-1 Layer III, 128 kb/s: 44.1 kHz stereo, and 48 kHz mono.
const h44 = parseFrameHeader(0xff, 0xfb, 0x90, 0x00)!;
const h48mono = parseFrameHeader(0xff, 0xfb, 0x94, 0xc0)!;

const sentences = (): Record<string, Text | string> => ({
  rifx: new UnsupportedAudioError({ key: 'refusals.wavRifx' }).text!,
  wavFormat: { key: 'refusals.wavFormat', n: 2, subs: ['16', 'PCM', '44100'] },
  stream: describeStream(h44),
  change: { key: 'refusals.changeAt', subs: [streamChange(h44, h48mono)!, '0:10'] },
  memory: ffmpegFailure(['Cannot allocate memory'], []).reason,
  said: ffmpegFailure(['Some Error happened'], []).reason,
  streamed: disabledWords(STREAMED_REASON),
});

const words = (x: Text | string) => (typeof x === 'string' ? x : render(x));

describe('refusals in five languages', () => {
  afterEach(() => installLanguage('en'));

  it('English reads as before', () => {
    installLanguage('en');
    const s = sentences();
    expect(words(s.wavFormat!)).toBe('16-bit PCM, 44100 Hz, 2 channels');
    expect(words(s.stream!)).toBe('MPEG-1 Layer III, 44100 Hz, stereo');
    expect(words(s.change!)).toBe('changes sample rate from 44.1 kHz to 48 kHz at 0:10');
    expect(words(s.memory!)).toBe('there was not enough memory for this join');
    expect(words(s.said!)).toBe('It stopped with an error (ffmpeg reports “Some Error happened”)');
    expect(words(s.streamed!)).toBe('streamed or protected audio cannot be saved');
  });

  it('German differs from English and leaves no substitution unfilled', () => {
    installLanguage('en');
    const en = Object.fromEntries(Object.entries(sentences()).map(([k, v]) => [k, words(v)]));
    installLanguage('de');
    for (const [k, v] of Object.entries(sentences())) {
      const de = words(v);
      expect(de, k).not.toBe(en[k]);
      expect(de, k).not.toMatch(/\$[1-9]|refusals\./);
    }
    expect(words(sentences().change!)).toBe(
      'wechselt die Abtastrate von 44,1 kHz zu 48 kHz bei 0:10',
    );
    expect(words(sentences().said!)).toContain('„Some Error happened“');
  });
});
