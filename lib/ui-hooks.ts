import { useEffect, useState } from 'preact/hooks';
import { jobState, type JobState } from './job';
import { outputSettings, defaultOutput, type OutputSettings } from './settings';
import { listTracks, onTracksChanged } from './track-store';
import type { Track } from './tracks';

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

export function useOutputSettings(): [OutputSettings, (patch: Partial<OutputSettings>) => void] {
  const [value, setValue] = useState<OutputSettings>(defaultOutput);
  useEffect(() => {
    void outputSettings.getValue().then(setValue);
    return outputSettings.watch((v) => setValue(v));
  }, []);
  const update = (patch: Partial<OutputSettings>) => {
    const next = { ...value, ...patch };
    setValue(next);
    void outputSettings.setValue(next);
  };
  return [value, update];
}
