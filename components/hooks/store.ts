import { useEffect, useRef, useState } from 'preact/hooks';
import type { JobState } from '@/lib/core/job';
import { jobState } from '@/lib/store/job';
import {
  defaultPreferences,
  defaultTags,
  defaultOutput,
  type OutputSettings,
  type OutputTags,
  type Preferences,
} from '@/lib/core/settings';
import { outputSettings, outputTags, preferences } from '@/lib/store/settings';
import { listTracks, onTracksChanged } from '@/lib/store/tracks';
import { getCoverImage, onCoverImageChanged } from '@/lib/store/cover';
import type { Track } from '@/lib/core/track';

/** The queue, kept current across every open page. `undefined` until first loaded. */
export function useTracks(): Track[] | undefined {
  const [tracks, setTracks] = useState<Track[]>();
  useEffect(() => {
    let alive = true;
    const load = () =>
      void listTracks().then((t) => {
        if (alive) setTracks(t);
      });
    load();
    const off = onTracksChanged(load);
    return () => {
      alive = false;
      off();
    };
  }, []);
  return tracks;
}

/** The current or last join, as the background records it. */
export function useJob(): JobState | null {
  const [job, setJob] = useState<JobState | null>(null);
  useEffect(() => {
    void jobState.getValue().then(setJob);
    return jobState.watch((v) => setJob(v));
  }, []);
  return job;
}

/** The parts of a @wxt-dev/storage item (with a fallback) the hooks use. */
interface StoredItem<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  watch(cb: (value: T) => void): () => void;
}

/**
 * A settings object from storage, current across pages, and a function that merges a patch
 * into it and stores it. Shows `fallback` until the stored value is read.
 */
function useStoredObject<T extends object>(
  item: StoredItem<T>,
  fallback: T,
): [T, (patch: Partial<T>) => void] {
  const [value, setValue] = useState<T>(fallback);
  // Patches made before the next render build on each other, not on a stale value.
  const latest = useRef(value);
  useEffect(() => {
    const set = (v: T) => {
      latest.current = v;
      setValue(v);
    };
    void item.getValue().then(set);
    return item.watch(set);
  }, [item]);
  const update = (patch: Partial<T>) => {
    const next = { ...latest.current, ...patch };
    latest.current = next;
    setValue(next);
    void item.setValue(next);
  };
  return [value, update];
}

export function useOutputSettings(): [OutputSettings, (patch: Partial<OutputSettings>) => void] {
  return useStoredObject(outputSettings, defaultOutput);
}

export function usePreferences(): [Preferences, (patch: Partial<Preferences>) => void] {
  return useStoredObject(preferences, defaultPreferences);
}

export function useOutputTags(): [OutputTags, (patch: Partial<OutputTags>) => void] {
  return useStoredObject(outputTags, defaultTags);
}

/**
 * A module loaded on demand (the options page's editor), or undefined until it is, or when
 * `load` is undefined (the popup, which never loads it).
 */
export function useLazyModule<T>(load: (() => Promise<T>) | undefined): T | undefined {
  const [mod, setMod] = useState<T>();
  useEffect(() => {
    if (!load) return;
    let alive = true;
    void load().then((m) => {
      if (alive) setMod(() => m);
    });
    return () => {
      alive = false;
    };
  }, [load]);
  return mod;
}

/** The name of the person's own cover image, or undefined when none is stored. */
export function useCoverImageName(): string | undefined {
  const [name, setName] = useState<string>();
  useEffect(() => {
    let alive = true;
    const load = () =>
      void getCoverImage().then((img) => {
        if (alive) setName(img?.name);
      });
    load();
    const off = onCoverImageChanged(load);
    return () => {
      alive = false;
      off();
    };
  }, []);
  return name;
}
