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
import { t as tr } from '@/lib/core/i18n';
import { crossfadeCurves, transitionKinds } from './JunctionEditor';

/** The options page's settings: the person's habits for every join. Stored as they change. */
export function SettingsSection() {
  const [prefs, setPrefs] = usePreferences();
  const t = prefs.defaultTransition;
  const setTransition = (next: Transition) => setPrefs({ defaultTransition: next });

  return (
    <section class="panel settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{tr('settings.heading')}</h2>
      <p class="hint">{tr('settings.intro')}</p>
      <div class="fields">
        <SelectField
          label={tr('settings.defaultTransition')}
          value={t.kind}
          options={transitionKinds()}
          hint={tr('settings.defaultTransitionHint')}
          onChange={(kind) => setTransition(changeKind(t, kind, t))}
        />
        {t.kind !== 'none' && (
          <NumberField
            label={tr('settings.defaultSeconds')}
            visibleLabel={tr('transition.seconds')}
            class="short"
            value={t.seconds}
            step={0.1}
            suffix={tr('units.secondsShort')}
            min={t.kind === 'crossfade' ? MIN_CROSSFADE_SEC : 0}
            max={t.kind === 'crossfade' ? MAX_CROSSFADE_SEC : MAX_GAP_SEC}
            onCommit={(v) =>
              setTransition({ ...t, seconds: clampTransitionSeconds(t.kind, v ?? 0) } as Transition)
            }
          />
        )}
        {t.kind === 'crossfade' && (
          <SelectField<CrossfadeCurve>
            label={tr('settings.defaultCurve')}
            value={t.curve}
            options={crossfadeCurves()}
            onChange={(curve) => setTransition({ ...t, curve })}
          />
        )}
      </div>
      <div class="fields">
        <CheckboxField
          label={tr('settings.sortByName')}
          labelFirst
          checked={prefs.sortAddedByName}
          hint={tr('settings.sortByNameHint')}
          onChange={(sortAddedByName) => setPrefs({ sortAddedByName })}
        />
        <CheckboxField
          label={tr('settings.askWhere')}
          labelFirst
          checked={prefs.askWhereToSave}
          hint={tr('settings.askWhereHint')}
          onChange={(askWhereToSave) => setPrefs({ askWhereToSave })}
        />
        <SelectField
          label={tr('settings.afterJoin')}
          value={prefs.keepQueueAfterJoin ? 'keep' : 'clear'}
          options={[
            { value: 'keep', label: tr('settings.keepQueue') },
            { value: 'clear', label: tr('settings.clearQueue') },
          ]}
          onChange={(v) => setPrefs({ keepQueueAfterJoin: v === 'keep' })}
        />
      </div>
      <div class="fields">
        <NumberField
          label={tr('settings.fetchLimit')}
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
          label={tr('settings.loudnessTarget')}
          class="short"
          value={prefs.loudnessTarget}
          step={1}
          min={LOUDNESS_MIN_LUFS}
          max={LOUDNESS_MAX_LUFS}
          hint={tr('settings.loudnessHint')}
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
          label={tr('settings.silenceThreshold')}
          class="short"
          value={prefs.silenceThresholdDb}
          step={1}
          min={SILENCE_MIN_DB}
          max={SILENCE_MAX_DB}
          hint={tr('settings.silenceThresholdHint')}
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
          label={tr('settings.silenceMin')}
          class="short"
          value={prefs.silenceMinSec}
          step={0.1}
          min={SILENCE_MIN_SEC}
          max={SILENCE_MAX_SEC}
          hint={tr('settings.silenceMinHint')}
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
