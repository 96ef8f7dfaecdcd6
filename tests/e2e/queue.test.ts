import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';

let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  seam = await launchSeam();
});
afterAll(() => seam?.close());
beforeEach(async () => {
  page = await seam.openPopup();
  ui = new PopupPage(page);
  await resetSeam(seam, page);
});

describe('adding and keeping tracks', () => {
  it('files dropped on the popup join the end of the queue, each batch in name order', async () => {
    await ui.addFiles([fixture('tone-880-2s-44100-stereo.mp3')]);
    await ui.dropFiles([fixture('tone-440-2s-44100-stereo.mp3'), fixture('mono-22050.mp3')]);
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual([
      'tone-880-2s-44100-stereo.mp3',
      'mono-22050.mp3',
      'tone-440-2s-44100-stereo.mp3',
    ]);
  });

  it('shows duration, format, sample rate and size for each track', async () => {
    await ui.addFiles([fixture('stereo-96000.flac'), fixture('mono-8000.wav')]);
    await ui.waitForReady(2);
    // Added together, so in name order.
    const [wav, flac] = await ui.itemTexts();
    expect(flac).toMatch(/0:0\d · FLAC · 96 kHz · stereo · \d+(\.\d)? KB/);
    expect(wav).toMatch(/0:0\d · WAV 16-bit · 8 kHz · mono · \d+(\.\d)? KB/);
  });

  it('"Open in a tab" opens the options page with the same queue', async () => {
    await ui.addFiles([
      fixture('tone-440-2s-44100-stereo.mp3'),
      fixture('tone-660-2s-44100-stereo.mp3'),
    ]);
    await ui.waitForReady(2);
    const opened = seam.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Open in a tab' }).click();
    const options = await opened;
    await options.waitForLoadState();
    expect(options.url()).toContain('/options.html');
    const full = new PopupPage(options);
    await until(async () =>
      expect(await full.tracks()).toEqual([
        'tone-440-2s-44100-stereo.mp3',
        'tone-660-2s-44100-stereo.mp3',
      ]),
    );
    await options.close();
  });
});
