import type { Engine } from './ffmpeg';
import {
  JoinCanceledError,
  JoinFailedError,
  NothingToJoinError,
  TrackMissingError,
  errorFromData,
  toErrorData,
} from '@/lib/core/errors';
import { fetchTrack } from './fetcher';
import { formatSpec } from '@/lib/core/formats';
import type { JobPhase } from '@/lib/core/job';
import type { EngineCommands, FetchRequest, JobEvents, JoinRequest } from '@/lib/protocol/contract';
import { joinLosslessly, retagMp3 } from '@/lib/lossless';
import { planJoin, type PlanTrack } from '@/lib/plan/planner';
import { getAudio, getTrack, listTracks, updateTrack } from '@/lib/store/tracks';
import { getCoverImage } from '@/lib/store/cover';
import { COVER_IMAGE_ID } from '@/lib/core/settings';
import { trackRef, type Track } from '@/lib/core/track';

/** Parallel page-audio downloads: enough to hide latency, few enough to be polite to a server. */
const FETCHES_AT_ONCE = 3;

/**
 * The engine's host (the offscreen document in Chrome, the background page in Firefox): probes
 * tracks, runs joins, reports progress and results as events of their own (a long job never
 * rides on one reply), and keeps the result's blob: URL alive until the download is done.
 * Its events (JobEvents) become bg:* messages from the offscreen document in Chrome; in Firefox
 * the host lives in the background page and calls the job controller directly.
 */
export class EngineHost implements EngineCommands {
  readonly #engine: Engine;
  readonly #events: JobEvents;
  /** ffmpeg runs one command at a time; probes and joins queue here. */
  #chain: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #job: { id: string; abort: AbortController } | undefined;
  readonly #urls = new Set<string>();

  constructor(engine: Engine, events: JobEvents) {
    this.#engine = engine;
    this.#events = events;
  }

  /** Something is queued, running or holding a result. */
  get busy(): boolean {
    return this.#pending > 0 || this.#job !== undefined || this.#urls.size > 0;
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.#pending++;
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => undefined);
    return run.finally(() => {
      this.#pending--;
      this.#maybeIdle();
    });
  }

  #maybeIdle(): void {
    if (!this.busy) this.#events.idle();
  }

  /** Probes each track and stores what it learned (or why it failed) on the track. */
  probe(trackIds: string[]): void {
    for (const id of trackIds) void this.#enqueue(() => this.#probeOne(id));
  }

  async #probeOne(id: string): Promise<Track | undefined> {
    const track = await getTrack(id);
    if (!track) return undefined;
    try {
      const blob = await getAudio(id);
      if (!blob) throw new TrackMissingError(trackRef(track));
      const info = await this.#engine.probe(trackRef(track), blob);
      await updateTrack(id, { status: 'ready', info, error: undefined });
      return { ...track, status: 'ready', info };
    } catch (err) {
      const error = {
        ...toErrorData(err, 'unsupported-audio'),
        trackId: id,
        trackName: track.name,
      };
      await updateTrack(id, { status: 'error', error });
      return { ...track, status: 'error', error };
    }
  }

  /** Downloads page audio a few at a time (not through the engine queue), then probes it. */
  fetch({ trackIds, limitBytes }: FetchRequest): void {
    const queue = [...trackIds];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (await fetchTrack(id, limitBytes)) this.probe([id]);
      }
    };
    this.#pending++;
    void Promise.all(
      Array.from({ length: Math.min(FETCHES_AT_ONCE, queue.length) }, worker),
    ).finally(() => {
      this.#pending--;
      this.#maybeIdle();
    });
  }

  join(req: JoinRequest): void {
    const abort = new AbortController();
    this.#job = { id: req.jobId, abort };
    void this.#enqueue(async () => {
      try {
        const url = await this.#runJoin(req, abort.signal);
        this.#urls.add(url.url);
        await this.#events.done({ jobId: req.jobId, ...url });
      } catch (err) {
        const error = abort.signal.aborted ? new JoinCanceledError().toData() : toErrorData(err);
        await this.#events.failed({ jobId: req.jobId, error });
      } finally {
        this.#job = undefined;
      }
    });
  }

  cancel(jobId: string): void {
    if (this.#job?.id !== jobId) return;
    this.#job.abort.abort();
    this.#engine.cancel();
  }

  release(url: string): void {
    if (this.#urls.delete(url)) URL.revokeObjectURL(url);
    this.#maybeIdle();
  }

  async #runJoin(
    req: JoinRequest,
    signal: AbortSignal,
  ): Promise<{ url: string; bytes: number; lossless: boolean }> {
    const progress = (phase: JobPhase, percent: number, lossless: boolean) =>
      this.#events.progress({ jobId: req.jobId, phase, percent, lossless });
    progress('loading', 0, false);

    const queued = await listTracks();
    const tracks = req.trackIds
      .map((id) => queued.find((t) => t.id === id))
      .filter((t): t is Track => t !== undefined);
    if (tracks.length === 0) throw new NothingToJoinError();

    // Tracks still unprobed (added a moment ago) are probed now; a bad one stops the join by name.
    const ready: PlanTrack[] = [];
    for (const t of tracks) {
      const probed = t.status === 'ready' && t.info ? t : await this.#probeOne(t.id);
      if (signal.aborted) throw new JoinCanceledError();
      if (!probed) throw new TrackMissingError(trackRef(t));
      if (probed.status === 'error' && probed.error) throw errorFromData(probed.error);
      if (!probed.info) throw new TrackMissingError(trackRef(t));
      ready.push({ id: t.id, name: t.name, info: probed.info, edit: probed.edit });
    }

    const plan = planJoin(ready, req.output, req.options);
    const blobs = new Map<string, Blob>();
    for (const t of ready) {
      const blob = await getAudio(t.id);
      if (!blob) throw new TrackMissingError(trackRef(t));
      blobs.set(t.id, blob);
    }
    if (plan.coverImage) {
      // The person's own cover image, an input like the tracks' audio.
      const image = await getCoverImage();
      if (!image) throw new JoinFailedError('the cover image is no longer stored; choose it again');
      blobs.set(COVER_IMAGE_ID, image.blob);
    }
    const spec = formatSpec(req.output.format);
    let result: Blob;
    if (plan.kind === 'fast') {
      const inputs = ready.map((t) => ({ id: t.id, name: t.name, blob: blobs.get(t.id)! }));
      const onProgress = (f: number) => progress('joining', Math.round(f * 100), true);
      result = await joinLosslessly(plan.fast, inputs, { signal, onProgress });
      if (plan.id3) {
        // Tags, chapters (ID3 CHAP) and cover without touching the audio: a new leading tag.
        const cover = plan.id3.cover;
        result = await retagMp3(
          result,
          plan.id3,
          typeof cover === 'object' ? blobs.get(cover.trackId) : undefined,
        );
      }
    } else {
      progress('reading', 0, plan.lossless);
      const data = await this.#engine.run(plan, ready, blobs, (f, phase) =>
        progress(phase, Math.round(f * 100), plan.lossless),
      );
      result = new Blob([data as Uint8Array<ArrayBuffer>], { type: spec.mime });
    }
    if (signal.aborted) throw new JoinCanceledError();
    progress('saving', 100, plan.lossless);
    const typed = result.type ? result : new Blob([result], { type: spec.mime });
    return { url: URL.createObjectURL(typed), bytes: typed.size, lossless: plan.lossless };
  }
}
