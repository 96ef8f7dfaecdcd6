import { useEffect, useState } from 'preact/hooks';

/**
 * One tab stop for a long list: only the active row's controls are in the Tab order, so Tab
 * leaves the list after one track instead of after every track's buttons; the Up and Down
 * arrow keys (Home, End) move to the same control in the row above or below. A row becomes
 * active when anything in it gets focus. Rows are the list's `[data-row]` children.
 *
 * Keys that a control uses itself pass through: text and number fields, selects, sliders,
 * a picked-up Reorder handle, and anything with Alt, Ctrl or Meta held.
 */
export function useRovingRows(
  list: { current: HTMLElement | null },
  /** Anything that changes which rows or controls exist. */
  redraw: unknown,
): void {
  const [active, setActive] = useState<string | null>(null);

  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const rows = rowsOf(el);
    const activeRow = rows.find((r) => r.dataset.row === active) ?? rows[0];
    for (const row of rows) {
      for (const c of controls(row)) setTabbable(c, row === activeRow);
    }
  });

  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const onFocus = (e: FocusEvent) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row]');
      if (row && row.parentElement === el) setActive(row.dataset.row ?? null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (!['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) return;
      const target = e.target as HTMLElement;
      if (!passesKeys(target)) return;
      const row = target.closest<HTMLElement>('[data-row]');
      if (!row || row.parentElement !== el) return;
      const rows = rowsOf(el);
      const i = rows.indexOf(row);
      const to =
        e.key === 'ArrowUp'
          ? i - 1
          : e.key === 'ArrowDown'
            ? i + 1
            : e.key === 'Home'
              ? 0
              : rows.length - 1;
      const next = rows[to];
      if (!next || next === row) return;
      e.preventDefault();
      const slot = target.dataset.control;
      const mine = controls(next);
      const same =
        (slot && mine.find((c) => c.dataset.control === slot && !isDisabled(c))) ??
        mine.find((c) => !isDisabled(c));
      if (same) {
        setTabbable(same, true);
        same.focus();
        same.scrollIntoView({ block: 'nearest' });
      }
    };
    el.addEventListener('focusin', onFocus);
    el.addEventListener('keydown', onKey);
    return () => {
      el.removeEventListener('focusin', onFocus);
      el.removeEventListener('keydown', onKey);
    };
  }, [list, redraw]);
}

const FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]';

function rowsOf(list: HTMLElement): HTMLElement[] {
  return [...list.children].filter(
    (c): c is HTMLElement => c instanceof HTMLElement && !!c.dataset.row,
  );
}

function controls(row: HTMLElement): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

function isDisabled(c: HTMLElement): boolean {
  return (c as HTMLButtonElement).disabled === true;
}

/**
 * In the Tab order or out of it, remembering the control's own tabindex (a disabled slider's
 * -1 stays -1).
 */
function setTabbable(c: HTMLElement, on: boolean): void {
  if (!c.hasAttribute('data-roving')) {
    c.setAttribute('data-roving', c.getAttribute('tabindex') ?? '');
  }
  const own = c.getAttribute('data-roving');
  if (on) {
    if (own) c.setAttribute('tabindex', own);
    else c.removeAttribute('tabindex');
  } else c.setAttribute('tabindex', '-1');
}

/** Controls whose arrow keys move between rows (buttons, checkboxes, a Reorder handle at rest). */
function passesKeys(t: HTMLElement): boolean {
  if (t.getAttribute('role') === 'slider') return false;
  if (t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) return false;
  if (t instanceof HTMLInputElement) return t.type === 'checkbox';
  if (t.getAttribute('aria-pressed') === 'true') return false;
  return t instanceof HTMLButtonElement;
}
