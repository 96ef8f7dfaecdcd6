/**
 * Firefox smoke test: the Firefox build (.output/firefox-mv2, `npm run build:firefox`) in Debian's
 * firefox-esr, driven by puppeteer-core over WebDriver BiDi. Firefox has no offscreen API, so
 * here the engine runs in the background page: these joins prove ffmpeg.wasm loads and runs
 * there, and that the result reaches the downloads folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDON_ID,
  FirefoxPopup,
  launchFirefox,
  resetSeamFirefox,
  type SeamFirefox,
} from '../support/firefox';
import { ffmpeg, ffprobe } from '../support/native-ffmpeg';
import { FIREFOX_BUILD_DIR as BUILD_DIR, fixture } from '../support/paths';
import { until } from '../support/wait';

let firefox: SeamFirefox;

beforeAll(async () => {
  firefox = await launchFirefox();
  expect(firefox.addonId).toBe(ADDON_ID);
});

afterAll(async () => {
  await firefox?.close();
});

describe('Seam in Firefox', () => {
  it('ships a Firefox manifest: MV2, persistent background page, no offscreen', async () => {
    const m = JSON.parse(await readFile(join(BUILD_DIR, 'manifest.json'), 'utf8'));
    expect(m.manifest_version).toBe(2);
    expect(m.background).toMatchObject({ persistent: true, scripts: ['background.js'] });
    expect(m.permissions).not.toContain('offscreen');
    expect(m.optional_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(m.content_security_policy).toContain("'wasm-unsafe-eval'");
    expect(m.browser_specific_settings.gecko.id).toBe(ADDON_ID);
    expect(existsSync(join(BUILD_DIR, 'offscreen.html'))).toBe(false);
    // Chrome-only APIs stay out of the Firefox background page.
    const bg = await readFile(join(BUILD_DIR, 'background.js'), 'utf8');
    expect(bg).not.toMatch(/getContexts|createDocument/);
  });

  it('joins three MP3s losslessly into one 6 s MP3 in the downloads folder', async () => {
    const page = await firefox.openPage('popup.html');
    try {
      const ui = new FirefoxPopup(page);
      const ext = firefox.ext(page);
      await ui.addFilesAndWait(
        [
          'tone-440-2s-44100-stereo.mp3',
          'tone-660-2s-44100-stereo.mp3',
          'tone-880-2s-44100-stereo.mp3',
        ].map(fixture),
      );
      const { job, file: path } = await ext.joinAndWait(() => ui.join(), 45_000);
      expect(job.lossless).toBe(true);
      expect(path.startsWith(firefox.downloadsDir)).toBe(true);
      const probe = await ffprobe(path);
      expect(probe.format.format_name).toBe('mp3');
      expect(Number(probe.format.duration)).toBeCloseTo(6, 0);
      // The badge (MV2's browserAction) shows the queue again once the job is done.
      await until(async () => expect(await ext.badgeText()).toBe('3'), 5_000);
      await resetSeamFirefox(page);
    } finally {
      await page.close();
    }
  });

  it('re-encodes mixed inputs with ffmpeg.wasm in the background page', async () => {
    const page = await firefox.openPage('popup.html');
    try {
      const ui = new FirefoxPopup(page);
      await ui.addFilesAndWait([
        fixture('mono-22050.mp3'),
        fixture('tone-440-2s-44100-stereo.mp3'),
      ]);
      const mono = Number((await ffprobe(fixture('mono-22050.mp3'))).format.duration);
      const { job, file: path } = await firefox.ext(page).joinAndWait(() => ui.join(), 45_000);
      expect(job.lossless).toBe(false);
      const probe = await ffprobe(path);
      const audio = probe.streams.find((s) => s.codec_type === 'audio')!;
      expect(audio.codec_name).toBe('mp3');
      expect(audio.channels).toBe(2);
      expect(Number(probe.format.duration)).toBeCloseTo(mono + 2, 0);
      await resetSeamFirefox(page);
    } finally {
      await page.close();
    }
  });

  it('Cancel stops a long join at once and keeps the queue', async () => {
    // Ten minutes at 48 kHz beside a 44.1 kHz tone: a re-encode of many seconds in wasm.
    const long = join(firefox.downloadsDir, 'long-10min-48000.mp3');
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'sine=frequency=330:duration=600'],
      ...['-ar', '48000', '-ac', '2', '-b:a', '96k', long],
    ]);
    const page = await firefox.openPage('popup.html');
    try {
      const ui = new FirefoxPopup(page);
      const ext = firefox.ext(page);
      await ui.addFilesAndWait([long, fixture('tone-440-2s-44100-stereo.mp3')], 60_000);
      await ui.join();
      await until(async () => {
        const j = await ext.job();
        if (j?.status !== 'running' || j.phase !== 'joining' || !j.percent) {
          throw new Error(`not joining yet: ${JSON.stringify(j)}`);
        }
      }, 60_000);
      const clicked = Date.now();
      await ui.cancel();
      await until(async () => expect((await ext.job())?.status).toBe('canceled'), 30_000);
      // Stopped, not finished: nothing was saved after Cancel (no timing asserted: this machine
      // is shared and noisy).
      const saved = readdirSync(firefox.downloadsDir).filter(
        (f) => statSync(join(firefox.downloadsDir, f)).mtimeMs >= clicked,
      );
      expect(saved).toEqual([]);
      expect(await ui.tracks()).toEqual(['long-10min-48000.mp3', 'tone-440-2s-44100-stereo.mp3']);
      await resetSeamFirefox(page);
    } finally {
      await page.close();
    }
  });
});
