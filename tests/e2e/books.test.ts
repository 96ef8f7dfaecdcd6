/**
 * Audiobooks and podcasts (issue 11), driven through the options page as a person would and
 * checked with native ffprobe: chapters the inputs already have are kept (M4B through ffmpeg,
 * MP3 through the lossless path), chapter titles from tags, cue sheets in and chapter files out,
 * and silence trimmed at the ends of tracks.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodedDuration, ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { OptionsPage, field } from '../support/pages';
import { FIXTURES } from '../support/paths';
import { until } from '../support/wait';
import { copies, dropFolders } from './ui-support';

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
  const { file, job } = await seam.ext.joinAndWait(() => ui.join(), 180_000);
  return { file, job, probe: await ffprobe(file) };
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

/** A plain tone as a person's file (MP3), `seconds` long. */
async function tone(name: string, seconds: number, freq = 440): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `sine=frequency=${freq}:duration=${seconds}`],
    ...['-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', path],
  ]);
  return path;
}

/**
 * The chapter files saved with the join whose download is `downloadId`, by kind: the three
 * downloads started right after it (Playwright saves downloads under GUIDs, not their names).
 */
async function chapterFilesAfter(downloadId: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const mimes = { cue: 'application/x-cue', txt: 'text/plain', json: 'application/json' };
  await until(async () => {
    const items = await seam.ext.downloads({});
    const after = items.filter(
      (d) => d.id > downloadId && d.id <= downloadId + 3 && d.state === 'complete',
    );
    for (const [kind, mime] of Object.entries(mimes)) {
      const d = after.find((x) => x.mime === mime);
      if (!d) throw new Error(`no ${kind} file after download ${downloadId}`);
      out[kind] = await readFile(d.filename, 'utf8');
    }
  });
  return out;
}

