import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  defaultOutput,
  defaultPreferences,
  outputSettings,
  preferences,
} from '@/lib/store/settings';

describe('settings storage', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('migrates v1 output settings ({format, bitrate}) to v2 with the new defaults filled', async () => {
    // What Seam stored before the editor: no version meta means v1.
    await fakeBrowser.storage.local.set({ output: { format: 'wav', bitrate: 128 } });
    await outputSettings.migrate();
    expect(await outputSettings.getValue()).toEqual({
      ...defaultOutput,
      format: 'wav',
      bitrate: 128,
    });
    const raw = await fakeBrowser.storage.local.get(['output', 'output$']);
    expect(raw['output$']).toEqual({ v: 2 });
    expect(raw['output']).toMatchObject({ mp3Mode: 'cbr', vbrQuality: 2, chapters: true });
  });

  it('leaves v2 settings as they are', async () => {
    const stored = { ...defaultOutput, format: 'opus', normalize: true };
    await fakeBrowser.storage.local.set({ output: stored, output$: { v: 2 } });
    await outputSettings.migrate();
    expect(await outputSettings.getValue()).toEqual(stored);
  });

  it('falls back to the defaults when nothing is stored', async () => {
    expect(await outputSettings.getValue()).toEqual(defaultOutput);
    expect(await preferences.getValue()).toEqual(defaultPreferences);
  });

  it('keeps preferences across a reload of the item', async () => {
    await preferences.setValue({ ...defaultPreferences, fileNameTemplate: '{date} {first}' });
    expect((await preferences.getValue()).fileNameTemplate).toBe('{date} {first}');
  });
});
