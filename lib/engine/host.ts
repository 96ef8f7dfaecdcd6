import { WorkerStoppedError, type Engine } from './ffmpeg';
import { runParallel } from './parallel';
import { text } from '@/lib/core/i18n';
import {
  JoinCanceledError,
  JoinFailedError,
  NothingToJoinError,
  OutputTooShortError,
  TrackMissingError,
  asStep,
  errorFromData,
  inStep,
  toErrorData,
} from '@/lib/core/errors';
import { abortFetches, fetchTrack } from './fetcher';
import { formatSpec } from '@/lib/core/formats';
import type { JobPhase } from '@/lib/core/job';
import type {
  EngineCommands,
  FetchRequest,
  JobEvents,
  JobResult,
  JoinRequest,
} from '@/lib/protocol/contract';
import {
  closeJoins,
  joinLosslessly,
  retagMp3,
  shiftChapters,
  type JoinOverlap,
} from '@/lib/lossless';
import { parallelJoin, SpliceError } from '@/lib/segments';
import { planJoin, type PlanTrack, type PredecodeRun } from '@/lib/plan/planner';
import { INTERMEDIATE_SAMPLE_BYTES, intermediateInfo, intermediateKey } from '@/lib/plan/predecode';
import { getAudio, getTrack, listTracks, updateTrack } from '@/lib/store/tracks';
import { getCoverImage } from '@/lib/store/cover';
import { COVER_IMAGE_ID } from '@/lib/core/settings';
import { trackRef, type Track } from '@/lib/core/track';
import { cueSourceChapters } from '@/lib/media/cue';
import { checkMemory, deviceMemory } from './preflight';
import { rewriteWavHeader } from './wav-output';
import { checkTrack } from './probe';
import { Lanes, type Lane } from './lanes';
import { engineAacCoder, engineMp3Coder } from './junction-coder';
import type { TaskRunner } from './task';

/** Parallel page-audio downloads: enough to hide latency, few enough to be polite to a server. */
const FETCHES_AT_ONCE = 3;
/**
 * A probe whose worker was stopped under it (not by its own timeout) is run again this many
 * times; after that the track stays "checking…" and the next page to open takes it up again.
 */
const PROBE_RETRIES = 2;

/**
 * The engine's host (the offscreen document in Chrome, the background page in Firefox): probes
 * tracks, runs joins, reports progress and results as events of their own (a long job never
 * rides on one reply), and keeps the result's blob: URL alive until the download is done.
 * Its events (JobEvents) become bg:* messages from the offscreen document in Chrome; in Firefox
 * the host lives in the background page and calls the job controller directly.
 *
 * Cancel is scoped to its job: a join waits for the probes of its unprobed tracks as any page
 * would (they stay the queue's work, and finish whatever happens to the join), and only the
 * join's own ffmpeg run is stopped.
 */
export class EngineHost implements EngineCommands {
  readonly #engine: Engine;
  readonly #events: JobEvents;
  /** ffmpeg runs one command at a time; probes (first) and joins queue here. */
  readonly #queue = new Lanes();
  #pending = 0;
  /** Probes queued or running, by track id: asking again joins the one under way. */
  readonly #probes = new Map<string, Promise<Track | undefined>>();
  /** Joins accepted and not yet finished, by job id. */
  readonly #jobs = new Map<string, AbortController>();
  readonly #urls = new Set<string>();
  /**
   * A second engine for decode checks of long tracks (lib/engine/probe.ts), so they run beside
   * probes and joins; undefined on one core, where they queue on the engine like the rest.
   */
  readonly #checker: Engine | undefined;
  /** The checker's own queue: probes first, then checks, warm-ups and its part of a join. */
  readonly #checkQueue = new Lanes();
  /** More engines for a parallel join on more than two cores, made when first needed. */
  readonly #spare: (() => Engine) | undefined;
  readonly #extra: Engine[] = [];
  /** A page asked for warm engines (warm()). */
  #keepWarm = false;
  readonly #warming = new Set<Engine>();
  /** Cores a join may use; navigator.hardwareConcurrency unless a test says otherwise. */
  #cores: number | undefined;
  /** Decode checks scheduled or running, by track id. */
  readonly #checks = new Map<string, Promise<void>>();
  /** Decode checks queued or running on each engine. */
  readonly #checksWaiting = { engine: 0, checker: 0 };

  constructor(engine: Engine, events: JobEvents, checker?: Engine, spare?: () => Engine) {
    this.#engine = engine;
    this.#events = events;
    this.#checker = checker;
    this.#spare = spare;
  }

