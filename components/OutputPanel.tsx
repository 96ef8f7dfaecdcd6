import { BITRATES, FORMATS, formatSpec, type Bitrate, type FormatId } from '@/lib/core/formats';
import type { OutputSettings } from '@/lib/core/settings';
import { t } from '@/lib/core/i18n';

export function OutputPanel(props: {
  value: OutputSettings;
  disabled: boolean;
  onChange: (patch: Partial<OutputSettings>) => void;
}) {
  const { value, disabled } = props;
  const spec = formatSpec(value.format);
  // MP3 in VBR mode has no bitrate to choose; the options page sets its quality.
  const vbr = value.format === 'mp3' && value.mp3Mode === 'vbr';
  return (
    <div class="output">
      <label>
        <span class="label-text">{t('output.format')}</span>
        <select
          value={value.format}
          disabled={disabled}
          onChange={(e) => props.onChange({ format: e.currentTarget.value as FormatId })}
        >
          {FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {vbr && <span class="hint">{t('output.vbrQualityValue', value.vbrQuality)}</span>}
      {spec.lossy && !vbr && (
        <label>
          <span class="label-text">{t('output.bitrate')}</span>
          <select
            value={String(value.bitrate)}
            disabled={disabled}
            onChange={(e) => props.onChange({ bitrate: Number(e.currentTarget.value) as Bitrate })}
          >
            {BITRATES.map((b) => (
              <option key={b} value={String(b)}>
                {t('units.kbps', b)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
