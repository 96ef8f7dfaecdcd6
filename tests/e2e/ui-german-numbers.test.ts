/**
 * Numbers the German way (issue 22, item 6: "0:39,49 beside a field showing 39.49"): in a
 * browser started in German the editor's number fields show a decimal comma and take one
 * ("2,5" seconds of crossfade, "39,49" as a trim's end) as well as a typed dot; what is not a
 * number is refused in German words that name the field; and the join is as long as the fields
 * say: 39.49 s of the first track and 4 s of the second, 2.5 s of them overlapping.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import { readerFor } from '../support/language';
import { decodedDuration, requireNativeFfmpeg, sineTones } from '../support/native-ffmpeg';
import { assertReady } from '../support/pages';
import { storedTracks } from '../support/queue';
import { until } from '../support/wait';

const read = readerFor('de');
const de = (key: string, ...subs: string[]) => read(key, undefined, subs);

let seam: Seam;
let page: Page;
let files: string[];

/** A 60 s tone and a 4 s one, mono WAV (lengths exact to the sample). */
const makeTones = () =>
  sineTones('seam-de-numbers', [
    ['Teil 1 - Vortrag.wav', 440, 60],
    ['Teil 2 - Abspann.wav', 660, 4],
  ]);

beforeAll(async () => {
  requireNativeFfmpeg();
  files = await makeTones();
  seam = await launchSeam({ name: 'seam-de-numbers', args: ['--lang=de'] });
  const p = await seam.openPopup();
  await resetSeam(seam, p);
  await seam.ext.clearSettings();
  await p.close();
});
afterAll(() => seam?.close());

const list = () => page.getByRole('list', { name: de('list.label'), exact: true });
const itemTexts = async () =>
  (await list().count()) > 0 ? list().getByRole('listitem').allInnerTexts() : [];

/** Types `text` into a field as a person does and leaves it (Tab). */
async function type(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press('Control+A');
  await field.pressSequentially(text);
  await field.press('Tab');
}

describe('numbers in German', () => {
  test('a decimal comma is shown and taken, a dot too; the join is as long as they say', async () => {
    page = await seam.openOptions();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.getByLabel(de('app.addFiles'), { exact: true }).setInputFiles(files);
    await until(async () => assertReady(await itemTexts(), 2), 60_000);
    const first = list().getByRole('listitem').first();

    // "39,49" as the first track's end: stored as 39.49 s, shown as "39,49", and the card says
    // it keeps 0:39,49.
    const end = first.getByRole('spinbutton', { name: de('editor.end'), exact: true });
    await type(end, '39,49');
    await until(async () => {
      const [t] = await storedTracks(inPage(page));
      expect(t?.edit?.endSec).toBe(39.49);
    });
    expect(await end.inputValue()).toBe('39,49');
    await until(async () => expect(await first.innerText()).toContain('0:39,49'));

    // A crossfade of "2,5" seconds.
    const junction = page.getByRole('group', {
      name: de('transition.group', 'Teil 2 - Abspann.wav'),
      exact: true,
    });
    await junction
      .getByRole('combobox', { name: de('transition.transition'), exact: true })
      .selectOption({ label: de('transition.crossfade') });
    const seconds = junction.getByRole('spinbutton', {
      name: de('transition.seconds'),
      exact: true,
    });
    await until(async () => expect(await seconds.count()).toBe(1));
    await type(seconds, '2,5');
    await until(async () => {
      const [t] = await storedTracks(inPage(page));
      expect(t?.edit?.transitionAfter).toMatchObject({ kind: 'crossfade', seconds: 2.5 });
    });
    expect(await seconds.inputValue()).toBe('2,5');

    // A typed dot is taken as well, and shown the German way.
    const start = first.getByRole('spinbutton', { name: de('editor.start'), exact: true });
    await type(start, '0.5');
    await until(async () => {
      const [t] = await storedTracks(inPage(page));
      expect(t?.edit?.startSec).toBe(0.5);
    });
    expect(await start.inputValue()).toBe('0,5');
    await type(start, '0');
    await until(async () => {
      const [t] = await storedTracks(inPage(page));
      expect(t?.edit?.startSec ?? 0).toBe(0);
    });

    // What is not a number is refused, in words that name the field; the value stays.
    await type(seconds, 'abc');
    const alert = junction.getByRole('alert');
    await until(async () =>
      expect(await alert.innerText()).toBe(
        de('units.notANumber', de('transition.seconds'), 'abc', '2,5'),
      ),
    );
    const [kept] = await storedTracks(inPage(page));
    expect(kept?.edit?.transitionAfter).toMatchObject({ kind: 'crossfade', seconds: 2.5 });
    await type(seconds, '2,5');
    await until(async () => expect(await junction.getByRole('alert').count()).toBe(0));

    // The join: 39.49 s + 4 s, 2.5 s of them overlapping.
    await page
      .getByRole('combobox', { name: de('output.format'), exact: true })
      .first()
      .selectOption({ label: 'WAV' });
    const { file } = await seam.ext.joinAndWait(() =>
      page.getByRole('button', { name: de('join.join'), exact: true }).click(),
    );
    expect(await decodedDuration(file)).toBeCloseTo(39.49 + 4 - 2.5, 1);
    await page.close();
  });
});
