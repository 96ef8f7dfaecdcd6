/**
 * What a probe, a check or a short encode needs from the engine: some Blobs mounted read-only,
 * ffmpeg and ffprobe to run against them, and their (small) outputs back. `Engine.task`
 * (./ffmpeg.ts) provides it; ./probe.ts and the other engine-side steps use only this, so they
 * do not depend on how the engine mounts files or talks to its worker. Offscreen document
 * (Chrome), background page (Firefox).
 */

/** A Blob to mount under the task's directory, by file name (no slashes). */
export interface TaskFile {
  name: string;
  blob: Blob;
}

export interface EngineTask {
  /** The path ffmpeg sees for a mounted file. */
  path(name: string): string;
  /** A path for an output of this task (removed when the task ends). */
  scratch(name: string): string;
  /** Runs ffmpeg or ffprobe; resolves with its exit code and this command's log lines. */
  run(tool: 'ffmpeg' | 'ffprobe', args: string[]): Promise<{ code: number; log: string[] }>;
  /** A small output as text, or undefined when it was not written. */
  readText(path: string): Promise<string | undefined>;
  /** A small output's bytes as a Blob, or undefined when it was not written. */
  readBytes(path: string): Promise<Blob | undefined>;
}

/** Anything that runs tasks: the engine, or a second one for checks in the background. */
export interface TaskRunner {
  task<T>(files: readonly TaskFile[], work: (t: EngineTask) => Promise<T>): Promise<T>;
}
