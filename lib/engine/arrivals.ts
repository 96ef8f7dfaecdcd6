/**
 * Page-audio downloads under way in the engine's host, so a join waits for a track still
 * arriving as it waits for a probe, and shows how much has arrived. Offscreen document (Chrome),
 * background page (Firefox); no browser API of its own.
 */
import { untilAborted } from './abort';

interface Arrival {
  /** Settles when the download ends, whether the audio was stored or the track failed. */
  readonly ended: Promise<void>;
  readonly end: () => void;
  /** How much has arrived, 0 to 1 (0 while the length is unknown). */
  fraction: number;
}

export class Arrivals {
  readonly #under = new Map<string, Arrival>();
  readonly #listeners = new Set<() => void>();

  /** These downloads are asked for: returns the ids not already under way (to start). */
  expect(ids: readonly string[]): string[] {
    const fresh = [...new Set(ids)].filter((id) => !this.#under.has(id));
    for (const id of fresh) {
      let end = () => {};
      const ended = new Promise<void>((resolve) => (end = resolve));
      this.#under.set(id, { ended, end, fraction: 0 });
    }
    return fresh;
  }

  /** Whether a download of this track is asked for and not yet ended. */
  has(id: string): boolean {
    return this.#under.has(id);
  }

  progress(id: string, fraction: number | undefined): void {
    const a = this.#under.get(id);
    if (!a) return;
    a.fraction = Math.min(1, Math.max(0, fraction ?? 0));
    for (const l of this.#listeners) l();
  }

  /** The download ended (stored, failed or stopped). */
  end(id: string): void {
    const a = this.#under.get(id);
    if (!a) return;
    this.#under.delete(id);
    a.end();
    for (const l of this.#listeners) l();
  }

  /**
   * Waits until none of `ids` is arriving any more, telling `onFraction` how much of them has
   * arrived (0 to 1, downloads ended count whole) whenever that changes. Cancel ends the wait,
   * not the downloads.
   */
  async wait(
    ids: readonly string[],
    onFraction: (fraction: number) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const waited = ids.filter((id) => this.#under.has(id));
    if (waited.length === 0) return;
    let last = -1;
    const tell = () => {
      const sum = waited.reduce((n, id) => n + (this.#under.get(id)?.fraction ?? 1), 0);
      const f = sum / waited.length;
      if (f !== last) onFraction((last = f));
    };
    this.#listeners.add(tell);
    try {
      tell();
      await untilAborted(Promise.all(waited.map((id) => this.#under.get(id)?.ended)), signal);
    } finally {
      this.#listeners.delete(tell);
    }
  }
}
