import { FFmpeg, type FFFSType, type LogEvent } from '@ffmpeg/ffmpeg';
import type { AudioInfo } from '@/lib/core/track';
import {
  EngineFailedError,
  JoinCanceledError,
  JoinFailedError,
  SeamError,
} from '@/lib/core/errors';
import { ffmpegFailure } from '@/lib/media/ffmpeg-log';
import { checkOutputLength, type JoinPlan } from '@/lib/plan/planner';
import { parseFfmpegTime } from '@/lib/media/probe';
import type { TrackRef } from '@/lib/core/track';
import { probeTrack } from './probe';
import type { EngineTask, TaskFile, TaskRunner } from './task';

type FfmpegPlan = Extract<JoinPlan, { kind: 'ffmpeg' }>;

/** Where the packaged ffmpeg pieces are (runtime.getURL in the extension). */
export interface EngineUrls {
  coreURL: string;
  wasmURL: string;
  classWorkerURL: string;
}

/**
 * ffmpeg.wasm gets unreliable ("memory access out of bounds") after many exec calls in one
 * instance; start a fresh one after this many.
 */
const MAX_EXECS_PER_INSTANCE = 40;

/**
 * The ffmpeg.wasm wrapper: loads once, probes, runs a plan with progress, cancels by killing the
 * worker (which frees its memory) and reloads lazily after a failure, a cancel or a join.
 */
export class Engine implements TaskRunner {
  #ff: FFmpeg | undefined;
  #loading: Promise<FFmpeg> | undefined;
  #execs = 0;
  #canceled = false;
  readonly #urls: EngineUrls;

  constructor(urls: EngineUrls) {
    this.#urls = urls;
  }

