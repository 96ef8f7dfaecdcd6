import { text } from '@/lib/core/i18n';
import type { AudioInfo, TrackRef } from '@/lib/core/track';
import {
  EngineFailedError,
  JoinCanceledError,
  JoinFailedError,
  ProbeTimeoutError,
  SeamError,
  errorReason,
  rawErrorText,
} from '@/lib/core/errors';
import { ffmpegFailure, keepLogLine, openedInput } from '@/lib/media/ffmpeg-log';
import { checkOutputLength } from '@/lib/plan/output-check';
import { inputCount } from '@/lib/plan/progress';
import type { FfmpegCommand } from '@/lib/plan/types';
import { parseFfmpegTime } from '@/lib/media/probe';
import { OPUS_COMPLEXITY } from '@/lib/plan/graph';
import { intermediateKey } from '@/lib/plan/predecode';
import { checkTrack, probeTrack } from './probe';
import type { EngineTask, TaskFile, TaskRunner } from './task';
import { FfmpegWorker, WorkerStoppedError, type EngineUrls } from './worker-client';
import type { MountedBlob } from './worker-protocol';

export type { EngineUrls } from './worker-client';
export { WorkerStoppedError } from './worker-client';

/**
 * ffmpeg.wasm gets unreliable ("memory access out of bounds") after many exec calls in one
 * instance; start a fresh one after this many.
 */
const MAX_EXECS_PER_INSTANCE = 40;
/**
 * How long reading one track may take before it is given up: a probe, or a decode check of
 * 20 min of audio, took under 5 s here (2 shared cores), so a minute leaves room for a slow
 * machine, plus a second per 10 MB read for the file itself. A file that hangs the decoder (or
 * a wasm fault that never returns) ends here with a message naming it, instead of keeping the
 * queue waiting forever.
 */
function probeTimeoutMs(bytes: number): number {
  return 60_000 + Math.ceil(bytes / 10_000_000) * 1000;
}

/**
 * The warm-up: three seconds of a tone and noise, mixed and encoded to MP3, then AAC, then Opus
 * (the encoders and filters a join spends its time in), written nowhere. Three short runs, not
 * one, so that a track added meanwhile is probed between them (lib/engine/lanes.ts).
 */
const WARM_UP_SOURCE = [
  ...['-hide_banner', '-loglevel', 'error', '-nostats'],
  ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3'],
  ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:sample_rate=44100:duration=3:amplitude=0.1'],
  ...['-filter_complex', '[0][1]amix=inputs=2,aformat=channel_layouts=stereo[a]', '-map', '[a]'],
];
const WARM_UPS: readonly (readonly string[])[] = [
  [...WARM_UP_SOURCE, ...['-c:a', 'libmp3lame', '-b:a', '192k', '-f', 'null', '-']],
  [...WARM_UP_SOURCE, ...['-c:a', 'aac', '-b:a', '128k', '-f', 'null', '-']],
  [
    ...WARM_UP_SOURCE,
    ...['-ar', '48000', '-c:a', 'libopus', '-b:a', '96k'],
    ...['-compression_level', String(OPUS_COMPLEXITY), '-f', 'null', '-'],
  ],
];

/** What a finished run hands back: the output, and the largest the wasm heap grew. */
export interface RunResult {
  blob: Blob;
  heapPeakBytes: number;
  /** ffmpeg's last `time=`: the seconds of audio it wrote (undefined when it printed none). */
  writtenSec: number | undefined;
}

/** What the engine runs: a join plan, or one segment's command (lib/segments SegmentRun). */
export type EngineCommand = FfmpegCommand;

/**
 * The ffmpeg.wasm wrapper over Seam's own worker (./worker/): loads once, probes, runs a plan with
 * progress. Inputs are mounted as Blobs (read in blocks, never copied whole) and the output
 * leaves in chunks into a Blob. A join's run stops when its AbortSignal fires, by killing the
 * worker (which frees its memory); a fresh one loads lazily for the next call.
 */
