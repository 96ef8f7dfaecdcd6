import { fileNamePreview } from '@/lib/editor/output';
import { changeKind, clampTransitionSeconds } from '@/lib/editor/timeline';
import type { CrossfadeCurve, Transition } from '@/lib/core/track';
import {
  clampWhole,
  FETCH_LIMIT_MAX_MB,
  FETCH_LIMIT_MIN_MB,
  LOUDNESS_MAX_LUFS,
  LOUDNESS_MIN_LUFS,
  MAX_CROSSFADE_SEC,
  MAX_GAP_SEC,
  MAX_TEMPLATE_CHARS,
  MIN_CROSSFADE_SEC,
} from '@/lib/core/limits';
import { defaultPreferences, type OutputSettings } from '@/lib/core/settings';
import type { Track } from '@/lib/core/track';
import { usePreferences } from '@/components/hooks/store';
import { CheckboxField, NumberField, SelectField, TextField } from './fields';

/** The options page's settings: defaults for the next joins. Stored as they change. */
export function SettingsSection(props: { tracks: Track[]; output: OutputSettings }) {
  const [prefs, setPrefs] = usePreferences();
  const t = prefs.defaultTransition;
  const setTransition = (next: Transition) => setPrefs({ defaultTransition: next });

  return (
    <section class="panel settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <p class="hint">
        Format and quality chosen under Output are kept and used for every join until you change
        them.
      </p>
      <div class="fields">
        <SelectField
          label="Default transition"
          value={t.kind}
          options={[
            { value: 'none', label: 'None' },
            { value: 'gap', label: 'Gap' },
            { value: 'crossfade', label: 'Crossfade' },
          ]}
          hint="for junctions you have not set"
          onChange={(kind) => setTransition(changeKind(t, kind, t))}
        />
        {t.kind !== 'none' && (
          <NumberField
            label="Default transition seconds"
            visibleLabel="Seconds"
            class="short"
            value={t.seconds}
            step={0.1}
            suffix="s"
            min={t.kind === 'crossfade' ? MIN_CROSSFADE_SEC : 0}
            max={t.kind === 'crossfade' ? MAX_CROSSFADE_SEC : MAX_GAP_SEC}
            onCommit={(v) =>
              setTransition({ ...t, seconds: clampTransitionSeconds(t.kind, v ?? 0) } as Transition)
            }
          />
        )}
        {t.kind === 'crossfade' && (
          <SelectField<CrossfadeCurve>
            label="Default curve"
            value={t.curve}
            options={[
              { value: 'linear', label: 'Linear' },
              { value: 'equal-power', label: 'Equal power' },
              { value: 'logarithmic', label: 'Logarithmic' },
            ]}
            onChange={(curve) => setTransition({ ...t, curve })}
          />
        )}
      </div>
      <div class="fields">
        <TextField
          label="File name"
          class="wide"
          value={prefs.fileNameTemplate}
          placeholder={defaultPreferences.fileNameTemplate}
          maxLength={MAX_TEMPLATE_CHARS}
          hint={
            <>
              Placeholders: <code>{'{first}'}</code> first track, <code>{'{count}'}</code> other
              tracks, <code>{'{total}'}</code> all tracks, <code>{'{date}'}</code> today. Next file:{' '}
              <strong class="file-preview">
                {fileNamePreview(prefs.fileNameTemplate, props.tracks, props.output.format)}
              </strong>
            </>
          }
          onCommit={(v) =>
            setPrefs({ fileNameTemplate: v.trim() || defaultPreferences.fileNameTemplate })
          }
        />
      </div>
      <div class="fields">
        <CheckboxField
          label="Ask where to save"
          labelFirst
          checked={prefs.askWhereToSave}
          hint="Otherwise the file goes to your downloads folder."
          onChange={(askWhereToSave) => setPrefs({ askWhereToSave })}
        />
        <SelectField
          label="After a join"
          value={prefs.keepQueueAfterJoin ? 'keep' : 'clear'}
          options={[
            { value: 'keep', label: 'Keep the queue' },
            { value: 'clear', label: 'Clear the queue' },
          ]}
          onChange={(v) => setPrefs({ keepQueueAfterJoin: v === 'keep' })}
        />
      </div>
      <div class="fields">
        <NumberField
          label="Size limit for page audio (MB)"
          class="short"
          value={prefs.fetchLimitMB}
          step={1}
          min={FETCH_LIMIT_MIN_MB}
          max={FETCH_LIMIT_MAX_MB}
          onCommit={(v) =>
            setPrefs({
              fetchLimitMB: clampWhole(
                v,
                FETCH_LIMIT_MIN_MB,
                FETCH_LIMIT_MAX_MB,
                defaultPreferences.fetchLimitMB,
              ),
            })
          }
        />
        <NumberField
          label="Loudness target (LUFS)"
          class="short"
          value={prefs.loudnessTarget}
          step={1}
          min={LOUDNESS_MIN_LUFS}
          max={LOUDNESS_MAX_LUFS}
          hint="-16 suits spoken word, -14 music streaming, -23 broadcast."
          onCommit={(v) =>
            setPrefs({
              loudnessTarget: clampWhole(
                v,
                LOUDNESS_MIN_LUFS,
                LOUDNESS_MAX_LUFS,
                defaultPreferences.loudnessTarget,
              ),
            })
          }
        />
      </div>
    </section>
  );
}
