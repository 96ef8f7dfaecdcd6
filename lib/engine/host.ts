import type { Engine } from './ffmpeg';
import { JoinCanceledError, toErrorData } from '@/lib/core/errors';
import { abortFetches, fetchTrack } from './fetcher';
import type { EngineCommands, FetchRequest, JobEvents, JoinRequest } from '@/lib/protocol/contract';
import { updateTrack } from '@/lib/store/tracks';
import type { Track } from '@/lib/core/track';
import { isCarried } from '@/lib/core/job';
import { EnginePool } from './pool';
import { runJoin } from './join';
import { Arrivals } from './arrivals';
import { readyTracks, type ReadyDeps } from './ready';
import type { PlanTrack } from '@/lib/plan/types';

/** What one run of a join gives back. */
type JoinResult = Awaited<ReturnType<typeof runJoin>>;

/** Parallel page-audio downloads: enough to hide latency, few enough to be polite to a server. */
const FETCHES_AT_ONCE = 3;

/**
 * The engine's host (the offscreen document in Chrome, the background page in Firefox): takes
 * the engine commands, schedules their work on the engine pool (./pool.ts: probes, checks,
 * warm-ups, joins), waits for each join's tracks (./ready.ts) and runs the join (./join.ts),
 * reports progress and results as events of its own (a long job never rides on one reply), and
 * keeps the result's blob: URL alive until the download is done. Its events (JobEvents) become bg:* messages from the offscreen document in
 * Chrome; in Firefox the host lives in the background page and calls the job controller directly.
 *
 * Cancel is scoped to its job: a join waits for the probes and checks of its tracks as any page
 * would (they stay the queue's work, and finish whatever happens to the join), and only the
 * join's own ffmpeg runs are stopped.
 */
export class EngineHost implements EngineCommands {
  readonly #events: JobEvents;
  readonly #pool: EnginePool;
  /** Joins accepted and not yet finished, by job id. */
  readonly #jobs = new Map<string, AbortController>();
  readonly #urls = new Set<string>();
  /** Page-audio downloads asked for and not yet ended: a join waits for them. */
  readonly #arrivals = new Arrivals();
  /** The newest limits and grants each download asked for was given (a retry may bring more). */
  readonly #fetchOptions = new Map<string, Omit<FetchRequest, 'trackIds'>>();
  /** Cores a join may use; navigator.hardwareConcurrency unless a test says otherwise. */
  #cores: number | undefined;

  constructor(engine: Engine, events: JobEvents, checker?: Engine, spare?: () => Engine) {
    this.#events = events;
    this.#pool = new EnginePool(engine, () => this.#maybeIdle(), checker, spare);
  }

  /**
   * Test builds only (entrypoints/offscreen/main.ts): the cores the next joins plan for, so an
   * e2e test can run the same join in one engine and in parts. Undefined: the machine's own.
   */
  setCores(cores: number | undefined): void {
    this.#cores = cores;
  }

  /** Something is queued, running or holding a result. */
  get busy(): boolean {
    return this.#pool.busy || this.#jobs.size > 0 || this.#urls.size > 0;
  }

