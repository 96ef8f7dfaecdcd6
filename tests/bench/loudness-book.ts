/**
 * The loudness figures of a real joined book (issue 23, README "Match loudness"): four chapters
 * of speech-like sound (pink noise, band-limited to a voice's range, at a syllable rate, with
 * sentence pauses) recorded at four levels, joined in the extension (headless Chromium, real
 * ffmpeg.wasm) with "Match loudness" as a lossless MP3 (64 kb/s mono MP3 chapters) and as a
 * lossless M4B (96 kb/s stereo AAC chapters), and each chapter's integrated loudness and true
 * peak measured by native ffmpeg's ebur128 before and after. A report, not a test:
 * `npx tsx tests/bench/loudness-book.ts` (after `npm run build:e2e`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchSeam, resetSeam } from '../support/chromium';
import { ffmpeg } from '../support/native-ffmpeg';
import { OptionsPage, field } from '../support/pages';
import { until } from '../support/wait';

const CHAPTER_SEC = 90;
const LEVELS_DB = [0, -8, -16, -24];

function measure(file: string, fromSec?: number, sec?: number): { i: number; tp: number } {
  const cut = fromSec === undefined ? [] : ['-ss', String(fromSec), '-t', String(sec)];
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostats', ...cut, '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const i = /I:\s+(-?[\d.]+) LUFS/.exec(r.stderr.slice(r.stderr.lastIndexOf('Summary:')));
  const tp = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(r.stderr.slice(r.stderr.lastIndexOf('Summary:')));
  return { i: Number(i?.[1]), tp: Number(tp?.[1]) };
}

/** How the chapters are recorded and what the book is joined to. */
const CODECS = {
  mp3: {
    ext: 'mp3',
    args: ['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k'],
    format: 'MP3',
    label: 'lossless MP3',
  },
  aac: {
    ext: 'm4a',
    args: ['-ac', '2', '-c:a', 'aac', '-b:a', '96k'],
    format: 'M4B',
    label: 'lossless M4B, stereo AAC',
  },
} as const;

/**
 * One book: `depth` is the syllable-rate modulation (0.9 as read, 0.5 as a narrator's mastered
 * recording with less between its loudest and its average).
 */
async function book(label: string, depth: number, codec: keyof typeof CODECS): Promise<void> {
  const c = CODECS[codec];
  const dir = await mkdtemp(join(tmpdir(), 'seam-loudness-book-'));
  const files: string[] = [];
  for (const [k, db] of LEVELS_DB.entries()) {
    const path = join(dir, `Chapter ${k + 1}.${c.ext}`);
    await ffmpeg([
      ...[
        '-f',
        'lavfi',
        '-i',
        `anoisesrc=color=pink:seed=${k + 11}:amplitude=0.5:d=${CHAPTER_SEC}`,
      ],
      '-af',
      [
        'highpass=f=120',
        'lowpass=f=3800',
        `tremolo=f=4:d=${depth}`,
        // A pause of a second every seven, as between sentences.
        "volume='if(lt(mod(t,7),6),1,0.01)':eval=frame",
        `volume=${db}dB`,
      ].join(','),
      ...['-ar', '44100', ...c.args, path],
    ]);
    files.push(path);
  }
  const before = files.map((f) => measure(f));

  const seam = await launchSeam({ name: 'seam-loudness-book' });
  try {
    const page = await seam.openOptions();
    await resetSeam(seam, page);
    await seam.ext.clearSettings();
    await page.reload();
    const ui = new OptionsPage(page);
    await ui.addFilesAndWait(files, 300_000);
    await ui.setFormat(c.format);
    await field(page.getByRole('region', { name: 'Output' }), 'checkbox', 'Match loudness').check();
    // The plan once every track's decode check has measured it (its notes under Details).
    const details = page.getByRole('button', { name: 'Details' });
    if ((await details.getAttribute('aria-expanded')) !== 'true') await details.click();
    const promise = page.getByText(/loudness matched|keeps part of its loudness/);
    const unmeasured = page.getByText(/is not measured yet/);
    await until(async () => {
      if ((await promise.count()) === 0 || (await unmeasured.count()) > 0)
        throw new Error('not every track is measured yet');
    }, 300_000);
    const plan = [await ui.planText(), ...(await promise.allInnerTexts())].join(' ');
    const started = Date.now();
    const { file } = await seam.ext.joinAndWait(() => ui.join(), 600_000);
    const joinSec = (Date.now() - started) / 1000;
    const after = files.map((_, k) => measure(file, k * CHAPTER_SEC + 0.5, CHAPTER_SEC - 1));
    console.log(`\n## ${label}\n\nPlan: ${plan}`);
    console.log(`Join: ${joinSec.toFixed(1)} s (${c.label}, ${files.length} × ${CHAPTER_SEC} s)\n`);
    console.log('| chapter | recorded at | before: I, true peak | after: I, true peak |');
    console.log('| --- | --- | --- | --- |');
    before.forEach((b, k) => {
      const a = after[k]!;
      console.log(
        `| ${k + 1} | ${LEVELS_DB[k]} dB | ${b.i.toFixed(1)} LUFS, ${b.tp.toFixed(1)} dBTP | ${a.i.toFixed(1)} LUFS, ${a.tp.toFixed(1)} dBTP |`,
      );
    });
    const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    console.log(
      `\nSpread between chapters: ${spread(before.map((b) => b.i)).toFixed(1)} LU before, ${spread(after.map((a) => a.i)).toFixed(1)} LU after.`,
    );
  } finally {
    await seam.close();
  }
}

const only = process.argv[2] as keyof typeof CODECS | undefined;
for (const codec of only ? [only] : (Object.keys(CODECS) as (keyof typeof CODECS)[])) {
  await book(`${codec}: narration as read (syllable modulation 0.9)`, 0.9, codec);
  await book(`${codec}: narration mastered (syllable modulation 0.5)`, 0.5, codec);
}
