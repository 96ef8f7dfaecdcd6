import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { locale, t } from '@/lib/core/i18n';
import { clampNumber } from '@/lib/core/limits';
import { formatNumberInput, parseNumber } from '@/lib/core/number-input';

/** Typing is stored after this pause (and at once on Enter or leaving the field). */
const COMMIT_DELAY_MS = 350;
/** A committed number shows at most this long while storage has not yet redrawn it. */
const SENT_SHOWN_MS = 2000;

/**
 * A field that keeps what is being typed as a draft while it has focus, so a redraw from
 * storage (another track probed, another page's change) never overwrites half-typed text.
 * The draft is committed after a pause, on Enter and on blur; then the stored value shows.
 */
function useDraft(commit: (text: string) => void): {
  draft: string | null;
  onInput: (text: string) => void;
  flush: () => void;
} {
  const [draft, setDraft] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const pending = useRef<string | null>(null);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  const flush = () => {
    clearTimeout(timer.current);
    if (pending.current !== null) commitRef.current(pending.current);
    pending.current = null;
    setDraft(null);
  };
  // A field that goes away (its track removed, the transition changed) keeps what was typed.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (pending.current !== null) commitRef.current(pending.current);
    },
    [],
  );
  return {
    draft,
    onInput: (text) => {
      setDraft(text);
      pending.current = text;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        if (pending.current !== null) commitRef.current(pending.current);
        pending.current = null;
      }, COMMIT_DELAY_MS);
    },
    flush,
  };
}

interface FieldProps {
  label: string;
  /** Shown instead of `label` when the visible text should be shorter than the name. */
  visibleLabel?: string;
  disabled?: boolean;
  placeholder?: string;
  hint?: ComponentChildren;
  /** A unit after the control, e.g. "s". */
  suffix?: string;
  class?: string;
}

