/**
 * A scenario's input files, made with native ffmpeg: a tone over pink noise (so encoders and
 * loudness normalization have real work and no two inputs sound alike), digital silence before
 * and after it when asked, tags, an embedded cover, chapters. Each file is cached by the hash of
 * what it is made from in a folder under the system's temp dir, so a rerun of a seed makes none.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpeg } from '../support/native-ffmpeg';
import type { InputSpec } from './scenario';

export const CACHE_DIR = join(tmpdir(), 'seam-scenario-inputs');

const CODEC: Record<InputSpec['format'], { ext: string; args: string[] }> = {
  mp3: { ext: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3'] },
  m4a: { ext: 'm4a', args: ['-c:a', 'aac', '-b:a', '128k'] },
  opus: { ext: 'opus', args: ['-c:a', 'libopus', '-b:a', '96k'] },
  flac: { ext: 'flac', args: ['-c:a', 'flac'] },
  wav: { ext: 'wav', args: ['-c:a', 'pcm_s16le'] },
  ogg: { ext: 'ogg', args: ['-c:a', 'libvorbis', '-q:a', '4'] },
};

export const extension = (spec: InputSpec): string => CODEC[spec.format].ext;

/** The encoder arguments of an input: its codec's, with its sample format. */
function codecArgs(spec: InputSpec): string[] {
  const f = spec.sampleFormat;
  if (spec.format === 'wav' && f) {
    return ['-c:a', { u8: 'pcm_u8', s24: 'pcm_s24le', f32: 'pcm_f32le' }[f]];
  }
  if (spec.format === 'flac' && f === 's24') return ['-c:a', 'flac', '-sample_fmt', 's32'];
  return CODEC[spec.format].args;
}

/** The cover picture embedded in inputs (a 64 x 64 JPEG) and a person's own image (PNG). */
async function picture(kind: 'embedded' | 'own'): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, kind === 'own' ? 'own-cover.png' : 'embedded-cover.jpg');
  if (existsSync(path)) return path;
  const part = `${path}.part${process.pid}${kind === 'own' ? '.png' : '.jpg'}`;
  const colour = kind === 'own' ? 'teal:s=120x120' : 'orange:s=64x64';
  await ffmpeg(['-f', 'lavfi', '-i', `color=${colour}`, '-frames:v', '1', part]);
  await rename(part, path);
  return path;
}

export const ownCoverImage = (): Promise<string> => picture('own');

/** ffmpeg's metadata file for an input's chapters ("Part 1", "Part 2"...). */
function chapterMetadata(spec: InputSpec): string {
  const total = (spec.lead ?? 0) + spec.seconds + (spec.trail ?? 0);
  const starts = spec.chapters ?? [];
  const lines = starts.flatMap((start, i) => [
    '[CHAPTER]',
    'TIMEBASE=1/1000',
    `START=${Math.round(start * 1000)}`,
    `END=${Math.round((starts[i + 1] ?? total) * 1000)}`,
    `title=Part ${i + 1}`,
  ]);
  return [';FFMETADATA1', ...lines].join('\n') + '\n';
}

/** Makes (or finds in the cache) the file of `spec`; returns its path. */
export async function inputFile(spec: InputSpec): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
  const path = join(CACHE_DIR, `${hash}.${extension(spec)}`);
  if (existsSync(path)) return path;
  const { rate, seconds } = spec;
  const src = `sample_rate=${rate}:duration=${seconds}`;
  const lead = Math.round((spec.lead ?? 0) * 1000);
  const filters = [
    '[0:a][1:a]amix=inputs=2',
    spec.lead ? `adelay=${lead}|${lead}` : '',
    spec.trail ? `apad=pad_dur=${spec.trail}` : '',
  ].filter(Boolean);
  const args = [
    ...['-f', 'lavfi', '-i', `sine=frequency=${spec.freq}:${src}`],
    ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.1:${src}:seed=${spec.noiseSeed}`],
  ];
  const maps = ['-map', '[out]'];
  let next = 2;
  if (spec.cover) {
    args.push('-i', await picture('embedded'));
    maps.push('-map', `${next++}:v`, '-c:v', 'mjpeg', '-disposition:v', 'attached_pic');
  }
  const part = `${path}.part${process.pid}.${extension(spec)}`;
  if (spec.chapters?.length) {
    const meta = `${path}.ffmeta`;
    await writeFile(meta, chapterMetadata(spec));
    args.push('-i', meta);
    maps.push('-map_chapters', String(next++));
  }
  const tags = Object.entries(spec.tags ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  await ffmpeg([
    ...args,
    '-filter_complex',
    `${filters.join(',')},aformat=channel_layouts=${spec.channels === 1 ? 'mono' : 'stereo'}[out]`,
    ...maps,
    ...['-ar', String(rate), '-ac', String(spec.channels)],
    ...codecArgs(spec),
    ...tags,
    part,
  ]);
  // Written aside and renamed, so an interrupted run leaves no half file to be reused.
  await rename(part, path);
  return path;
}

/**
 * The scenario's inputs under the names the person's files have ("1 mp3.mp3"...), hard links
 * to the cached files in `dir`: the name is what chapter titles and the queue show.
 */
export async function inputFiles(specs: readonly InputSpec[], dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const cached = await inputFile(spec);
    const path = join(dir, `${inputName(spec, i)}.${extension(spec)}`);
    await rm(path, { force: true });
    await link(cached, path);
    out.push(path);
  }
  return out;
}

/** A track's name without the extension: its chapter title when it has no title tag. */
export const inputName = (spec: InputSpec, i: number): string => `${i + 1} ${spec.format}`;
