/**
 * Page objects for the popup and the options page, over Playwright: every control is found by
 * its role and accessible name, per the UI contract in DESIGN.md, so these names are the product.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { evaluateIn } from './extension';
import { storedTracks } from './queue';
import { until } from './wait';

/**
 * Throws unless the Tracks list's item texts are `count` ready tracks: a ready track's item
 * shows "m:ss · CODEC · rate · layout · size".
 */
export function assertReady(texts: string[], count: number): void {
  if (texts.length !== count || !texts.every((t) => /\d+:\d\d · /.test(t))) {
    throw new Error(`waiting for ${count} ready tracks, have ${JSON.stringify(texts)}`);
  }
}

/** A form control by role and exact accessible name, inside `scope`. */
export const field = (
  scope: Locator | Page,
  role: 'spinbutton' | 'combobox' | 'textbox' | 'checkbox' | 'slider',
  name: string,
): Locator => scope.getByRole(role, { name, exact: true });

/** The popup; the options page shows the same queue and controls (see OptionsPage). */
export class PopupPage {
  constructor(readonly page: Page) {}

  get list(): Locator {
    return this.page.getByRole('list', { name: 'Tracks' });
  }

  get items(): Locator {
    return this.list.getByRole('listitem');
  }

  /** The list item that shows this file name. */
  item(name: string): Locator {
    return this.items.filter({ hasText: name });
  }

  async addFiles(paths: string[]): Promise<void> {
    await this.page.getByLabel('Add files').setInputFiles(paths);
  }

  /** Adds files with the "Add files" input and waits until every track in the list is ready. */
  async addFilesAndWait(paths: string[], timeout = 60_000): Promise<void> {
    const before = (await this.itemTexts()).length;
    await this.addFiles(paths);
    await this.waitForReady(before + paths.length, timeout);
  }

  /** Drops real files on the page the way a drag from the file manager does. */
  async dropFiles(paths: string[]): Promise<void> {
    const files = paths.map((p) => ({ name: basename(p), bytes: [...readFileSync(p)] }));
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list)
        dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'audio/mpeg' }));
      return dt;
    }, files);
    const target = this.page.locator('.drop-zone');
    await target.dispatchEvent('dragover', { dataTransfer });
    await target.dispatchEvent('drop', { dataTransfer });
  }

  /** Track names in list order (the first line of each item is its file name). */
  async tracks(): Promise<string[]> {
    if ((await this.list.count()) === 0) return [];
    const texts = await this.items.allInnerTexts();
    return texts.map((t) => t.trim().split('\n')[0]!.trim());
  }

  async moveUp(name: string): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Move up' }).click();
  }

  async moveDown(name: string): Promise<void> {
    await this.item(name).getByRole('button', { name: 'Move down' }).click();
  }

  async remove(name: string): Promise<void> {
    const before = await this.items.count();
    await this.item(name).getByRole('button', { name: 'Remove' }).click();
    await until(async () => {
      const now = await this.items.count();
      if (now !== before - 1) throw new Error(`Remove ${name}: ${now} items, wanted ${before - 1}`);
    });
  }

  /** The select labelled exactly "Format". */
  get format(): Locator {
    // getByLabel would see the wrapping label's text plus every option's; the role's accessible
    // name is exactly "Format".
    return field(this.page, 'combobox', 'Format');
  }

  async setFormat(label: string): Promise<void> {
    await this.format.selectOption({ label });
  }

  async setBitrate(kbps: number): Promise<void> {
    await field(this.page, 'combobox', 'Bitrate').selectOption({ label: `${kbps} kb/s` });
  }

  get joinButton(): Locator {
    return this.page.getByRole('button', { name: 'Join', exact: true });
  }

  get cancelButton(): Locator {
    return this.page.getByRole('button', { name: 'Cancel', exact: true });
  }

  get progressbar(): Locator {
    return this.page.getByRole('progressbar');
  }

  /** Clicks Join (Playwright waits for it to be enabled). */
  async join(): Promise<void> {
    await this.joinButton.click();
  }

  async itemTexts(): Promise<string[]> {
    if ((await this.list.count()) === 0) return [];
    return this.items.allInnerTexts();
  }

  /** Waits until the list has `count` items and every one is probed and ready. */
  async waitForReady(count: number, timeout = 60_000): Promise<void> {
    await until(async () => {
      assertReady(await this.itemTexts(), count);
      // A length shows from the file's header while ffprobe still reads it: ready is probed.
      const reading = (await storedTracks(evaluateIn(this.page))).filter(
        (t) => t.status === 'probing' || t.status === 'fetching',
      );
      if (reading.length > 0) throw new Error(`still read: ${reading.map((t) => t.name)}`);
    }, timeout);
  }

  /** Waits until the list has `count` items and none is still being checked or fetched. */
  async waitForSettled(count: number, timeout = 60_000): Promise<void> {
    await until(async () => {
      const texts = await this.itemTexts();
      if (texts.length !== count || texts.some((t) => /checking…|Downloading/.test(t))) {
        throw new Error(`waiting for ${count} settled tracks, have ${JSON.stringify(texts)}`);
      }
    }, timeout);
  }

  async alerts(): Promise<string[]> {
    return (await this.page.getByRole('alert').allInnerTexts()).map((t) => t.trim());
  }

  /** The plan line ("Lossless: ..." or "Re-encoding ..."). */
  get plan(): Locator {
    return this.page.getByText(/^(Lossless|Re-encoding)/);
  }

  /** The plan line's text, or "" while there is none. */
  async planText(): Promise<string> {
    return (await this.plan.count()) > 0 ? (await this.plan.first().innerText()).trim() : '';
  }

  get status(): Locator {
    return this.page.getByRole('status');
  }

  /** The region "On this page": audio found in the tab the page is for. */
  get onThisPage(): Locator {
    return this.page.getByRole('region', { name: 'On this page' });
  }

  /** The checkbox of an item found on the page, by the item's name. */
  pageCheckbox(name: string): Locator {
    return field(this.onThisPage, 'checkbox', name);
  }

  /** Each item listed "On this page" as "name | host | reason" (waits for the list). */
  async pageItems(): Promise<string[]> {
    const items = this.onThisPage.getByRole('listitem');
    await until(async () => {
      if ((await items.count()) === 0) throw new Error('nothing listed "On this page"');
    });
    return (await items.allInnerTexts()).map((t) =>
      t
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' | '),
    );
  }

  /** Ticks the named items "On this page" and clicks "Add selected". */
  async addFromPage(names: string[]): Promise<void> {
    for (const name of names) await this.pageCheckbox(name).check();
    await this.onThisPage.getByRole('button', { name: 'Add selected' }).click();
  }
}

/** The options page: the popup's queue and controls plus the editor and the settings. */
export class OptionsPage extends PopupPage {
  /** The region "Settings". */
  get settings(): Locator {
    return this.page.getByRole('region', { name: 'Settings' });
  }

  /** A track's drag handle ("Reorder"). */
  reorderHandle(name: string): Locator {
    return this.item(name).getByRole('button', { name: 'Reorder' });
  }

  /** A track's trim handle over its waveform. */
  trimHandle(item: Locator, which: 'start' | 'end'): Locator {
    return item.getByRole('slider', { name: which === 'start' ? 'Trim start' : 'Trim end' });
  }
}
