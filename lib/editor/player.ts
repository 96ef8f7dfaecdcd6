/**
 * Listening in the editor: "Play" plays a track's kept part, "Preview" plays a junction as the
 * join will sound. One thing plays at a time; starting another stops it. The audio comes from
 * the track store as blob: URLs, played by media elements; the preview routes them through
 * Web Audio gain nodes so crossfade curves are applied on the audio clock.
 */
import { previewPlan, previewPositions, fadeCurve, type PreviewPlan } from './preview';
import type { Transition } from '@/lib/core/track';
import { getAudio } from '@/lib/store/tracks';

export type PlayerState =
  | { kind: 'idle' }
  | { kind: 'track'; trackId: string; positionSec: number }
  /**
   * `trackId` is the track before the junction, `nextId` the one after; `at` is where the
   * preview stands in each (their own seconds; absent while that one is silent); `step` is set
   * while previewing them all.
   */
  | {
      kind: 'junction';
      trackId: string;
      nextId: string;
      at: { a?: number; b?: number };
      step?: { index: number; count: number };
    };

const IDLE: PlayerState = { kind: 'idle' };
let state: PlayerState = IDLE;
let stopCurrent: (() => void) | undefined;
/** Bumped by every start and stop, so a start still loading its audio knows it was superseded. */
let generation = 0;
const listeners = new Set<(s: PlayerState) => void>();

export function playerState(): PlayerState {
  return state;
}

