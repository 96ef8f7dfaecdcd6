import { useState } from 'preact/hooks';
import { t as tr } from '@/lib/core/i18n';
import { formatPreciseTime } from '@/lib/core/text';
import type { Track, TrackEdit } from '@/lib/core/track';
import { findChapterSplits } from '@/lib/editor/find-chapters';
import { chaptersFromMarkers, DEFAULT_PAUSES } from '@/lib/editor/pauses';
import { playTrack } from '@/lib/editor/player';
import { run } from '@/lib/queue/alerts';
import { CHAPTER_PREVIEW_SEC } from '@/lib/core/limits';
import { NumberField, TextField } from './fields';

/** A proposed split the person can move, name or delete. */
export interface Marker {
  key: number;
  sec: number;
  title: string;
}

let nextKey = 1;

/** The markers' state, shared by the list below the waveform and the handles over it. */
export function useMarkers() {
  return useState<Marker[] | null>(null);
}

/**
 * "Find chapters": split points proposed from the track's pauses (length and depth set here),
 * listed with a title, a time, Preview and Delete each; Add marker; Accept makes them the
 * track's chapters (TrackEdit.chapters). Handles over the waveform: `MarkerHandles`.
 */
export function ChapterFinder(props: {
  track: Track;
  edit: TrackEdit;
  locked: boolean;
  markers: Marker[] | null;
  setMarkers: (m: Marker[] | null) => void;
  onEdit: (patch: Partial<TrackEdit>) => void;
}) {
  const { track, edit, markers, setMarkers, locked } = props;
  const dur = track.info?.durationSec ?? 0;
  const [opts, setOpts] = useState(DEFAULT_PAUSES);
  const [firstTitle, setFirstTitle] = useState('');
  const [found, setFound] = useState<number | null>(null);
  const find = () =>
    void run('chapters', async () => {
      const splits = await findChapterSplits(track, opts);
      setFound(splits.length);
      setMarkers(splits.map((sec) => ({ key: nextKey++, sec, title: '' })));
    });
  const untitled = (n: number) => tr('editor.chapterDefault', n);
  const update = (key: number, patch: Partial<Marker>) =>
    setMarkers((markers ?? []).map((m) => (m.key === key ? { ...m, ...patch } : m)));
  const sorted = [...(markers ?? [])].sort((a, b) => a.sec - b.sec);
  const own = edit.chapters?.length ?? 0;

  if (!markers) {
    return (
      <div class="chapter-finder">
        <button type="button" disabled={locked} onClick={find}>
          {tr('editor.findChapters')}
        </button>
        {own > 0 && (
          <>
            <span>{tr('editor.markedChapters', own)}</span>
            <button type="button" disabled={locked} onClick={() => props.onEdit({ chapters: [] })}>
              {tr('editor.clearChapters')}
            </button>
          </>
        )}
      </div>
    );
  }
  return (
    <div class="chapter-finder open" role="group" aria-label={tr('editor.chapterMarkers')}>
      <div class="fields">
        <NumberField
          label={tr('editor.pauseMin')}
          class="short"
          value={opts.minPauseSec}
          step={0.1}
          min={0.1}
          suffix={tr('units.secondsShort')}
          onCommit={(v) => v !== undefined && v > 0 && setOpts({ ...opts, minPauseSec: v })}
        />
        <NumberField
          label={tr('editor.pauseBelow')}
          class="short"
          value={opts.thresholdDb}
          step={1}
          min={-90}
          max={-10}
          onCommit={(v) => v !== undefined && setOpts({ ...opts, thresholdDb: v })}
        />
        <button type="button" onClick={find}>
          {tr('editor.findAgain')}
        </button>
        {found !== null && <span role="status">{tr('editor.pausesFound', found)}</span>}
      </div>
      <ol class="markers">
        <li>
          <TextField
            label={tr('editor.chapterName', 1)}
            value={firstTitle}
            placeholder={untitled(1)}
            maxLength={200}
            onCommit={setFirstTitle}
          />
          <span>{formatPreciseTime(0)}</span>
        </li>
        {sorted.map((m, i) => (
          <li key={m.key}>
            <TextField
              label={tr('editor.chapterName', i + 2)}
              value={m.title}
              placeholder={untitled(i + 2)}
              maxLength={200}
              onCommit={(title) => update(m.key, { title })}
            />
            <NumberField
              label={tr('editor.chapterAt', i + 2)}
              class="time"
              value={m.sec}
              step={0.01}
              min={0}
              max={Number(dur.toFixed(2))}
              suffix={tr('units.secondsShort')}
              onCommit={(v) => v !== undefined && update(m.key, { sec: clamp(v, dur) })}
            />
            <button
              type="button"
              onClick={() =>
                void run('play', () =>
                  playTrack(
                    track.id,
                    Math.max(0, m.sec - CHAPTER_PREVIEW_SEC),
                    Math.min(dur, m.sec + CHAPTER_PREVIEW_SEC),
                  ),
                )
              }
            >
              {tr('editor.previewChapter', i + 2)}
            </button>
            <button
              type="button"
              onClick={() => setMarkers(markers.filter((x) => x.key !== m.key))}
            >
              {tr('editor.deleteChapter', i + 2)}
            </button>
          </li>
        ))}
      </ol>
      <div class="fields">
        <button
          type="button"
          onClick={() =>
            setMarkers([
              ...markers,
              { key: nextKey++, sec: widestGapMiddle(sorted, dur), title: '' },
            ])
          }
        >
          {tr('editor.addMarker')}
        </button>
        <button
          type="button"
          disabled={locked}
          onClick={() => {
            props.onEdit({ chapters: chaptersFromMarkers(markers, firstTitle, dur, untitled) });
            setMarkers(null);
          }}
        >
          {tr('editor.acceptChapters')}
        </button>
        <button type="button" onClick={() => setMarkers(null)}>
          {tr('editor.discardMarkers')}
        </button>
      </div>
    </div>
  );
}

