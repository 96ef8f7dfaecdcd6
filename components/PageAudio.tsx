import { useMemo, useState } from 'preact/hooks';
import { filterItems, type PageAudioItem } from '@/lib/page-audio/urls';
import { addSelected } from '@/lib/page-audio/actions';
import { run } from '@/lib/queue/alerts';
import { usePageAudio } from '@/components/hooks/page-audio';
import type { Track } from '@/lib/core/track';

/** Long lists get a filter box; short ones don't need it. */
const FILTER_FROM = 8;

export function PageAudio({ compact, tracks }: { compact: boolean; tracks: readonly Track[] }) {
  const state = usePageAudio(compact);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const queued = useMemo(
    () => new Set(tracks.flatMap((t) => (t.source.kind === 'url' ? [t.source.url] : []))),
    [tracks],
  );
  if (state.status === 'none') return null;

  const items = state.status === 'done' && state.ok ? state.items : [];
  const shown = filterItems(items, query);
  const selectable = shown.filter((i) => !i.disabledReason && i.url);
  const allPicked = selectable.length > 0 && selectable.every((i) => picked.has(i.url));
  const toggle = (url: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(url);
    else next.delete(url);
    setPicked(next);
  };
  const onAdd = () => {
    const chosen = items.filter((i) => picked.has(i.url));
    if (chosen.length === 0 || state.status !== 'done' || !state.ok) return;
    void run('add-selected', async () => {
      await addSelected(chosen, state.pageUrl);
      setPicked(new Set());
    });
  };

  return (
    <section class="page-audio" aria-label="On this page">
      <h2>On this page{items.length > 0 ? ` (${items.length})` : ''}</h2>
      {state.status === 'scanning' && <p class="muted">Looking for audio…</p>}
      {state.status === 'done' && !state.ok && <p class="muted">{state.reason}</p>}
      {state.status === 'done' && state.ok && items.length === 0 && (
        <p class="muted">No audio found on this page.</p>
      )}
      {items.length > 0 && (
        <>
          <div class="page-tools">
            <label>
              <input
                type="checkbox"
                checked={allPicked}
                disabled={selectable.length === 0}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  const next = new Set(picked);
                  for (const i of selectable) {
                    if (on) next.add(i.url);
                    else next.delete(i.url);
                  }
                  setPicked(next);
                }}
              />
              Select all
            </label>
            {items.length >= FILTER_FROM && (
              <input
                type="search"
                class="filter"
                aria-label="Filter"
                placeholder="Filter by name"
                value={query}
                onInput={(e) => setQuery(e.currentTarget.value)}
              />
            )}
          </div>
          <ul class="page-items">
            {shown.map((item, i) => (
              <PageItem
                key={item.url || `stream-${i}`}
                item={item}
                checked={picked.has(item.url)}
                queued={queued.has(item.url)}
                onToggle={toggle}
              />
            ))}
          </ul>
          <button type="button" disabled={picked.size === 0} onClick={onAdd}>
            Add selected
          </button>
        </>
      )}
    </section>
  );
}

function PageItem(props: {
  item: PageAudioItem;
  checked: boolean;
  queued: boolean;
  onToggle: (url: string, on: boolean) => void;
}) {
  const { item } = props;
  const disabled = Boolean(item.disabledReason) || !item.url;
  return (
    <li class={disabled ? 'disabled' : ''}>
      <label title={item.url}>
        <input
          type="checkbox"
          checked={props.checked}
          disabled={disabled}
          onChange={(e) => props.onToggle(item.url, e.currentTarget.checked)}
        />
        <span class="page-name">{item.name}</span>
      </label>
      <span class="page-meta">
        {item.host}
        {props.queued && <span class="tag">added</span>}
        {item.disabledReason && <span class="reason">{item.disabledReason}</span>}
      </span>
    </li>
  );
}
