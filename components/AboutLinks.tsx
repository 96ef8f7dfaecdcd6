import { t } from '@/lib/core/i18n';

/**
 * The foot of the options page: the privacy policy (privacy.html, the text of
 * store/privacy.md) and the third-party licences (THIRD_PARTY_NOTICES.txt), both packaged
 * pages of the extension, opened in a new tab.
 */
export function AboutLinks() {
  return (
    <footer class="about">
      <a href="/privacy.html" target="_blank" rel="noopener">
        {t('app.privacy')}
      </a>
      <a href="/THIRD_PARTY_NOTICES.txt" target="_blank" rel="noopener">
        {t('app.licences')}
      </a>
    </footer>
  );
}
