/**
 * The privacy policy in every language Seam speaks (store/privacy.md and its translations,
 * build/privacy.ts): the same sections and points as the English, each in its own language.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIVACY_LANGUAGES, privacyArticles, privacySource } from '@/build/privacy';
import { shippedLocales } from '../support/language';

const shape = (md: string) => ({
  headings: md.match(/^#+ /gm)?.length,
  points: md.match(/^- /gm)?.length,
});

describe('the privacy policy’s translations', () => {
  const en = readFileSync(privacySource('en'), 'utf8');

  it('cover every language in locales/', () => {
    expect(['en', ...PRIVACY_LANGUAGES].sort()).toEqual(shippedLocales());
  });

  it.each(PRIVACY_LANGUAGES)('%s has the English sections and points, in its own words', (lang) => {
    const md = readFileSync(privacySource(lang), 'utf8');
    expect(shape(md)).toEqual(shape(en));
    // The facts that must not change: IndexedDB, no server, ffmpeg, no cookies.
    for (const word of ['IndexedDB', 'ffmpeg', 'Seam', 'README']) expect(md).toContain(word);
    expect(md).not.toContain('What Seam');
  });

  it('the page holds each as an article, English shown without script', () => {
    const html = privacyArticles();
    expect(html.match(/<article lang="\w+"/g)).toEqual(
      ['en', ...PRIVACY_LANGUAGES].map((l) => `<article lang="${l}"`),
    );
    expect(html).toContain('<article lang="en">');
    expect(html).toContain('<article lang="de" hidden>');
  });
});
