/** Native ffmpeg doing a row's job, timed: the column Seam is compared with. */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeAudio } from '../support/native-ffmpeg';

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

/**
 * A book's chapter files joined by stream copy with a chapter per file (an FFMETADATA1 file
 * made from ffprobe's durations) and the first file's cover: what a person does natively.
 */
export async function concatCopyBook(
  files: string[],
  tmp: string,
  ext: 'mp3' | 'm4b',
): Promise<NativeRun> {
  const list = join(tmp, 'list.txt');
  const meta = join(tmp, 'chapters.txt');
  const out = join(tmp, `native.${ext}`);
  await writeFile(list, files.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''));
  let at = 0;
  const chapters: string[] = [];
  for (const [i, f] of files.entries()) {
    const sec = (await probeAudio(f)).durationSec;
    const end = at + sec;
    chapters.push(
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      `START=${Math.round(at * 1000)}`,
      `END=${Math.round(end * 1000)}`,
      `title=Chapter ${i + 1}`,
    );
    at = end;
  }
  await writeFile(meta, [';FFMETADATA1', ...chapters].join('\n') + '\n');
  try {
    return await timeFfmpeg([
      ...['-f', 'concat', '-safe', '0', '-i', list, '-i', meta, '-i', files[0]!],
      ...['-map', '0:a', '-map', '2:v', '-map_chapters', '1', '-c', 'copy'],
      ...['-disposition:v:0', 'attached_pic'],
      ...(ext === 'mp3' ? ['-id3v2_version', '3'] : []),
      out,
    ]);
  } finally {
    await rm(out, { force: true });
  }
}
