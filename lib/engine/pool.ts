/**
 * The engines and what they are scheduled for: probes first, then warm-ups and joins, then
 * decode checks, each engine one thing at a time (./lanes.ts). Offscreen document (Chrome), background
 * page (Firefox).
 *
 * - The engine: probes, checks and every join's main run queue on it.
 * - The checker (on more than one core): a second engine for decode checks of long tracks, so
 *   they run beside probes and joins; a parallel join borrows it for a part.
 * - Spares (on more than two cores): more engines for a parallel join, made when first needed.
 *
 * A join asks for its engines (`join`, then `lease` for parts) and the tracks it needs checked
 * (`checked`); when to wait for a check is the join's choice (lib/engine/host.ts), not the pool's.
 * While a join is under way (from the moment it is asked for: `hold`), decode checks nobody
 * waits for hold off, since they are off the person's clock: none starts, and once the join has
 * the engine a long one under way is stopped and queued again for after it.
 */
import { toErrorData } from '@/lib/core/errors';
import { TrackMissingError } from '@/lib/core/errors';
import { trackRef, type Track } from '@/lib/core/track';
import { cueSourceChapters } from '@/lib/media/cue';
import { getAudio, getTrack, updateTrack } from '@/lib/store/tracks';
import { WorkerStoppedError, type Engine } from './ffmpeg';
import { Lanes, type Lane } from './lanes';
import { untilAborted } from './abort';

/**
 * A probe whose worker was stopped under it (not by its own timeout) is run again this many
 * times; after that the track stays "checking…" and the next page to open takes it up again.
 */
const PROBE_RETRIES = 2;

/** What a pool engine does: an Engine, or a stand-in in unit tests. */
export type PoolEngine = Pick<
  Engine,
  'probe' | 'check' | 'run' | 'analyse' | 'task' | 'warm' | 'warmed' | 'reset'
>;

export class EnginePool<E extends PoolEngine = Engine> {
  readonly #engine: E;
  readonly #checker: E | undefined;
  readonly #spare: (() => E) | undefined;
  readonly #extra: E[] = [];
  /** The engine's queue: probes (first) and everything else. */
  readonly #queue = new Lanes();
  /** The checker's own queue: probes first, then checks, warm-ups and its part of a join. */
  readonly #checkQueue = new Lanes();
  /** Work queued or running here; the pool is idle at 0. */
  #pending = 0;
  readonly #onIdle: () => void;
  /** Probes queued or running, by track id: asking again joins the one under way. */
  readonly #probes = new Map<string, Promise<Track | undefined>>();
  /** Decode checks scheduled or running, by track id. */
  readonly #checks = new Map<string, Promise<void>>();
  /** Decode checks queued or running on each engine. */
  readonly #checksWaiting = { engine: 0, checker: 0 };
  /** The decode check running on the engine now, if one does: its track and audio length. */
  #checkingOnEngine: RunningCheck | undefined;
  /** The decode check running on the checker now, if one does. */
  #checkingOnChecker: RunningCheck | undefined;
  /** Checks stopped from outside (a join given the engine, a reset): queued again once settled. */
  readonly #requeue = new Set<string>();
  /** Joins under way (`hold`): checks nobody waits for start only when there are none. */
  #holds = 0;
  /** Decode checks someone waits for (`checked`), by track id and how many wait: never held. */
  readonly #wanted = new Map<string, number>();
  /** Settles (and is made anew) when the last hold ends or a check becomes wanted. */
  #gate = signal();
  /** A page asked for warm engines (warm()). */
  #keepWarm = false;
  readonly #warming = new Set<E>();

  /** `onIdle` is called whenever the last piece of work here settles. */
  constructor(engine: E, onIdle: () => void, checker?: E, spare?: () => E) {
    this.#engine = engine;
    this.#onIdle = onIdle;
    this.#checker = checker;
    this.#spare = spare;
  }