export class Engine implements TaskRunner {
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
        throw new EngineFailedError(text('engine.couldNotStart', errorReason(err)));
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }

  /**
   * Loads the worker (unless loaded) and runs the next step of the warm-up in it, so the wasm
   * code a join runs is compiled to its fast tier before the join: the first run after a load
   * was 1.0 to 1.4 s slower here without it (DESIGN.md, "Encoding faster than one native
   * process"). Resolves false when the step failed (the instance is then dropped: the next call
   * loads a fresh, cold one), true otherwise; `warmed` says when every step has run.
   */
  async warm(): Promise<boolean> {
    const w = await this.#instance();
    if (this.#warmth.worker !== w) this.#warmth = { worker: w, steps: 0 };
    const args = WARM_UPS[this.#warmth.steps];
    if (!args) return true;
    this.#execs++;
    const code = await w.call({ type: 'exec', tool: 'ffmpeg', args: [...args] }).catch(() => 1);
    if (code === 0) {
      this.#warmth.steps++;
      return true;
    }
    // A warm-up that failed may have left the wasm instance unusable: never run a probe in it.
    if (this.#worker === w) this.reset();
    return false;
  }

  /** The instance the warm-up runs in, and how many of its steps have run there. */
  #warmth: { worker: FfmpegWorker | undefined; steps: number } = { worker: undefined, steps: 0 };

  get warmed(): boolean {
    return (
      !!this.#worker &&
      this.#warmth.worker === this.#worker &&
      this.#warmth.steps >= WARM_UPS.length &&
      !this.#worker.stopped
    );
  }

  /** Kills the worker and forgets it; the next call loads a fresh one. */
  reset(): void {
    this.#worker?.stop();
    this.#worker = undefined;
    this.#execs = 0;
  }

  /**
   * Reads a track's format and checks its audio (./probe.ts) without copying it: the Blob is
   * mounted, not written. Throws a SeamError naming the track (ProbeTimeoutError when it takes
   * longer than `timeoutMs`), or WorkerStoppedError when the worker was stopped by someone else
   * (the probe did not fail: run it again).
   */
  probe(track: TrackRef, blob: Blob, timeoutMs = probeTimeoutMs(blob.size)): Promise<AudioInfo> {
    return this.#limited(track, timeoutMs, () => probeTrack(this, track, blob));
  }

  /**
   * The decode check of a track listed before it ran (./probe.ts), under the same time limit:
   * a decoder that hangs ends in ProbeTimeoutError naming the track (the pool stores it on the
   * track) instead of holding the track, and every Join waiting for it, forever.
   */
  check(
    track: TrackRef,
    blob: Blob,
    info: AudioInfo,
    timeoutMs = probeTimeoutMs(blob.size),
  ): Promise<AudioInfo> {
    return this.#limited(track, timeoutMs, () => checkTrack(this, track, blob, info));
  }

  /** Runs `work`; past `ms`, kills the worker and rejects with ProbeTimeoutError naming `track`. */
  async #limited<T>(track: TrackRef, ms: number, work: () => Promise<T>): Promise<T> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.reset();
    }, ms);
    try {
      return await work();
    } catch (err) {
      if (timedOut) throw ProbeTimeoutError.after(track, Math.round(ms / 1000));
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs an ffmpeg plan (or one segment's command, lib/segments). `blobs` are the tracks' audio,
   * by track id. Progress is ffmpeg's own `time=` against the command's total duration. When
   * `signal` fires, the worker is killed and the call rejects with JoinCanceledError. The
   * instance is always dropped afterwards: a join leaves the wasm heap grown, and only a fresh
   * worker gives that memory back.
   */
  async run(
    plan: EngineCommand,
    tracks: readonly TrackRef[],
    blobs: ReadonlyMap<string, Blob>,
    onProgress: (fraction: number, phase: 'reading' | 'joining') => void,
    mime: string,
    signal?: AbortSignal,
  ): Promise<RunResult> {
    return this.#exec(plan, tracks, blobs, onProgress, signal, async (w, lastTime) => {
      // Never "Saved" for a file that holds less audio than planned: ffmpeg's last time= is
      // the output's length.
      checkOutputLength(plan, lastTime);
      const blob = await w.call({ type: 'takeOutput', path: plan.outputPath, mime });
      if (blob.size === 0) throw new JoinFailedError(text('engine.noOutput'));
      const heap = await w.call({ type: 'heap' });
      return { blob, heapPeakBytes: heap.peakBytes, writtenSec: lastTime };
    });
  }

  /**
   * Runs a command that writes nothing (an analysis pass such as lib/segments' loudness
   * measurement) and hands back its log, under the same progress, cancel and failure rules.
   */
  async analyse(
    command: Omit<EngineCommand, 'outputPath'>,
    tracks: readonly TrackRef[],
    blobs: ReadonlyMap<string, Blob>,
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    return this.#exec(
      { ...command, outputPath: '/out/-' },
      tracks,
      blobs,
      (f, phase) => phase === 'joining' && onProgress(f),
      signal,
      (_w, _t, log) => Promise.resolve(log.join('\n')),
    );
  }

  async #exec<T>(
    plan: EngineCommand,
    tracks: readonly TrackRef[],
    blobs: ReadonlyMap<string, Blob>,
    onProgress: (fraction: number, phase: 'reading' | 'joining') => void,
    signal: AbortSignal | undefined,
    finish: (w: FfmpegWorker, lastTime: number | undefined, log: string[]) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) throw new JoinCanceledError();
    const w = await this.#instance();
    const stop = () => w.stop();
    signal?.addEventListener('abort', stop);
    const log: string[] = [];
    let lastTime: number | undefined;
    w.onLog = (message) => {
      log.push(message);
      if (log.length > 400) log.splice(0, 200);
      // ffmpeg opens its inputs one by one before it writes a second: reading's own progress.
      const opened = openedInput(message);
      if (opened !== undefined) onProgress(Math.min(1, (opened + 1) / inputs), 'reading');
      const t = parseFfmpegTime(message);
      if (t !== undefined) lastTime = t;
      if (t !== undefined && plan.totalSec > 0) {
        onProgress(Math.min(1, t / plan.totalSec), 'joining');
      }
    };
    const inputs = Math.max(1, inputCount(plan.args));
    try {
      for (const [dir, files] of mountsFor(plan, tracks, blobs)) {
        await w.call({ type: 'mountBlobs', dir, files });
      }
      onProgress(0, 'reading');
      const outDir = dirname(plan.outputPath);
      await w.call({ type: 'mountOutput', dir: outDir });
      this.#execs++;
      const code = await w.call({ type: 'exec', tool: 'ffmpeg', args: plan.args });
      if (code !== 0) {
        const failure = ffmpegFailure(log, plan.inputs, code);
        const track = failure.trackId ? findTrack(tracks, failure.trackId) : undefined;
        throw new JoinFailedError(failure.reason, track);
      }
      return await finish(w, lastTime, log);
    } catch (err) {
      if (signal?.aborted) throw new JoinCanceledError();
      if (err instanceof SeamError) throw err;
      // A crash that says nothing of its own is explained by ffmpeg's last lines before it.
      const said =
        rawErrorText(err) === undefined ? ffmpegFailure(log, plan.inputs).reason : undefined;
      throw new EngineFailedError(text('engine.stopped', said ?? errorReason(err)));
    } finally {
      signal?.removeEventListener('abort', stop);
      w.onLog = undefined;
      if (this.#worker === w) this.reset();
      else w.stop();
    }
  }

  // --- Tasks (./task.ts): probes, checks, short encodes ------------------------------------

  /**
   * Runs `work` with `files` mounted read-only (WORKERFS: the Blobs are read in place, not
   * copied) under a fresh directory, removing it and every scratch output afterwards. A crash
   * of ffmpeg.wasm resets the instance and becomes an EngineFailedError in words; a worker
   * stopped from outside rejects with WorkerStoppedError.
   */
  async task<T>(files: readonly TaskFile[], work: (t: EngineTask) => Promise<T>): Promise<T> {
    const w = await this.#instance();
    const dir = `/task-${crypto.randomUUID()}`;
    const scratch: string[] = [];
    let log: string[] = [];
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
        const code = await w.call({ type: 'exec', tool, args });
        return { code, log };
      },
      readText: (path) => w.call({ type: 'readText', path }),
      readBytes: (path) => w.call({ type: 'readBytes', path }),
    };
    w.onLog = (message) => {
      if (keepLogLine(message, log.length)) log.push(message);
    };
    try {
      await w.call({ type: 'mountBlobs', dir, files: [...files] });
      return await work(task);
    } catch (err) {
      if (err instanceof SeamError || err instanceof WorkerStoppedError) throw err;
      this.reset();
      throw new EngineFailedError(text('engine.stoppedReading', errorReason(err)));
    } finally {
      w.onLog = undefined;
      if (!w.stopped) {
        for (const path of scratch) await w.call({ type: 'remove', path }).catch(() => undefined);
        await w.call({ type: 'unmount', dir }).catch(() => undefined);
      }
    }
  }
}

/**
 * What to mount for a plan: each input's Blob under its path's directory, and the plan's text
 * files (the concat list, the FFMETADATA1 file) as small Blobs beside them. A WORKERFS mount is
 * read-only, so everything in one directory is mounted at once.
 */
function mountsFor(
  plan: Pick<FfmpegCommand, 'inputs' | 'files'>,
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
    const blob = blobs.get(input.intermediate ? intermediateKey(input.trackId) : input.trackId);
    if (!blob)
      throw new JoinFailedError(text('engine.audioMissing'), findTrack(tracks, input.trackId));
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
