/**
 * Settings that show: what the next join uses is listed beside Join, in the popup too, with
 * "Reset to defaults"; the file is named after the Title tag through {title}; controls a
 * format cannot use are disabled saying why; a cover from an image file of one's own, and
 * genre, track number, album artist and comment tags reach the file.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { ffmpeg } from '../support/native-ffmpeg';
import { joinAndDownload } from './ui-support';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TONES = ['tone-440-2s-44100-stereo.mp3', 'tone-660-2s-44100-stereo.mp3'];

let seam: Seam;
let page: Page;
let ui: PopupPage;
let cover: string;

beforeAll(async () => {
  seam = await launchSeam();
  const dir = await mkdtemp(join(tmpdir(), 'seam-cover-'));
  cover = join(dir, 'my cover.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=orange:s=64x64', '-frames:v', '1', cover]);
});
afterAll(() => seam?.close());
beforeEach(async () => {
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});

async function openOptions(): Promise<void> {
  page = await seam.openOptions();
  ui = new PopupPage(page);
  await ui.addFiles(TONES.map(fixture));
  await ui.waitForReady(2);
}

const output = () => page.getByRole('region', { name: 'Output' });
const field = (scope: Locator, role: 'textbox' | 'combobox' | 'checkbox', name: string) =>
  scope.getByRole(role, { name, exact: true });
async function type(scope: Locator, name: string, value: string): Promise<void> {
  await field(scope, 'textbox', name).fill(value);
  await field(scope, 'textbox', name).press('Enter');
}
const nextLine = (p: Page) => p.locator('.next');

interface Probe {
  format: { tags?: Record<string, string> };
  streams: { codec_type: string; codec_name: string; disposition?: { attached_pic?: number } }[];
}
async function probe(path: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-of', 'json', '-show_format', '-show_streams', path],
  ]);
  return JSON.parse(stdout) as Probe;
}

describe('what the next join uses', () => {
  test('the popup lists the settings in force beside Join, and Reset to defaults clears them', async () => {
    await openOptions();
    await page.getByRole('checkbox', { name: 'Normalize loudness' }).check();
    await page.getByRole('spinbutton', { name: 'Fade in', exact: true }).fill('2');
    await page.getByRole('spinbutton', { name: 'Fade in', exact: true }).press('Enter');
    await type(output(), 'Title', 'My Show');
    await page.close();

    const popup = await seam.openPopup();
    const p = new PopupPage(popup);
    await p.waitForReady(2);
    // The bar says the file's name in its one line; the settings are under Details.
    await until(async () =>
      expect(await popup.locator('.sums').innerText()).toMatch(/saved as “My Show\.mp3”/),
    );
    await popup.getByRole('button', { name: 'Details', exact: true }).click();
    await until(async () =>
      expect(await nextLine(popup).innerText()).toMatch(
        /Next join: MP3 192 kb\/s · loudness to -16 LUFS · fade in 2 s · Title “My Show”, saved as “My Show\.mp3”\./,
      ),
    );
    await popup.getByRole('button', { name: 'Reset to defaults' }).click();
    await until(async () =>
      expect(await nextLine(popup).innerText()).toMatch(
        /Next join: MP3 192 kb\/s, saved as “tone-440-2s-44100-stereo \+ 1 more\.mp3”\.$/,
      ),
    );
    expect(await popup.getByRole('button', { name: 'Reset to defaults' }).count()).toBe(0);
    const stored = await seam.ext.storedSettings();
    expect(stored['output']).toMatchObject({ normalize: false, fadeInSec: 0 });
    expect(stored['tags']).toMatchObject({ title: '' });
    await popup.close();
  });
});

describe('names and tags', () => {
  test('the file is named after the Title tag; the template with {title} and the date', async () => {
    await openOptions();
    await type(output(), 'Title', 'Evening Walk');
    await until(async () =>
      expect(await output().innerText()).toContain('Next file: Evening Walk.mp3'),
    );
    const { job, file } = await joinAndDownload(seam, page);
    expect(job.fileName).toBe('Evening Walk.mp3');
    expect((await probe(file)).format.tags?.title).toBe('Evening Walk');

    await type(output(), 'File name', '{title} {date}');
    const dated = (await joinAndDownload(seam, page)).job;
    expect(dated.fileName).toMatch(/^Evening Walk \d{4}-\d\d-\d\d\.mp3$/);
    await page.close();
  });

  test('a cover of one’s own and the new tags reach an M4A', async () => {
    await openOptions();
    await field(output(), 'combobox', 'Format').selectOption({ label: 'M4A' });
    await output().getByLabel('Choose an image').setInputFiles(cover);
    await until(async () =>
      expect(await field(output(), 'combobox', 'Cover').inputValue()).toBe('image'),
    );
    expect(await output().innerText()).toContain('Image: my cover.png');
    await type(output(), 'Genre', 'Field recording');
    await type(output(), 'Track number', '4/12');
    await type(output(), 'Album artist', 'Various');
    await type(output(), 'Comment', 'Recorded at dusk');
    const { file } = await joinAndDownload(seam, page);
    const p = await probe(file);
    expect(p.format.tags).toMatchObject({
      genre: 'Field recording',
      track: '4/12',
      album_artist: 'Various',
      comment: 'Recorded at dusk',
    });
    const pic = p.streams.filter((s) => s.disposition?.attached_pic === 1);
    expect(pic.map((s) => s.codec_name)).toEqual(['png']);

    // The lossless MP3 path writes it into the ID3 tag.
    await field(output(), 'combobox', 'Format').selectOption({ label: 'MP3' });
    const mp3 = await probe((await joinAndDownload(seam, page)).file);
    expect(mp3.streams.filter((s) => s.disposition?.attached_pic === 1)).toHaveLength(1);
    expect(mp3.format.tags).toMatchObject({ genre: 'Field recording', track: '4/12' });
    await page.close();
  });
});

describe('controls a format cannot use', () => {
  test('WAV: chapters, cover and tags are disabled, each saying why', async () => {
    await openOptions();
    await field(output(), 'combobox', 'Format').selectOption({ label: 'WAV' });
    const reason = (el: Locator) =>
      el.evaluate(
        (n) => document.getElementById(n.getAttribute('aria-describedby') ?? '')?.textContent,
      );
    const chapters = field(output(), 'combobox', 'Chapters');
    await until(async () => expect(await chapters.isDisabled()).toBe(true));
    expect(await chapters.inputValue()).toBe('none');
    expect(await reason(chapters)).toBe('WAV holds no chapters; MP3, M4A and M4B do.');
    const coverSelect = field(output(), 'combobox', 'Cover');
    expect(await coverSelect.isDisabled()).toBe(true);
    expect(await reason(coverSelect)).toBe('WAV files hold no cover picture.');
    expect(await field(output(), 'textbox', 'Title').isDisabled()).toBe(true);
    expect(await output().innerText()).toContain('WAV files are written without tags.');
    // Back to MP3, the choices are there again, as they were.
    await field(output(), 'combobox', 'Format').selectOption({ label: 'MP3' });
    await until(async () => expect(await chapters.isEnabled()).toBe(true));
    // Tracks without chapters of their own: the default makes one per track.
    expect(await chapters.inputValue()).toBe('per-track');
    await page.close();
  });
});
