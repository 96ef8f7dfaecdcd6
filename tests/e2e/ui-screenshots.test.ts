/**
 * Screenshots of the popup (400 x 600) and the full-page editor, in light and dark, saved to
 * .output/screenshots/ (`npm run screenshots`). The README shows two of them, copied to docs/.
 * The audio is made here: pink noise shaped like speech, so the waveforms look like a show's.
 * Then the store images, from the same real UI, into .output/store/: 1280 x 800 screenshots and
 * the 440 x 280 tile in light and dark, and the listing icons.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { ROOT } from '../support/paths';
import { until } from '../support/wait';
import { ffmpeg } from '../support/native-ffmpeg';

const OUT = join(ROOT, '.output/screenshots');
const STORE = join(ROOT, '.output/store');
const SCHEMES = ['light', 'dark'] as const;
const EPISODES = [
  'Episode 1 - Welcome.mp3',
  'Episode 2 - The harbour.mp3',
  'Episode 3 - Night ferry.mp3',
  'Episode 4 - Island voices.mp3',
  'Episode 10 - Back home.mp3',
];

let seam: Seam;
let tmp: string;
let files: string[];

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  await mkdir(STORE, { recursive: true });
  seam = await launchSeam();
  tmp = await mkdtemp(join(tmpdir(), 'seam-shots-'));
  files = [];
  for (const [i, name] of EPISODES.entries()) {
    const path = join(tmp, name);
    // Phrases: noise under a slow, uneven swell, different for each episode.
    const env = `0.15+0.85*abs(sin(2*PI*${0.31 + i * 0.07}*t)*sin(2*PI*${1.3 + i * 0.2}*t))`;
    await ffmpeg([
      ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.5:duration=${18 + i * 3}`],
      ...['-af', `volume='${env}':eval=frame,lowpass=f=3000`, '-ac', '2', '-ar', '44100'],
      ...['-c:a', 'libmp3lame', '-b:a', '96k', '-metadata', `title=Episode ${i + 1}`, path],
    ]);
    files.push(path);
  }
});
afterAll(async () => {
  await seam?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `${name}-${colorScheme}.png`) });
  }
}

test('the popup and the editor, light and dark, and the store images', async () => {
  const page = await seam.openPopup();
  await page.setViewportSize({ width: 400, height: 600 });
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
  const ui = new PopupPage(page);
  await ui.addFiles(files);
  await ui.waitForReady(EPISODES.length, 60_000);
  await shoot(page, 'popup');

  const editor = await seam.openOptions();
  await editor.setViewportSize({ width: 1100, height: 900 });
  const ed = new PopupPage(editor);
  await ed.waitForReady(EPISODES.length);
  // Five tracks: every card is open. Trim the first, a crossfade into the second.
  const first = ed.items.nth(0);
  await first.getByRole('spinbutton', { name: 'Start', exact: true }).fill('1.5');
  await first.getByRole('spinbutton', { name: 'Start', exact: true }).press('Enter');
  await first
    .getByRole('combobox', { name: 'Transition', exact: true })
    .selectOption({ label: 'Crossfade' });
  await editor
    .getByRole('region', { name: 'Output' })
    .getByRole('textbox', { name: 'Title', exact: true })
    .fill('Island Stories');
  await editor.keyboard.press('Enter');
  // A waveform is drawn once it has been in view: bring each into view once, then go back up.
  for (const wave of await editor.locator('.waveform').all()) await wave.scrollIntoViewIfNeeded();
  await editor.evaluate(() => window.scrollTo(0, 0));
  await until(async () => {
    if ((await editor.locator('.waveform-status').count()) > 0) throw new Error('still drawing');
  }, 60_000);
  await editor.evaluate(() => window.scrollTo(0, 0));
  await shoot(editor, 'editor');
  await storeImages(page, editor);
  await editor.close();
  await page.close();
  expect(files).toHaveLength(EPISODES.length);
});

/**
 * The popup at 400 x 600 with eight tracks of mixed codecs and rates (a re-encoding plan), in
 * English and in German (a browser of its own, started with --lang=de): the list in view, the
 * Join bar one short line. Saved as popup-8-en.png and popup-8-de.png (light).
 */
