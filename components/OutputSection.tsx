import {
  CHANNEL_CHOICES,
  CHAPTER_CHOICES,
  CHAPTER_TITLE_CHOICES,
  anyOwnChapters,
  chapterModeFromChoice,
  shownChapterMode,
  SAMPLE_RATES,
  VBR_CHOICES,
  coverChoices,
  coverFromValue,
  fileNamePreview,
  m4rWarning,
  parseChoice,
  qualityFields,
  shownCover,
  tagPlaceholders,
  unavailable,
} from '@/lib/editor/output';
import { formatTime } from '@/lib/core/text';
import { timeline } from '@/lib/editor/timeline';
import { BITRATES, FORMATS, type Bitrate, type FormatId } from '@/lib/core/formats';
import {
  defaultPreferences,
  type ChapterTitleSource,
  type OutputSettings,
  type OutputTags,
} from '@/lib/core/settings';
import { clampTenths, MAX_FADE_SEC, MAX_TEMPLATE_CHARS } from '@/lib/core/limits';
import type { Track } from '@/lib/core/track';
import * as actions from '@/lib/queue/actions';
import { run } from '@/lib/queue/alerts';
import { useCoverImageName, useOutputTags, usePreferences } from '@/components/hooks/store';
import { CheckboxField, NumberField, SelectField, TextField } from './fields';
import { t } from '@/lib/core/i18n';

/** A file-name template's placeholder as typed: "{title}" (lib/core/naming.ts reads them). */
const token = (name: string) => `{${name}}`;

/**
 * The options page's output choices: format and quality, whole-result fades, the file's name,
 * tags, cover and chapters. A choice the format cannot hold is disabled, saying why.
 */
