/**
 * One engine runs one thing at a time. `Lanes` is its queue: tasks run one after another, and a
 * task in the `probe` lane goes before every task still waiting in the `work` lane (warm-ups,
 * joins), which go before those waiting in the `check` lane (decode checks): a track added while
 * long work is queued is listed at once, and a join pressed while tracks are checked starts
 * next, not after every check (checks are off the person's clock). A task already running is
 * never interrupted. Pure (no browser API); unit-tested.
 */
export type Lane = 'probe' | 'work' | 'check';

export class Lanes {
  readonly #waiting: Record<Lane, (() => void)[]> = { probe: [], work: [], check: [] };
  #running: Lane | undefined;

  /** Tasks queued and not yet started, in that lane. */
  waiting(lane: Lane): number {
    return this.#waiting[lane].length;
  }

  /** Something runs or waits. */
  get busy(): boolean {
    return (
      !!this.#running ||
      this.#waiting.probe.length > 0 ||
      this.#waiting.work.length > 0 ||
      this.#waiting.check.length > 0
    );
  }

  /** The lane of the task running now, if one is. */
  get running(): Lane | undefined {
    return this.#running;
  }

  /** Runs `task` when its turn comes; settles as it does. A task that throws does not stop the queue. */
  run<T>(task: () => Promise<T>, lane: Lane = 'work'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting[lane].push(() => {
        this.#running = lane;
        let run: Promise<T>;
        try {
          run = task();
        } catch (err) {
          run = Promise.reject(err);
        }
        void run.then(resolve, reject).finally(() => {
          this.#running = undefined;
          this.#next();
        });
      });
      this.#next();
    });
  }

  #next(): void {
    if (this.#running) return;
    const start =
      this.#waiting.probe.shift() ?? this.#waiting.work.shift() ?? this.#waiting.check.shift();
    start?.();
  }
}
