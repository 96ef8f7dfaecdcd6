import { useEffect, useRef, useState } from 'preact/hooks';
import { usePlayer } from '@/components/hooks/player';
import { chapterTitle } from '@/lib/plan/chapters';
import { usePreferences } from '@/components/hooks/store';
import { playTrack, type PlayerState } from '@/lib/editor/player';
import { formatPreciseTime, formatSeconds } from '@/lib/core/text';
import { fadeMarks } from '@/lib/editor/preview';
import {
  moveHandle,
  secondsToFraction,
  trimEnd,
  trimmedLength,
  type Trim,
} from '@/lib/editor/trim';
import type { TrackEdit } from '@/lib/core/track';
import type { Track } from '@/lib/core/track';
import { run } from '@/lib/queue/alerts';
import { trimSilence } from '@/lib/queue/silence-trim';
import { NumberField, TextField } from './fields';
import { Waveform } from './Waveform';
import { ChapterFinder, MarkerHandles, useMarkers } from './ChapterFinder';
import { t as tr } from '@/lib/core/i18n';

/** A ready track's waveform with its time ruler, trims and chapter title (options page only). */
export function TrackEditor(props: {
  track: Track;
  edit: TrackEdit;
  locked: boolean;
  /** Seconds of the crossfades into this track and out of it, as applied (0: none). */
  fadeInSec: number;
  fadeOutSec: number;
  onEdit: (patch: Partial<TrackEdit>) => void;
}) {
  const { track: t, edit, locked } = props;
  const info = t.info!;
  const dur = info.durationSec;
  const [draft, setDraft] = useState<Trim | null>(null);
  // A committed trim shows at once, before storage echoes it back, so quick key presses
  // each build on the last one.
  const [pending, setPending] = useState<Trim | null>(null);
  const stored: Trim = { startSec: edit.startSec, endSec: edit.endSec };
  useEffect(() => {
    // Compared with the pending trim of now, not of the render that stored this edit: a key
    // pressed since then made a newer one, which must stay until its own write comes back.
    setPending((p) => (p && p.startSec === edit.startSec && p.endSec === edit.endSec ? null : p));
  }, [edit.startSec, edit.endSec]);
  const trim: Trim = draft ?? pending ?? stored;
  // The last trim committed, even before a redraw: a step builds on it.
  const latest = useRef(trim);
  latest.current = pending ?? stored;
  const player = usePlayer();
  const [prefs] = usePreferences();
  const playhead = playheadIn(player, t.id);

  const commitTrim = (change: Trim | ((latest: Trim) => Trim)) => {
    const next = typeof change === 'function' ? change(latest.current) : change;
    latest.current = next;
    setPending(next);
    props.onEdit({ startSec: next.startSec, endSec: next.endSec });
  };
  const setField = (handle: 'start' | 'end', sec: number | undefined) => {
    if (handle === 'end' && sec === undefined) return commitTrim({ startSec: trim.startSec });
    commitTrim(moveHandle(trim, handle, sec ?? 0, dur));
  };
  const kept = trimmedLength(trim, dur);
  const [markers, setMarkers] = useMarkers();

  return (
    <div class="track-editor">
      <Waveform
        name={t.name}
        source={{
          id: t.id,
          size: t.size,
          codec: info.codec,
          durationSec: dur,
          sampleRate: info.sampleRate,
          channels: info.channels,
        }}
        durationSec={dur}
        trim={trim}
        playheadSec={playhead}
        disabled={locked}
        onDraft={setDraft}
        onCommit={commitTrim}
        onSeek={(sec) => {
          // From the click to the end of the kept part (or of the track, past the end handle).
          const end = trimEnd(trim, dur);
          void run('play', () => playTrack(t.id, sec, sec < end ? end : dur));
        }}
      >
        <FadeMarks
          durationSec={dur}
          kept={{ startSec: trim.startSec, endSec: trimEnd(trim, dur) }}
          inSec={props.fadeInSec}
          outSec={props.fadeOutSec}
        />
        {markers && <MarkerHandles durationSec={dur} markers={markers} setMarkers={setMarkers} />}
      </Waveform>
      <div class="trim-row">
        <NumberField
          label={tr('editor.start')}
          class="time"
          value={trim.startSec}
          step={0.01}
          suffix={tr('units.secondsShort')}
          min={0}
          max={Number(dur.toFixed(2))}
          disabled={locked}
          onCommit={(v) => setField('start', v)}
        />
        <NumberField
          label={tr('editor.end')}
          class="time"
          value={trim.endSec}
          step={0.01}
          suffix={tr('units.secondsShort')}
          min={0}
          max={Number(dur.toFixed(2))}
          placeholder={dur.toFixed(2)}
          disabled={locked}
          onCommit={(v) => setField('end', v)}
        />
        <button
          type="button"
          disabled={locked}
          title={tr('editor.trimSilenceTitle', prefs.silenceThresholdDb, prefs.silenceMinSec)}
          onClick={() =>
            void run('silence', () =>
              trimSilence(
                [t],
                { thresholdDb: prefs.silenceThresholdDb, minSec: prefs.silenceMinSec },
                prefs.defaultTransition,
              ),
            )
          }
        >
          {tr('editor.trimSilence')}
        </button>
        <span class="kept">
          {kept < dur - 0.005
            ? tr('editor.keepsOf', formatPreciseTime(kept), formatPreciseTime(dur))
            : tr('editor.wholeTrack', formatPreciseTime(dur))}
        </span>
        <TextField
          label={tr('editor.chapterTitle')}
          class="chapter"
          value={edit.chapterTitle ?? ''}
          placeholder={chapterTitle({ name: t.name, info }, prefs.chapterTitles)}
          maxLength={200}
          disabled={locked}
          onCommit={(v) => props.onEdit({ chapterTitle: v.trim() || undefined })}
        />
      </div>
      <ChapterFinder
        track={t}
        edit={edit}
        locked={locked}
        markers={markers}
        setMarkers={setMarkers}
        onEdit={props.onEdit}
      />
    </div>
  );
}

/**
 * Where the playhead stands in track `id`: its own play's position, or a junction's preview
 * over its tail (the track before the junction) or its head (the one after).
 */
function playheadIn(player: PlayerState, id: string): number | undefined {
  if (player.kind === 'track') return player.trackId === id ? player.positionSec : undefined;
  if (player.kind !== 'junction') return undefined;
  if (player.trackId === id) return player.at.a;
  return player.nextId === id ? player.at.b : undefined;
}

/** The crossfades into and out of a track, over its waveform, each named by its length. */
function FadeMarks(props: {
  durationSec: number;
  kept: { startSec: number; endSec: number };
  inSec: number;
  outSec: number;
}) {
  const x = (sec: number) => secondsToFraction(sec, props.durationSec) * 100;
  return (
    <>
      {fadeMarks(props.kept, props.inSec, props.outSec).map((m) => {
        const label = tr('transition.crossfadeOf', formatSeconds(m.toSec - m.fromSec));
        return (
          <div
            key={m.kind}
            class={`fade-mark ${m.kind}`}
            role="img"
            aria-label={label}
            title={label}
            style={{ left: `${x(m.fromSec)}%`, width: `${x(m.toSec) - x(m.fromSec)}%` }}
          />
        );
      })}
    </>
  );
}
