/**
 * Progress that moves (issue 22, item 4): during a join of 40 short tracks the progress bar's
 * number changes as ffmpeg opens each track (reading) and as each join of a stream copy is closed
 * (finishing), and never rests at "Reading tracks 0%" or "Joining 100%". Every value the bar
 * shows is recorded with its time; what is asserted does not depend on the machine's speed (how
 * many distinct values each stage shows, that they only go up), and the longest time the bar
 * stood still is printed, not judged. Real files made by native ffmpeg, the real engine.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { ffmpeg, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';

const TRACKS = 40;
/** Each stage shows at least this many values of its own (one per track or join would be 40). */
const AT_LEAST = 10;

let seam: Seam;

/** `TRACKS` tones of `sec` seconds, each a different pitch, in `ext` by native ffmpeg. */
async function tones(ext: 'mp3' | 'm4a', codec: string[], sec = 1): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), `seam-progress-${ext}-`));
  const paths: string[] = [];
  for (let i = 0; i < TRACKS; i++) {
    const path = join(dir, `Part ${String(i + 1).padStart(2, '0')}.${ext}`);
    await ffmpeg([
      ...['-f', 'lavfi', '-i', `sine=frequency=${300 + 10 * i}:duration=${sec}:sample_rate=44100`],
      ...['-ac', '2', ...codec, path],
    ]);
    paths.push(path);
  }
  return paths;
}

interface Seen {
  at: number;
  now: number;
  text: string;
}

/** Records every value the progress bar shows (number and words) with its time, until stopped. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seen: Seen[] };
    w.seen = [];
    const look = () => {
      const bar = document.querySelector('[role="progressbar"]');
      if (!bar) return;
      const now = Number(bar.getAttribute('aria-valuenow'));
      const text = bar.getAttribute('aria-valuetext') ?? '';
      const last = w.seen.at(-1);
      if (!last || last.now !== now || last.text.split(',')[0] !== text.split(',')[0]) {
        w.seen.push({ at: performance.now(), now, text });
      }
    };
    // Every change as it happens, and a look every 100 ms besides.
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow', 'aria-valuetext'],
    });
    setInterval(look, 100);
  });
}

async function seen(page: Page): Promise<Seen[]> {
  return page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
}

/** The values shown in a stage ("Reading tracks: 12%"), in order. */
function stage(all: readonly Seen[], words: string): number[] {
  return all.filter((s) => s.text.startsWith(`${words}:`)).map((s) => s.now);
}

/** Prints (never judges: a busy machine is slower) how long the bar stood still at most, where. */
function report(name: string, all: readonly Seen[]): void {
  let still = 0;
  let at = '';
  for (let i = 1; i < all.length; i++) {
    const gap = all[i]!.at - all[i - 1]!.at;
    if (gap > still) [still, at] = [gap, all[i - 1]!.text];
  }
  const sec = (still / 1000).toFixed(1);
  console.log(`${name}: ${all.length} values; the bar stood still at most ${sec} s, at "${at}"`);
}

async function joinWatched(paths: string[], format: string): Promise<Seen[]> {
  const page = await seam.openPopup();
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.setViewportSize({ width: 400, height: 600 });
  const ui = new PopupPage(page);
  await ui.addFiles(paths);
  await ui.waitForReady(TRACKS, 240_000);
  await ui.setFormat(format);
  await watchProgress(page);
  await seam.ext.joinAndWait(() => ui.join(), 240_000);
  const all = await seen(page);
  await page.close();
  return all;
}

beforeAll(async () => {
  requireNativeFfmpeg();
  seam = await launchSeam({ name: 'seam-ui-progress' });
});
afterAll(() => seam?.close());

describe('progress of a 40-track join', () => {
  test('re-encoding: reading moves with each track ffmpeg opens, then joining moves', async () => {
    // 40 × 15 s: ffmpeg states its time= every half second, and 10 minutes of MP3 to WAV take
    // it several of those in any engine. With 40 × 1 s the whole of the joining could fall
    // between two statements, leaving one value to see (a CI run saw only "Joining: 99%").
    const paths = await tones('mp3', ['-c:a', 'libmp3lame', '-b:a', '128k'], 15);
    const all = await joinWatched(paths, 'WAV');
    report('40 MP3s to WAV', all);
    const said = all.map((s) => s.text).join(' | ');

    const reading = stage(all, 'Reading tracks');
    const between = new Set(reading.filter((n) => n > 0 && n < 100));
    expect(between.size, said).toBeGreaterThanOrEqual(Math.min(TRACKS, AT_LEAST));
    expect(reading, said).toEqual([...reading].sort((a, b) => a - b));

    const joining = stage(all, 'Joining');
    expect(new Set(joining).size, said).toBeGreaterThanOrEqual(2);
    expect(joining, said).toEqual([...joining].sort((a, b) => a - b));
    // A WAV's header is written again after the audio: a stage of its own, not "Joining 100%".
    expect(stage(all, 'Finishing the file').length, said).toBeGreaterThanOrEqual(1);
    expect(
      all.filter((s) =>
        /^(Starting|Loading the engine|Reading tracks): 0%|^Joining: 100%/.test(s.text),
      ),
      said,
    ).toEqual([]);
  });

  test('a stream copy: finishing moves with each join closed', async () => {
    const paths = await tones('m4a', ['-c:a', 'aac', '-b:a', '96k']);
    const all = await joinWatched(paths, 'M4A');
    report('40 AAC to M4A, lossless', all);
    const said = all.map((s) => s.text).join(' | ');

    const finishing = stage(all, 'Finishing the file');
    const between = new Set(finishing.filter((n) => n > 0 && n < 100));
    expect(between.size, said).toBeGreaterThanOrEqual(Math.min(TRACKS - 1, AT_LEAST));
    expect(finishing, said).toEqual([...finishing].sort((a, b) => a - b));
    expect(
      all.filter((s) =>
        /^(Starting|Loading the engine|Reading tracks): 0%|^Joining: 100%/.test(s.text),
      ),
      said,
    ).toEqual([]);
    // Every value shown is a number of its stage: the bar never stands at 100 before it is done.
    expect(
      all.filter((s) => s.now >= 100 && !s.text.startsWith('Saving')),
      said,
    ).toEqual([]);
  });
});
