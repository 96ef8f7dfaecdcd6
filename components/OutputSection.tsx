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
import { formatDuration } from '@/lib/core/text';
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
        Output
        {total !== undefined && good.length > 0 && (
          <span class="heading-note">{formatDuration(total)} in all</span>
        )}
      </h2>
      <div class="fields">
        <SelectField<FormatId>
          label="Format"
          value={o.format}
          disabled={disabled}
          options={FORMATS.map((f) => ({ value: f.id, label: f.label }))}
          onChange={(format) => props.onChange({ format })}
        />
        {show.mode && (
          <SelectField<'cbr' | 'vbr'>
            label="Mode"
            value={o.mp3Mode}
            disabled={disabled}
            options={[
              { value: 'cbr', label: 'CBR' },
              { value: 'vbr', label: 'VBR' },
            ]}
            onChange={(mp3Mode) => props.onChange({ mp3Mode })}
          />
        )}
        {show.bitrate && (
          <SelectField
            label="Bitrate"
            value={String(o.bitrate)}
            disabled={disabled}
            options={BITRATES.map((b) => ({ value: String(b), label: `${b} kb/s` }))}
            onChange={(b) => props.onChange({ bitrate: Number(b) as Bitrate })}
          />
        )}
        {show.vbrQuality && (
          <SelectField
            label="VBR quality"
            value={String(o.vbrQuality)}
            disabled={disabled}
            options={VBR_CHOICES.map((q) => ({ value: String(q.value), label: q.label }))}
            onChange={(q) => props.onChange({ vbrQuality: Number(q) })}
          />
        )}
        <SelectField
          label="Sample rate"
          value={off.sampleRate ? 'source' : String(o.sampleRate)}
          disabled={disabled || !!off.sampleRate}
          hint={off.sampleRate}
          options={SAMPLE_RATES.map((r) => ({ value: String(r.value), label: r.label }))}
          onChange={(v) => props.onChange({ sampleRate: parseChoice(SAMPLE_RATES, v) ?? 'source' })}
        />
        <SelectField
          label="Channels"
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
          label="Fade in"
          class="short"
          value={o.fadeInSec}
          step={0.1}
          min={0}
          max={MAX_FADE_SEC}
          suffix="s"
          disabled={disabled}
          onCommit={(v) => props.onChange({ fadeInSec: fade(v) })}
        />
        <NumberField
          label="Fade out"
          class="short"
          value={o.fadeOutSec}
          step={0.1}
          min={0}
          max={MAX_FADE_SEC}
          suffix="s"
          disabled={disabled}
          onCommit={(v) => props.onChange({ fadeOutSec: fade(v) })}
        />
        <CheckboxField
          label="Normalize loudness"
          checked={o.normalize}
          disabled={disabled}
          hint={`to ${prefs.loudnessTarget} LUFS (EBU R128; target in Settings)`}
          onChange={(normalize) => props.onChange({ normalize })}
        />
      </div>
      {m4r && <p class="warning">{m4r}</p>}
      <div class="fields">
        <TextField
          label="File name"
          class="wide"
          value={prefs.fileNameTemplate}
          placeholder={defaultPreferences.fileNameTemplate}
          maxLength={MAX_TEMPLATE_CHARS}
          disabled={disabled}
          hint={
            <>
              <code>{'{title}'}</code> the Title tag (without one: the first track and how many
              more), <code>{'{first}'}</code> first track, <code>{'{count}'}</code> other tracks,{' '}
              <code>{'{total}'}</code> all tracks, <code>{'{date}'}</code> today. Next file:{' '}
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

      <h3>Tags</h3>
      {off.tags ? (
        <p class="hint">{off.tags}</p>
      ) : (
        <p class="hint">Empty fields keep the first track&rsquo;s tags, shown in grey.</p>
      )}
      <div class="fields tags">
        {tag('title', 'Title')}
        {tag('artist', 'Artist')}
        {tag('album', 'Album')}
        {tag('albumArtist', 'Album artist')}
        {tag('genre', 'Genre')}
        {tag('year', 'Year', 'short', 4)}
        {tag('track', 'Track number', 'short', 9)}
        {tag('comment', 'Comment', 'wide', 500)}
      </div>
      <div class="fields">
        <SelectField
          label="Cover"
          value={off.cover ? 'none' : shownCover(covers, o.cover)}
          disabled={disabled || !!off.cover}
          options={covers}
          hint={off.cover}
          onChange={(v) => props.onChange({ cover: coverFromValue(v) })}
        />
        <span class="field cover-file">
          <label class={`button${disabled || off.cover ? ' disabled' : ''}`}>
            {imageName ? 'Choose another image' : 'Choose an image'}
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
              Forget the image
            </button>
          )}
        </span>
        <SelectField
          label="Chapters"
          value={off.chapters ? 'none' : shownChapterMode(o.chapters, good)}
          disabled={disabled || !!off.chapters}
          options={CHAPTER_CHOICES.map((c) => ({ value: c.value, label: c.label }))}
          hint={
            off.chapters ??
            (anyOwnChapters(good)
              ? 'Tracks with chapters of their own bring them; the others get one, named by its Chapter title.'
              : 'Each track is a chapter, named by its Chapter title.')
          }
          onChange={(v) =>
            props.onChange({
              chapters: chapterModeFromChoice(parseChoice(CHAPTER_CHOICES, v) ?? 'per-track', good),
            })
          }
        />
        <CheckboxField
          label="Save chapter files"
          checked={o.chapterFiles}
          disabled={disabled}
          hint="A .cue sheet, a .chapters.txt (m4b-tool, tone) and Podcasting 2.0 JSON chapters, saved beside the joined file."
          onChange={(chapterFiles) => props.onChange({ chapterFiles })}
        />
        <SelectField<ChapterTitleSource>
          label="Chapter titles from"
          value={prefs.chapterTitles}
          disabled={disabled || !!off.chapters}
          options={CHAPTER_TITLE_CHOICES.map((c) => ({ value: c.value, label: c.label }))}
          hint="for tracks whose Chapter title is empty"
          onChange={(chapterTitles) => setPrefs({ chapterTitles })}
        />
      </div>
    </section>
  );
}
