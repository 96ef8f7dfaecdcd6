/**
 * Checks a joined file against the oracle's expectations with native ffmpeg and ffprobe, and
 * says every way it differs, in words (an empty list: it is what the scenario asked for).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { DoneJob, DownloadItem } from '../support/extension';
import { MP3_SEAM_LEFT_OUT, packetsKeptInOrder } from '../support/gapless';
import { decodePcm, ffprobe, packetHashes, type Probe } from '../support/native-ffmpeg';
import type { Expected } from './oracle';

const run = promisify(execFile);

/** What native ffmpeg prints at `-v error` while decoding the whole file ("" when clean). */
export async function decodeErrors(path: string): Promise<string> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-i',
    path,
    '-f',
    'null',
    '-',
  ]);
  return stderr.trim();
}

/** A tag by name from the container or the audio stream, whatever the case of its key. */
function tag(p: Probe, name: string): string | undefined {
  const audio = p.streams.find((s) => s.codec_type === 'audio');
  for (const tags of [p.format.tags, audio?.tags]) {
    for (const [k, v] of Object.entries(tags ?? {})) if (k.toLowerCase() === name) return v;
  }
  return undefined;
}

const near = (got: number, want: number, tol: number) => Math.abs(got - want) <= tol;
const fmt = (x: number) => x.toFixed(3);

export interface Outcome {
  file: string;
  job: DoneJob;
  /** The chapter files saved beside it (by kind) when any were. */
  chapterFiles: DownloadItem[];
  /** The page's line for the saved file ("Saved NAME (SIZE, lossless)."). */
  savedLine: string;
}

/** Every difference between the joined file and what was expected. */
export async function checkOutcome(
  want: Expected,
  out: Outcome,
  inputs: readonly string[],
): Promise<string[]> {
  const bad: string[] = [];
  const errors = await decodeErrors(out.file);
  if (errors) bad.push(`decoding it prints errors: ${errors.slice(0, 300)}`);
  const p = await ffprobe(out.file);
  const audio = p.streams.find((s) => s.codec_type === 'audio');
  if (!audio) return [...bad, 'it has no audio stream'];
  const codecOk =
    want.codec === 'pcm' ? audio.codec_name.startsWith('pcm_') : audio.codec_name === want.codec;
  if (!codecOk) bad.push(`codec ${audio.codec_name}, expected ${want.codec}`);
  if (Number(audio.sample_rate) !== want.rate) {
    bad.push(`sample rate ${audio.sample_rate}, expected ${want.rate}`);
  }
  if (audio.channels !== want.channels) {
    bad.push(`${audio.channels} channels, expected ${want.channels}`);
  }
  const pcm = await decodePcm(out.file, { channels: 1 });
  const length = pcm.samples.length / pcm.rate;
  if (!near(length, want.lengthSec, want.toleranceSec)) {
    bad.push(
      `decodes to ${fmt(length)} s, expected ${fmt(want.lengthSec)} ± ${fmt(want.toleranceSec)} s`,
    );
  }
  bad.push(...checkChapters(want, p));
  if (want.tags) {
    for (const name of ['title', 'artist'] as const) {
      const got = tag(p, name);
      if (got !== want.tags[name])
        bad.push(`${name} tag ${JSON.stringify(got)}, expected ${JSON.stringify(want.tags[name])}`);
    }
  }
  const pictures = p.streams.filter((s) => s.disposition?.attached_pic === 1).length;
  if (pictures !== (want.cover ? 1 : 0)) {
    bad.push(`${pictures} cover pictures, expected ${want.cover ? 1 : 0}`);
  }
  bad.push(...(await checkChapterFiles(want, out)));
  bad.push(...(await checkLossless(want, out, inputs)));
  return bad;
}

function checkChapters(want: Expected, p: Probe): string[] {
  const got = p.chapters.map((c) => ({ title: c.tags?.title ?? '', start: Number(c.start_time) }));
  if (got.length !== want.chapters.length) {
    return [
      `${got.length} chapters (${got.map((c) => c.title).join(', ')}), expected ${want.chapters.length} (${want.chapters.map((c) => c.title).join(', ')})`,
    ];
  }
  const bad: string[] = [];
  want.chapters.forEach((c, i) => {
    const g = got[i]!;
    if (g.title !== c.title)
      bad.push(`chapter ${i + 1} is titled "${g.title}", expected "${c.title}"`);
    if (!near(g.start, c.startSec, want.toleranceSec + 0.01)) {
      bad.push(`chapter ${i + 1} starts at ${fmt(g.start)} s, expected ${fmt(c.startSec)} s`);
    }
  });
  return bad;
}

