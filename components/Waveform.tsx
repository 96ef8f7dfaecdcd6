import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  applyTrimKey,
  endTrimDrag,
  moveTrimDrag,
  rulerTicks,
  secondsToFraction,
  startTrimDrag,
  trimEnd,
  xToSeconds,
  type Trim,
  type TrimDrag,
  type TrimHandle,
} from '@/lib/editor/trim';
import { formatPreciseTime, formatTime } from '@/lib/core/text';
import { useSeen } from '@/components/hooks/player';
import { peakLevel, resamplePeaks, type Peaks } from '@/lib/editor/peaks';
import { loadPeaks, type PeaksRequest } from '@/lib/editor/waveform';
import { t } from '@/lib/core/i18n';

/**
 * A track's waveform with its two trim handles and a time ruler above it. Dragging a handle (or
 * pressing anywhere on the waveform, which takes the nearer handle) sends drafts while the
 * pointer moves and commits on release; the handles are sliders for the keyboard too (arrows
 * ±0.1 s, Shift ±1 s). A click on the ruler plays from there.
 */
export function Waveform(props: {
  name: string;
  source: PeaksRequest;
  durationSec: number;
  trim: Trim;
  playheadSec?: number;
  disabled: boolean;
  onDraft: (trim: Trim | null) => void;
  /** A new trim, or (for key steps) a step applied to the latest committed trim. */
  onCommit: (trim: Trim | ((latest: Trim) => Trim)) => void;
  /** Plays from `sec` (a click on the ruler). */
  onSeek: (sec: number) => void;
  /** Drawn over the waveform, in its box ("Find chapters" markers). */
  children?: preact.ComponentChildren;
}) {
  const { durationSec: dur, trim, disabled } = props;
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const seen = useSeen(box);
  const [peaks, setPeaks] = useState<Peaks>();
  const [problem, setProblem] = useState<string>();
  const [width, setWidth] = useState(0);
  const [dark, setDark] = useState(false);
  const drag = useRef<(TrimDrag & { pointerId: number }) | null>(null);

  const { id, size } = props.source;
  useEffect(() => {
    if (!seen) return;
    let alive = true;
    setProblem(undefined);
    loadPeaks(props.source).then(
      (p) => alive && setPeaks(p),
      (err: unknown) =>
        alive && setProblem(err instanceof Error ? err.message : t('editor.noWaveform')),
    );
    return () => {
      alive = false;
    };
    // The request's other fields follow from the track's audio, which id and size identify.
  }, [seen, id, size]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    const mq = matchMedia('(prefers-color-scheme: dark)');
    setDark(mq.matches);
    const onScheme = () => setDark(mq.matches);
    mq.addEventListener('change', onScheme);
    return () => {
      ro.disconnect();
      mq.removeEventListener('change', onScheme);
    };
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (c && box.current && width > 0) draw(c, box.current, peaks, width, dur, trim);
  }, [peaks, width, dur, trim, dark]);

  const startFrac = secondsToFraction(trim.startSec, dur);
  const endFrac = secondsToFraction(trimEnd(trim, dur), dur);

  const secondsAt = (clientX: number) => {
    const rect = box.current!.getBoundingClientRect();
    return xToSeconds(clientX - rect.left, rect.width, dur);
  };

  const onPointerDown = (e: PointerEvent, handle?: TrimHandle) => {
    if (disabled || e.button !== 0 || dur <= 0) return;
    e.preventDefault();
    // `trim` is the committed trim here: no drag is under way to draft another.
    const d = startTrimDrag(trim, secondsAt(e.clientX), dur, handle);
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    drag.current = { ...d, pointerId: e.pointerId };
    if (!handle) props.onDraft(d.last);
    // The handle takes focus, so the keyboard can fine-tune what the pointer placed.
    box.current?.querySelector<HTMLElement>(`[data-handle="${d.handle}"]`)?.focus();
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = { ...moveTrimDrag(d, secondsAt(e.clientX), dur), pointerId: d.pointerId };
    props.onDraft(drag.current.last);
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    // Compared with the trim committed when the drag began, never with the draft on screen.
    const done = endTrimDrag(d);
    if (done) props.onCommit(done);
    props.onDraft(null);
  };

  const handleProps = (handle: TrimHandle) => {
    const value = handle === 'start' ? trim.startSec : trimEnd(trim, dur);
    return {
      role: 'slider' as const,
      tabIndex: disabled ? -1 : 0,
      'data-handle': handle,
      class: `trim-handle ${handle}`,
      style: { left: `${(handle === 'start' ? startFrac : endFrac) * 100}%` },
      'aria-label': handle === 'start' ? t('editor.trimStart') : t('editor.trimEnd'),
      'aria-valuemin': 0,
      'aria-valuemax': Number(dur.toFixed(2)),
      'aria-valuenow': Number(value.toFixed(2)),
      'aria-valuetext': formatPreciseTime(value),
      'aria-disabled': disabled || undefined,
      onPointerDown: (e: PointerEvent) => {
        e.stopPropagation();
        onPointerDown(e, handle);
      },
      onPointerMove,
      onPointerUp,
      onPointerCancel: onPointerUp,
      onKeyDown: (e: KeyboardEvent) => {
        if (disabled) return;
        if (!applyTrimKey(trim, handle, e.key, e.shiftKey, dur)) return;
        e.preventDefault();
        // Applied to the latest trim, not this render's: quick presses may outrun redraws.
        const { key, shiftKey } = e;
        props.onCommit((latest) => applyTrimKey(latest, handle, key, shiftKey, dur) ?? latest);
      },
    };
  };

  const ticks = rulerTicks(dur, width, (sec) => formatTime(sec, sec % 1 === 0 ? 0 : 1));
  return (
    <div class="waveform-wrap">
      <div
        class="ruler"
        aria-hidden="true"
        title={t('editor.clickToPlay')}
        onClick={(e) => {
          if (dur > 0) props.onSeek(secondsAt(e.clientX));
        }}
      >
        {ticks.map((t) => (
          <span
            key={t.sec}
            class={t.label ? 'tick major' : 'tick'}
            style={{ left: `${t.at * 100}%` }}
          >
            {t.label && <span class="tick-label">{t.label}</span>}
          </span>
        ))}
      </div>
      <div
        ref={box}
        class={`waveform${disabled ? ' disabled' : ''}`}
        onPointerDown={(e) => onPointerDown(e)}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <canvas ref={canvas} aria-hidden="true" />
        <div class="trim-shade" style={{ left: 0, width: `${startFrac * 100}%` }} />
        <div class="trim-shade" style={{ left: `${endFrac * 100}%`, right: 0 }} />
        {props.playheadSec !== undefined && (
          <div
            class="playhead"
            data-testid="playhead"
            aria-hidden="true"
            style={{ left: `${secondsToFraction(props.playheadSec, dur) * 100}%` }}
          />
        )}
        <div {...handleProps('start')} />
        <div {...handleProps('end')} />
        {props.children}
        {!peaks && (
          <span class="waveform-status">{problem ?? (seen ? t('editor.drawing') : '')}</span>
        )}
      </div>
    </div>
  );
}

