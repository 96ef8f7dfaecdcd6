import { AUDIO_ACCEPT } from '@/lib/queue/files';
import { t } from '@/lib/core/i18n';

export function AddFiles({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <label class="button primary add-files">
      {t('app.addFiles')}
      <input
        class="visually-hidden"
        type="file"
        multiple
        accept={AUDIO_ACCEPT}
        onChange={(e) => {
          const input = e.currentTarget;
          onFiles([...(input.files ?? [])]);
          input.value = '';
        }}
      />
    </label>
  );
}

/** A folder picker: every audio file inside it (and its subfolders) joins the queue. */
export function AddFolder({ onFiles }: { onFiles: (files: File[]) => void }) {
  return (
    <label class="button add-folder">
      {t('app.addFolder')}
      <input
        class="visually-hidden"
        type="file"
        // Chrome and Firefox both have the prefixed property; Preact sets it (true, not '').
        {...{ webkitdirectory: true }}
        onChange={(e) => {
          const input = e.currentTarget;
          onFiles([...(input.files ?? [])]);
          input.value = '';
        }}
      />
    </label>
  );
}