export function OutputSection(props: {
  tracks: Track[];
  value: OutputSettings;
  disabled: boolean;
  onChange: (patch: Partial<OutputSettings>) => void;
}) {
  const { value: o, disabled, tracks } = props;
  const [prefs, setPrefs] = usePreferences();
  const [tags, setTags] = useOutputTags();
  const imageName = useCoverImageName();
  const show = qualityFields(o);
  const off = unavailable(o.format);
  const good = tracks.filter((t) => t.status !== 'error');
  const total = timeline(good, prefs.defaultTransition).totalSec;
  const m4r = m4rWarning(o.format, total);
  const placeholders = tagPlaceholders(good[0]);
  const covers = coverChoices(good, imageName);
  const fade = (sec: number | undefined) => clampTenths(sec, MAX_FADE_SEC);
  const tag = (key: keyof OutputTags, label: string, cls?: string, max?: number) => (
    <TextField
      label={label}
      class={cls}
      value={tags[key]}
      placeholder={placeholders[key]}
      maxLength={max}
      disabled={disabled || !!off.tags}
      onCommit={(v) => setTags({ [key]: v })}
    />
  );

  return (
    <section class="panel output-section" aria-labelledby="output-heading">
      <h2 id="output-heading">
        {t('output.heading')}
        {total !== undefined && good.length > 0 && (
          <span class="heading-note">{t('output.inAll', formatTime(total))}</span>
        )}
      </h2>
      <div class="fields">
        <SelectField<FormatId>
          label={t('output.format')}
          value={o.format}
          disabled={disabled}
          options={FORMATS.map((f) => ({ value: f.id, label: f.label }))}
          onChange={(format) => props.onChange({ format })}
        />
        {show.mode && (
          <SelectField<'cbr' | 'vbr'>
            label={t('output.mode')}
            value={o.mp3Mode}
            disabled={disabled}
            options={[
              { value: 'cbr', label: t('output.cbr') },
              { value: 'vbr', label: t('output.vbr') },
            ]}
            onChange={(mp3Mode) => props.onChange({ mp3Mode })}
          />
        )}
        {show.bitrate && (
          <SelectField
            label={t('output.bitrate')}
            value={String(o.bitrate)}
            disabled={disabled}
            options={BITRATES.map((b) => ({ value: String(b), label: t('units.kbps', b) }))}
            onChange={(b) => props.onChange({ bitrate: Number(b) as Bitrate })}
          />
        )}
        {show.vbrQuality && (
          <SelectField
            label={t('output.vbrQuality')}
            value={String(o.vbrQuality)}
            disabled={disabled}
            options={VBR_CHOICES.map((q) => ({ value: String(q.value), label: q.label }))}
            onChange={(q) => props.onChange({ vbrQuality: Number(q) })}
          />
        )}
        <SelectField
          label={t('output.sampleRate')}
          value={off.sampleRate ? 'source' : String(o.sampleRate)}
          disabled={disabled || !!off.sampleRate}
          hint={off.sampleRate}
          options={SAMPLE_RATES.map((r) => ({ value: String(r.value), label: r.label }))}
          onChange={(v) => props.onChange({ sampleRate: parseChoice(SAMPLE_RATES, v) ?? 'source' })}
        />
        <SelectField
          label={t('output.channels')}
          value={String(o.channels)}
          disabled={disabled}
          options={CHANNEL_CHOICES.map((c) => ({ value: String(c.value), label: c.label }))}
          onChange={(v) =>
            props.onChange({ channels: parseChoice(CHANNEL_CHOICES, v) ?? 'source' })
          }
        />
      </div>
      <div class="fields">
        <NumberField
          label={t('output.fadeIn')}
          class="short"
          value={o.fadeInSec}
          step={0.1}
          min={0}
          max={MAX_FADE_SEC}
          suffix={t('units.secondsShort')}
          disabled={disabled}
          onCommit={(v) => props.onChange({ fadeInSec: fade(v) })}
        />
        <NumberField
          label={t('output.fadeOut')}
          class="short"
          value={o.fadeOutSec}
          step={0.1}
          min={0}
          max={MAX_FADE_SEC}
          suffix={t('units.secondsShort')}
          disabled={disabled}
          onCommit={(v) => props.onChange({ fadeOutSec: fade(v) })}
        />
        <CheckboxField
          label={t('output.normalize')}
          checked={o.normalize}
          disabled={disabled}
          hint={t('output.normalizeHint', String(prefs.loudnessTarget))}
          onChange={(normalize) => props.onChange({ normalize })}
        />
        <CheckboxField
          label={t('output.matchLoudness')}
          checked={o.matchLoudness}
          disabled={disabled}
          hint={t('output.matchLoudnessHint', String(prefs.loudnessTarget))}
          onChange={(matchLoudness) => props.onChange({ matchLoudness })}
        />
      </div>
      {m4r && <p class="warning">{m4r}</p>}
      <div class="fields">
        <TextField
          label={t('output.fileName')}
          class="wide"
          value={prefs.fileNameTemplate}
          placeholder={defaultPreferences.fileNameTemplate}
          maxLength={MAX_TEMPLATE_CHARS}
          disabled={disabled}
          hint={
            <>
              <code>{token('title')}</code> {t('output.fileNameTitle')}{' '}
              <code>{token('first')}</code> {t('output.fileNameFirst')}{' '}
              <code>{token('count')}</code> {t('output.fileNameCount')}{' '}
              <code>{token('total')}</code> {t('output.fileNameTotal')} <code>{token('date')}</code>{' '}
              {t('output.fileNameDate')} {t('output.nextFile')}{' '}
              <strong class="file-preview">
                {fileNamePreview(prefs.fileNameTemplate, good, o.format, new Date(), tags.title)}
              </strong>
            </>
          }
          onCommit={(v) =>
            setPrefs({ fileNameTemplate: v.trim() || defaultPreferences.fileNameTemplate })
          }
        />
      </div>

      <h3>{t('output.tags')}</h3>
      {off.tags ? <p class="hint">{off.tags}</p> : <p class="hint">{t('output.tagsHint')}</p>}
      <div class="fields tags">
        {tag('title', t('output.title'))}
        {tag('artist', t('output.artist'))}
        {tag('album', t('output.album'))}
        {tag('albumArtist', t('output.albumArtist'))}
        {tag('genre', t('output.genre'))}
        {tag('year', t('output.year'), 'short', 4)}
        {tag('track', t('output.trackNumber'), 'short', 9)}
        {tag('comment', t('output.comment'), 'wide', 500)}
      </div>
      <div class="fields">
        <SelectField
          label={t('output.cover')}
          value={off.cover ? 'none' : shownCover(covers, o.cover)}
          disabled={disabled || !!off.cover}
          options={covers}
          hint={off.cover}
          onChange={(v) => props.onChange({ cover: coverFromValue(v) })}
        />
        <span class="field cover-file">
          <label class={`button${disabled || off.cover ? ' disabled' : ''}`}>
            {imageName ? t('output.chooseAnotherImage') : t('output.chooseImage')}
            <input
              class="visually-hidden"
              type="file"
              accept="image/jpeg,image/png"
              disabled={disabled || !!off.cover}
              onChange={(e) => {
                const input = e.currentTarget;
                const file = input.files?.[0];
                input.value = '';
                if (file) void run('cover', () => actions.setCoverImage(file));
              }}
            />
          </label>
          {imageName && (
            <button
              type="button"
              class="link"
              disabled={disabled}
              onClick={() => void run('cover', actions.removeCoverImage)}
            >
              {t('output.forgetImage')}
            </button>
          )}
        </span>
        <SelectField
          label={t('output.chapters')}
          value={off.chapters ? 'none' : shownChapterMode(o.chapters, good)}
          disabled={disabled || !!off.chapters}
          options={CHAPTER_CHOICES.map((c) => ({ value: c.value, label: c.label }))}
          hint={
            off.chapters ??
            (anyOwnChapters(good) ? t('output.chaptersHintOwn') : t('output.chaptersHint'))
          }
          onChange={(v) =>
            props.onChange({
              chapters: chapterModeFromChoice(parseChoice(CHAPTER_CHOICES, v) ?? 'per-track', good),
            })
          }
        />
        <CheckboxField
          label={t('output.chapterFiles')}
          checked={o.chapterFiles}
          disabled={disabled}
          hint={t('output.chapterFilesHint')}
          onChange={(chapterFiles) => props.onChange({ chapterFiles })}
        />
        <SelectField<ChapterTitleSource>
          label={t('output.chapterTitles')}
          value={prefs.chapterTitles}
          disabled={disabled || !!off.chapters}
          options={CHAPTER_TITLE_CHOICES.map((c) => ({ value: c.value, label: c.label }))}
          hint={t('output.chapterTitlesHint')}
          onChange={(chapterTitles) => setPrefs({ chapterTitles })}
        />
      </div>
    </section>
  );
}