function Field(
  props: FieldProps & { id: string; children: ComponentChildren; alert?: string | undefined },
) {
  return (
    <span class={`field ${props.class ?? ''}`}>
      <label for={props.id}>{props.visibleLabel ?? props.label}</label>
      {props.suffix ? (
        <span class="control">
          {props.children}
          <span class="suffix" aria-hidden="true">
            {props.suffix}
          </span>
        </span>
      ) : (
        props.children
      )}
      {props.hint && (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.alert !== undefined && (
        <span class="field-alert" role="alert" id={`${props.id}-alert`}>
          {props.alert}
        </span>
      )}
    </span>
  );
}

/** The id of a field's hint, for its control's aria-describedby (a disabled field's reason). */
function hintOf(props: { hint?: ComponentChildren }, id: string): string | undefined {
  return props.hint ? `${id}-hint` : undefined;
}

/**
 * A number typed the person's way (lib/core/number-input.ts): "39,49" in German, where a typed
 * "39.49" is taken too; what is not a number is refused in words that name the field (`alert`,
 * for a `role="alert"` beside it, with the id `alertId`). A text input in the role of a spin
 * button (a number input shows and takes only the browser's own decimal sign), the arrow keys
 * stepping as a number input's do. Empty commits `undefined`.
 */
export function useNumberInput(o: {
  value: number | undefined;
  step: number;
  min?: number | undefined;
  max?: number | undefined;
  /** The field's name, for the refusal. */
  label: string;
  alertId: string;
  onCommit: (value: number | undefined) => void;
}): { input: InputHTMLAttributes<HTMLInputElement>; alert: string | undefined } {
  const lang = locale();
  const decimals = Math.max(0, -Math.floor(Math.log10(o.step) + 1e-9));
  const write = (n: number) => formatNumberInput(n, decimals, lang);
  const stored = o.value === undefined ? '' : write(o.value);
  const [wrong, setWrong] = useState<string | null>(null);
  // What was just committed, written as it will be stored, shown until the stored value comes
  // back (a redraw from storage takes a moment, and the old value would show meanwhile); given
  // up after a while if it never does.
  const [sent, setSent] = useState<{ text: string; over: string } | null>(null);
  useEffect(() => {
    if (!sent) return;
    if (sent.over !== stored) return setSent(null);
    const timer = setTimeout(() => setSent(null), SENT_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [sent, stored]);
  const shown = sent?.over === stored ? sent.text : stored;
  const { draft, onInput, flush } = useDraft((text) => {
    const read = parseNumber(text, lang);
    if (!read.ok) return setWrong(read.text);
    setWrong(null);
    const next =
      read.value === undefined
        ? ''
        : write(clampNumber(read.value, o.min ?? -Infinity, o.max ?? Infinity, read.value));
    setSent(next !== stored ? { text: next, over: stored } : null);
    o.onCommit(read.value);
  });
  const stepBy = (sign: 1 | -1) => {
    const read = parseNumber(draft ?? shown, lang);
    const from = read.ok ? (read.value ?? 0) : (o.value ?? 0);
    let next = Number((from + sign * o.step).toFixed(decimals));
    if (o.min !== undefined) next = Math.max(o.min, next);
    if (o.max !== undefined) next = Math.min(o.max, next);
    onInput(write(next));
    flush();
  };
  return {
    input: {
      type: 'text',
      role: 'spinbutton',
      inputMode: 'decimal',
      autoComplete: 'off',
      spellcheck: false,
      value: draft ?? shown,
      'aria-valuenow': o.value,
      'aria-valuemin': o.min,
      'aria-valuemax': o.max,
      'aria-invalid': wrong !== null || undefined,
      onInput: (e) => onInput(e.currentTarget.value),
      onBlur: flush,
      onKeyDown: (e) => {
        if (e.key === 'Enter') flush();
        else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          stepBy(e.key === 'ArrowUp' ? 1 : -1);
        }
      },
    },
    alert: wrong !== null ? t('units.notANumber', o.label, wrong, write(2.5)) : undefined,
  };
}

/** A number to 0.01 s or so; empty means `undefined` (e.g. End: the end of the track). */
export function NumberField(
  props: FieldProps & {
    value: number | undefined;
    step: number;
    min?: number;
    max?: number;
    onCommit: (value: number | undefined) => void;
  },
) {
  const id = useId();
  const alertId = `${id}-alert`;
  const { input, alert } = useNumberInput({ ...props, alertId });
  const described = [hintOf(props, id), alert !== undefined ? alertId : undefined].filter(Boolean);
  return (
    <Field {...props} id={id} alert={alert}>
      <input
        id={id}
        {...input}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-label={props.visibleLabel ? props.label : undefined}
        aria-describedby={described.length > 0 ? described.join(' ') : undefined}
      />
    </Field>
  );
}

export function TextField(
  props: FieldProps & {
    value: string;
    maxLength?: number;
    onCommit: (value: string) => void;
  },
) {
  const id = useId();
  const { draft, onInput, flush } = useDraft(props.onCommit);
  return (
    <Field {...props} id={id}>
      <input
        id={id}
        type="text"
        placeholder={props.placeholder}
        disabled={props.disabled}
        maxLength={props.maxLength}
        value={draft ?? props.value}
        aria-label={props.visibleLabel ? props.label : undefined}
        aria-describedby={hintOf(props, id)}
        onInput={(e) => onInput(e.currentTarget.value)}
        onBlur={flush}
        onKeyDown={(e) => {
          if (e.key === 'Enter') flush();
        }}
      />
    </Field>
  );
}

export function SelectField<T extends string>(
  props: FieldProps & {
    value: T;
    options: readonly { value: T; label: string }[];
    onChange: (value: T) => void;
  },
) {
  const id = useId();
  return (
    <Field {...props} id={id}>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-label={props.visibleLabel ? props.label : undefined}
        aria-describedby={hintOf(props, id)}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function CheckboxField(
  props: Omit<FieldProps, 'placeholder' | 'visibleLabel' | 'suffix'> & {
    checked: boolean;
    /** Label first, box after it, as in the settings form (default: box, then its label). */
    labelFirst?: boolean;
    onChange: (checked: boolean) => void;
  },
) {
  const id = useId();
  const box = (
    <input
      id={id}
      type="checkbox"
      checked={props.checked}
      disabled={props.disabled}
      aria-describedby={hintOf(props, id)}
      onChange={(e) => props.onChange(e.currentTarget.checked)}
    />
  );
  if (props.labelFirst) {
    return (
      <Field {...props} id={id} class={`checkbox-row ${props.class ?? ''}`}>
        {box}
      </Field>
    );
  }
  return (
    <span class={`field checkbox ${props.class ?? ''}`}>
      <label>
        {box}
        {props.label}
      </label>
      {props.hint && (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
    </span>
  );
}
