import {
  JoinFailedError,
  NothingToJoinError,
  TrackMissingError,
  errorFromData,
} from '@/lib/core/errors';
import { text } from '@/lib/core/i18n';
import { trackRef, type Track } from '@/lib/core/track';
import { startsBeforeChecks } from '@/lib/plan/decide';
import type { PlanTrack } from '@/lib/plan/types';
import type { JoinRequest } from '@/lib/protocol/contract';
import { getAudio, listTracks } from '@/lib/store/tracks';
import { untilAborted } from './abort';
import type { Arrivals } from './arrivals';
import type { Engine } from './ffmpeg';
import type { EnginePool } from './pool';
import { copyInfo } from './probe';

/** What a join's wait for its tracks uses of the engine's host. */
export interface ReadyDeps {
  readonly pool: EnginePool<Engine>;
  readonly arrivals: Arrivals;
  /** Cores the join may use (the copy-as-is decision depends on them). */
  readonly cores: number;
  /** Page audio still arriving: how much of it has, in percent. */
  readonly downloading: (percent: number) => void;
  /** Tracks added a moment ago still being probed: how many of them are, in percent. */
  readonly probing: (percent: number) => void;
}

/** The tracks a join starts with, and those it copied before their decode check finished. */
export interface ReadyTracks {
  tracks: PlanTrack[];
  unchecked: Track[];
}

/**
 * The job's tracks, listed, and checked when the join needs it. Page audio still arriving is
 * waited for; tracks still unprobed (added a moment ago) are waited for through the probe
 * queue. A join that may start before the decode checks (lib/plan/decide.ts
 * `startsBeforeChecks`: a copy of the audio as it is, or a re-encode of tracks whose tables hold
 * their length) starts at once with what it needs (for a copy of MP3 and WAV the zero-copy check
 * of the file, in JavaScript), and the tracks not yet decode-checked come back as `unchecked`:
 * their checks run beside the join or after it. Any other join, or any join with
 * `checksFirst`, waits for every track's decode check, so a cut-short file is named here instead
 * of joined. A bad one stops the join by name. Cancel ends the wait, not the downloads, probes
 * or checks.
 */
export async function readyTracks(
  req: JoinRequest,
  signal: AbortSignal,
  deps: ReadyDeps,
  checksFirst = false,
): Promise<ReadyTracks> {
  const tracks = await arrived(req.trackIds, signal, deps);
  const listed = await untilAborted(probed(tracks, deps), signal);
  const plain = asPlan(tracks, listed);
  const unchecked = listed.filter((p): p is Track => !!p && !p.info?.decoded);
  if (unchecked.length === 0) return { tracks: plain, unchecked: [] };
  const quick = await Promise.all(plain.map(withCopyInfo));
  // A file ffprobe saw cut short is joined only once the check says how much of it plays.
  if (
    !checksFirst &&
    !unchecked.some((t) => t.info?.cutShort) &&
    startsBeforeChecks(quick, req.output, { ...req.options, cores: deps.cores })
  ) {
    return { tracks: quick, unchecked };
  }
  const checked = await Promise.all(
    listed.map((p) => (p?.status === 'ready' ? deps.pool.checked(p, signal) : p)),
  );
  return { tracks: asPlan(tracks, checked), unchecked: [] };
}

/**
 * Each track as ffprobe lists it: those added a moment ago are waited for through the probe
 * queue, their count shown as the join's progress (the bar moves with each one probed).
 */
async function probed(tracks: readonly Track[], deps: ReadyDeps): Promise<(Track | undefined)[]> {
  const unprobed = tracks.filter((t) => !(t.status === 'ready' && t.info)).length;
  let done = 0;
  if (unprobed > 0) deps.probing(0);
  return Promise.all(
    tracks.map(async (t) => {
      if (t.status === 'ready' && t.info) return t;
      const p = await deps.pool.probe(t.id);
      deps.probing(Math.floor((++done / unprobed) * 100));
      return p;
    }),
  );
}

/** The job's tracks still in the queue, in the job's order. */
async function inQueue(trackIds: readonly string[]): Promise<Track[]> {
  const queued = await listTracks();
  return trackIds
    .map((id) => queued.find((t) => t.id === id))
    .filter((t): t is Track => t !== undefined);
}

/**
 * The job's tracks once the page audio among them has arrived (its progress shown as the
 * join's). None left, or one still downloading that nobody asked this engine for, stops the join.
 */
async function arrived(
  trackIds: readonly string[],
  signal: AbortSignal,
  { arrivals, downloading }: ReadyDeps,
): Promise<Track[]> {
  const tracks = await inQueue(trackIds);
  if (tracks.length === 0) throw new NothingToJoinError();
  const arriving = tracks.filter((t) => t.status === 'fetching').map((t) => t.id);
  if (arriving.length === 0) return tracks;
  await arrivals.wait(arriving, (f) => downloading(Math.floor(f * 100)), signal);
  const now = await inQueue(trackIds);
  if (now.length === 0) throw new NothingToJoinError();
  // A download nobody asked this engine for (the background asks before every join).
  const lost = now.find((t) => t.status === 'fetching' && !arrivals.has(t.id));
  if (lost) throw new JoinFailedError(text('errors.stillDownloading'), trackRef(lost));
  return now;
}

/** The tracks as the planner takes them: a failed one stops the join by its own error. */
function asPlan(tracks: readonly Track[], found: readonly (Track | undefined)[]): PlanTrack[] {
  return tracks.map((t, i) => {
    const p = found[i];
    if (p?.status === 'error' && p.error) throw errorFromData(p.error);
    if (!p?.info) throw new TrackMissingError(trackRef(t));
    return { id: t.id, name: t.name, info: p.info, edit: p.edit };
  });
}

/** A track not yet decode-checked, with what a copy of it needs (read from the file). */
async function withCopyInfo(t: PlanTrack): Promise<PlanTrack> {
  if (t.info.decoded) return t;
  const blob = await getAudio(t.id);
  if (!blob) throw new TrackMissingError(trackRef(t));
  return { ...t, info: await copyInfo(trackRef(t), blob, t.info) };
}
