/**
 * Every output format decodes cleanly: native ffmpeg at `-v warning` prints nothing while
 * decoding what Seam wrote (no "non monotonically increasing dts", no guessed channel layout,
 * no invalid header). Six odd inputs (mono and stereo, 8 to 96 kHz, WAV, FLAC, AAC, MP4 video)
 * with a trim, a crossfade and a gap, so timestamps go through resampling and the whole filter
 * graph; formats.test.ts checks the same of an MP3 and an AAC track joined plainly.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodeWarnings, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { setEdits } from '../support/queue';

const FORMATS: FormatId[] = ['mp3', 'm4a', 'm4b', 'm4r', 'ogg', 'opus', 'flac', 'wav'];
// The formats suite (formats.test.ts) checks an MP3 and an AAC track the same way.
const SETS = {
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
  requireNativeFfmpeg();
  seam = await launchSeam();
  page = await seam.openPopup();
  ui = new PopupPage(page);
});

afterAll(async () => {
  await seam?.close();
});

/** Trims the first track, crossfades after it and leaves a gap after the third. */
async function edit(inputs: string[]): Promise<void> {
  await setEdits(inPage(page), {
    [inputs[0]!]: {
      startSec: 0.25,
      transitionAfter: { kind: 'crossfade', seconds: 0.5, curve: 'equal-power' },
    },
    [inputs[2]!]: { transitionAfter: { kind: 'gap', seconds: 0.3 } },
  });
}

describe.each(Object.entries(SETS))('%s', (setName, inputs) => {
  beforeAll(async () => {
    await resetSeam(seam, page);
    ui = new PopupPage(page);
    await ui.addFilesAndWait(inputs.map(fixture));
    await edit(inputs);
  });

  test.each(FORMATS)('%s decodes with no warning from native ffmpeg', async (format) => {
    await seam.ext.setOutput({ format, bitrate: 128, mp3Mode: 'cbr' });
    await page.reload();
    // The plan line shows once the six tracks' checks are done, which a busy machine stretches.
    await expect.poll(() => ui.planText(), { timeout: 120_000 }).toMatch(/^Re-encoding/);
    const { file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);
    expect(await decodeWarnings(file)).toBe('');
  });
});
