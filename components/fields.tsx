import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';

/** Typing is stored after this pause (and at once on Enter or leaving the field). */
const COMMIT_DELAY_MS = 350;

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

function Field(props: FieldProps & { id: string; children: ComponentChildren }) {
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
    </span>
  );
}

/** The id of a field's hint, for its control's aria-describedby (a disabled field's reason). */
function hintOf(props: { hint?: ComponentChildren }, id: string): string | undefined {
  return props.hint ? `${id}-hint` : undefined;
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
  const decimals = Math.max(0, -Math.floor(Math.log10(props.step) + 1e-9));
  const shown = props.value === undefined ? '' : String(Number(props.value.toFixed(decimals)));
  const { draft, onInput, flush } = useDraft((text) => {
    const t = text.trim();
    if (t === '') return props.onCommit(undefined);
    const n = Number(t);
    if (Number.isFinite(n)) props.onCommit(n);
  });
  return (
    <Field {...props} id={id}>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={props.step}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder}
        disabled={props.disabled}
        value={draft ?? shown}
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
