/**
 * Every output format, in the built extension with ffmpeg.wasm: each entry of the Format select
 * yields a file that native ffprobe reads with the expected codec, and whose decoded length is the
 * inputs' (an MP3 and an AAC track, so every format re-encodes through its own encoder).
 *
 * Output settings other than the format (bitrate, VBR, channels) are written to
 * chrome.storage.local ("output") from the service worker, as the options page would store them.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import type { OutputSettings } from '@/lib/core/settings';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodeWarnings, decodedDuration, ffprobe } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';

const INPUTS = ['tone-440-2s-44100-stereo.mp3', 'aac-44100-stereo.m4a'];

let seam: Seam;
let page: Page;
let ui: PopupPage;
let inputSec: number;

beforeAll(async () => {
  seam = await launchSeam();
  page = await seam.openPopup();
  ui = new PopupPage(page);
  await resetSeam(seam, page);
  ui = new PopupPage(page);
  await ui.addFilesAndWait(INPUTS.map(fixture));
  const lengths = await Promise.all(INPUTS.map((n) => decodedDuration(fixture(n))));
  inputSec = lengths.reduce((a, b) => a + b, 0);
});

afterAll(async () => {
  await seam?.close();
});

async function joinToFile(): Promise<{ file: string; fileName: string }> {
  const { job, file } = await seam.ext.joinAndWait(() => ui.join(), 60_000);
  return { file, fileName: job.fileName };
}

/** Codec padding a decode may add (AAC priming and frame rounding, MP3 frames, Opus pre-skip). */
const SLACK = 0.05;

const FORMATS: [label: string, ext: FormatId, codec: string, extra: Partial<OutputSettings>][] = [
  ['MP3', 'mp3', 'mp3', { bitrate: 128, mp3Mode: 'cbr' }],
  ['M4A', 'm4a', 'aac', { bitrate: 128 }],
  ['M4B', 'm4b', 'aac', { bitrate: 96 }],
  ['M4R', 'm4r', 'aac', { bitrate: 128 }],
  ['OGG', 'ogg', 'vorbis', { bitrate: 160 }],
  ['Opus', 'opus', 'opus', { bitrate: 96 }],
  ['FLAC', 'flac', 'flac', {}],
  ['WAV', 'wav', 'pcm_s16le', {}],
];

describe('every format in the Format list', () => {
  test('the Format select offers exactly these formats', async () => {
    const labels = (await ui.format.locator('option').allInnerTexts()).map((t) => t.trim());
    expect(labels).toEqual(FORMATS.map(([label]) => label));
  });

  test.each(FORMATS)(
    '%s: decodes as %s with the inputs’ length',
    async (label, ext, codec, extra) => {
      await ui.setFormat(label);
      await seam.ext.setOutput({ ...extra, format: ext });
      await expect.poll(() => ui.plan.innerText()).toMatch(new RegExp(`^Re-encoding to ${label}`));
      const { file, fileName } = await joinToFile();
      expect(fileName.endsWith(`.${ext}`)).toBe(true);
      const probe = await ffprobe(file);
      const audio = probe.streams.filter((s) => s.codec_type === 'audio');
      expect(audio.map((s) => s.codec_name)).toEqual([codec]);
      expect(audio[0]!.channels).toBe(2);
      expect(Number(audio[0]!.sample_rate)).toBe(ext === 'opus' ? 48000 : 44100);
      const len = await decodedDuration(file);
      expect(Math.abs(len - inputSec)).toBeLessThanOrEqual(SLACK);
      // Native ffmpeg decodes it without a warning (issue 8: OGG had backward timestamps).
      expect(await decodeWarnings(file)).toBe('');
    },
  );

  test('MP3 VBR, mono and 48 kHz', async () => {
    await ui.setFormat('MP3');
    await seam.ext.setOutput({
      format: 'mp3',
      mp3Mode: 'vbr',
      vbrQuality: 5,
      channels: 1,
      sampleRate: 48000,
    });
    await expect
      .poll(() => ui.plan.innerText())
      .toMatch(/^Re-encoding to MP3 VBR quality 5, 48 kHz mono/);
    const { file } = await joinToFile();
    const [audio] = (await ffprobe(file)).streams;
    expect(audio).toMatchObject({ codec_name: 'mp3', channels: 1, sample_rate: '48000' });
    expect(Math.abs((await decodedDuration(file)) - inputSec)).toBeLessThanOrEqual(SLACK);
  });
});
