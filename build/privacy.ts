/**
 * The privacy policy page (entrypoints/privacy/index.html) holds the text of store/privacy.md,
 * the same file the store listings point to: one source, turned into HTML when Seam is built.
 * Build-time code: a Vite plugin, run from wxt.config.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';
import type { Plugin } from 'vite';

export const PRIVACY_SOURCE = resolve(import.meta.dirname, '../store/privacy.md');
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
        return html.includes(SLOT) ? html.replace(SLOT, privacyHtml()) : html;
      },
    },
  };
}
