import { changeKind, clampTransitionSeconds, type Junction } from '@/lib/editor/timeline';
import type { Transition } from '@/lib/core/track';
import { MAX_CROSSFADE_SEC, MAX_GAP_SEC, MIN_CROSSFADE_SEC } from '@/lib/core/limits';
import { formatSeconds } from '@/lib/core/text';
import { transitionKinds } from './JunctionEditor';
import { t as tr } from '@/lib/core/i18n';
import { useId } from 'preact/hooks';
import { useNumberInput } from './fields';

/**
 * The popup's one control for a junction: None, Gap or Crossfade, and its length in seconds,
 * in a thin line between two rows. It changes the same stored edit as the editor's junction
 * (lib/editor/timeline's changeKind, so a new crossfade is as long as the editor's).
 */
export function JunctionPicker(props: {
  junction: Junction;
  before: string;
  after: string;
  defaultTransition: Transition;
  locked: boolean;
  onChange: (update: (current: Transition) => Transition) => void;
}) {
  const { junction: j, locked } = props;
  const t = j.requested;
  return (
    <div class={`junction-pick ${t.kind}`}>
      <span class="junction-mark" aria-hidden="true" />
      <select
        aria-label={tr('transition.between', props.before, props.after)}
        title={tr('transition.between', props.before, props.after)}
        value={t.kind}
        disabled={locked}
        onChange={(e) => {
          const kind = e.currentTarget.value as Transition['kind'];
          props.onChange((cur) => changeKind(cur, kind, props.defaultTransition));
        }}
      >
        {transitionKinds().map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
          </option>
        ))}
      </select>
      {t.kind !== 'none' && (
        <>
          <SecondsInput
            label={tr('transition.secondsBetween', props.before, props.after)}
            transition={t}
            disabled={locked}
            onChange={props.onChange}
          />
          <span class="suffix" aria-hidden="true">
            {tr('units.secondsShort')}
          </span>
        </>
      )}
      {j.note && (
        <span class="junction-note" title={j.note}>
          <span aria-hidden="true">
            {j.applied.kind === 'none' ? '!' : `→ ${formatSeconds(j.applied.seconds)}`}
          </span>
          <span class="visually-hidden">{j.note}</span>
        </span>
      )}
    </div>
  );
}

/** The transition's seconds, typed the person's way (./fields.tsx useNumberInput). */
function SecondsInput(props: {
  label: string;
  transition: Exclude<Transition, { kind: 'none' }>;
  disabled: boolean;
  onChange: (update: (current: Transition) => Transition) => void;
}) {
  const t = props.transition;
  const alertId = `${useId()}-alert`;
  const { input, alert } = useNumberInput({
    value: t.seconds,
    step: 0.1,
    min: t.kind === 'crossfade' ? MIN_CROSSFADE_SEC : 0,
    max: t.kind === 'crossfade' ? MAX_CROSSFADE_SEC : MAX_GAP_SEC,
    label: props.label,
    alertId,
    onCommit: (v) => {
      if (v === undefined) return;
      props.onChange((cur) =>
        cur.kind === 'none' ? cur : { ...cur, seconds: clampTransitionSeconds(cur.kind, v) },
      );
    },
  });
  return (
    <>
      <input
        {...input}
        aria-label={props.label}
        disabled={props.disabled}
        aria-describedby={alert !== undefined ? alertId : undefined}
      />
      {alert !== undefined && (
        <span class="field-alert" role="alert" id={alertId}>
          {alert}
        </span>
      )}
    </>
  );
}