/** Mirror-image bars, bright inside the kept part and faint in the trimmed-off ends. */
function draw(
  c: HTMLCanvasElement,
  box: HTMLElement,
  peaks: Peaks | undefined,
  width: number,
  dur: number,
  trim: Trim,
): void {
  const ratio = window.devicePixelRatio || 1;
  const height = box.clientHeight;
  c.width = Math.round(width * ratio);
  c.height = Math.round(height * ratio);
  c.style.width = `${width}px`;
  c.style.height = `${height}px`;
  const g = c.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const css = getComputedStyle(box);
  const kept = css.getPropertyValue('--wave').trim() || '#2563eb';
  const cut = css.getPropertyValue('--wave-cut').trim() || '#9ca3af';
  const mid = height / 2;
  g.fillStyle = cut;
  g.fillRect(0, Math.floor(mid), width, 1);
  if (!peaks || dur <= 0) return;
  const bar = 2;
  const cols = Math.floor(width / bar);
  const { min, max } = resamplePeaks(peaks, cols, 0, dur);
  // Quiet recordings are scaled up (to at most 4x) so their shape shows.
  const level = peakLevel({ min, max });
  const scale = level > 0 ? Math.min(4, 1 / level) : 1;
  const start = trim.startSec;
  const end = trimEnd(trim, dur);
  for (let i = 0; i < cols; i++) {
    const t = ((i + 0.5) / cols) * dur;
    g.fillStyle = t >= start && t <= end ? kept : cut;
    const top = mid - Math.max(0.5, max[i]! * scale * (mid - 1));
    const bottom = mid - Math.min(-0.5, min[i]! * scale * (mid - 1));
    g.fillRect(i * bar, top, bar - 0.5, bottom - top);
  }
}
