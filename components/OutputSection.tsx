import {
  CHANNEL_CHOICES,
  SAMPLE_RATES,
  VBR_CHOICES,
  chaptersNote,
  coverChoices,
  coverFromValue,
  coverNote,
  coverToValue,
  m4rWarning,
  parseChoice,
  qualityFields,
  tagPlaceholders,
  tagsNote,
} from '@/lib/editor/output';
import { formatPreciseTime } from '@/lib/core/text';
import { timeline } from '@/lib/editor/timeline';
import { BITRATES, FORMATS, type Bitrate, type FormatId } from '@/lib/core/formats';
import type { OutputSettings } from '@/lib/core/settings';
import { clampTenths, MAX_FADE_SEC } from '@/lib/core/limits';
import type { Track } from '@/lib/core/track';
import { useOutputTags, usePreferences } from '@/components/hooks/store';
import { CheckboxField, NumberField, SelectField, TextField } from './fields';

/** The options page's output choices: format and quality, whole-result fades, tags. */
export function OutputSection(props: {
  tracks: Track[];
  value: OutputSettings;
  disabled: boolean;
  onChange: (patch: Partial<OutputSettings>) => void;
}) {
  const { value: o, disabled, tracks } = props;
  const [prefs] = usePreferences();
  const [tags, setTags] = useOutputTags();
  const show = qualityFields(o);
  const total = timeline(tracks, prefs.defaultTransition).totalSec;
  const m4r = m4rWarning(o.format, total);
  const placeholders = tagPlaceholders(tracks[0]);
  const covers = coverChoices(tracks);
  const cover = coverToValue(o.cover);
  const fade = (sec: number | undefined) => clampTenths(sec, MAX_FADE_SEC);

  return (
    <section class="panel output-section" aria-labelledby="output-heading">
      <h2 id="output-heading">
        Output
        {total !== undefined && tracks.length > 0 && (
          <span class="heading-note">{formatPreciseTime(total)} in all</span>
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
          value={String(o.sampleRate)}
          disabled={disabled}
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

      <h3>Tags</h3>
      <div class="fields tags">
        <TextField
          label="Title"
          value={tags.title}
          placeholder={placeholders.title}
          disabled={disabled}
          onCommit={(title) => setTags({ title })}
        />
        <TextField
          label="Artist"
          value={tags.artist}
          placeholder={placeholders.artist}
          disabled={disabled}
          onCommit={(artist) => setTags({ artist })}
        />
        <TextField
          label="Album"
          value={tags.album}
          placeholder={placeholders.album}
          disabled={disabled}
          onCommit={(album) => setTags({ album })}
        />
        <TextField
          label="Year"
          class="short"
          value={tags.year}
          placeholder={placeholders.year}
          maxLength={4}
          disabled={disabled}
          onCommit={(year) => setTags({ year })}
        />
      </div>
      <p class="hint">
        {tagsNote(o.format) ?? "Empty fields keep the first track's tags, shown in grey."}
      </p>
      <div class="fields">
        <SelectField
          label="Cover"
          value={covers.some((c) => c.value === cover) ? cover : 'first'}
          disabled={disabled}
          options={covers}
          hint={coverNote(o.format)}
          onChange={(v) => props.onChange({ cover: coverFromValue(v) })}
        />
        <CheckboxField
          label="Chapters"
          checked={o.chapters}
          disabled={disabled}
          hint={chaptersNote(o.format)}
          onChange={(chapters) => props.onChange({ chapters })}
        />
      </div>
    </section>
  );
}
