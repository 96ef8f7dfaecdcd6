import type { ComponentChildren } from 'preact';
import { formatAudio, formatBytes, formatTime } from '@/lib/core/text';
import type { Track } from '@/lib/core/track';
import { playTrack, stopPlayback } from '@/lib/editor/player';
import { trimEnd } from '@/lib/editor/trim';
import { keepable } from '@/lib/editor/keep';
import { keepPlayable } from '@/lib/queue/actions';
import { usePreferences } from '@/components/hooks/store';
import { run } from '@/lib/queue/alerts';
import { usePlayer } from '@/components/hooks/player';
import { Icon } from './Icon';
import { t as tr } from '@/lib/core/i18n';
import { reasonOf } from '@/lib/core/errors';

export interface TrackActions {
  onMoveUp: (id: string) => void;
  onMoveDown: (id: string) => void;
  onRemove: (id: string) => void;
}

export interface TrackSelection {
  selected: ReadonlySet<string>;
  /** `range`: Shift was held, select from the last one clicked. */
  onSelect: (id: string, on: boolean, range: boolean) => void;
}

/**
 * One track of the queue: its name, what it is, and its buttons (Play, Move up, Move down,
 * Remove, each described by the track's name for screen readers), with a box to select it.
 * In the options page a card: `expanded` makes the name a button that opens its editor.
 */
export function TrackItem(
  props: {
    track: Track;
    first: boolean;
    last: boolean;
    locked: boolean;
    selection: TrackSelection;
    /** The Reorder handle (drag and drop, keyboard), drawn before the name. */
    handle?: ComponentChildren;
    /** Whether the card's editor is open; undefined where there is none (the popup). */
    expanded?: boolean;
    onToggle?: (id: string) => void;
    /** A short line under the meta (the options page's trim). */
    note?: string;
    /** The options page's editor, drawn under the row. */
    children?: ComponentChildren;
    /** What follows the card or row (its junction), inside the list item. */
    after?: ComponentChildren;
    class?: string;
  } & TrackActions,
) {
  const { track: t, locked } = props;
  const nameId = `track-name-${t.id}`;
  const player = usePlayer();
  const playing = player.kind === 'track' && player.trackId === t.id;
  const ready = t.status === 'ready' && !!t.info;
  const checked = props.selection.selected.has(t.id);
  const error = t.status === 'error' && t.error ? t.error : undefined;
  const kept = keepable(t);
  const [prefs] = usePreferences();

  const name =
    props.expanded === undefined ? (
      <span class="track-name" id={nameId} title={t.name}>
        {t.name}
      </span>
    ) : (
      <button
        type="button"
        class="track-name toggle"
        id={nameId}
        title={t.name}
        aria-expanded={props.expanded}
        data-control="toggle"
        onClick={() => props.onToggle?.(t.id)}
      >
        <Icon name={props.expanded ? 'open' : 'closed'} />
        <span class="name-text">{t.name}</span>
      </button>
    );

  const buttons = (
    <div class="track-buttons">
      {ready && (
        <button
          type="button"
          class="icon"
          aria-label={playing ? tr('track.stop') : tr('track.play')}
          aria-describedby={nameId}
          title={playing ? tr('track.stop') : tr('track.play')}
          data-control="play"
          onClick={() => {
            if (playing) return stopPlayback();
            const e = t.edit ?? { startSec: 0 };
            void run('play', () => playTrack(t.id, e.startSec, trimEnd(e, t.info!.durationSec)));
          }}
        >
          <Icon name={playing ? 'stop' : 'play'} />
        </button>
      )}
      <button
        type="button"
        class="icon"
        aria-label={tr('track.moveUp')}
        aria-describedby={nameId}
        title={tr('track.moveUp')}
        data-control="up"
        disabled={props.first || locked}
        onClick={() => props.onMoveUp(t.id)}
      >
        <Icon name="up" />
      </button>
      <button
        type="button"
        class="icon"
        aria-label={tr('track.moveDown')}
        aria-describedby={nameId}
        title={tr('track.moveDown')}
        data-control="down"
        disabled={props.last || locked}
        onClick={() => props.onMoveDown(t.id)}
      >
        <Icon name="down" />
      </button>
      <button
        type="button"
        class="icon"
        aria-label={tr('track.remove')}
        aria-describedby={nameId}
        title={tr('track.remove')}
        data-control="remove"
        disabled={locked}
        onClick={() => props.onRemove(t.id)}
      >
        <Icon name="remove" />
      </button>
    </div>
  );

  const row = (
    <>
      <input
        type="checkbox"
        class="select"
        aria-label={tr('track.select', t.name)}
        checked={checked}
        data-control="select"
        onClick={(e) =>
          props.selection.onSelect(t.id, e.currentTarget.checked, (e as MouseEvent).shiftKey)
        }
      />
      {props.handle}
      <div class="track-main">
        {name}
        <span class="track-meta">
          {meta(t)}
          {props.note && <span class="track-note"> · {props.note}</span>}
        </span>
        {error && (
          <span class="track-error" role="alert">
            {/* The sentence describeError makes, "NAME: reason". The name is right above it:
                said to screen readers (and in innerText), not shown twice. */}
            <span class="sr-name">{t.name}:</span> {reasonOf(error)}
          </span>
        )}
        {/* Outside the alert: an alert is read out whole, its button with it. */}
        {error && kept && (
          <>
            {' '}
            <button
              type="button"
              class="keep-what-plays"
              aria-describedby={nameId}
              data-control="keep"
              disabled={locked}
              onClick={() => void run('edit', () => keepPlayable(t.id, prefs.defaultTransition))}
            >
              {tr('track.keepWhatPlays')}
            </button>
          </>
        )}
        {t.status === 'ready' && t.info?.kept && (
          <span class="track-kept" role="status">
            {tr(
              'track.keepsOf',
              formatTime(t.info.kept.decodedSec),
              formatTime(t.info.kept.statedSec),
            )}
          </span>
        )}
      </div>
      {props.expanded !== undefined ? (
        buttons
      ) : (
        // The popup: the junction below the buttons, so the row grows no taller.
        <div class="track-side">
          {buttons}
          {props.after}
        </div>
      )}
    </>
  );
  const cls = [
    'track',
    t.status === 'error' ? 'failed' : t.status,
    props.expanded !== undefined ? 'card' : '',
    props.expanded ? 'open' : '',
    checked ? 'selected' : '',
    props.class ?? '',
  ];
  return (
    <li class={cls.filter(Boolean).join(' ')} data-track-id={t.id} data-row={t.id}>
      {props.expanded !== undefined ? (
        <>
          <div class="card-body">
            <div class="track-row">{row}</div>
            {props.children}
          </div>
          {props.after}
        </>
      ) : (
        row
      )}
    </li>
  );
}

function meta(t: Track): string {
  const size = formatBytes(t.size);
  switch (t.status) {
    case 'fetching':
      return t.progress !== undefined
        ? tr('track.downloadingPercent', Math.round(t.progress * 100))
        : tr('track.downloading');
    case 'probing': {
      // What the header said, until ffprobe has run (lib/media/headers.ts).
      const h = t.header;
      return h
        ? tr(
            'track.checking',
            `${h.durationSec !== undefined ? `${formatTime(h.durationSec)} · ` : ''}${formatAudio(h.codec, h.sampleRate, h.channels)} · ${size}`,
          )
        : tr('track.checking', size);
    }
    case 'error':
      return size;
    case 'ready':
      return t.info
        ? `${formatTime(t.info.durationSec)} · ${formatAudio(t.info.codec, t.info.sampleRate, t.info.channels)} · ${size}`
        : size;
  }
}