describe('cue sheets', () => {
  test('picked with its files: cue order, TRACK titles as chapters, sheet tags; chapter files saved', async () => {
    const files = [
      await tone('a-intro.mp3', 3, 330),
      await tone('b-talk.mp3', 4, 440),
      await tone('c-outro.mp3', 2, 550),
    ];
    const cue = join(dir, 'Show.cue');
    await writeFile(
      cue,
      [
        'REM DATE 2024',
        'PERFORMER "Ana Díaz"',
        'TITLE "Field Notes"',
        'FILE "c-outro.mp3" MP3',
        '  TRACK 01 AUDIO',
        '    TITLE "Goodbye"',
        '    INDEX 01 00:00:00',
        'FILE "a-intro.mp3" MP3',
        '  TRACK 02 AUDIO',
        '    TITLE "Welcome"',
        '    INDEX 01 00:00:00',
        'FILE "b-talk.mp3" MP3',
        '  TRACK 03 AUDIO',
        '    TITLE "The talk"',
        '    INDEX 01 00:00:00',
        '',
      ].join('\r\n'),
    );
    await page.getByLabel('Add files').setInputFiles([...files, cue]);
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual(['c-outro.mp3', 'a-intro.mp3', 'b-talk.mp3']);
    const titleFields = await Promise.all(
      [0, 1, 2].map((i) => field(ui.items.nth(i), 'textbox', 'Chapter title').inputValue()),
    );
    expect(titleFields).toEqual(['Goodbye', 'Welcome', 'The talk']);
    expect(await field(output(), 'textbox', 'Title').inputValue()).toBe('Field Notes');
    expect(await field(output(), 'textbox', 'Artist').inputValue()).toBe('Ana Díaz');

    await ui.setFormat('M4B');
    await field(output(), 'checkbox', 'Save chapter files').check();
    const { job, probe } = await joinAndProbe();
    expect(titles(probe)).toEqual(['Goodbye', 'Welcome', 'The talk']);
    expect(starts(probe)).toEqual([0, 2, 5]);
    expect(probe.format.tags).toMatchObject({ title: 'Field Notes', artist: 'Ana Díaz' });
    expect(await page.getByRole('status').innerText()).toMatch(/chapters are saved beside it/);

    expect(job.chapterFiles).toEqual([
      'Field Notes.cue',
      'Field Notes.chapters.txt',
      'Field Notes.chapters.json',
    ]);
    const saved = await chapterFilesAfter(job.downloadId!);
    expect(saved['cue']).toContain(`FILE "${job.fileName}" WAVE`);
    expect(saved['cue']).toMatch(/TITLE "Welcome"\r\n {4}INDEX 01 00:02:\d\d/);
    expect(saved['txt']!.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^00:00:00\.000 Goodbye$/),
      expect.stringMatching(/^00:00:0[12]\.\d{3} Welcome$/),
      expect.stringMatching(/^00:00:0[45]\.\d{3} The talk$/),
    ]);
    const json = JSON.parse(saved['json']!) as {
      version: string;
      chapters: { title: string; startTime: number }[];
    };
    expect(json.version).toBe('1.2.0');
    expect(json.chapters.map((c) => c.title)).toEqual(['Goodbye', 'Welcome', 'The talk']);
  });

  test('a FILE the cue names that was not added with it is named in an alert', async () => {
    const present = await tone('part-1.mp3', 2);
    const cue = join(dir, 'Partial.cue');
    await writeFile(
      cue,
      [
        'FILE "part-1.mp3" MP3',
        '  TRACK 01 AUDIO',
        '    INDEX 01 00:00:00',
        'FILE "part-2.mp3" MP3',
        '  TRACK 02 AUDIO',
        '    INDEX 01 00:00:00',
        '',
      ].join('\n'),
    );
    await page.getByLabel('Add files').setInputFiles([present, cue]);
    await ui.waitForReady(1);
    await until(async () =>
      expect((await ui.alerts()).join(' ')).toMatch(/“Partial\.cue” names “part-2\.mp3”/),
    );
  });

  test('a dropped folder with a one-file rip and its cue: the TRACKs become chapters', async () => {
    const rip = await tone('Whole book.mp3', 12);
    const cue = join(dir, 'Whole book.cue');
    await writeFile(
      cue,
      [
        'TITLE "Whole book"',
        'FILE "Whole book.wav" WAVE',
        '  TRACK 01 AUDIO',
        '    TITLE "Opening"',
        '    INDEX 01 00:00:00',
        '  TRACK 02 AUDIO',
        '    TITLE "Middle"',
        '    INDEX 00 00:04:00',
        '    INDEX 01 00:05:00',
        '  TRACK 03 AUDIO',
        '    TITLE "Close"',
        '    INDEX 01 00:09:00',
        '',
      ].join('\n'),
    );
    await dropFolders(page, [
      {
        name: 'Book',
        files: [
          { path: 'Whole book.mp3', fixture: relative(FIXTURES, rip) },
          { path: 'Whole book.cue', fixture: relative(FIXTURES, cue) },
        ],
      },
    ]);
    await ui.waitForReady(1);
    await ui.setFormat('M4B');
    await until(async () =>
      expect(await field(output(), 'combobox', 'Chapters').inputValue()).toBe('keep'),
    );
    const { probe } = await joinAndProbe();
    expect(titles(probe)).toEqual(['Opening', 'Middle', 'Close']);
    expect(starts(probe)).toEqual([0, 5, 9]);
  });
});

