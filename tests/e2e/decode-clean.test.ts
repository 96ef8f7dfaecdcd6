/**
 * Every output format decodes cleanly: native ffmpeg at `-v warning` prints nothing while
 * decoding what Seam wrote (no "non monotonically increasing dts", no guessed channel layout,
 * no invalid header). Two input sets per format: an MP3 and an AAC track (the formats suite's),
 * and six odd inputs (mono and stereo, 8 to 96 kHz, WAV, FLAC, AAC, MP4 video) with a trim, a
 * crossfade and a gap, so timestamps go through resampling and the whole filter graph.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  PopupPage,
  downloadedFile,
  fixture,
  getJob,
  launchSeam,
  resetSeam,
  waitForJob,
  type Seam,
} from './harness';

const run = promisify(execFile);

const FORMATS = ['mp3', 'm4a', 'm4b', 'm4r', 'ogg', 'opus', 'flac', 'wav'] as const;
const SETS = {
  'an MP3 and an AAC track': ['tone-440-2s-44100-stereo.mp3', 'aac-44100-stereo.m4a'],
  'six odd inputs with a trim, a crossfade and a gap': [
    'mono-22050.mp3',
    'stereo-48000.wav',
    'stereo-96000.flac',
    'aac-44100-stereo.m4a',
    'video-with-audio.mp4',
    'mono-8000.wav',
  ],
};

let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  seam = await launchSeam();
  page = await seam.openPopup();
  ui = new PopupPage(page);
});

afterAll(async () => {
  await seam?.close();
});

/** What native ffmpeg says while decoding `path` at `-v warning` (nothing, when all is well). */
async function decodeWarnings(path: string): Promise<string> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'warning',
    '-i',
    path,
    '-f',
    'null',
    '-',
  ]);
  return stderr.trim();
}

async function setOutput(format: string): Promise<void> {
  await seam.worker.evaluate(
    (format) =>
      chrome.storage.local.set({
        output: {
          ...{ format, bitrate: 128, mp3Mode: 'cbr', vbrQuality: 2, sampleRate: 'source' },
          ...{ channels: 'source', normalize: false, fadeInSec: 0, fadeOutSec: 0 },
          ...{ chapters: true, cover: 'first' },
        },
      }),
    format,
  );
}

/** Trims the first track, crossfades after it and leaves a gap after the third. */
async function edit(): Promise<void> {
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok) => {
      const req = indexedDB.open('seam');
      req.onsuccess = () => ok(req.result);
    });
    const tx = db.transaction('tracks', 'readwrite');
    const store = tx.objectStore('tracks');
    const all = await new Promise<{ position: number; edit?: unknown }[]>((ok) => {
      const req = store.getAll();
      req.onsuccess = () => ok(req.result as never);
    });
    all.sort((a, b) => a.position - b.position);
    const none = { kind: 'none' };
    all.forEach((t, i) => {
      const transitionAfter =
        i === 0
          ? { kind: 'crossfade', seconds: 0.5, curve: 'equal-power' }
          : i === 2
            ? { kind: 'gap', seconds: 0.3 }
            : none;
      store.put({ ...t, edit: { startSec: i === 0 ? 0.25 : 0, transitionAfter } });
    });
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();
    const ch = new BroadcastChannel('seam-tracks');
    ch.postMessage('changed');
    ch.close();
  });
}

describe.each(Object.entries(SETS))('%s', (setName, inputs) => {
  beforeAll(async () => {
    await resetSeam(seam, page);
    ui = new PopupPage(page);
    await ui.addFiles(inputs.map(fixture));
    await ui.waitForReady(inputs.length);
    if (setName.startsWith('six')) await edit();
  });

  test.each(FORMATS)('%s decodes with no warning from native ffmpeg', async (format) => {
    await setOutput(format);
    await page.reload();
    await expect.poll(() => ui.plan.innerText()).toMatch(/^Re-encoding/);
    const previous = await getJob(seam.worker);
    await ui.join();
    const job = await waitForJob(
      () => seam.worker,
      (j) => j !== null && j.id !== previous?.id && j.status !== 'running',
      120_000,
    );
    expect(job?.status, JSON.stringify(job?.error)).toBe('done');
    const file = await downloadedFile(seam.worker, job!.downloadId!);
    expect(await decodeWarnings(file)).toBe('');
  });
});
