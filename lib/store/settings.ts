import { storage } from '#imports';
import {
  cleanOutput,
  cleanPreferences,
  cleanTags,
  defaultOutput,
  defaultPreferences,
  defaultTags,
  type OutputSettings,
  type OutputTags,
  type Preferences,
} from '@/lib/core/settings';

/**
 * The settings' storage items (storage.local), defined once with their versions and migrations.
 * What they hold is cleaned on every read (merged with the defaults, clamped to the limits), so
 * an older version's object or a hand-edited value never reaches a join as it is.
 */

/** The parts of a @wxt-dev/storage item that Seam uses, reading cleaned values. */
export interface SettingItem<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  watch(cb: (value: T) => void): () => void;
  migrate(): Promise<void>;
}

function cleaned<T>(
  item: {
    getValue(): Promise<T>;
    setValue(value: T): Promise<void>;
    watch(cb: (value: T) => void): () => void;
    migrate(): Promise<void>;
  },
  clean: (raw: unknown) => T,
): SettingItem<T> {
  return {
    getValue: async () => clean(await item.getValue()),
    setValue: (value) => item.setValue(clean(value)),
    watch: (cb) => item.watch((v) => cb(clean(v))),
    migrate: () => item.migrate(),
  };
}

export const outputSettings = cleaned(
  storage.defineItem<OutputSettings>('local:output', {
    fallback: defaultOutput,
    version: 2,
    migrations: {
      // v1 held only format and bitrate.
      2: (v1: Partial<OutputSettings>): OutputSettings => ({ ...defaultOutput, ...v1 }),
    },
  }),
  cleanOutput,
);

export const preferences = cleaned(
  storage.defineItem<Preferences>('local:preferences', {
    fallback: defaultPreferences,
    version: 1,
  }),
  cleanPreferences,
);

export const outputTags = cleaned(
  storage.defineItem<OutputTags>('local:tags', { fallback: defaultTags, version: 1 }),
  cleanTags,
);