/** A WAV tone with digital silence before and after it, seconds. */
async function padded(name: string, lead: number, toneSec: number, trail: number): Promise<string> {
  const path = join(dir, name);
  const ms = Math.round(lead * 1000);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${toneSec}`],
    ...['-af', `adelay=${ms}|${ms},apad=pad_dur=${trail}`],
    ...['-ac', '2', '-ar', '44100', '-c:a', 'pcm_s16le', path],
  ]);
  return path;
}

describe('silence at the ends of tracks', () => {
  test('per track and for all: found, shown as trims the person adjusts, joined as trims', async () => {
    // 1.5 s of silence, 3 s of tone, 2 s of silence; then 0.3 s (kept: under 0.5 s), 2 s, 1 s.
    const a = await padded('talk 1.wav', 1.5, 3, 2);
    const b = await padded('talk 2.wav', 0.3, 2, 1);
    await ui.addFilesAndWait([a, b]);
    await ui.setFormat('WAV');
    // Settings hold the threshold and the shortest silence, at their defaults.
    expect(await field(ui.settings, 'spinbutton', 'Silence threshold (dBFS)').inputValue()).toBe(
      '-50',
    );
    expect(await field(ui.settings, 'spinbutton', 'Shortest silence (s)').inputValue()).toBe('0.5');

    const first = ui.items.nth(0);
    const second = ui.items.nth(1);
    const value = async (item: typeof first, name: string) =>
      Number(await field(item, 'spinbutton', name).inputValue());
    await first.getByRole('button', { name: 'Trim silence at start and end' }).click();
    // 0.1 s of the silence is kept before the sound and after it, so soft edges survive.
    await until(async () => {
      expect(await value(first, 'Start')).toBeCloseTo(1.4, 1);
      expect(await value(first, 'End')).toBeCloseTo(4.6, 1);
    });
    // The waveform's trim handles moved with it.
    expect(Number(await ui.trimHandle(first, 'start').getAttribute('aria-valuenow'))).toBeCloseTo(
      1.4,
      1,
    );
    expect(await field(second, 'spinbutton', 'End').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Trim silence in every track' }).click();
    await until(async () => expect(await value(second, 'End')).toBeCloseTo(2.4, 1));
    expect(await value(second, 'Start')).toBe(0);
    await until(async () =>
      expect(await page.getByRole('status').allInnerTexts()).toContainEqual(
        expect.stringMatching(
          /Trimmed silence of 0\.5 s or more below -50 dBFS from 2 of 2 tracks/,
        ),
      ),
    );

    // The person moves the first track's start back a little: an ordinary trim.
    await field(first, 'spinbutton', 'Start').fill('1');
    await field(first, 'spinbutton', 'Start').press('Enter');
    await until(async () => expect(await value(first, 'Start')).toBe(1));
    const end1 = await value(first, 'End');
    const end2 = await value(second, 'End');
    const { file } = await joinAndProbe();
    expect(await decodedDuration(file)).toBeCloseTo(end1 - 1 + end2, 1);
  });
});

describe('a long book', () => {
  test('30 chapter files: M4B with a cover and 30 chapters, and MP3 losslessly with ID3 chapters', async () => {
    // Named as a person's rip names them; added out of order, sorted "Chapter 2" before "10".
    const names = Array.from({ length: 30 }, (_, i) => `Chapter ${i + 1}.mp3`).reverse();
    const { paths } = await copies('tone-440-2s-44100-stereo.mp3', names, join(dir, 'book'));
    const cover = join(dir, 'book cover.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'color=teal:s=120x120', '-frames:v', '1', cover]);
    // Each file's decoded length (its MP3 frames hold a little more than the 2 s tone).
    const one = await decodedDuration(paths[0]!);
    await ui.addFilesAndWait(paths, 180_000);
    expect((await ui.tracks()).slice(0, 3)).toEqual([
      'Chapter 1.mp3',
      'Chapter 2.mp3',
      'Chapter 3.mp3',
    ]);
    await output().getByLabel('Choose an image').setInputFiles(cover);
    await until(async () =>
      expect(await field(output(), 'combobox', 'Cover').inputValue()).toBe('image'),
    );

    await ui.setFormat('M4B');
    let { file, probe } = await joinAndProbe();
    expect(probe.chapters).toHaveLength(30);
    expect(titles(probe).slice(0, 2)).toEqual(['Chapter 1', 'Chapter 2']);
    expect(titles(probe).at(-1)).toBe('Chapter 30');
    expect(Number(probe.chapters[29]!.start_time)).toBeCloseTo(29 * one, 1);
    expect(probe.streams.filter((s) => s.disposition?.attached_pic === 1)).toHaveLength(1);
    expect(await decodedDuration(file)).toBeCloseTo(30 * one, 1);

    await ui.setFormat('MP3');
    await until(async () => expect(await ui.planText()).toMatch(/^Lossless/));
    ({ file, probe } = await joinAndProbe());
    expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('mp3');
    expect(probe.chapters).toHaveLength(30);
    expect(titles(probe).at(-1)).toBe('Chapter 30');
    expect(probe.streams.filter((s) => s.disposition?.attached_pic === 1)).toHaveLength(1);
    // The joins are closed exactly (lib/lossless/mp3/seams.ts): the book's length less each
    // join's crossfade overlap, under one frame (1152 samples) a join; nothing added.
    const sec = await decodedDuration(file);
    expect(sec).toBeGreaterThan(30 * one - (29 * 1152) / 44100);
    expect(sec).toBeLessThanOrEqual(30 * one + 0.001);
    // The chapters follow the tracks: the last one starts where its track does, within a frame.
    const lastStart = Number(probe.chapters[29]!.start_time);
    expect(lastStart).toBeLessThanOrEqual(29 * one + 0.001);
    expect(lastStart).toBeGreaterThan(29 * one - (29 * 1152) / 44100);
    expect(Math.abs(lastStart + one - sec)).toBeLessThan(1152 / 44100);
  }, 600_000);
});
