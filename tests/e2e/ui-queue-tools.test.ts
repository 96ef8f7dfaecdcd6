/**
 * Long lists as a person handles them: Sort by name, by track number from the tags and by
 * date; Reverse; Clear all and Undo (the tracks come back and still join); several tracks
 * selected and moved or removed together; a folder dropped or picked, its audio added in name
 * order.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { launchSeam, resetSeam, type Seam, inPage } from '../support/chromium';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';
import { decodedDuration, ffmpeg } from '../support/native-ffmpeg';
import { copies, dropFolders, joinAndDownload } from './ui-support';
import { storedTracks } from '../support/queue';

let seam: Seam;
let page: Page;
let ui: PopupPage;
let dir: string;

beforeAll(async () => {
  seam = await launchSeam();
  page = await seam.openPopup();
  dir = (await copies('tone-440-2s-44100-stereo.mp3', ['Part 1.mp3', 'Part 2.mp3', 'Part 10.mp3']))
    .dir;
  // Tagged tracks whose numbers and dates disagree with their names.
  const tagged = [
    ['c-intro.mp3', '1', '2021-03-01'],
    ['a-middle.mp3', '2', '2019-06-15'],
    ['b-end.mp3', '3', '2020-01-10'],
  ];
  for (const [name, track, date] of tagged) {
    await ffmpeg([
      ...['-i', fixture('tone-660-2s-44100-stereo.mp3'), '-c', 'copy'],
      ...['-metadata', `track=${track}/3`, '-metadata', `date=${date}`, join(dir, name!)],
    ]);
  }
});
afterAll(() => seam?.close());
beforeEach(async () => {
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
  ui = new PopupPage(page);
});

const button = (name: string) => page.getByRole('button', { name, exact: true });

async function sortBy(choice: string): Promise<void> {
  await button('Sort').click();
  await button(choice).click();
}

/** Adds files one at a time, so the queue keeps the order given. */
async function addInOrder(names: string[]): Promise<void> {
  for (const [i, n] of names.entries()) {
    await ui.addFiles([join(dir, n)]);
    await until(async () => expect(await ui.items.count()).toBe(i + 1));
  }
  await ui.waitForReady(names.length);
}

describe('sort', () => {
  test('by name as people count, reversed, by track number and by date from the tags', async () => {
    await addInOrder(['Part 10.mp3', 'b-end.mp3', 'Part 2.mp3', 'c-intro.mp3', 'Part 1.mp3']);
    await sortBy('By name');
    await until(async () =>
      expect(await ui.tracks()).toEqual([
        'b-end.mp3',
        'c-intro.mp3',
        'Part 1.mp3',
        'Part 2.mp3',
        'Part 10.mp3',
      ]),
    );
    await sortBy('Reverse order');
    await until(async () =>
      expect(await ui.tracks()).toEqual([
        'Part 10.mp3',
        'Part 2.mp3',
        'Part 1.mp3',
        'c-intro.mp3',
        'b-end.mp3',
      ]),
    );
    // Tracks without a number go last, by name.
    await sortBy('By track number');
    await until(async () =>
      expect(await ui.tracks()).toEqual([
        'c-intro.mp3',
        'b-end.mp3',
        'Part 1.mp3',
        'Part 2.mp3',
        'Part 10.mp3',
      ]),
    );
    // The menu closed and gave focus back to Sort.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sort');
  });

  test('by date: the recording date in the tags', async () => {
    await addInOrder(['c-intro.mp3', 'a-middle.mp3', 'b-end.mp3']);
    await sortBy('By date');
    await until(async () =>
      expect(await ui.tracks()).toEqual(['a-middle.mp3', 'b-end.mp3', 'c-intro.mp3']),
    );
  });

  test('files picked together go in by name; with the setting off, as picked', async () => {
    await ui.addFiles(['Part 10.mp3', 'Part 2.mp3', 'Part 1.mp3'].map((n) => join(dir, n)));
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual(['Part 1.mp3', 'Part 2.mp3', 'Part 10.mp3']);

    const options = await seam.openOptions();
    await options
      .getByRole('region', { name: 'Settings' })
      .getByRole('checkbox', { name: 'Sort files added together by name' })
      .uncheck();
    await options.close();
    await ui.addFiles(['c-intro.mp3', 'a-middle.mp3'].map((n) => join(dir, n)));
    await ui.waitForReady(5);
    expect((await ui.tracks()).slice(3)).toEqual(['c-intro.mp3', 'a-middle.mp3']);
  });
});

