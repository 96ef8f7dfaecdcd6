import type { PageFormat, PageRecording } from '@/lib/page-audio/group';
import { formatBytes, formatDate, formatTime } from '@/lib/core/text';
import type { Track } from '@/lib/core/track';
import { t } from '@/lib/core/i18n';
import { disabledWords } from '@/lib/page-audio/urls';

export interface Row {
  rec: PageRecording;
  /** The format that will be added (the person's choice, else the preferred one). */
  format: PageFormat;
  /** The track already queued for this recording, if any. */
  queued: Track | undefined;
  name: string;
  /** Where the file lives, with the tracking services in front of it named. */
  host: string;
}

/** One recording of "On this page": its checkbox (named by its title), facts, and format. */
export function PageAudioRow(props: {
  row: Row;
  checked: boolean;
  disabled: boolean;
  onToggle: (key: string, on: boolean) => void;
  onFormat: (key: string, url: string) => void;
}) {
  const { rec, format, queued, name, host } = props.row;
  const facts = [
    rec.date ? formatDate(rec.date) : '',
    rec.duration ? formatTime(rec.duration) : '',
    format.size ? formatBytes(format.size) : '',
    host,
  ].filter(Boolean);
  return (
    <li
      class={props.disabled ? 'disabled' : ''}
      data-urls={rec.formats.map((f) => f.url).join(' ')}
    >
      <label title={name}>
        <input
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled}
          onChange={(e) => props.onToggle(rec.key, e.currentTarget.checked)}
        />
        <span class="page-name">{name}</span>
      </label>
      <span class="page-meta">
        {facts.join(' · ')}
        {queued && <span class="tag">{t('page.inQueue')}</span>}
        {rec.disabledReason && <span class="reason">{disabledWords(rec.disabledReason)}</span>}
      </span>
      {rec.formats.length > 1 && (
        <select
          class="page-format"
          aria-label={t('page.formatOf', name)}
          value={format.url}
          onChange={(e) => props.onFormat(rec.key, e.currentTarget.value)}
        >
          {rec.formats.map((f) => (
            <option key={f.url} value={f.url}>
              {f.label}
              {f.size ? ` (${formatBytes(f.size)})` : ''}
            </option>
          ))}
        </select>
      )}
    </li>
  );
}
