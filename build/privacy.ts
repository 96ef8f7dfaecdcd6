/**
 * The privacy policy page (entrypoints/privacy/index.html) holds the text of store/privacy.md,
 * the same file the store listings point to, and its translations (store/privacy.de.md, ...,
 * one for each language in locales/): one source each, turned into HTML when Seam is built.
 * Each language is an <article lang>; the page shows the one Seam's words are in
 * (entrypoints/privacy/main.ts), English without script. Build-time code: a Vite plugin, run
 * from wxt.config.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';
import type { Plugin } from 'vite';

export const PRIVACY_SOURCE = resolve(import.meta.dirname, '../store/privacy.md');
/** The policy's languages besides English (store/privacy.<lang>.md), as in locales/. */
export const PRIVACY_LANGUAGES = ['de', 'es', 'fr', 'ja'] as const;
/** store/privacy.<lang>.md ("en": store/privacy.md). */
export function privacySource(lang: string): string {
  return lang === 'en'
    ? PRIVACY_SOURCE
    : resolve(import.meta.dirname, `../store/privacy.${lang}.md`);
}
/** Where the page's HTML says the policy goes. */
const SLOT = '<!-- store/privacy.md -->';

/** store/privacy.md as HTML. */
export function privacyHtml(markdown = readFileSync(PRIVACY_SOURCE, 'utf8')): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

/** Fills the slot in the page that has one with the policy. */
export function privacyPage(): Plugin {
  return {
    name: 'seam:privacy-page',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        return html.includes(SLOT) ? html.replace(SLOT, privacyArticles()) : html;
      },
    },
  };
}

/** Every language's policy, each an <article lang>; all but English hidden until the script. */
export function privacyArticles(): string {
  return ['en', ...PRIVACY_LANGUAGES]
    .map((lang) => {
      const html = privacyHtml(readFileSync(privacySource(lang), 'utf8'));
      return `<article lang="${lang}"${lang === 'en' ? '' : ' hidden'}>${html}</article>`;
    })
    .join('\n');
}
