import { useEffect, useRef, useState } from 'preact/hooks';
import { hasTrackNumbers, type SortKey } from '@/lib/editor/sort';
import type { SelectionMove } from '@/lib/editor/reorder';
import { countTracks } from '@/lib/core/text';
import type { Track } from '@/lib/core/track';

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
  return (
    <div class="list-head">
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
          Clear all
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
        Sort
      </button>
      {open && (
        <div class="menu-panel" id="sort-menu" role="group" aria-label="Sort the tracks">
          <button type="button" onClick={choose(() => props.onSort('name'))}>
            By name
          </button>
          <button
            type="button"
            disabled={!numbers}
            title={numbers ? undefined : 'None of the tracks has a track number in its tags'}
            onClick={choose(() => props.onSort('number'))}
          >
            By track number
          </button>
          <button type="button" onClick={choose(() => props.onSort('date'))}>
            By date
          </button>
          <button type="button" onClick={choose(props.onReverse)}>
            Reverse order
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
        <span class="visually-hidden">Select all tracks</span>
      </label>
      {props.count > 0 && (
        <div class="selection-bar" role="group" aria-label={`${props.count} selected`}>
          <span class="selected-count" aria-hidden="true">
            {props.count} selected:
          </span>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('top')}>
            To top
          </button>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('up')}>
            Up
          </button>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('down')}>
            Down
          </button>
          <button type="button" disabled={props.locked} onClick={() => props.onMove('bottom')}>
            To bottom
          </button>
          <button type="button" disabled={props.locked} onClick={props.onRemove}>
            Remove selected
          </button>
        </div>
      )}
    </>
  );
}