/**
 * The markers as handles over the waveform (inside its box): sliders to drag, or to move with
 * the arrow keys (±0.1 s, Shift ±1 s).
 */
export function MarkerHandles(props: {
  durationSec: number;
  markers: Marker[];
  setMarkers: (m: Marker[]) => void;
}) {
  const { durationSec: dur, markers } = props;
  const sorted = [...markers].sort((a, b) => a.sec - b.sec);
  const move = (key: number, sec: number) =>
    props.setMarkers(markers.map((m) => (m.key === key ? { ...m, sec: clamp(sec, dur) } : m)));
  return (
    <>
      {sorted.map((m, i) => (
        <div
          key={m.key}
          class="chapter-marker"
          role="slider"
          tabIndex={0}
          aria-label={tr('editor.chapterMarker', i + 2)}
          aria-valuemin={0}
          aria-valuemax={Number(dur.toFixed(2))}
          aria-valuenow={m.sec}
          aria-valuetext={formatPreciseTime(m.sec)}
          style={{ left: `${dur > 0 ? (m.sec / dur) * 100 : 0}%` }}
          onPointerDown={(e) => {
            e.stopPropagation();
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
            const box = e.currentTarget.parentElement!.getBoundingClientRect();
            move(m.key, Math.round(((e.clientX - box.left) / box.width) * dur * 100) / 100);
          }}
          onPointerUp={(e) => {
            e.stopPropagation();
            e.currentTarget.releasePointerCapture(e.pointerId);
          }}
          onKeyDown={(e) => {
            const step = e.shiftKey ? 1 : 0.1;
            if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
              e.preventDefault();
              e.stopPropagation();
              const d = e.key === 'ArrowLeft' ? -step : step;
              move(m.key, Math.round((m.sec + d) * 100) / 100);
            }
          }}
        />
      ))}
    </>
  );
}

function clamp(sec: number, dur: number): number {
  return Math.min(Math.max(0, sec), dur);
}

/** Where a new marker goes: the middle of the longest stretch without one. */
function widestGapMiddle(sorted: readonly Marker[], dur: number): number {
  const points = [0, ...sorted.map((m) => m.sec), dur];
  let best = 0;
  for (let i = 1; i < points.length; i++) {
    if (points[i]! - points[i - 1]! > points[best + 1]! - points[best]!) best = i - 1;
  }
  return Math.round(((points[best]! + points[best + 1]!) / 2) * 100) / 100;
}