  /** Something is queued or running. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Work outside the queues that keeps the pool busy until it settles. */
  counted<T>(run: Promise<T>): Promise<T> {
    this.#pending++;
    return run.finally(() => {
      this.#pending--;
      if (this.#pending === 0) this.#onIdle();
    });
  }

  #enqueue<T>(task: () => Promise<T>, lane: Lane = 'work'): Promise<T> {
    return this.counted(this.#queue.run(task, lane));
  }

  /**
   * Runs `work` with the checker to itself: it waits for the check under way (checks queued
   * after it wait for `work`). Without a checker, `work` runs at once.
   */
  #withChecker<T>(work: () => Promise<T>, lane: Lane = 'work'): Promise<T> {
    if (!this.#checker) return work();
    return this.#checkQueue.run(work, lane);
  }

  // --- Joins ---------------------------------------------------------------------------------

  /**
   * Runs a join on the engine, in its turn behind the work queued there. Decode checks hold off
   * until it has ended (they are off the person's clock, and one of a long file takes seconds
   * of a core the join can use, even a copy's: its junctions, its file): a long one running on
   * either engine is stopped and queued again, and none starts meanwhile (#scheduleCheck).
   */
  join<T>(work: (engine: E) => Promise<T>): Promise<T> {
    return this.hold(() => {
      this.#giveWay(this.#checkingOnEngine, this.#engine);
      this.#giveWay(this.#checkingOnChecker, this.#checker);
      return this.#enqueue(() => work(this.#engine));
    });
  }

  /**
   * Holds off the decode checks nobody waits for while `work` (a join, from its wait for its
   * tracks to its file) runs: none starts; those already running go on (`join` stops a long
   * one when it takes the engine). Checks a join waits for (`checked`) are never held.
   */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.#holds++;
    try {
      return await work();
    } finally {
      if (--this.#holds === 0) {
        this.#openGate();
        this.rewarm();
      }
    }
  }

