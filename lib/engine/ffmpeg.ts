import { FFmpeg, type FFFSType, type LogEvent } from '@ffmpeg/ffmpeg';
import type { AudioInfo } from '@/lib/core/track';
import {
  EngineFailedError,
  JoinCanceledError,
  JoinFailedError,
  SeamError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { ffmpegFailure } from '@/lib/media/ffmpeg-log';
import type { JoinPlan } from '@/lib/plan/planner';
import { parseFfmpegTime, parseProbe, parseProgressTime, probeArgs } from '@/lib/media/probe';
import { inspectHeader } from '@/lib/media/sniff';
import type { TrackRef } from '@/lib/core/track';

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
/** The first bytes read for sniffing: enough for an ID3v2 tag's start and a WAV header. */
const SNIFF_BYTES = 64 * 1024;
/**
 * Tracks up to this long are decoded once on add, so damage in the middle (which ffprobe's header
 * read cannot see) is reported before Join. About 1 s of work per 10 min of MP3 here; longer
 * tracks (audiobook chapters of hours) skip it rather than keep the engine busy for minutes.
 */
const DECODE_CHECK_MAX_SEC = 20 * 60;

/**
 * The ffmpeg.wasm wrapper: loads once, probes, runs a plan with progress, cancels by killing the
 * worker (which frees its memory) and reloads lazily after a failure, a cancel or a join.
 */
export class Engine {
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

  /** Reads a track's format without copying its audio: the Blob is mounted, not written. */
  async probe(track: TrackRef, blob: Blob): Promise<AudioInfo> {
    const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
    const header = inspectHeader(head, blob.size);
    const ff = await this.#instance();
    const dir = `/probe-${crypto.randomUUID()}`;
    const out = `${dir}.json`;
    const progressFile = `${dir}.progress`;
    let mounted = false;
    const log: string[] = [];
    const onLog = ({ message }: LogEvent) => void log.push(message);
    ff.on('log', onLog);
    try {
      await ff.createDir(dir);
      await ff.mount('WORKERFS' as FFFSType, { blobs: [{ name: 'input', data: blob }] }, dir);
      mounted = true;
      this.#execs++;
      await ff.ffprobe(probeArgs(`${dir}/input`, out));
      let json = '';
      try {
        json = new TextDecoder().decode((await ff.readFile(out)) as Uint8Array);
      } catch {
        // No output file: ffprobe refused the input; parseProbe explains it from the header.
      }
      const file = { ...track, size: blob.size };
      const info = parseProbe(json, file, log.join('\n'), header);
      if (info.durationSec > DECODE_CHECK_MAX_SEC) return info;
      log.length = 0;
      this.#execs++;
      await ff.exec([
        ...['-hide_banner', '-loglevel', 'error', '-i', `${dir}/input`, '-map', '0:a:0'],
        // The decoded length, exact: what trims, crossfades, chapters and fades are timed against
        // (a container's duration can be off by the encoder's delay and padding).
        ...['-progress', progressFile, '-f', 'null', '-'],
      ]);
      const checked = parseProbe(json, file, log.join('\n'), header);
      let decodedSec: number | undefined;
      try {
        const text = new TextDecoder().decode((await ff.readFile(progressFile)) as Uint8Array);
        decodedSec = parseProgressTime(text);
      } catch {
        // No progress file: keep the container's duration.
      }
      return decodedSec !== undefined && decodedSec > 0
        ? { ...checked, durationSec: decodedSec }
        : checked;
    } catch (err) {
      if (err instanceof SeamError) throw err;
      this.reset();
      throw new UnsupportedAudioError(`could not be read (${String(err)})`, track);
    } finally {
      ff.off('log', onLog);
      if (this.#ff === ff) {
        await ff.deleteFile(out).catch(() => undefined);
        await ff.deleteFile(progressFile).catch(() => undefined);
        if (mounted) await ff.unmount(dir).catch(() => undefined);
        await ff.deleteDir(dir).catch(() => undefined);
      }
    }
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
    const onLog = ({ message }: LogEvent) => {
      log.push(message);
      if (log.length > 400) log.splice(0, 200);
      const t = parseFfmpegTime(message);
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
}

function findTrack(tracks: readonly TrackRef[], id: string): TrackRef | undefined {
  return tracks.find((t) => t.id === id);
}
