import { undoNotice, notify } from '@/lib/queue/notices';
import { run } from '@/lib/queue/alerts';
import { useNotice } from '@/components/hooks/ui';
import { t } from '@/lib/core/i18n';

/** The queue's latest news, with Undo where it can be undone. */
export function Notice() {
  const n = useNotice();
  return (
    <div class={n ? 'notice shown' : 'notice'} role="status">
      {n && (
        <>
          <span>{n.text}</span>
          {n.undo && (
            <button type="button" class="link" onClick={() => void run('undo', undoNotice)}>
              {t('app.undo')}
            </button>
          )}
          <button type="button" class="link quiet" onClick={() => notify(null)}>
            {t('app.dismiss')}
          </button>
        </>
      )}
    </div>
  );
}
