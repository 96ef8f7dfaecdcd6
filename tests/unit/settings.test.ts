import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { outputSettings, preferences } from '@/lib/store/settings';
import {
  cleanOutput,
  cleanPreferences,
  cleanTags,
  defaultOutput,
  defaultPreferences,
  defaultTags,
} from '@/lib/core/settings';
import { clampTenths, clampWhole, LOUDNESS_MIN_LUFS } from '@/lib/core/limits';

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
    expect(raw['output']).toMatchObject({ mp3Mode: 'cbr', vbrQuality: 2, chapters: 'auto' });
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

describe('numbers typed into settings', () => {
  it.each([
    [undefined, 1024],
    [NaN, 1024],
    [0, 1],
    [12.6, 13],
    [99999, 4096],
  ])('size limit %s → %s', (v, expected) => {
    expect(clampWhole(v, 1, 4096, 1024)).toBe(expected);
  });

  it('keeps fades to 0.1 s within range', () => {
    expect(clampTenths(2.345, 60)).toBe(2.3);
    expect(clampTenths(-1, 60)).toBe(0);
    expect(clampTenths(100, 60)).toBe(60);
    expect(clampTenths(undefined, 60)).toBe(0);
  });
});

describe('stored settings are merged with the defaults and clamped on read', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('a stored object missing fetchLimitMB gets the default limit, not none', async () => {
    await fakeBrowser.storage.local.set({
      preferences: { askWhereToSave: true },
      preferences$: { v: 1 },
    });
    const prefs = await preferences.getValue();
    expect(prefs.fetchLimitMB).toBe(defaultPreferences.fetchLimitMB);
    expect(prefs.askWhereToSave).toBe(true);
    expect(prefs.fileNameTemplate).toBe(defaultPreferences.fileNameTemplate);
  });

  it('values out of range or of the wrong type are brought back', () => {
    const prefs = cleanPreferences({
      loudnessTarget: -70,
      fetchLimitMB: 1e9,
      keepQueueAfterJoin: 'yes',
      defaultTransition: { kind: 'crossfade', seconds: 99, curve: 'weird' },
    });
    expect(prefs.loudnessTarget).toBe(LOUDNESS_MIN_LUFS);
    expect(prefs.fetchLimitMB).toBe(4096);
    expect(prefs.keepQueueAfterJoin).toBe(true);
    expect(prefs.defaultTransition).toEqual({
      kind: 'crossfade',
      seconds: 10,
      curve: 'equal-power',
    });
    const out = cleanOutput({ format: 'exe', bitrate: 193, fadeInSec: -3, cover: { trackId: 7 } });
    expect(out).toEqual(defaultOutput);
  });

  it('what the planner gets is what the Settings field allows: one loudness range', () => {
    expect(cleanPreferences({ loudnessTarget: -40 }).loudnessTarget).toBe(-30);
    expect(cleanPreferences({ loudnessTarget: 0 }).loudnessTarget).toBe(-5);
  });
});

describe('chapter settings from before chapter modes', () => {
  it('a ticked Chapters box becomes "auto", an unticked one "none"', () => {
    expect(cleanOutput({ chapters: true }).chapters).toBe('auto');
    expect(cleanOutput({ chapters: false }).chapters).toBe('none');
    expect(cleanOutput({ chapters: 'keep' }).chapters).toBe('keep');
    expect(cleanOutput({ chapters: 'sometimes' }).chapters).toBe('auto');
  });
});

describe('settings added for the UI', () => {
  it('reads the old default name template as the new one, {title}', () => {
    expect(cleanPreferences({ fileNameTemplate: '{first} + {count} more' }).fileNameTemplate).toBe(
      '{title}',
    );
    expect(cleanPreferences({ fileNameTemplate: '{first} {date}' }).fileNameTemplate).toBe(
      '{first} {date}',
    );
  });

  it('sorts added files by name unless told not to', () => {
    expect(cleanPreferences({}).sortAddedByName).toBe(true);
    expect(cleanPreferences({ sortAddedByName: false }).sortAddedByName).toBe(false);
    expect(cleanPreferences({ sortAddedByName: 'no' }).sortAddedByName).toBe(true);
  });

  it('keeps the new tag fields and the image cover', () => {
    expect(cleanTags({ genre: 'Talk', track: 3, comment: 'x'.repeat(600) })).toEqual({
      ...defaultTags,
      genre: 'Talk',
      comment: 'x'.repeat(500),
    });
    expect(cleanOutput({ cover: 'image' }).cover).toBe('image');
  });
});