  #openGate(): void {
    this.#gate.resolve();
    this.#gate = signal();
  }

  /** Settles once no join holds the checks or someone waits for this track's check. */
  async #unheld(id: string): Promise<void> {
    while (this.#held(id)) await this.#gate.promise;
  }

  #held(id: string): boolean {
    return this.#holds > 0 && !this.#wanted.has(id);
  }

  /**
   * Stops a running check of a long track (queued again, behind the join) so a join need not
   * wait for it. A short track's check is left to finish: it ends sooner than a stopped
   * engine loads again.
   */
  #giveWay(check: RunningCheck | undefined, engine: E | undefined): void {
    if (!check || !engine || check.sec < GIVE_WAY_SEC) return;
    // The stopped check ends in WorkerStoppedError and is queued again (#checkOne).
    engine.reset();
  }

  /**
   * `n` engines for a parallel join, called from within `join`: the join's own, the checker
   * (waited for), then spares. Fewer when the machine has fewer.
   */
  lease<T>(n: number, work: (engines: E[]) => Promise<T>): Promise<T> {
    // A long check on the checker was stopped when the join was queued (`join`); a short one
    // is waited for.
    return this.#withChecker(() => {
      const engines = [this.#engine, ...(this.#checker ? [this.#checker] : [])];
      while (engines.length < n && this.#spare) {
        const i = engines.length - (this.#checker ? 2 : 1);
        this.#extra[i] ??= this.#spare();
        engines.push(this.#extra[i]);
      }
      return work(engines.slice(0, n));
    });
  }

  // --- Warm-ups ------------------------------------------------------------------------------

  /**
   * A page is open: load both engines and run their warm-up job (Engine.warm), each on its own
   * queue, behind what is there. Engines reset after a join or a check are warmed again while
   * this lasts (this document's life in Chrome, which ends when the engine is idle).
   */
  warm(): void {
    this.#keepWarm = true;
    this.rewarm();
  }

  /**
   * Warms the engines again when a page asked for warm ones (after a join reset them). Not
   * while a join is under way: a warm-up is an ffmpeg run of its own, and one on the checker
   * took a core from the join's frame scan and junctions (a 3-hour book's copy took twice as
   * long). The last hold's end warms them (`hold`).
   */
  rewarm(): void {
    if (!this.#keepWarm || this.#holds > 0) return;
    this.#warmUp(this.#engine, (step) => this.#enqueue(step));
    const checker = this.#checker;
    if (checker) this.#warmUp(checker, (step) => this.counted(this.#withChecker(step)));
  }

  /** Warms `engine` one step at a time, each a task of its own on the engine's queue. */
  #warmUp(engine: E, queue: (step: () => Promise<boolean>) => Promise<boolean>): void {
    if (engine.warmed || this.#warming.has(engine)) return;
    this.#warming.add(engine);
    const next = async (): Promise<void> => {
      // A join asked for since: the warm-up waits for its end (`hold`).
      const ok = await queue(() => (this.#holds > 0 ? Promise.resolve(false) : engine.warm()));
      if (ok && !engine.warmed) return next();
    };
    void next()
      .catch(() => undefined)
      .finally(() => this.#warming.delete(engine));
  }

  // --- Probes --------------------------------------------------------------------------------

  /**
   * Probes a track (once: asking again joins the probe under way) on whichever engine would
   * start it sooner, and stores what it learned, or why it failed, on the track.
   */
  probe(id: string): Promise<Track | undefined> {
    const under = this.#probes.get(id);
    if (under) return under;
    const checker = this.#checker;
    const run = (
      checker && probeCost(this.#checkQueue) < probeCost(this.#queue)
        ? this.counted(this.#withChecker(() => this.#probeOne(id, checker), 'probe'))
        : this.#enqueue(() => this.#probeOne(id, this.#engine), 'probe')
    ).finally(() => this.#probes.delete(id));
    this.#probes.set(id, run);
    return run;
  }

  async #probeOne(id: string, engine: E): Promise<Track | undefined> {
    const track = await getTrack(id);
    if (!track) return undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        const blob = await getAudio(id);
        if (!blob) throw new TrackMissingError(trackRef(track));
        const probed = await engine.probe(trackRef(track), blob);
        // A cue sheet's chapters stand for the file's own (they are what the person gave).
        const info = track.cueChapters?.length
          ? { ...probed, chapters: cueSourceChapters(track.cueChapters, probed.durationSec) }
          : probed;
        await updateTrack(id, { status: 'ready', info, error: undefined });
        // The track is listed now and checked to its end in the background.
        if (!info.decoded) void this.#scheduleCheck(id);
        return { ...track, status: 'ready', info };
      } catch (err) {
        // Stopped from outside (not its own fault, nor its timeout): the file was never judged.
        if (err instanceof WorkerStoppedError) {
          if (attempt < PROBE_RETRIES) continue;
          return { ...track, status: 'probing' };
        }
        const error = {
          ...toErrorData(err, 'unsupported-audio'),
          trackId: id,
          trackName: track.name,
        };
        await updateTrack(id, { status: 'error', error });
        return { ...track, status: 'error', error };
      }
    }
  }

  // --- Decode checks -------------------------------------------------------------------------

  /**
   * Tracks removed from the queue: a check of one running on an engine is stopped (a check of
   * a long file holds its engine for seconds, and the probes of tracks added next wait behind
   * it). It ends as stopped from outside; queued again, it finds no track and does nothing.
   */
  forget(trackIds: readonly string[]): void {
    const gone = new Set(trackIds);
    if (this.#checkingOnEngine && gone.has(this.#checkingOnEngine.id)) this.#engine.reset();
    if (this.#checkingOnChecker && gone.has(this.#checkingOnChecker.id)) this.#checker?.reset();
  }

  /**
   * The track checked to its end: waits for its check (scheduled now if none is under way).
   * Cancel ends the wait, not the check. A join's wait (`background` false) starts the check
   * even while another join holds the checks; a wait in the background does not.
   */
  async checked(t: Track, signal: AbortSignal, background = false): Promise<Track> {
    if (t.info?.decoded) return t;
    if (background) return this.#checkedNow(t, signal);
    this.#wanted.set(t.id, (this.#wanted.get(t.id) ?? 0) + 1);
    // A check held for a join starts now: a join waits for it.
    this.#openGate();
    try {
      return await this.#checkedNow(t, signal);
    } finally {
      const n = (this.#wanted.get(t.id) ?? 1) - 1;
      if (n > 0) this.#wanted.set(t.id, n);
      else this.#wanted.delete(t.id);
    }
  }

  async #checkedNow(t: Track, signal: AbortSignal): Promise<Track> {
    for (;;) {
      await untilAborted(this.#scheduleCheck(t.id), signal);
      const now = await getTrack(t.id);
      // A check that gave way to a join is queued again: wait for that one.
      if (now?.status === 'ready' && !now.info?.decoded && this.#checks.has(t.id)) continue;
      return now ?? t;
    }
  }

  /**
   * Queues the decode check of a listed track on whichever engine has fewer checks waiting: the
   * checker (when there is one) or the engine's own queue (behind the probes already there, so
   * every track is listed first). Two engines check two tracks at once. With a join queued or
   * under way (`hold`), a check nobody waits for is queued once it has ended.
   */
  #scheduleCheck(id: string): Promise<void> {
    const known = this.#checks.get(id);
    if (known) return known;
    const checker = this.#checker;
    let run: Promise<void>;
    if (checker && this.#checksWaiting.checker <= this.#checksWaiting.engine) {
      this.#checksWaiting.checker++;
      run = this.counted(
        this.#unheld(id)
          .then(() => this.#withChecker(() => this.#checkOne(id, checker), 'check'))
          .finally(() => void this.#checksWaiting.checker--),
      );
    } else {
      this.#checksWaiting.engine++;
      run = this.counted(
        this.#unheld(id)
          .then(() => this.#queue.run(() => this.#checkOne(id, this.#engine), 'check'))
          .finally(() => void this.#checksWaiting.engine--),
      );
    }
    const settled = run
      .catch(() => undefined)
      .finally(() => {
        this.#checks.delete(id);
        // Stopped from outside: checked again, behind the join that stopped it.
        if (this.#requeue.delete(id)) void this.#scheduleCheck(id);
      });
    this.#checks.set(id, settled);
    return settled;
  }

  /**
   * Decodes a listed track to its end, under the engine's time limit (Engine.check: a decoder
   * that hangs is given up and named, instead of holding the track and every Join): stores its
   * exact length, or why it cannot be joined. Does nothing for a track already checked, removed
   * or failed.
   */
  async #checkOne(id: string, engine: E): Promise<void> {
    const track = await getTrack(id);
    if (!track || track.status !== 'ready' || !track.info || track.info.decoded) return;
    // Queued before a join was asked for, and nobody waits for it: it runs after the join
    // (#scheduleCheck, through #requeue).
    if (this.#held(id)) {
      this.#requeue.add(id);
      return;
    }
    const blob = await getAudio(id);
    if (!blob) return;
    const running = { id, sec: track.info.durationSec };
    if (engine === this.#engine) this.#checkingOnEngine = running;
    else if (engine === this.#checker) this.#checkingOnChecker = running;
    try {
      const info = await engine.check(trackRef(track), blob, track.info);
      await updateTrack(id, { info });
    } catch (err) {
      // Stopped from outside (a join giving way, a Cancel stopping the engine, a reset): nothing
      // was learned about the track, so it is checked again, behind what is queued now.
      if (err instanceof WorkerStoppedError) {
        this.#requeue.add(id);
        return;
      }
      const error = { ...toErrorData(err, 'corrupt-audio'), trackId: id, trackName: track.name };
      await updateTrack(id, { status: 'error', error });
    } finally {
      if (this.#checkingOnEngine === running) this.#checkingOnEngine = undefined;
      if (this.#checkingOnChecker === running) this.#checkingOnChecker = undefined;
      // The checker's memory goes back after the last check queued on it; it loads (and warms,
      // while a page is open) again in a second.
      if (
        engine === this.#checker &&
        this.#checksWaiting.checker <= 1 &&
        this.#checkQueue.waiting('probe') === 0
      ) {
        engine.reset();
        this.rewarm();
      }
    }
  }
}

/** A promise and what settles it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A decode check under way: its track, and the audio it decodes (seconds). */
interface RunningCheck {
  id: string;
  sec: number;
}

/**
 * A running check of a track at least this long gives way to a join: decoding five minutes
 * takes one to two seconds in ffmpeg.wasm here, about what loading a stopped engine again
 * takes.
 */
const GIVE_WAY_SEC = 300;

/**
 * How long a probe queued now would wait, roughly, in probes: those waiting, plus what runs. A
 * probe of a short track takes 50 to 100 ms here; a load, a warm-up step or a check, about
 * ten times that or more, so a batch of new tracks waits on the other engine only when that
 * one is idle or probing.
 */
function probeCost(queue: Lanes): number {
  const running = queue.running === 'probe' ? 1 : queue.running ? 12 : 0;
  return queue.waiting('probe') + running;
}