/** Calls `cb` on every change of what plays (and, while a track plays, of its position). */
export function onPlayer(cb: (s: PlayerState) => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

function emit(next: PlayerState): void {
  state = next;
  for (const cb of listeners) cb(next);
}

export function stopPlayback(): void {
  generation++;
  const stop = stopCurrent;
  stopCurrent = undefined;
  stop?.();
  if (state.kind !== 'idle') emit(IDLE);
}

/** Plays `trackId` from `fromSec` to `toSec` (source seconds), then stops. */
export async function playTrack(trackId: string, fromSec: number, toSec: number): Promise<void> {
  stopPlayback();
  const gen = generation;
  emit({ kind: 'track', trackId, positionSec: fromSec });
  const blob = await getAudio(trackId);
  if (!blob) {
    if (gen === generation) stopPlayback();
    return;
  }
  const audio = await mediaAt(blob, fromSec);
  let raf = 0;
  const stop = () => {
    cancelAnimationFrame(raf);
    audio.el.pause();
    audio.release();
  };
  if (gen !== generation) return stop();
  stopCurrent = stop;
  const tick = () => {
    if (stopCurrent !== stop) return;
    const t = audio.el.currentTime;
    if (t >= toSec || audio.el.ended) return stopPlayback();
    emit({ kind: 'track', trackId, positionSec: t });
    raf = requestAnimationFrame(tick);
  };
  try {
    await audio.el.play();
  } catch {
    if (stopCurrent === stop) stopPlayback();
    return;
  }
  raf = requestAnimationFrame(tick);
}

export interface PreviewSide {
  id: string;
  startSec: number;
  endSec: number;
}

/**
 * Plays the few seconds around the junction after track `a`: its tail, then `b`'s head, apart
 * by a gap or overlapping with the crossfade's curves. `transition` is the applied one.
 */
export async function previewJunction(
  a: PreviewSide,
  b: PreviewSide,
  transition: Transition,
): Promise<void> {
  stopPlayback();
  await playJunction({ a, b, transition }, generation);
}

/** One junction of the result: the kept parts either side and the transition as applied. */
export interface PreviewJunction {
  a: PreviewSide;
  b: PreviewSide;
  transition: Transition;
}

/**
 * The whole result around each junction, one after another (a shorter lead each side): how
 * every seam of the join will sound, without joining. Stops with stopPlayback.
 */
export async function previewAll(junctions: readonly PreviewJunction[]): Promise<void> {
  stopPlayback();
  const gen = generation;
  for (const [index, j] of junctions.entries()) {
    if (gen !== generation) return;
    const ended = await playJunction(j, gen, { index, count: junctions.length }, ALL_LEAD_SEC);
    if (!ended) return;
  }
  if (gen === generation) stopPlayback();
}

/** Seconds either side of each junction when previewing them all. */
const ALL_LEAD_SEC = 2;

/**
 * Plays one junction; resolves true when it has played to its end, false when something else
 * started or it was stopped (`gen` is the generation it belongs to).
 */
async function playJunction(
  { a, b, transition }: PreviewJunction,
  gen: number,
  step?: { index: number; count: number },
  lead?: number,
): Promise<boolean> {
  const ctx = new AudioContext();
  const plan = previewPlan(a, b, transition, lead);
  const at = (sec: number) =>
    emit({
      kind: 'junction',
      trackId: a.id,
      nextId: b.id,
      at: previewPositions(plan, sec),
      ...(step ? { step } : {}),
    });
  at(0);
  const [blobA, blobB] = await Promise.all([getAudio(a.id), getAudio(b.id)]);
  if (!blobA || !blobB) {
    void ctx.close();
    if (gen === generation) stopPlayback();
    return false;
  }
  const [mA, mB] = await Promise.all([
    mediaAt(blobA, plan.a.fromSec),
    mediaAt(blobB, plan.b.fromSec),
  ]);
  const timers: ReturnType<typeof setTimeout>[] = [];
  let finish: (ended: boolean) => void = () => undefined;
  const done = new Promise<boolean>((resolve) => (finish = resolve));
  let raf = 0;
  const release = () => {
    cancelAnimationFrame(raf);
    timers.forEach(clearTimeout);
    for (const m of [mA, mB]) {
      m.el.pause();
      m.release();
    }
    void ctx.close();
  };
  const stop = () => {
    release();
    finish(false);
  };
  if (gen !== generation) {
    stop();
    return false;
  }
  stopCurrent = stop;

  const gains = [ctx.createGain(), ctx.createGain()] as const;
  ctx.createMediaElementSource(mA.el).connect(gains[0]).connect(ctx.destination);
  ctx.createMediaElementSource(mB.el).connect(gains[1]).connect(ctx.destination);
  await ctx.resume().catch(() => undefined);
  if (stopCurrent !== stop) return false;
  // A short lead so the first play() has started before the gains begin to move.
  const t0 = ctx.currentTime + 0.05;
  crossfadeGains(gains, plan, t0);
  const later = (sec: number, fn: () => void) =>
    timers.push(setTimeout(fn, Math.max(0, (t0 - ctx.currentTime + sec) * 1000)));
  later(0, () => void mA.el.play().catch(() => undefined));
  later(plan.b.atSec, () => void mB.el.play().catch(() => undefined));
  later(plan.a.toSec - plan.a.fromSec, () => mA.el.pause());
  // The playheads follow the audio clock.
  const tick = () => {
    if (stopCurrent !== stop) return;
    at(Math.max(0, ctx.currentTime - t0));
    raf = requestAnimationFrame(tick);
  };
  raf = requestAnimationFrame(tick);
  later(plan.totalSec + 0.1, () => {
    if (stopCurrent !== stop) return;
    // Ended by itself: release it without telling the page nothing plays (a next one may).
    stopCurrent = undefined;
    release();
    if (!step) stopPlayback();
    finish(true);
  });
  return done;
}

/** The gains of the preview's two tracks from `t0` on: the crossfade's curves, if any. */
function crossfadeGains(
  [gainA, gainB]: readonly [GainNode, GainNode],
  plan: PreviewPlan,
  t0: number,
): void {
  gainA.gain.setValueAtTime(1, t0);
  gainB.gain.setValueAtTime(plan.fadeSec > 0 ? 0 : 1, t0);
  if (plan.fadeSec > 0) {
    const at = t0 + plan.b.atSec;
    gainA.gain.setValueCurveAtTime(fadeCurve(plan.curve, 'out'), at, plan.fadeSec);
    gainB.gain.setValueCurveAtTime(fadeCurve(plan.curve, 'in'), at, plan.fadeSec);
  }
}

/** A media element on `blob`, seeked to `sec` and ready to play. */
async function mediaAt(
  blob: Blob,
  sec: number,
): Promise<{ el: HTMLAudioElement; release(): void }> {
  const url = URL.createObjectURL(blob);
  const el = new Audio();
  el.preload = 'auto';
  el.src = url;
  const release = () => {
    el.removeAttribute('src');
    el.load();
    URL.revokeObjectURL(url);
  };
  try {
    await once(el, 'loadedmetadata');
    if (sec > 0) {
      el.currentTime = sec;
      await once(el, 'seeked');
    }
  } catch {
    // Played from wherever it could seek to; an unplayable file just stays silent.
  }
  return { el, release };
}

function once(el: HTMLMediaElement, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = () => {
      el.removeEventListener('error', fail);
      resolve();
    };
    const fail = () => {
      el.removeEventListener(event, ok);
      reject(el.error ?? new Error('media error'));
    };
    el.addEventListener(event, ok, { once: true });
    el.addEventListener('error', fail, { once: true });
  });
}
