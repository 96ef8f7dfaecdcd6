import type { Engine } from './ffmpeg';
import {
  JoinCanceledError,
  JoinFailedError,
  NothingToJoinError,
  TrackMissingError,
  errorFromData,
  toErrorData,
} from '@/lib/core/errors';
import { abortFetches, fetchTrack } from './fetcher';
import type { EngineCommands, FetchRequest, JobEvents, JoinRequest } from '@/lib/protocol/contract';
import type { PlanTrack } from '@/lib/plan/types';
import { getAudio, listTracks, updateTrack } from '@/lib/store/tracks';
import { startsBeforeChecks } from '@/lib/plan/decide';
import { copyInfo } from './probe';
import { trackRef, type Track } from '@/lib/core/track';
import { EnginePool } from './pool';
import { untilAborted } from './abort';
import { runJoin } from './join';
import { Arrivals } from './arrivals';
import { text } from '@/lib/core/i18n';

/** Parallel page-audio downloads: enough to hide latency, few enough to be polite to a server. */
const FETCHES_AT_ONCE = 3;

/**
 * The engine's host (the offscreen document in Chrome, the background page in Firefox): takes
 * the engine commands, schedules their work on the engine pool (./pool.ts: probes, checks,
 * warm-ups, joins), runs each join (./join.ts), reports progress and results as events of its
 * own (a long job never rides on one reply), and keeps the result's blob: URL alive until the
 * download is done. Its events (JobEvents) become bg:* messages from the offscreen document in
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

  /** Removed tracks: their downloads stop and their connections close. */
  abortFetch(trackIds: string[]): void {
    abortFetches(trackIds);
  }

  join(req: JoinRequest): void {
    if (this.#jobs.has(req.jobId)) return;
    const abort = new AbortController();
    this.#jobs.set(req.jobId, abort);
    void (async () => {
      try {
        const { tracks, unchecked } = await this.#ready(req, abort.signal, (percent) =>
          this.#events.progress({
            jobId: req.jobId,
            phase: 'downloading',
            percent,
            lossless: false,
          }),
        );
        const result = await this.#pool.join((engine) =>
          runJoin(req, tracks, abort.signal, {
            engine,
            lease: (n, work) => this.#pool.lease(n, work),
            cores: this.#joinCores(),
            report: (phase, percent, lossless) =>
              this.#events.progress({ jobId: req.jobId, phase, percent, lossless }),
          }),
        );
        this.#urls.add(result.url);
        // The join's engines were reset to free their memory: warm again for the next one.
        this.#pool.rewarm();
        await this.#events.done({ jobId: req.jobId, ...result });
        // The tracks copied before their decode check are checked now (or are being).
        if (unchecked.length > 0) void this.#pool.counted(this.#carried(unchecked));
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

  #joinCores(): number {
    return this.#cores ?? navigator.hardwareConcurrency;
  }

  /**
   * Tracks a join copied as they are before their decode check finished: their checks run on
   * (behind the join, on engines it does not use), and a track found damaged says so, adding
   * that the joined file carries it as it was (a copy keeps the damaged frames, as native
   * ffmpeg's does). The saved line says the same (lib/core/job.ts `carriedDamage`).
   */
  async #carried(tracks: readonly Track[]): Promise<void> {
    const never = new AbortController().signal;
    await Promise.all(
      tracks.map(async (t) => {
        const checked = await this.#pool.checked(t, never);
        const error = checked.status === 'error' ? checked.error : undefined;
        if (!error || error.text?.key === 'errors.carriedAsItWas') return;
        const reason = error.text ?? error.message;
        await updateTrack(t.id, {
          error: { ...error, text: { key: 'errors.carriedAsItWas', subs: [reason] } },
        });
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

  /**
   * The job's tracks, listed, and checked when the join needs it. Page audio still arriving is
   * waited for; tracks still unprobed (added a moment ago) are waited for through the probe
   * queue. A join that copies the audio as it is (lib/plan/decide.ts `startsBeforeChecks`) starts at
   * once with what the copy needs (for MP3 and WAV the zero-copy check of the file, in
   * JavaScript), and the tracks not yet decode-checked come back as `unchecked`: their checks run
   * beside the join or after it. Any other join waits for every track's decode check, so a
   * cut-short file is named here instead of joined. A bad one stops the join by name. Cancel
   * ends the wait, not the downloads, probes or checks.
   */
  async #ready(
    req: JoinRequest,
    signal: AbortSignal,
    downloading: (percent: number) => void,
  ): Promise<{ tracks: PlanTrack[]; unchecked: Track[] }> {
    const inQueue = async () => {
      const queued = await listTracks();
      return req.trackIds
        .map((id) => queued.find((t) => t.id === id))
        .filter((t): t is Track => t !== undefined);
    };
    let tracks = await inQueue();
    if (tracks.length === 0) throw new NothingToJoinError();
    // Page audio still arriving is waited for, its progress shown as the join's.
    const arriving = tracks.filter((t) => t.status === 'fetching').map((t) => t.id);
    if (arriving.length > 0) {
      await this.#arrivals.wait(arriving, (f) => downloading(Math.floor(f * 100)), signal);
      tracks = await inQueue();
      if (tracks.length === 0) throw new NothingToJoinError();
      // A download nobody asked this engine for (the background asks before every join).
      const lost = tracks.find((t) => t.status === 'fetching' && !this.#arrivals.has(t.id));
      if (lost) throw new JoinFailedError(text('errors.stillDownloading'), trackRef(lost));
    }
    const listed = await untilAborted(
      Promise.all(tracks.map((t) => (t.status === 'ready' && t.info ? t : this.#pool.probe(t.id)))),
      signal,
    );
    const asPlan = (found: (Track | undefined)[]): PlanTrack[] =>
      tracks.map((t, i) => {
        const p = found[i];
        if (p?.status === 'error' && p.error) throw errorFromData(p.error);
        if (!p?.info) throw new TrackMissingError(trackRef(t));
        return { id: t.id, name: t.name, info: p.info, edit: p.edit };
      });
    const plain = asPlan(listed);
    const unchecked = listed.filter((p): p is Track => !!p && !p.info?.decoded);
    if (unchecked.length === 0) return { tracks: plain, unchecked: [] };
    const quick = await Promise.all(
      plain.map(async (t) => {
        if (t.info.decoded) return t;
        const blob = await getAudio(t.id);
        if (!blob) throw new TrackMissingError(trackRef(t));
        return { ...t, info: await copyInfo(trackRef(t), blob, t.info) };
      }),
    );
    // A file ffprobe saw cut short is joined only once the check says how much of it plays.
    if (
      !unchecked.some((t) => t.info?.cutShort) &&
      startsBeforeChecks(quick, req.output, { ...req.options, cores: this.#joinCores() })
    ) {
      return { tracks: quick, unchecked };
    }
    const checked = await Promise.all(
      listed.map((p) => (p?.status === 'ready' ? this.#pool.checked(p, signal) : p)),
    );
    return { tracks: asPlan(checked), unchecked: [] };
  }
}
