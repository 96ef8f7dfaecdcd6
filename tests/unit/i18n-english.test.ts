import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { englishReader } from '@/lib/core/i18n-english';
import { ROOT } from '../support/paths';

/**
 * The offscreen document's English words (lib/i18n/english.ts): the built messages.json read
 * the way @wxt-dev/i18n writes it, so a sentence made there never shows as its key.
 */
describe('englishReader over the built _locales/en/messages.json', () => {
  let messages: Record<string, { message?: string }>;
  beforeAll(() => {
    messages = JSON.parse(
      readFileSync(join(ROOT, '.output/chrome-mv3/_locales/en/messages.json'), 'utf8'),
    ) as Record<string, { message?: string }>;
  });

  it('writes a message with its substitutions', () => {
    const read = englishReader(messages);
    expect(read('units.khz', undefined, ['44.1'])).toBe('44.1 kHz');
    expect(read('plan.lossless', undefined, ['MP3', '44.1 kHz', 'stereo'])).toBe(
      'Lossless: all tracks are MP3, 44.1 kHz stereo, so they are joined without re-encoding.',
    );
  });

  it('picks the English plural form by the count', () => {
    const read = englishReader(messages);
    expect(read('plan.tooShort', 1, ['1', '2', '0.02'])).toBe(
      'Track 2 is only 1 sample long (0.02 ms), too short to hear.',
    );
    expect(read('plan.tooShort', 9, ['9', '2', '0.2'])).toBe(
      'Track 2 is only 9 samples long (0.2 ms), too short to hear.',
    );
  });

  it('a key it does not know stays visible as the key, a dollar sign as itself', () => {
    const read = englishReader({ a_b: { message: 'costs $$$1' } });
    expect(read('a.b', undefined, ['5'])).toBe('costs $5');
    expect(read('no.such', undefined, ['x'])).toBe('no.such(x)');
  });
});
