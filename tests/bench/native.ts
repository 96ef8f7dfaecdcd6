/** Native ffmpeg doing a row's job, timed: the column Seam is compared with. */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface NativeRun {
  /** Wall time of the process, start included (as for a person running it). */
  ms: number;
  /** ffmpeg's own peak resident memory (`-benchmark`: getrusage's maxrss), in KiB. */
  maxRssKb: number;
}

/** Runs native ffmpeg (output written to disk) and times it. */
async function timeFfmpeg(args: string[]): Promise<NativeRun> {
  const t0 = performance.now();
  const stderr = await new Promise<string>((ok, fail) => {
    // -benchmark prints "bench: maxrss=...kB" at the info level; -nostats keeps the rest short.
    const p = spawn(
      'ffmpeg',
      ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-benchmark', '-y', ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', fail);
    p.on('close', (code) =>
      code === 0 ? ok(err) : fail(new Error(`ffmpeg exited ${code}: ${err.slice(-2000)}`)),
    );
  });
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  return { ms, maxRssKb: Number(/bench: maxrss=(\d+)kB/.exec(stderr)?.[1] ?? 0) };
}

/** The concat demuxer with stream copy: native ffmpeg's lossless join. */
export async function concatCopy(files: string[], tmp: string, ext: string): Promise<NativeRun> {
  const list = join(tmp, 'list.txt');
  const out = join(tmp, `native.${ext}`);
  await writeFile(list, files.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''));
  try {
    return await timeFfmpeg([
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-map',
      '0:a',
      '-c',
      'copy',
      out,
    ]);
  } finally {
    await rm(out, { force: true });
  }
}

/**
 * The concat filter (decode every input, concatenate, encode with `encoder`): the same work as
 * Seam's re-encode plan.
 */
export async function concatEncode(
  files: string[],
  tmp: string,
  ext: string,
  encoder: string[],
): Promise<NativeRun> {
  const out = join(tmp, `native.${ext}`);
  const labels = files.map((_, i) => `[${i}:a]`).join('');
  try {
    return await timeFfmpeg([
      ...files.flatMap((f) => ['-i', f]),
      ...['-filter_complex', `${labels}concat=n=${files.length}:v=0:a=1[out]`, '-map', '[out]'],
      ...encoder,
      out,
    ]);
  } finally {
    await rm(out, { force: true });
  }
}