  #maybeIdle(): void {
    if (!this.busy) this.#events.idle();
  }

  /** Probes each track and stores what it learned (or why it failed) on the track. */
  probe(trackIds: string[]): void {
    for (const id of trackIds) void this.#pool.probe(id);
    // Behind the probes: the engines are loaded by now, and warm for the Join that follows.
    this.#pool.rewarm();
  }

  /** A page is open: the engines are loaded and warmed up (EnginePool.warm). */
  warm(): void {
    this.#pool.warm();
  }

  /**
   * Downloads page audio a few at a time (not through the engine queue), then probes it. A
   * track already on its way is not downloaded twice; it takes the newest limits and grants.
   */
  fetch({ trackIds, limitBytes, granted }: FetchRequest): void {
    for (const id of trackIds) this.#fetchOptions.set(id, { limitBytes, granted });
    const queue = this.#arrivals.expect(trackIds);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const opts = this.#fetchOptions.get(id) ?? { limitBytes, granted };
        let stored = false;
        try {
          stored = await fetchTrack(id, {
            ...opts,
            onProgress: (f) => this.#arrivals.progress(id, f),
          });
        } finally {
          this.#fetchOptions.delete(id);
          // Probed first: a join waiting for this download then waits for its probe.
          if (stored) this.probe([id]);
          this.#arrivals.end(id);
        }
      }
    };
    void this.#pool.counted(
      Promise.all(Array.from({ length: Math.min(FETCHES_AT_ONCE, queue.length) }, worker)),
    );
  }

  /**
   * Removed tracks (Remove, Clear): their downloads stop and their connections close, and a
   * decode check of one under way stops, so the next tracks' probes need not wait for it.
   */
  removed(trackIds: string[]): void {
    abortFetches(trackIds);
    this.#pool.forget(trackIds);
  }

  join(req: JoinRequest): void {
    if (this.#jobs.has(req.jobId)) return;
    const abort = new AbortController();
    this.#jobs.set(req.jobId, abort);
    void (async () => {
      try {
        const deps: ReadyDeps = {
          pool: this.#pool,
          arrivals: this.#arrivals,
          cores: this.#joinCores(),
          downloading: (percent) =>
            this.#events.progress({
              jobId: req.jobId,
              phase: 'downloading',
              percent,
              lossless: false,
            }),
          probing: (percent) =>
            this.#events.progress({ jobId: req.jobId, phase: 'probing', percent, lossless: false }),
        };
        // Checks the join does not wait for hold off until it is done: from the add to the
        // file, they would take a core from its probes, its junctions and its parts.
        const { result, unchecked } = await this.#pool.hold(async () => {
          const ready = await readyTracks(req, abort.signal, deps);
          try {
            return { ...ready, result: await this.#run(req, ready.tracks, abort.signal) };
          } catch (err) {
            if (ready.unchecked.length === 0 || abort.signal.aborted) throw err;
            // Started before its tracks' decode checks and failed (a file shorter than its
            // tables, a stream that changes format where no header showed it): planned again
            // on what the checks measure, or stopped by the track they find bad.
            const again = await readyTracks(req, abort.signal, deps, true);
            return { ...again, result: await this.#run(req, again.tracks, abort.signal) };
          }
        });
        this.#urls.add(result.url);
        // The join's engines were reset to free their memory: warm again for the next one.
        this.#pool.rewarm();
        await this.#events.done({ jobId: req.jobId, ...result });
        // The tracks copied before their decode check are checked now (or are being).
        if (unchecked.length > 0)
          void this.#pool.counted(this.#carried(unchecked, result.lossless));
      } catch (err) {
        const error = abort.signal.aborted ? new JoinCanceledError().toData() : toErrorData(err);
        await this.#events.failed({ jobId: req.jobId, error });
      } finally {
        // Only this job's own slot: a newer join may already be waiting behind it.
        this.#jobs.delete(req.jobId);
        this.#maybeIdle();
      }
    })();
  }

  /** One run of the join on the pool's engines. */
  #run(req: JoinRequest, tracks: PlanTrack[], signal: AbortSignal): Promise<JoinResult> {
    return this.#pool.join((engine) =>
      runJoin(req, tracks, signal, {
        engine,
        lease: (n, work) => this.#pool.lease(n, work),
        cores: this.#joinCores(),
        report: (phase, percent, lossless) =>
          this.#events.progress({ jobId: req.jobId, phase, percent, lossless }),
      }),
    );
  }

  #joinCores(): number {
    return this.#cores ?? navigator.hardwareConcurrency;
  }

  /**
   * Tracks a join used before their decode check finished: their checks run on (behind the
   * join, on engines it does not use), and a track found damaged says so, adding what the
   * joined file holds of it. A copy keeps the damaged frames as they were, as native ffmpeg's
   * does; a re-encode holds what its decoder made of them (a damaged frame it could not read
   * is silence there). The saved line says the same (lib/core/job.ts `carriedDamage`).
   */
  async #carried(tracks: readonly Track[], lossless: boolean): Promise<void> {
    const key = lossless ? 'errors.carriedAsItWas' : 'errors.decodedAsRead';
    const never = new AbortController().signal;
    await Promise.all(
      tracks.map(async (t) => {
        const checked = await this.#pool.checked(t, never, true);
        const error = checked.status === 'error' ? checked.error : undefined;
        if (!error || isCarried(error.text?.key)) return;
        const reason = error.text ?? error.message;
        await updateTrack(t.id, { error: { ...error, text: { key, subs: [reason] } } });
      }),
    );
  }

  /** Stops this job's work only: its wait for probes, or its own ffmpeg runs. */
  cancel(jobId: string): void {
    this.#jobs.get(jobId)?.abort();
  }

  release(url: string): void {
    if (this.#urls.delete(url)) URL.revokeObjectURL(url);
    this.#maybeIdle();
  }
}
