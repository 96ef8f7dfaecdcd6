import { changeKind, clampTransitionSeconds } from '@/lib/editor/timeline';
import type { CrossfadeCurve, Transition } from '@/lib/core/track';
import {
  clampNumber,
  clampWhole,
  FETCH_LIMIT_MAX_MB,
  FETCH_LIMIT_MIN_MB,
  LOUDNESS_MAX_LUFS,
  LOUDNESS_MIN_LUFS,
  MAX_CROSSFADE_SEC,
  MAX_GAP_SEC,
  MIN_CROSSFADE_SEC,
  SILENCE_MAX_DB,
  SILENCE_MAX_SEC,
  SILENCE_MIN_DB,
  SILENCE_MIN_SEC,
} from '@/lib/core/limits';
import { defaultPreferences } from '@/lib/core/settings';
import { usePreferences } from '@/components/hooks/store';
import { CheckboxField, NumberField, SelectField } from './fields';

/** The options page's settings: the person's habits for every join. Stored as they change. */
export function SettingsSection() {
  const [prefs, setPrefs] = usePreferences();
  const t = prefs.defaultTransition;
  const setTransition = (next: Transition) => setPrefs({ defaultTransition: next });

  return (
    <section class="panel settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <p class="hint">
        These apply to every join. What the next join uses is listed beside Join, with Reset to
        defaults.
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
        <CheckboxField
          label="Sort files added together by name"
          labelFirst
          checked={prefs.sortAddedByName}
          hint="“Part 2” before “Part 10”. Off: in the order they are picked or dropped."
          onChange={(sortAddedByName) => setPrefs({ sortAddedByName })}
        />
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
      <div class="fields">
        <NumberField
          label="Silence threshold (dBFS)"
          class="short"
          value={prefs.silenceThresholdDb}
          step={1}
          min={SILENCE_MIN_DB}
          max={SILENCE_MAX_DB}
          hint="“Trim silence at start and end” takes quieter audio for silence."
          onCommit={(v) =>
            setPrefs({
              silenceThresholdDb: clampWhole(
                v,
                SILENCE_MIN_DB,
                SILENCE_MAX_DB,
                defaultPreferences.silenceThresholdDb,
              ),
            })
          }
        />
        <NumberField
          label="Shortest silence (s)"
          class="short"
          value={prefs.silenceMinSec}
          step={0.1}
          min={SILENCE_MIN_SEC}
          max={SILENCE_MAX_SEC}
          hint="Shorter silence at a track’s ends is kept."
          onCommit={(v) =>
            setPrefs({
              silenceMinSec:
                Math.round(
                  clampNumber(
                    v,
                    SILENCE_MIN_SEC,
                    SILENCE_MAX_SEC,
                    defaultPreferences.silenceMinSec,
                  ) * 10,
                ) / 10,
            })
          }
        />
      </div>
    </section>
  );
}