async function checkChapterFiles(want: Expected, out: Outcome): Promise<string[]> {
  const names = out.job.chapterFiles ?? [];
  if (want.chapterFileChapters === 0) {
    return names.length ? [`chapter files saved (${names.join(', ')}), expected none`] : [];
  }
  if (names.length !== 3) {
    return [
      `chapter files ${JSON.stringify(names)} (${out.job.chapterFilesError ?? 'no error'}), expected .cue, .chapters.txt and .chapters.json`,
    ];
  }
  const json = out.chapterFiles.find((d) => d.mime === 'application/json');
  if (!json) return ['no JSON chapter file was downloaded'];
  const list = JSON.parse(await readFile(json.filename, 'utf8')) as { chapters?: unknown[] };
  const count = list.chapters?.length ?? 0;
  return count === want.chapterFileChapters
    ? []
    : [`the JSON chapter file lists ${count} chapters, expected ${want.chapterFileChapters}`];
}

/**
 * The lossless promise: the README's (matching tracks, no edits) against the job's, and when
 * the job says lossless, the audio itself: exact samples for WAV and FLAC, the inputs' packets
 * in order (but the few each exact join encodes again) for the copied codecs.
 */
async function checkLossless(
  want: Expected,
  out: Outcome,
  inputs: readonly string[],
): Promise<string[]> {
  const bad: string[] = [];
  const said = out.job.lossless;
  if (/, lossless\)/.test(out.savedLine) !== said) {
    bad.push(`the page says "${out.savedLine.slice(0, 120)}" but the job's lossless is ${said}`);
  }
  if (want.lossless !== undefined && want.lossless !== said) {
    bad.push(
      want.lossless
        ? 'matching tracks with no edit were re-encoded'
        : 'an edited join says lossless',
    );
  }
  if (!said) return bad;
  if (want.codec === 'pcm' || want.codec === 'flac') {
    return [...bad, ...(await samplesKept(out.file, inputs))];
  }
  const each = await Promise.all(inputs.map(packetHashes));
  const total = each.reduce((n, h) => n + h.length, 0);
  const kept = packetsKeptInOrder(each, await packetHashes(out.file));
  const allowed = MP3_SEAM_LEFT_OUT * (inputs.length - 1);
  if (kept < total - allowed) {
    bad.push(
      `lossless, but only ${kept} of the inputs' ${total} packets are in it (at most ${allowed} may go at the joins)`,
    );
  }
  return bad;
}

/** The decoded samples as 32-bit floats (exact for every PCM and FLAC depth up to 24 bits). */
async function floatSamples(path: string): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-f', 'f32le', '-'],
    { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
  );
  return stdout as unknown as Buffer;
}

/** Bits a stream holds its samples in, and whether they are floats. */
async function depth(path: string): Promise<{ bits: number; float: boolean; codec: string }> {
  const audio = (await ffprobe(path)).streams.find((s) => s.codec_type === 'audio');
  const codec = audio?.codec_name ?? '';
  const pcm = /^pcm_([suf])(\d+)/.exec(codec);
  if (pcm) return { bits: Number(pcm[2]), float: pcm[1] === 'f', codec };
  const raw = Number(audio?.bits_per_raw_sample ?? 0);
  return { bits: raw || 16, float: false, codec };
}

/**
 * A lossless WAV or FLAC: the inputs' samples one after another, exactly, in a depth that holds
 * them (an 8-bit or 24-bit input is not cut or padded to 16 bits and called lossless).
 */
async function samplesKept(file: string, inputs: readonly string[]): Promise<string[]> {
  const bad: string[] = [];
  const got = await floatSamples(file);
  const parts = await Promise.all(inputs.map(floatSamples));
  const want = Buffer.concat(parts);
  if (!got.equals(want)) {
    bad.push(
      `lossless, but its samples are not the inputs' (${got.length / 4} against ${want.length / 4} values)`,
    );
  }
  const ins = await Promise.all(inputs.map(depth));
  const out = await depth(file);
  const bits = Math.max(...ins.map((d) => d.bits));
  const float = ins.some((d) => d.float);
  if (out.bits < bits || (float && !out.float)) {
    bad.push(
      `lossless, but written as ${out.codec} ${out.bits}-bit from ${ins.map((d) => `${d.codec} ${d.bits}-bit`).join(', ')}`,
    );
  }
  return bad;
}