  /**
   * Runs `work` with the checker engine to itself: it waits for the check under way (checks
   * queued after it wait for `work`). Without a checker, `work` runs at once.
   */
  #withChecker<T>(work: () => Promise<T>, lane: Lane = 'work'): Promise<T> {
    if (!this.#checker) return work();
    return this.#checkQueue.run(work, lane);
  }

  /**
   * `n` engines for a parallel join: the join's own, the checker, then spares. Called with the
   * checker held (#withChecker).
   */
  #parallelEngines(n: number): Engine[] {
    const engines = [this.#engine, ...(this.#checker ? [this.#checker] : [])];
    while (engines.length < n && this.#spare) {
      const i = engines.length - (this.#checker ? 2 : 1);
      this.#extra[i] ??= this.#spare();
      engines.push(this.#extra[i]);
    }
    return engines.slice(0, n);
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
    return this.#pending > 0 || this.#jobs.size > 0 || this.#urls.size > 0;
  }

  #enqueue<T>(task: () => Promise<T>, lane: Lane = 'work'): Promise<T> {
    return this.#counted(this.#queue.run(task, lane));
  }

  #maybeIdle(): void {
    if (!this.busy) this.#events.idle();
  }

  /** Probes each track and stores what it learned (or why it failed) on the track. */
  probe(trackIds: string[]): void {
    for (const id of trackIds) void this.#probeOnce(id);
    // Behind the probes: the engines are loaded by now, and warm for the Join that follows.
    if (this.#keepWarm) this.#warmAll();
  }

  /**
   * A page is open: load both engines and run their warm-up job (Engine.warm), each on its own
   * queue, behind what is there. Engines reset after a join or a check are warmed again while
   * this lasts (this document's life in Chrome, which ends when the engine is idle).
   */
  warm(): void {
    this.#keepWarm = true;
    this.#warmAll();
  }

  #warmAll(): void {
    this.#warmUp(this.#engine, (step) => this.#enqueue(step));
    const checker = this.#checker;
    if (checker) this.#warmUp(checker, (step) => this.#counted(this.#withChecker(step)));
  }

