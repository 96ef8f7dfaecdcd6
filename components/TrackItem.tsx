import type { ComponentChildren } from 'preact';
import { describeError } from '@/lib/core/errors';
import { formatAudio, formatBytes, formatDuration } from '@/lib/core/text';
import type { Track } from '@/lib/core/track';

export interface TrackActions {
  onMoveUp: (id: string) => void;
  onMoveDown: (id: string) => void;
  onRemove: (id: string) => void;
}

export function TrackItem(
  props: {
    track: Track;
    first: boolean;
    last: boolean;
    locked: boolean;
    /** The options page's Reorder handle, drawn before the name. */
    handle?: ComponentChildren;
    /** The options page's editor, drawn under the row. */
    children?: ComponentChildren;
    class?: string;
  } & TrackActions,
) {
  const { track: t, locked } = props;
  const row = (
    <>
      {props.handle}
      <div class="track-main">
        <span class="track-name" title={t.name}>
          {t.name}
        </span>
        <span class="track-meta">{meta(t)}</span>
        {t.status === 'error' && t.error && (
          <span class="track-error" role="alert">
            {describeError({ ...t.error, trackName: t.name })}
          </span>
        )}
      </div>
      <div class="track-buttons">
        <button
          type="button"
          aria-label="Move up"
          title="Move up"
          disabled={props.first || locked}
          onClick={() => props.onMoveUp(t.id)}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label="Move down"
          title="Move down"
          disabled={props.last || locked}
          onClick={() => props.onMoveDown(t.id)}
        >
          ↓
        </button>
        <button
          type="button"
          aria-label="Remove"
          title="Remove"
          disabled={locked}
          onClick={() => props.onRemove(t.id)}
        >
          ✕
        </button>
      </div>
    </>
  );
  return (
    <li
      class={`track ${t.status === 'error' ? 'failed' : t.status}${props.children ? ' editable' : ''} ${props.class ?? ''}`}
      data-track-id={t.id}
    >
      {props.children ? (
        <>
          <div class="track-row">{row}</div>
          {props.children}
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
      return `Downloading${t.progress !== undefined ? ` ${Math.round(t.progress * 100)}%` : ''}…`;
    case 'probing':
      return `${size} · checking…`;
    case 'error':
      return size;
    case 'ready':
      return t.info
        ? `${formatDuration(t.info.durationSec)} · ${formatAudio(t.info.codec, t.info.sampleRate, t.info.channels)} · ${size}`
        : size;
  }
}