describe('Clear all, Undo and selecting several', () => {
  test('Clear all empties the queue; Undo brings every track back, in order, and they join', async () => {
    const names = ['Part 1.mp3', 'Part 2.mp3', 'Part 10.mp3'];
    await ui.addFiles(names.map((n) => join(dir, n)));
    await ui.waitForReady(3);
    await button('Clear all').click();
    await until(async () => expect(await ui.items.count()).toBe(0));
    const status = page.getByRole('status').filter({ hasText: 'Removed 3 tracks.' });
    expect(await status.count()).toBe(1);
    await status.getByRole('button', { name: 'Undo' }).click();
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual(names);
    const { file } = await joinAndDownload(seam, page);
    expect(await decodedDuration(file)).toBeGreaterThan(5.9);
  });

  test('a single Remove can be undone too', async () => {
    await ui.addFiles(['Part 1.mp3', 'Part 2.mp3'].map((n) => join(dir, n)));
    await ui.waitForReady(2);
    await ui.remove('Part 1.mp3');
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await until(async () => expect(await ui.tracks()).toEqual(['Part 1.mp3', 'Part 2.mp3']));
  });

  test('select several (Shift for a range) and move them to the top, then remove them', async () => {
    await addInOrder(['Part 1.mp3', 'Part 2.mp3', 'Part 10.mp3', 'a-middle.mp3', 'b-end.mp3']);
    const box = (name: string) => page.getByRole('checkbox', { name: `Select ${name}` });
    await box('Part 10.mp3').click();
    await box('b-end.mp3').click({ modifiers: ['Shift'] });
    const group = page.getByRole('group', { name: '3 selected' });
    await group.getByRole('button', { name: 'To top' }).click();
    await until(async () =>
      expect(await ui.tracks()).toEqual([
        'Part 10.mp3',
        'a-middle.mp3',
        'b-end.mp3',
        'Part 1.mp3',
        'Part 2.mp3',
      ]),
    );
    await group.getByRole('button', { name: 'Remove selected' }).click();
    await until(async () => expect(await ui.tracks()).toEqual(['Part 1.mp3', 'Part 2.mp3']));
    expect(await page.getByRole('group', { name: /selected$/ }).count()).toBe(0);
    expect((await storedTracks(inPage(page))).map((t) => t.name)).toEqual([
      'Part 1.mp3',
      'Part 2.mp3',
    ]);
  });
});

describe('folders', () => {
  test('a dropped folder adds the audio inside it, subfolders too, in name order', async () => {
    await dropFolders(page, [
      {
        name: 'Book',
        files: [
          { path: 'Part 10.mp3', fixture: 'tone-440-2s-44100-stereo.mp3' },
          { path: 'notes.txt', fixture: 'text-named.wav' },
          { path: 'Part 2.mp3', fixture: 'tone-660-2s-44100-stereo.mp3' },
          { path: 'Part 1.mp3', fixture: 'tone-880-2s-44100-stereo.mp3' },
          { path: 'Extras/Bonus.mp3', fixture: 'mono-22050.mp3' },
        ],
      },
    ]);
    await ui.waitForReady(4);
    expect(await ui.tracks()).toEqual(['Bonus.mp3', 'Part 1.mp3', 'Part 2.mp3', 'Part 10.mp3']);
    expect(await page.getByRole('status').allInnerTexts()).toContainEqual(
      expect.stringContaining('Added 4 tracks from “Book”; left out 1 file that is not audio.'),
    );
  });

  test('"Add folder" adds the audio of the folder picked, in name order', async () => {
    const { dir: picked } = await copies('tone-440-2s-44100-stereo.mp3', [
      'Album/03 Three.mp3',
      'Album/1 One.mp3',
      'Album/02 Two.mp3',
    ]);
    await copies('png-named.mp3', ['Album/cover.jpg'], picked);
    await page.getByLabel('Add folder').setInputFiles(join(picked, 'Album'));
    await ui.waitForReady(3);
    expect(await ui.tracks()).toEqual(['1 One.mp3', '02 Two.mp3', '03 Three.mp3']);
  });
});