  /** Warms `engine` one step at a time, each a task of its own on the engine's queue. */
  #warmUp(engine: Engine, queue: (step: () => Promise<boolean>) => Promise<boolean>): void {
    if (engine.warmed || this.#warming.has(engine)) return;
    this.#warming.add(engine);
    const next = async (): Promise<void> => {
      const ok = await queue(() => engine.warm());
      if (ok && !engine.warmed) return next();
    };
    void next()
      .catch(() => undefined)
      .finally(() => this.#warming.delete(engine));
  }

  #probeOnce(id: string): Promise<Track | undefined> {
    const under = this.#probes.get(id);
    if (under) return under;
    const checker = this.#checker;
    const run = (
      checker && probeCost(this.#checkQueue) < probeCost(this.#queue)
        ? this.#counted(this.#withChecker(() => this.#probeOne(id, checker), 'probe'))
        : this.#enqueue(() => this.#probeOne(id, this.#engine), 'probe')
    ).finally(() => this.#probes.delete(id));
    this.#probes.set(id, run);
    return run;
  }

  /** Work outside the engine's own queue that keeps the host busy until it settles. */
  #counted<T>(run: Promise<T>): Promise<T> {
    this.#pending++;
    return run.finally(() => {
      this.#pending--;
      this.#maybeIdle();
    });
  }

  async #probeOne(id: string, engine: Engine): Promise<Track | undefined> {
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

  /**
   * Queues the decode check of a listed track on whichever engine has fewer checks waiting: the
   * second engine (when there is one) or the engine's own queue (behind the probes already
   * there, so every track is listed first). Two engines check two tracks at once.
   */
  #scheduleCheck(id: string): Promise<void> {
    const known = this.#checks.get(id);
    if (known) return known;
    const checker = this.#checker;
    let run: Promise<void>;
    if (checker && this.#checksWaiting.checker <= this.#checksWaiting.engine) {
      this.#checksWaiting.checker++;
      run = this.#counted(
        this.#withChecker(() => this.#checkOne(id, checker)).finally(
          () => void this.#checksWaiting.checker--,
        ),
      );
    } else {
      this.#checksWaiting.engine++;
      run = this.#enqueue(() => this.#checkOne(id, this.#engine)).finally(
        () => void this.#checksWaiting.engine--,
      );
    }
    const settled = run.catch(() => undefined).finally(() => this.#checks.delete(id));
    this.#checks.set(id, settled);
    return settled;
  }

  /**
   * Decodes a listed track to its end: stores its exact length, or why it cannot be joined (cut
   * short, damaged). Does nothing for a track already checked, removed or failed.
   */
  async #checkOne(id: string, runner: TaskRunner): Promise<void> {
    const track = await getTrack(id);
    if (!track || track.status !== 'ready' || !track.info || track.info.decoded) return;
    const blob = await getAudio(id);
    if (!blob) return;
    try {
      const info = await checkTrack(runner, trackRef(track), blob, track.info);
      await updateTrack(id, { info });
    } catch (err) {
      // Stopped from outside: nothing was learned about the track; a join checks it again.
      if (err instanceof WorkerStoppedError) return;
      const error = { ...toErrorData(err, 'corrupt-audio'), trackId: id, trackName: track.name };
      await updateTrack(id, { status: 'error', error });
    } finally {
      // The second engine's memory goes back after the last check queued on it; it loads (and
      // warms, while a page is open) again in a second.
      if (
        runner === this.#checker &&
        this.#checksWaiting.checker <= 1 &&
        this.#checkQueue.waiting('probe') === 0
      ) {
        this.#checker.reset();
        if (this.#keepWarm) this.#warmAll();
      }
    }
  }

  /**
   * The track checked to its end: waits for its check (scheduled now if none is under way).
   * Cancel ends the wait, not the check.
   */
  async #checked(t: Track, signal: AbortSignal): Promise<Track> {
    if (t.info?.decoded) return t;
    await untilAborted(this.#scheduleCheck(t.id), signal);
    return (await getTrack(t.id)) ?? t;
  }

  /** Downloads page audio a few at a time (not through the engine queue), then probes it. */
  fetch({ trackIds, limitBytes, granted }: FetchRequest): void {
    const queue = [...trackIds];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (await fetchTrack(id, { limitBytes, granted })) this.probe([id]);
      }
    };
    void this.#counted(
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
        const tracks = await this.#ready(req, abort.signal);
        const result = await this.#enqueue(() => this.#runJoin(req, tracks, abort.signal));
        this.#urls.add(result.url);
        // The join's engines were reset to free their memory: warm again for the next one.
        if (this.#keepWarm) this.#warmAll();
        await this.#events.done({ jobId: req.jobId, ...result });
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

  /** Stops this job's work only: its wait for probes, or its own ffmpeg run. */
  cancel(jobId: string): void {
    this.#jobs.get(jobId)?.abort();
  }

  release(url: string): void {
    if (this.#urls.delete(url)) URL.revokeObjectURL(url);
    this.#maybeIdle();
  }

  /**
   * The job's tracks, probed. Tracks still unprobed (added a moment ago) are waited for through
   * the probe queue; a bad one stops the join by name. Cancel ends the wait, not the probes.
   */
  async #ready(req: JoinRequest, signal: AbortSignal): Promise<PlanTrack[]> {
    const queued = await listTracks();
    const tracks = req.trackIds
      .map((id) => queued.find((t) => t.id === id))
      .filter((t): t is Track => t !== undefined);
    if (tracks.length === 0) throw new NothingToJoinError();
    const listed = await untilAborted(
      Promise.all(tracks.map((t) => (t.status === 'ready' && t.info ? t : this.#probeOnce(t.id)))),
      signal,
    );
    // Every track is decoded to its end before a join uses it (long ones after they were
    // listed): a cut-short file is named here instead of joined.
    const probed = await Promise.all(
      listed.map((p) => (p?.status === 'ready' ? this.#checked(p, signal) : p)),
    );
    return tracks.map((t, i) => {
      const p = probed[i];
      if (p?.status === 'error' && p.error) throw errorFromData(p.error);
      if (!p?.info) throw new TrackMissingError(trackRef(t));
      return { id: t.id, name: t.name, info: p.info, edit: p.edit };
    });
  }

  async #runJoin(
    req: JoinRequest,
    ready: PlanTrack[],
    signal: AbortSignal,
  ): Promise<Omit<JobResult, 'jobId'>> {
    if (signal.aborted) throw new JoinCanceledError();
    const progress = (phase: JobPhase, percent: number, lossless: boolean) =>
      this.#events.progress({ jobId: req.jobId, phase, percent, lossless });
    progress('loading', 0, false);

    const plan = planJoin(ready, req.output, req.options);
    const blobs = new Map<string, Blob>();
    await asStep(text('steps.read'), async () => {
      for (const t of ready) {
        const blob = await getAudio(t.id);
        if (!blob) throw new TrackMissingError(trackRef(t));
        blobs.set(t.id, blob);
      }
    });
    if (plan.coverImage) {
      // The person's own cover image, an input like the tracks' audio.
      const image = await asStep(text('steps.cover'), getCoverImage);
      if (!image) throw new JoinFailedError(text('engine.coverGone'));
      blobs.set(COVER_IMAGE_ID, image.blob);
    }
    const spec = formatSpec(req.output.format);
    let result: Blob;
    let heapPeakBytes: number | undefined;
    let parts: number | undefined;
    /** The plan promised exact joins, and they were closed by whole frames instead. */
    let wholeFrames = false;
    /** The plan promised closed joins, and the copy's joins stayed as ffmpeg wrote them. */
    let asCopied = false;
    if (plan.kind === 'fast') {
      const inputs = ready.map((t) => ({ id: t.id, name: t.name, blob: blobs.get(t.id)! }));
      const onProgress = (f: number) => progress('joining', Math.round(f * 100), true);
      // The few frames at each MP3 join are decoded and encoded again in the engine, so the
      // tracks meet exactly (lib/lossless/mp3/seams.ts); every other frame is copied.
      const mp3Coder = engineMp3Coder(this.#engine);
      let overlaps: JoinOverlap[] = [];
      result = await asStep(text('steps.fastJoin'), () =>
        joinLosslessly(plan.fast, inputs, {
          signal,
          onProgress,
          mp3Coder,
          onOverlaps: (o) => (overlaps = o),
          onWholeFrames: () => (wholeFrames = true),
        }),
      );
      if (plan.id3) {
        // Tags, chapters (ID3 CHAP) and cover without touching the audio: a new leading tag.
        // Chapters follow the tracks, each a join's overlap earlier (seams.ts).
        const id3 = { ...plan.id3, chapters: shiftChapters(plan.id3.chapters, overlaps) };
        const cover = id3.cover;
        const joined = result;
        result = await asStep(text('steps.retag'), () =>
          retagMp3(joined, id3, typeof cover === 'object' ? blobs.get(cover.trackId) : undefined),
        );
      }
    } else {
      // Refused by name before starting what cannot fit (./preflight.ts).
      checkMemory(plan, ready, deviceMemory());
      progress('reading', 0, plan.lossless);
      // Progress runs over the tracks decoded first (by their length) and the join.
      const steps = plan.predecode ?? [];
      const stepSec = steps.reduce((sum, s) => sum + s.totalSec, 0);
      const whole = stepSec + plan.totalSec;
      const share = (done: number, sec: number, f: number) =>
        whole > 0 ? (done + f * sec) / whole : f;
      const report = (f: number, phase: 'reading' | 'joining') =>
        progress(phase, Math.round(f * 100), plan.lossless);
      const joinTracks =
        steps.length > 0
          ? await this.#predecode(
              steps,
              ready,
              blobs,
              (f) => report(share(0, stepSec, f), 'joining'),
              signal,
            )
          : ready;
      const onProgress = (f: number, phase: 'reading' | 'joining') => {
        if (steps.length === 0) report(f, phase);
        else if (phase === 'joining') report(share(stepSec, plan.totalSec, f), phase);
      };
      // Long re-encodes run in segments, one engine per core (lib/segments/decide.ts, the
      // rule the plan summary states too).
      const cores = this.#cores ?? navigator.hardwareConcurrency;
      const parallel = parallelJoin(plan, ready, req.output, cores);
      const run: { blob: Blob; heapPeakBytes: number; parts?: number } = parallel
        ? await this.#withChecker(() =>
            runParallel({
              plan,
              tracks: joinTracks,
              output: req.output,
              parallel,
              blobs,
              engines: this.#parallelEngines(parallel.segments.segments.length),
              onProgress,
              mime: spec.mime,
              signal,
            }),
          )
        : await asStep(
            text(plan.args.includes('-filter_complex') ? 'steps.encode' : 'steps.copy'),
            () => this.#engine.run(plan, joinTracks, blobs, onProgress, spec.mime, signal),
          );
      // A WAV gets a header that names its speakers, and RF64 past 4 GiB (./wav-output.ts).
      result =
        spec.id === 'wav'
          ? await asStep(text('steps.wavHeader'), () => rewriteWavHeader(run.blob))
          : run.blob;
      heapPeakBytes = run.heapPeakBytes;
      if (plan.closeJoins) {
        const copied = result;
        const inputs = ready.map((t) => blobs.get(t.id)!);
        // The few frames at each AAC join are decoded and encoded again in the engine, where
        // the plan says so (lib/lossless/mp4-seams.ts); else whole frames are left out.
        const coders = plan.exactJoins
          ? { mp4: engineAacCoder(this.#engine), signal, onWholeFrames: () => (wholeFrames = true) }
          : {};
        // A copy the pass cannot read (an odd file: tables not as assumed, or shorter than they
        // say) is still the whole audio: kept as it is, and the saved line says so.
        const close = plan.closeJoins;
        result = await asStep(text('steps.closeJoins'), () =>
          closeJoins(close, copied, inputs, coders).catch((e: unknown) => {
            if (!(e instanceof SpliceError || e instanceof RangeError)) throw e;
            console.warn(`Seam: the joins stay as copied (${e.message})`);
            asCopied = true;
            return copied;
          }),
        );
      }
      parts = run.parts;
    }
    if (signal.aborted) throw new JoinCanceledError();
    progress('saving', 100, plan.lossless);
    const typed = result.type ? result : new Blob([result], { type: spec.mime });
    return {
      url: URL.createObjectURL(typed),
      bytes: typed.size,
      lossless: plan.lossless,
      ...(heapPeakBytes !== undefined ? { heapPeakBytes } : {}),
      ...(parts !== undefined ? { parts } : {}),
      // What happened at the joins when it is not what the plan's line said.
      ...(asCopied
        ? { note: text('join.joinsAsCopied') }
        : wholeFrames && plan.exactJoins
          ? { note: text('join.wholeFrames') }
          : {}),
      ...(req.output.chapterFiles && plan.chapterList.length > 0
        ? {
            chapterFiles: {
              chapters: plan.chapterList,
              ...(plan.tags.title ? { title: plan.tags.title } : {}),
              ...(plan.tags.artist ? { artist: plan.tags.artist } : {}),
            },
          }
        : {}),
    };
  }
  /**
   * Decodes each track that changes format midway into its intermediate (lib/plan/predecode.ts),
   * one ffmpeg run each, in turn; the Blobs join `blobs` under their own keys. Returns the
   * tracks as the join reads them (those with their intermediate's exact length). `onProgress`
   * gets the fraction of all the steps' audio done; Cancel stops the run under way.
   */
  async #predecode(
    steps: readonly PredecodeRun[],
    ready: readonly PlanTrack[],
    blobs: Map<string, Blob>,
    onProgress: (fraction: number) => void,
    signal: AbortSignal,
  ): Promise<PlanTrack[]> {
    const tracks = [...ready];
    const all = steps.reduce((sum, s) => sum + s.totalSec, 0);
    let done = 0;
    for (const step of steps) {
      if (signal.aborted) throw new JoinCanceledError();
      const track = tracks[step.track]!;
      const stepProgress = (f: number, phase: 'reading' | 'joining') => {
        if (phase === 'joining' && all > 0) onProgress((done + f * step.totalSec) / all);
      };
      let blob: Blob;
      try {
        ({ blob } = await this.#engine.run(
          step,
          ready,
          blobs,
          stepProgress,
          'application/octet-stream',
          signal,
        ));
      } catch (err) {
        if (!(err instanceof OutputTooShortError))
          throw inStep(err, text('steps.predecode', track.name));
        throw new JoinFailedError(
          text('engine.predecodeShort', err.text ?? err.message),
          trackRef(track),
        );
      }
      const bytes = INTERMEDIATE_SAMPLE_BYTES * step.target.channels.count;
      blobs.set(intermediateKey(step.trackId), blob);
      tracks[step.track] = {
        ...track,
        info: intermediateInfo(track.info, step.target, Math.floor(blob.size / bytes)),
      };
      done += step.totalSec;
    }
    return tracks;
  }
}

/**
 * How long a probe queued now would wait, roughly, in probes: those waiting, plus what runs. A
 * probe of a short track takes 50 to 100 ms here; a load, a warm-up step or a check, about
 * ten times that or more, so a batch of new tracks waits on the other engine only when that
 * one is idle or probing.
 */
function probeCost(queue: Lanes): number {
  const running = queue.running === 'probe' ? 1 : queue.running === 'work' ? 12 : 0;
  return queue.waiting('probe') + running;
}

/** `promise`, or JoinCanceledError as soon as `signal` fires (the promise itself runs on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new JoinCanceledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new JoinCanceledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
