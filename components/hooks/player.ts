/** Hooks only the options page's editor uses (kept out of ui-hooks.ts, which the popup loads). */
import { useEffect, useState } from 'preact/hooks';
import { onPlayer, playerState, type PlayerState } from '@/lib/editor/player';

/** What the editor is playing. */
export function usePlayer(): PlayerState {
  const [state, setState] = useState<PlayerState>(playerState);
  useEffect(() => onPlayer(setState), []);
  return state;
}

/** True once `el` has been on screen (or near it), so off-screen tracks decode nothing. */
export function useSeen(el: { current: Element | null }, margin = '200px'): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const node = el.current;
    if (seen || !node) return;
    if (typeof IntersectionObserver === 'undefined') {
      setSeen(true);
      return;
    }
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setSeen(true);
      },
      { rootMargin: margin },
    );
    io.observe(node);
    return () => io.disconnect();
  }, [el, seen, margin]);
  return seen;
}
