import type { AudioInfo, TrackRef } from '@/lib/core/track';
import {
  EngineFailedError,
  JoinCanceledError,
  JoinFailedError,
  ProbeTimeoutError,
  SeamError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { ffmpegFailure } from '@/lib/media/ffmpeg-log';
import type { JoinPlan } from '@/lib/plan/planner';
import { parseFfmpegTime, parseProbe, parseProgressTime, probeArgs } from '@/lib/media/probe';
import { inspectHeader } from '@/lib/media/sniff';
import { FfmpegWorker, WorkerStoppedError, type EngineUrls } from './worker-client';
import type { MountedBlob } from './worker-protocol';

export type { EngineUrls } from './worker-client';
export { WorkerStoppedError } from './worker-client';

type FfmpegPlan = Extract<JoinPlan, { kind: 'ffmpeg' }>;

/**
 * ffmpeg.wasm gets unreliable ("memory access out of bounds") after many exec calls in one
 * instance; start a fresh one after this many.
 */
const MAX_EXECS_PER_INSTANCE = 40;
/** The first bytes read for sniffing: enough for an ID3v2 tag's start and a WAV header. */
const SNIFF_BYTES = 64 * 1024;
/**
 * Tracks up to this long are decoded once on add, so damage in the middle (which ffprobe's header
 * read cannot see) is reported before Join. About 1 s of work per 10 min of MP3 here; longer
 * tracks (audiobook chapters of hours) skip it rather than keep the engine busy for minutes.
 */
const DECODE_CHECK_MAX_SEC = 20 * 60;
/**
 * How long reading one track may take before it is given up: a probe plus a decode of up to
 * 20 min of audio took under 5 s here (2 shared cores), so a minute leaves room for a slow
 * machine, plus a second per 10 MB read for the file itself. A file that hangs the decoder (or
 * a wasm fault that never returns) ends here with a message naming it, instead of keeping the
 * queue waiting forever.
 */
export function probeTimeoutMs(bytes: number): number {
  return 60_000 + Math.ceil(bytes / 10_000_000) * 1000;
}

/** What a finished run hands back: the output, and the largest the wasm heap grew. */
export interface RunResult {
  blob: Blob;
  heapPeakBytes: number;
}

/**
 * The ffmpeg.wasm wrapper over Seam's own worker (./worker/): loads once, probes, runs a plan with
 * progress. Inputs are mounted as Blobs (read in blocks, never copied whole) and the output
 * leaves in chunks into a Blob. A join's run stops when its AbortSignal fires, by killing the
 * worker (which frees its memory); a fresh one loads lazily for the next call.
 */
export class Engine {
  #worker: FfmpegWorker | undefined;
  #loading: Promise<FfmpegWorker> | undefined;
  #execs = 0;
  readonly #urls: EngineUrls;

  constructor(urls: EngineUrls) {
    this.#urls = urls;
  }

  async #instance(): Promise<FfmpegWorker> {
    if (this.#worker && !this.#worker.stopped && this.#execs < MAX_EXECS_PER_INSTANCE) {
      return this.#worker;
    }
    if (this.#worker) this.reset();
    this.#loading ??= FfmpegWorker.start(this.#urls)
      .then((w) => {
        this.#worker = w;
        this.#execs = 0;
        return w;
      })
      .catch((err: unknown) => {
        throw new EngineFailedError(`ffmpeg could not start: ${String(err)}`);
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }

  /** Kills the worker and forgets it; the next call loads a fresh one. */
  reset(): void {
    this.#worker?.stop();
    this.#worker = undefined;
    this.#execs = 0;
  }

  /**
   * Reads a track's format without copying its audio: the Blob is mounted, not written.
   * Throws a SeamError naming the track (ProbeTimeoutError when it takes too long), or
   * WorkerStoppedError when the worker was stopped by someone else (the probe did not fail: run
   * it again).
   */
  async probe(
    track: TrackRef,
    blob: Blob,
    timeoutMs = probeTimeoutMs(blob.size),
  ): Promise<AudioInfo> {
    const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
    const header = inspectHeader(head, blob.size);
    const w = await this.#instance();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (this.#worker === w) this.reset();
      else w.stop();
    }, timeoutMs);
    const dir = `/probe-${crypto.randomUUID()}`;
    const out = `${dir}.json`;
    const progressFile = `${dir}.progress`;
    const log: string[] = [];
    w.onLog = (message) => void log.push(message);
    try {
      await w.call({ type: 'mountBlobs', dir, files: [{ name: 'input', blob }] });
      this.#execs++;
      await w.call({ type: 'exec', tool: 'ffprobe', args: probeArgs(`${dir}/input`, out) });
      // No output file: ffprobe refused the input; parseProbe explains it from the header.
      const json = (await w.call({ type: 'readText', path: out })) ?? '';
      const file = { ...track, size: blob.size };
      const info = parseProbe(json, file, log.join('\n'), header);
      if (info.durationSec > DECODE_CHECK_MAX_SEC) return info;
      log.length = 0;
      this.#execs++;
      await w.call({
        type: 'exec',
        tool: 'ffmpeg',
        args: [
          ...['-hide_banner', '-loglevel', 'error', '-i', `${dir}/input`, '-map', '0:a:0'],
          // The decoded length, exact: what trims, crossfades, chapters and fades are timed
          // against (a container's duration can be off by the encoder's delay and padding).
          ...['-progress', progressFile, '-f', 'null', '-'],
        ],
      });
      const checked = parseProbe(json, file, log.join('\n'), header);
      const text = await w.call({ type: 'readText', path: progressFile });
      const decodedSec = text === undefined ? undefined : parseProgressTime(text);
      return decodedSec !== undefined && decodedSec > 0
        ? { ...checked, durationSec: decodedSec }
        : checked;
    } catch (err) {
      if (timedOut) throw ProbeTimeoutError.after(track, Math.round(timeoutMs / 1000));
      if (err instanceof SeamError || err instanceof WorkerStoppedError) throw err;
      this.reset();
      throw new UnsupportedAudioError(`could not be read (${String(err)})`, track);
    } finally {
      clearTimeout(timer);
      w.onLog = undefined;
      if (!w.stopped) {
        await w.call({ type: 'remove', path: out }).catch(() => undefined);
        await w.call({ type: 'remove', path: progressFile }).catch(() => undefined);
        await w.call({ type: 'unmount', dir }).catch(() => undefined);
      }
    }
  }

  /**
   * Runs an ffmpeg plan. `blobs` are the tracks' audio, by track id. Progress is ffmpeg's own
   * `time=` against the plan's total duration. When `signal` fires, the worker is killed and the
   * call rejects with JoinCanceledError. The instance is always dropped afterwards: a join leaves
   * the wasm heap grown, and only a fresh worker gives that memory back.
   */
  async run(
    plan: FfmpegPlan,
    tracks: readonly TrackRef[],
    blobs: ReadonlyMap<string, Blob>,
    onProgress: (fraction: number, phase: 'reading' | 'joining') => void,
    mime: string,
    signal?: AbortSignal,
  ): Promise<RunResult> {
    if (signal?.aborted) throw new JoinCanceledError();
    const w = await this.#instance();
    const stop = () => w.stop();
    signal?.addEventListener('abort', stop);
    const log: string[] = [];
    w.onLog = (message) => {
      log.push(message);
      if (log.length > 400) log.splice(0, 200);
      const t = parseFfmpegTime(message);
      if (t !== undefined && plan.totalSec > 0) {
        onProgress(Math.min(1, t / plan.totalSec), 'joining');
      }
    };
    try {
      for (const [dir, files] of mountsFor(plan, tracks, blobs)) {
        await w.call({ type: 'mountBlobs', dir, files });
      }
      onProgress(1, 'reading');
      const outDir = dirname(plan.outputPath);
      await w.call({ type: 'mountOutput', dir: outDir });
      this.#execs++;
      const code = await w.call({ type: 'exec', tool: 'ffmpeg', args: plan.args });
      if (code !== 0) {
        const failure = ffmpegFailure(log, plan.inputs);
        const track = failure.trackId ? findTrack(tracks, failure.trackId) : undefined;
        throw new JoinFailedError(failure.reason, track);
      }
      const blob = await w.call({ type: 'takeOutput', path: plan.outputPath, mime });
      if (blob.size === 0) throw new JoinFailedError('ffmpeg produced no output');
      const heap = await w.call({ type: 'heap' });
      return { blob, heapPeakBytes: heap.peakBytes };
    } catch (err) {
      if (signal?.aborted) throw new JoinCanceledError();
      if (err instanceof SeamError) throw err;
      throw new EngineFailedError(`ffmpeg stopped: ${String(err)}`);
    } finally {
      signal?.removeEventListener('abort', stop);
      w.onLog = undefined;
      if (this.#worker === w) this.reset();
      else w.stop();
    }
  }
}

/**
 * What to mount for a plan: each input's Blob under its path's directory, and the plan's text
 * files (the concat list, the FFMETADATA1 file) as small Blobs beside them. A WORKERFS mount is
 * read-only, so everything in one directory is mounted at once.
 */
export function mountsFor(
  plan: Pick<FfmpegPlan, 'inputs' | 'files'>,
  tracks: readonly TrackRef[],
  blobs: ReadonlyMap<string, Blob>,
): Map<string, MountedBlob[]> {
  const dirs = new Map<string, MountedBlob[]>();
  const add = (path: string, blob: Blob) => {
    const dir = dirname(path);
    const files = dirs.get(dir) ?? [];
    files.push({ name: path.slice(dir.length + 1), blob });
    dirs.set(dir, files);
  };
  for (const input of plan.inputs) {
    const blob = blobs.get(input.trackId);
    if (!blob) throw new JoinFailedError('its audio is missing', findTrack(tracks, input.trackId));
    add(input.path, blob);
  }
  for (const f of plan.files) add(f.path, new Blob([f.text], { type: 'text/plain' }));
  return dirs;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function findTrack(tracks: readonly TrackRef[], id: string): TrackRef | undefined {
  return tracks.find((t) => t.id === id);
}
