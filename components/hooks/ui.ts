import { useEffect, useState } from 'preact/hooks';
import { onNotice, type Notice } from '@/lib/queue/notices';
import { secondsLeft, type ProgressSample } from '@/lib/queue/progress';
import type { JobState } from '@/lib/core/job';

/** The queue's current notice ("Removed 3 tracks. Undo"). */
export function useNotice(): Notice | null {
  const [n, setN] = useState<Notice | null>(null);
  useEffect(() => onNotice(setN), []);
  return n;
}

/**
 * Keeps `--bar-height` on the root at the fixed Join bar's height, so the page leaves room for
 * it (padding) and scrolls focused controls above it (scroll-padding): nothing focused is ever
 * hidden under the bar.
 */
export function useBarHeight(bar: { current: HTMLElement | null }): void {
  useEffect(() => {
    const el = bar.current;
    if (!el) return;
    const root = document.documentElement;
    const set = () => root.style.setProperty('--bar-height', `${el.offsetHeight}px`);
    set();
    const ro = new ResizeObserver(set);
    ro.observe(el);
    return () => ro.disconnect();
  }, [bar]);
}

/** Seconds left in a running join's current phase, or undefined while it cannot tell. */
export function useTimeLeft(job: JobState | null): number | undefined {
  const [samples, setSamples] = useState<{ key: string; list: ProgressSample[] }>({
    key: '',
    list: [],
  });
  const key = job?.status === 'running' ? `${job.id}:${job.phase}` : '';
  const percent = job?.status === 'running' ? job.percent : 0;
  useEffect(() => {
    if (!key) return;
    setSamples((s) => {
      const sample = { at: Date.now(), percent };
      return s.key === key
        ? { key, list: [...s.list.slice(-30), sample] }
        : { key, list: [sample] };
    });
  }, [key, percent]);
  if (!key || samples.key !== key) return undefined;
  return secondsLeft(samples.list);
}
