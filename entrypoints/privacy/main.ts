/**
 * The privacy policy in the language Seam's words are in (the locale Chrome or Firefox picked
 * from locales/): the page holds each language's policy (build/privacy.ts); English shows
 * when there is none in that language, and without script.
 */
import { i18n } from '#i18n';

const lang = i18n.t('meta.locale');
const articles = [...document.querySelectorAll<HTMLElement>('main > article[lang]')];
const shown = articles.find((a) => a.lang === lang) ?? articles.find((a) => a.lang === 'en');
if (shown) {
  for (const a of articles) a.hidden = a !== shown;
  document.documentElement.lang = shown.lang;
  const heading = shown.querySelector('h1')?.textContent;
  if (heading) document.title = heading;
}
