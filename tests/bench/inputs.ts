/**
 * The benchmark's test audio, generated once with native ffmpeg into tests/bench/.data/
 * (gitignored). Each file: a tone in the left channel, the tone x 1.5 in the right, pink noise in
 * both, so LAME has real work to do and no two files are alike. MP3 128 kb/s CBR, 44.1 kHz stereo,
 * or 16-bit WAV at 44.1 kHz stereo (the WAV sets: 1.27 GB and 0.85 GB on disk).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { ffmpeg } from '../support/native-ffmpeg';
import { log, secs } from './report';

export const DATA_DIR = join(import.meta.dirname, '.data');

export interface AudioSpec {
  name: string;
  seconds: number;
  hz: number;
  seed: number;
  /** MP3 128 kb/s unless 'wav', or 'm4a' (AAC). */
  format?: 'mp3' | 'wav' | 'm4a';
  /** kb/s of MP3 or AAC (128 unless said). */
  kbps?: number;
  /** A cover picture (a generated PNG) attached to the file, as audiobook chapter files have. */
  cover?: boolean;
  /** 1 for a mono file (the left and right mixes summed); stereo unless said. */
  channels?: 1 | 2;
}

/** A set of input files a row joins, by its name in the report ("10 × 60 s"). */
export interface InputSet {
  name: string;
  files: AudioSpec[];
}

export const SHORT: InputSet = {
  name: '10 × 60 s',
  files: Array.from({ length: 10 }, (_, i) => ({
    name: `short-${String(i + 1).padStart(2, '0')}-60s.mp3`,
    seconds: 60,
    hz: 220 + 55 * i,
    seed: i + 1,
  })),
};

export const LONG: InputSet = {
  name: '2 × 60 min',
  files: [
    { name: 'long-1-60min.mp3', seconds: 3600, hz: 330, seed: 101 },
    { name: 'long-2-60min.mp3', seconds: 3600, hz: 495, seed: 102 },
  ],
};

export const LONG_WAV: InputSet = {
  name: '2 × 60 min WAV',
  files: [
    { name: 'long-1-60min.wav', seconds: 3600, hz: 330, seed: 101, format: 'wav' },
    { name: 'long-2-60min.wav', seconds: 3600, hz: 495, seed: 102, format: 'wav' },
  ],
};

export const WAV_40: InputSet = {
  name: '2 × 40 min WAV',
  files: [
    { name: 'long-1-40min.wav', seconds: 2400, hz: 330, seed: 201, format: 'wav' },
    { name: 'long-2-40min.wav', seconds: 2400, hz: 495, seed: 202, format: 'wav' },
  ],
};

/**
 * A 10-hour audiobook in 30 chapter files of 20 minutes, 64 kb/s (what audiobook stores sell),
 * the first with a cover: as MP3s (joined losslessly to MP3 with ID3 chapters) and as AAC M4As
 * (joined by stream copy to an M4B with a cover and 30 chapters).
 */
function book(format: 'mp3' | 'm4a'): InputSet {
  return {
    name: `10 h book, 30 × 20 min ${format === 'mp3' ? 'MP3' : 'AAC'} 64k`,
    files: Array.from({ length: 30 }, (_, i) => ({
      name: `book-${String(i + 1).padStart(2, '0')}-20min.${format}`,
      seconds: 1200,
      hz: 200 + 13 * i,
      seed: 300 + i,
      format,
      kbps: 64,
      ...(i === 0 ? { cover: true } : {}),
    })),
  };
}
export const BOOK_MP3 = book('mp3');

/** A 3-hour book as a person's first try finds it: twelve 15-minute chapters, 64 kb/s mono MP3. */
export const BOOK_3H: InputSet = {
  name: '3 h book, 12 × 15 min MP3 64k mono',
  files: Array.from({ length: 12 }, (_, i) => ({
    name: `book3h-${String(i + 1).padStart(2, '0')}-15min-mono.mp3`,
    seconds: 900,
    hz: 180 + 17 * i,
    seed: 500 + i,
    kbps: 64,
    channels: 1 as const,
  })),
};
export const BOOK_AAC = book('m4a');

async function generate(spec: AudioSpec): Promise<void> {
  const path = join(DATA_DIR, spec.name);
  if (existsSync(path)) return;
  const wav = spec.format === 'wav';
  const ext = spec.format ?? 'mp3';
  const part = `${path}.part.${ext}`;
  const kbps = `${spec.kbps ?? 128}k`;
  const d = spec.seconds;
  const src = (s: string) => ['-f', 'lavfi', '-i', s];
  await ffmpeg([
    ...src(`sine=frequency=${spec.hz}:sample_rate=44100:duration=${d}`),
    ...src(`sine=frequency=${spec.hz * 1.5}:sample_rate=44100:duration=${d}`),
    ...src(`anoisesrc=color=pink:amplitude=0.3:sample_rate=44100:duration=${d}:seed=${spec.seed}`),
    '-filter_complex',
    '[0:a][1:a][2:a]amerge=inputs=3,pan=stereo|c0=0.45*c0+0.55*c2|c1=0.45*c1+0.55*c2[out]',
    ...(spec.cover ? src('color=steelblue:s=300x300:d=1') : []),
    ...['-map', '[out]', '-ar', '44100', '-ac', String(spec.channels ?? 2)],
    ...(spec.cover
      ? ['-map', '3:v', '-frames:v', '1', '-c:v', 'png', '-disposition:v:0', 'attached_pic']
      : []),
    ...(wav
      ? ['-c:a', 'pcm_s16le']
      : ext === 'm4a'
        ? ['-c:a', 'aac', '-b:a', kbps]
        : ['-c:a', 'libmp3lame', '-b:a', kbps, '-id3v2_version', '3']),
    part,
  ]);
  await rename(part, path);
}

/** Generates what is missing (as many at a time as there are cores); returns the files' paths. */
export async function generateAll(set: InputSet): Promise<string[]> {
  await mkdir(DATA_DIR, { recursive: true });
  const missing = set.files.filter((s) => !existsSync(join(DATA_DIR, s.name)));
  if (missing.length > 0) {
    log(`Generating ${missing.length} test file(s) with native ffmpeg into ${DATA_DIR} ...`);
    const t0 = performance.now();
    const queue = [...missing];
    const workers = Array.from({ length: Math.max(1, os.cpus().length) }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await generate(s);
    });
    await Promise.all(workers);
    log(`  done in ${secs(performance.now() - t0)}`);
  }
  return set.files.map((s) => join(DATA_DIR, s.name));
}
