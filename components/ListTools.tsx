import { useEffect, useRef, useState } from 'preact/hooks';
import { hasTrackNumbers, type SortKey } from '@/lib/editor/sort';
import type { SelectionMove } from '@/lib/editor/reorder';
import { countTracks } from '@/lib/core/text';
import type { Track } from '@/lib/core/track';
import { t, tn } from '@/lib/core/i18n';

/**
 * What works on the whole list: select all, Sort (by name, track number or date, or reversed)
 * and Clear all; and, while tracks are selected, moving or removing them together.
 */
export function ListTools(props: {
  tracks: Track[];
  locked: boolean;
  /** The list's length, e.g. "12:30 in all", when known. */
  length?: string;
  onSort: (key: SortKey) => void;
  onReverse: () => void;
  onClearAll: () => void;
  selected: ReadonlySet<string>;
  onSelectAll: (on: boolean) => void;
  onMoveSelected: (where: SelectionMove) => void;
  onRemoveSelected: () => void;
}) {
  const n = props.tracks.length;
  if (n === 0) return null;
  const count = props.tracks.filter((t) => props.selected.has(t.id)).length;
  // While tracks are selected, the head sticks to the top of the view, so their actions are in
  // view wherever the person scrolled to (a Shift-click far down the list).
  return (
    <div class={count > 0 ? 'list-head selecting' : 'list-head'}>
      <Selection
        count={count}
        total={n}
        locked={props.locked}
        onSelectAll={props.onSelectAll}
        onMove={props.onMoveSelected}
        onRemove={props.onRemoveSelected}
      />
      <span class="count">
        {countTracks(n)}
        {props.length ? ` · ${props.length}` : ''}
      </span>
      <div class="list-tools">
        {n > 1 && (
          <SortMenu
            tracks={props.tracks}
            disabled={props.locked}
            onSort={props.onSort}
            onReverse={props.onReverse}
          />
        )}
        <button type="button" disabled={props.locked} onClick={props.onClearAll}>
          {t('list.clearAll')}
        </button>
      </div>
    </div>
  );
}

/** A disclosure of sort orders; it closes on a choice, Escape or a click elsewhere. */
function SortMenu(props: {
  tracks: Track[];
  disabled: boolean;
  onSort: (key: SortKey) => void;
  onReverse: () => void;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('focusin', away);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('focusin', away);
    };
  }, [open]);
  const choose = (fn: () => void) => () => {
    setOpen(false);
    button.current?.focus();
    fn();
  };
  const numbers = hasTrackNumbers(props.tracks);
  return (
    <div
      class="menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="sort-menu"
        disabled={props.disabled}
        onClick={() => setOpen(!open)}
      >
        {t('list.sort')}
      </button>
      {open && (
        <div class="menu-panel" id="sort-menu" role="group" aria-label={t('list.sortGroup')}>
          <button type="button" onClick={choose(() => props.onSort('name'))}>
            {t('list.byName')}
          </button>
          <button
            type="button"
            disabled={!numbers}
            title={numbers ? undefined : t('list.noNumbers')}
            onClick={choose(() => props.onSort('number'))}
          >
            {t('list.byNumber')}
          </button>
          <button type="button" onClick={choose(() => props.onSort('date'))}>
            {t('list.byDate')}
          </button>
          <button type="button" onClick={choose(props.onReverse)}>
            {t('list.reverse')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The select-all box, and while tracks are selected, moving or removing them together. */
function Selection(props: {
  count: number;
  total: number;
  locked: boolean;
  onSelectAll: (on: boolean) => void;
  onMove: (where: SelectionMove) => void;
  onRemove: () => void;
}) {
  const all = props.count === props.total;
  return (
    <>
      <label class="select-all">
        <input
          type="checkbox"
          checked={props.count > 0 && all}
          ref={(el) => {
            if (el) el.indeterminate = props.count > 0 && !all;
          }}
          onChange={(e) => props.onSelectAll(e.currentTarget.checked)}
        />
        <span class="visually-hidden">{t('list.selectAll')}</span>
      </label>
      {props.count > 0 && (
        <div class="selection-bar" role="group" aria-label={tn('list.selected', props.count)}>
          <span class="selected-count" aria-hidden="true">
            {tn('list.selectedColon', props.count)}
          </span>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('top')}>
            {t('list.toTop')}
          </button>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('up')}>
            {t('list.up')}
          </button>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('down')}>
            {t('list.down')}
          </button>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('bottom')}>
            {t('list.toBottom')}
          </button>
          <button type="button" disabled={props.locked} onClick={props.onRemove}>
            {t('list.removeSelected')}
          </button>
        </div>
      )}
    </>
  );
}