test('the popup with eight mixed tracks, in English and German', async () => {
  const mixed: string[] = [];
  const kinds = [
    ...[0, 1, 2, 3, 4].map(() => ['-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', 'mp3']),
    ['-ar', '22050', '-ac', '1', '-c:a', 'libmp3lame', 'mp3'],
    ['-ar', '48000', '-ac', '2', '-c:a', 'pcm_s16le', 'wav'],
    ['-ar', '32000', '-ac', '2', '-c:a', 'libvorbis', 'ogg'],
  ];
  for (const [i, k] of kinds.entries()) {
    const path = join(
      tmp,
      `Episode ${i + 1} - ${['Welcome', 'The harbour', 'Night ferry', 'Island voices', 'Market day', 'Interview', 'Live at the pier', 'Outro'][i]}.${k.at(-1)}`,
    );
    await ffmpeg([
      ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.4:duration=${6 + i}`],
      ...k.slice(0, -1),
      path,
    ]);
    mixed.push(path);
  }
  const shootPopup = async (s: Seam, name: string, addLabel: string, plan: RegExp) => {
    const page = await s.openPopup();
    await page.setViewportSize({ width: 400, height: 600 });
    await resetSeam(s, page);
    await s.ext.clearSettings();
    await page.reload();
    await page.getByLabel(addLabel, { exact: true }).setInputFiles(mixed);
    await until(
      async () => expect(await page.locator('.plan-line').innerText()).toMatch(plan),
      120_000,
    );
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    await page.close();
  };
  await shootPopup(seam, 'popup-8-en', 'Add files', /^Re-encoding/);
  const de = await launchSeam({ name: 'seam-shots-de', args: ['--lang=de'] });
  try {
    await shootPopup(de, 'popup-8-de', 'Dateien hinzufügen', /^Neu codiert/);
  } finally {
    await de.close();
  }
});

/** Colours of the compositions around the real UI, per scheme (components/style.css's). */
const FRAME = {
  light: { bg: '#e8edf6', fg: '#111827', muted: '#4b5563' },
  dark: { bg: '#0b1220', fg: '#e5e7eb', muted: '#a3acb9' },
};
const TAGLINE = 'Joins audio files on your own computer. Nothing is uploaded.';
const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;

/** Renders `body` (HTML) on a blank page of `width` x `height` and saves it as a PNG. */
async function compose(html: string, width: number, height: number, path: string) {
  const page = await seam.context.newPage();
  await page.setViewportSize({ width, height });
  await page.setContent(`<!doctype html><html><body style="margin:0">${html}</body></html>`);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await page.screenshot({ path, omitBackground: true });
  await page.close();
}

/**
 * The store images, from the popup (400 x 600) and the editor (waveforms drawn) of the first
 * test, as they are.
 */
async function storeImages(popup: Page, editor: Page): Promise<void> {
  await editor.setViewportSize({ width: 1280, height: 800 });
  const icon = await readFile(join(ROOT, 'public/icon/128.png'));

  for (const scheme of SCHEMES) {
    const c = FRAME[scheme];
    await popup.emulateMedia({ colorScheme: scheme });
    await editor.emulateMedia({ colorScheme: scheme });
    await popup.waitForTimeout(300);
    const shot = await popup.screenshot();

    // 1: the editor, as it is at 1280 x 800.
    await editor.evaluate(() => window.scrollTo(0, 0));
    await editor.screenshot({ path: join(STORE, `screenshot-editor-${scheme}.png`) });

    // 2: the popup at its real size, with what it does beside it.
    const text = `font-family:system-ui,sans-serif;color:${c.fg}`;
    await compose(
      `<div style="width:1280px;height:800px;background:${c.bg};display:flex;align-items:center;
        justify-content:center;gap:72px;${text}">
        <div style="max-width:520px">
          <img src="${dataUrl(icon)}" width="72" height="72" alt="">
          <h1 style="font-size:44px;margin:20px 0 12px">Join audio, on your machine</h1>
          <p style="font-size:22px;line-height:1.45;color:${c.muted};margin:0">
            Add files or the audio on a page, put them in order, press Join: one file lands in
            your downloads. Nothing is uploaded: ffmpeg runs inside your browser.</p>
        </div>
        <img src="${dataUrl(shot)}" width="400" height="600" alt=""
          style="border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.35)">
      </div>`,
      1280,
      800,
      join(STORE, `screenshot-popup-${scheme}.png`),
    );

    // 3: the small promo tile: the icon, the name, the promise and the popup's top.
    await compose(
      `<div style="width:440px;height:280px;background:${c.bg};display:flex;align-items:center;
        gap:20px;padding:0 0 0 26px;box-sizing:border-box;overflow:hidden;${text}">
        <div style="width:210px;flex:none">
          <img src="${dataUrl(icon)}" width="56" height="56" alt="">
          <div style="font-size:36px;font-weight:700;margin:10px 0 6px">Seam</div>
          <div style="font-size:16px;line-height:1.35;color:${c.muted}">${TAGLINE}</div>
        </div>
        <img src="${dataUrl(shot)}" width="240" height="360" alt=""
          style="border-radius:10px;margin-top:92px;box-shadow:0 8px 24px rgba(0,0,0,.35)">
      </div>`,
      440,
      280,
      join(STORE, `tile-440x280-${scheme}.png`),
    );
  }

  // Icons: Chrome's store icon is 128 x 128 with the artwork in the middle 96 x 96; AMO takes the
  // 128 x 128 and 64 x 64 icons. Drawn from the extension's own 128 px icon, only ever smaller.
  const sizes = [
    { name: 'icon-chrome-store-128.png', box: 128, art: 96 },
    { name: 'icon-128.png', box: 128, art: 128 },
    { name: 'icon-64.png', box: 64, art: 64 },
  ];
  for (const { name, box, art } of sizes) {
    await compose(
      `<div style="width:${box}px;height:${box}px;display:grid;place-items:center">
        <img src="${dataUrl(icon)}" width="${art}" height="${art}" alt=""></div>`,
      box,
      box,
      join(STORE, name),
    );
  }
  const size = async (file: string) => {
    const png = await readFile(join(STORE, file));
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
  };
  for (const scheme of SCHEMES) {
    expect(await size(`screenshot-editor-${scheme}.png`)).toEqual([1280, 800]);
    expect(await size(`screenshot-popup-${scheme}.png`)).toEqual([1280, 800]);
    expect(await size(`tile-440x280-${scheme}.png`)).toEqual([440, 280]);
  }
  expect(await size('icon-chrome-store-128.png')).toEqual([128, 128]);
  expect(await size('icon-64.png')).toEqual([64, 64]);
}
