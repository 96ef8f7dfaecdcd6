/**
 * Audiobooks and podcasts (issue 11), driven through the options page as a person would and
 * checked with native ffprobe: chapters the inputs already have are kept (M4B through ffmpeg,
 * MP3 through the lossless path), chapter titles from tags, cue sheets in and chapter files out,
 * and silence trimmed at the ends of tracks.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { OptionsPage, field } from '../support/pages';
import { until } from '../support/wait';

let seam: Seam;
let page: Page;
let ui: OptionsPage;
let dir: string;

beforeAll(async () => {
  requireNativeFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'seam-books-'));
  seam = await launchSeam();
  page = await seam.openOptions();
});
afterAll(() => seam?.close());
beforeEach(async () => {
  if (page.isClosed()) page = await seam.openOptions();
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
  ui = new OptionsPage(page);
});

const output = () => page.getByRole('region', { name: 'Output' });

/**
 * A tone of `seconds` with chapters (title, start) written by native ffmpeg: an M4B's chapter
 * track or an MP3's ID3 CHAP frames, as audiobook tools write them.
 */
async function withChapters(
  name: string,
  seconds: number,
  chapters: [string, number][],
  opts: { freq?: number; tags?: Record<string, string> } = {},
): Promise<string> {
  const path = join(dir, name);
  const meta = join(dir, `${name}.ffmeta`);
  const tagLines = Object.entries(opts.tags ?? {}).map(([k, v]) => `${k}=${v}`);
  const chapterLines = chapters.flatMap(([title, start], i) => [
    '[CHAPTER]',
    'TIMEBASE=1/1000',
    `START=${Math.round(start * 1000)}`,
    `END=${Math.round((chapters[i + 1]?.[1] ?? seconds) * 1000)}`,
    `title=${title}`,
  ]);
  await writeFile(meta, [';FFMETADATA1', ...tagLines, ...chapterLines].join('\n') + '\n');
  const mp3 = name.endsWith('.mp3');
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `sine=frequency=${opts.freq ?? 440}:duration=${seconds}`],
    ...['-i', meta, '-map', '0:a', '-map_metadata', '1', '-map_chapters', '1'],
    ...['-ac', '2', '-ar', '44100'],
    ...(mp3 ? ['-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3'] : ['-c:a', 'aac']),
    path,
  ]);
  return path;
}

/** Joins and returns native ffprobe's view of the saved file and its path. */
async function joinAndProbe() {
  const { file } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
  return { file, probe: await ffprobe(file) };
}

const titles = (p: Awaited<ReturnType<typeof ffprobe>>) => p.chapters.map((c) => c.tags?.title);
const starts = (p: Awaited<ReturnType<typeof ffprobe>>) =>
  p.chapters.map((c) => Math.round(Number(c.start_time) * 10) / 10);

describe('chapters the inputs already have', () => {
  test('two M4Bs with chapters: kept by default, shifted; one per track or none on request', async () => {
    const a = await withChapters('Book part 1.m4b', 12, [
      ['Prologue', 0],
      ['The storm', 4],
      ['Landfall', 8],
    ]);
    const b = await withChapters(
      'Book part 2.m4b',
      8,
      [
        ['The island', 0],
        ['Home', 5],
      ],
      { freq: 660 },
    );
    await ui.addFilesAndWait([a, b]);
    await ui.setFormat('M4B');
    const chapters = field(output(), 'combobox', 'Chapters');
    // Inputs with chapters: "Keep the tracks' chapters" is what the default does.
    await until(async () => expect(await chapters.inputValue()).toBe('keep'));
    const options = await chapters.locator('option').allInnerTexts();
    expect(options).toEqual(['One chapter per track', 'Keep the tracks’ chapters', 'No chapters']);

    let { probe } = await joinAndProbe();
    expect(titles(probe)).toEqual(['Prologue', 'The storm', 'Landfall', 'The island', 'Home']);
    // The second file's chapters start where its audio does in the joined file (AAC frames
    // put that within a frame or two of 12 s).
    expect(starts(probe)).toEqual([0, 4, 8, 12, 17]);
    expect(Number(probe.format.duration)).toBeCloseTo(20, 0);

    await chapters.selectOption({ label: 'One chapter per track' });
    ({ probe } = await joinAndProbe());
    expect(titles(probe)).toEqual(['Book part 1', 'Book part 2']);

    await chapters.selectOption({ label: 'No chapters' });
    ({ probe } = await joinAndProbe());
    expect(probe.chapters).toEqual([]);
  });

  test('MP3s with ID3 chapters join losslessly and keep them; a trim cuts into them', async () => {
    const a = await withChapters('Episode 1.mp3', 10, [
      ['Intro', 0],
      ['Interview', 3],
    ]);
    const b = await withChapters(
      'Episode 2.mp3',
      10,
      [
        ['News', 0],
        ['Outro', 6],
      ],
      { freq: 660 },
    );
    await ui.addFilesAndWait([a, b]);
    await ui.setFormat('MP3');
    await until(async () =>
      expect(await field(output(), 'combobox', 'Chapters').inputValue()).toBe('keep'),
    );
    await until(async () => expect(await ui.planText()).toMatch(/^Lossless/));
    let { probe } = await joinAndProbe();
    expect(titles(probe)).toEqual(['Intro', 'Interview', 'News', 'Outro']);
    const s = starts(probe);
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(3, 0);
    expect(s[2]).toBeCloseTo(10, 0);
    expect(s[3]).toBeCloseTo(16, 0);

    // Trim 4 s off the start of the second episode: "News" starts where its kept audio does,
    // "Outro" 4 s earlier than before.
    const second = ui.items.nth(1);
    await field(second, 'spinbutton', 'Start').fill('4');
    await field(second, 'spinbutton', 'Start').press('Enter');
    await until(async () => expect(await ui.planText()).toMatch(/^Re-encoding/));
    ({ probe } = await joinAndProbe());
    expect(titles(probe)).toEqual(['Intro', 'Interview', 'News', 'Outro']);
    expect(starts(probe)[3]).toBeCloseTo(12, 0);
    expect(Number(probe.format.duration)).toBeCloseTo(16, 0);
  });
});

describe('chapter titles from tags', () => {
  test('"Chapter titles from": the title tag, then the file name; or the file name', async () => {
    const a = await withChapters('01.m4a', 3, [], { tags: { title: 'The Beginning' } });
    const b = await withChapters('02.m4a', 3, [], { freq: 660 });
    await ui.addFilesAndWait([a, b]);
    await ui.setFormat('M4B');
    const from = field(output(), 'combobox', 'Chapter titles from');
    expect(await from.inputValue()).toBe('tag');
    // The Chapter title field says what the chapter will be called when left empty.
    await until(async () =>
      expect(
        await field(ui.items.nth(0), 'textbox', 'Chapter title').getAttribute('placeholder'),
      ).toBe('The Beginning'),
    );
    let { probe } = await joinAndProbe();
    expect(titles(probe)).toEqual(['The Beginning', '02']);

    await from.selectOption({ label: 'File name' });
    await until(async () =>
      expect((await seam.ext.storedSettings())['preferences']).toMatchObject({
        chapterTitles: 'file',
      }),
    );
    ({ probe } = await joinAndProbe());
    expect(titles(probe)).toEqual(['01', '02']);
  });
});
