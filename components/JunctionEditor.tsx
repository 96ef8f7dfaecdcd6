import { usePlayer } from '@/components/hooks/player';
import { previewJunction, stopPlayback, type PreviewSide } from '@/lib/editor/player';
import { changeKind, clampTransitionSeconds, type Junction } from '@/lib/editor/timeline';
import type { CrossfadeCurve, Transition } from '@/lib/core/track';
import { MAX_CROSSFADE_SEC, MAX_GAP_SEC, MIN_CROSSFADE_SEC } from '@/lib/core/limits';
import { run } from '@/lib/queue/alerts';
import { NumberField, SelectField } from './fields';
import { t as tr } from '@/lib/core/i18n';

/** The transition kinds, named (the editor's junctions and the default in Settings). */
export const transitionKinds = (): { value: Transition['kind']; label: string }[] => [
  { value: 'none', label: tr('transition.none') },
  { value: 'gap', label: tr('transition.gap') },
  { value: 'crossfade', label: tr('transition.crossfade') },
];

/** The crossfade curves, named. */
export const crossfadeCurves = (): { value: CrossfadeCurve; label: string }[] => [
  { value: 'linear', label: tr('transition.linear') },
  { value: 'equal-power', label: tr('transition.equalPower') },
  { value: 'logarithmic', label: tr('transition.logarithmic') },
];

/** The transition between a track and the next, with Preview (options page only). */
export function JunctionEditor(props: {
  junction: Junction;
  /** The track before and after, as trimmed; undefined while either is not ready. */
  sides: [PreviewSide, PreviewSide] | undefined;
  /** The next track's name, for the group's accessible name. */
  nextName: string;
  usesDefault: boolean;
  defaultTransition: Transition;
  locked: boolean;
  /** Changes the stored transition (a function of it, so quick changes build on each other). */
  onChange: (update: (current: Transition) => Transition) => void;
}) {
  const { junction: j, locked } = props;
  const t = j.requested;
  const player = usePlayer();
  const previewing = player.kind === 'junction' && props.sides?.[0].id === player.trackId;

  return (
    <div
      class={`junction ${t.kind}`}
      role="group"
      aria-label={tr('transition.group', props.nextName)}
    >
      <span class="junction-mark" aria-hidden="true" />
      <SelectField
        label={tr('transition.transition')}
        value={t.kind}
        options={transitionKinds()}
        disabled={locked}
        onChange={(kind) => props.onChange((cur) => changeKind(cur, kind, props.defaultTransition))}
      />
      {t.kind !== 'none' && (
        <NumberField
          label={tr('transition.seconds')}
          class="seconds"
          value={t.seconds}
          step={0.1}
          suffix={tr('units.secondsShort')}
          min={t.kind === 'crossfade' ? MIN_CROSSFADE_SEC : 0}
          max={t.kind === 'crossfade' ? MAX_CROSSFADE_SEC : MAX_GAP_SEC}
          disabled={locked}
          onCommit={(v) =>
            props.onChange((cur) =>
              cur.kind === 'none'
                ? cur
                : { ...cur, seconds: clampTransitionSeconds(cur.kind, v ?? 0) },
            )
          }
        />
      )}
      {t.kind === 'crossfade' && (
        <SelectField
          label={tr('transition.curve')}
          value={t.curve}
          options={crossfadeCurves()}
          disabled={locked}
          onChange={(curve) =>
            props.onChange((cur) => (cur.kind === 'crossfade' ? { ...cur, curve } : cur))
          }
        />
      )}
      <button
        type="button"
        disabled={!props.sides}
        onClick={() => {
          const sides = props.sides;
          if (previewing || !sides) stopPlayback();
          else void run('preview', () => previewJunction(sides[0], sides[1], j.applied));
        }}
      >
        <span aria-hidden="true">{previewing ? '■' : '▶'}</span>{' '}
        {previewing ? tr('transition.stopPreview') : tr('transition.preview')}
      </button>
      {props.usesDefault && t.kind !== 'none' && (
        <span class="hint">{tr('transition.fromSettings')}</span>
      )}
      {j.note && <span class="junction-note">{j.note}</span>}
    </div>
  );
}