  async #instance(): Promise<FFmpeg> {
    if (this.#ff && this.#execs < MAX_EXECS_PER_INSTANCE) return this.#ff;
    if (this.#ff) this.reset();
    this.#loading ??= (async () => {
      const ff = new FFmpeg();
      try {
        await ff.load(this.#urls);
      } catch (err) {
        ff.terminate();
        throw new EngineFailedError(`ffmpeg could not start: ${String(err)}`);
      }
      this.#ff = ff;
      this.#execs = 0;
      return ff;
    })().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  /** Kills the worker and forgets the instance; the next call loads a fresh one. */
  reset(): void {
    this.#ff?.terminate();
    this.#ff = undefined;
    this.#execs = 0;
  }

  /** Stops whatever runs now. The pending call rejects with JoinCanceledError. */
  cancel(): void {
    this.#canceled = true;
    this.reset();
  }

  /** Reads a track's format and checks its audio (lib/engine/probe.ts). */
  probe(track: TrackRef, blob: Blob): Promise<AudioInfo> {
    return probeTrack(this, track, blob);
  }

  /**
   * Runs an ffmpeg plan. `blobs` are the tracks' audio, by track id, in plan order.
   * Progress is ffmpeg's own `time=` against the plan's total duration.
   */
  async run(
    plan: FfmpegPlan,
    tracks: readonly TrackRef[],
    blobs: ReadonlyMap<string, Blob>,
    onProgress: (fraction: number, phase: 'reading' | 'joining') => void,
  ): Promise<Uint8Array> {
    this.#canceled = false;
    const ff = await this.#instance();
    const log: string[] = [];
    let lastTime: number | undefined;
    const onLog = ({ message }: LogEvent) => {
      log.push(message);
      if (log.length > 400) log.splice(0, 200);
      const t = parseFfmpegTime(message);
      if (t !== undefined) lastTime = t;
      if (t !== undefined && plan.totalSec > 0)
        onProgress(Math.min(1, t / plan.totalSec), 'joining');
    };
    try {
      await ff.createDir('/in').catch(() => undefined);
      await ff.createDir('/out').catch(() => undefined);
      for (const [i, input] of plan.inputs.entries()) {
        const blob = blobs.get(input.trackId);
        if (!blob)
          throw new JoinFailedError('its audio is missing', findTrack(tracks, input.trackId));
        // Transferred to the worker, so the bytes exist once in this document at any time.
        await ff.writeFile(input.path, new Uint8Array(await blob.arrayBuffer()));
        onProgress((i + 1) / plan.inputs.length, 'reading');
      }
      for (const f of plan.files) await ff.writeFile(f.path, f.text);
      ff.on('log', onLog);
      this.#execs++;
      const code = await ff.exec(plan.args);
      if (code !== 0) {
        const failure = ffmpegFailure(log, plan.inputs);
        const track = failure.trackId ? findTrack(tracks, failure.trackId) : undefined;
        throw new JoinFailedError(failure.reason, track);
      }
      // Never "Saved" for a file that holds less audio than planned: ffmpeg's last time= is
      // the output's length.
      checkOutputLength(plan, lastTime);
      const data = await ff.readFile(plan.outputPath);
      if (typeof data === 'string' || data.byteLength === 0)
        throw new JoinFailedError('ffmpeg produced no output');
      return data;
    } catch (err) {
      if (this.#canceled) throw new JoinCanceledError();
      if (!(err instanceof SeamError)) {
        this.reset();
        throw new EngineFailedError(`ffmpeg stopped: ${String(err)}`);
      }
      throw err;
    } finally {
      ff.off('log', onLog);
      // A join leaves large buffers behind; a fresh instance next time returns that memory.
      this.reset();
    }
  }

  // --- Tasks (lib/engine/task.ts): probes, checks, short encodes ---------------------------

  /**
   * Runs `work` with `files` mounted read-only (WORKERFS: the Blobs are read in place, not
   * copied) under a fresh directory, removing it and every scratch output afterwards. A crash
   * of ffmpeg.wasm resets the instance and becomes an EngineFailedError in words.
   */
  async task<T>(files: readonly TaskFile[], work: (t: EngineTask) => Promise<T>): Promise<T> {
    const ff = await this.#instance();
    const dir = `/task-${crypto.randomUUID()}`;
    const scratch: string[] = [];
    let mounted = false;
    let log: string[] = [];
    const onLog = ({ message }: LogEvent) => void log.push(message);
    const task: EngineTask = {
      path: (name) => `${dir}/${name}`,
      scratch: (name) => {
        const path = `${dir}-${name}`;
        scratch.push(path);
        return path;
      },
      run: async (tool, args) => {
        log = [];
        this.#execs++;
        const code = tool === 'ffmpeg' ? await ff.exec(args) : await ff.ffprobe(args);
        return { code, log };
      },
      readText: async (path) => {
        const data = await ff.readFile(path, 'utf8').catch(() => undefined);
        return typeof data === 'string' ? data : undefined;
      },
      readBytes: async (path) => {
        const data = await ff.readFile(path).catch(() => undefined);
        return data instanceof Uint8Array ? data : undefined;
      },
    };
    ff.on('log', onLog);
    try {
      await ff.createDir(dir);
      await ff.mount(
        'WORKERFS' as FFFSType,
        { blobs: files.map((f) => ({ name: f.name, data: f.blob })) },
        dir,
      );
      mounted = true;
      return await work(task);
    } catch (err) {
      if (err instanceof SeamError) throw err;
      this.reset();
      throw new EngineFailedError(`ffmpeg stopped while reading the file (${engineReason(err)}).`);
    } finally {
      ff.off('log', onLog);
      if (this.#ff === ff) {
        for (const path of scratch) await ff.deleteFile(path).catch(() => undefined);
        if (mounted) await ff.unmount(dir).catch(() => undefined);
        await ff.deleteDir(dir).catch(() => undefined);
      }
    }
  }
}

/** ffmpeg.wasm's errors arrive as strings, some of them "[object Object]": say something. */
function engineReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text && text !== '[object Object]' ? text : 'no reason given';
}

function findTrack(tracks: readonly TrackRef[], id: string): TrackRef | undefined {
  return tracks.find((t) => t.id === id);
}
