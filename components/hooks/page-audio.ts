import { useEffect, useState } from 'preact/hooks';
import { report } from '@/lib/queue/alerts';
import { t } from '@/lib/core/i18n';
import { scanTarget, type PageAudioState } from '@/lib/page-audio/actions';

/** Scans the target tab once when the page opens. */
export function usePageAudio(compact: boolean): PageAudioState {
  const [state, setState] = useState<PageAudioState>({ status: 'scanning' });
  useEffect(() => {
    scanTarget(compact).then(setState, (err: unknown) => {
      setState({ status: 'done', tabId: -1, ok: false, reason: t('page.scanFailed') });
      report('scan', err);
    });
  }, [compact]);
  return state;
}
