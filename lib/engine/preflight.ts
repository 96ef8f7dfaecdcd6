import { NotEnoughMemoryError } from '@/lib/core/errors';
import type { FfmpegPlan, PlanTrack } from '@/lib/plan/types';
import { text } from '@/lib/core/i18n';

/** What the device tells about its memory (each absent where the browser does not say). */
export interface DeviceMemory {
  /** navigator.deviceMemory: GiB of RAM, rounded (Chrome caps it at 8). */
  deviceGiB?: number;
  /** performance.memory.jsHeapSizeLimit (Chrome): the most this page's JavaScript may hold. */
  jsHeapLimitBytes?: number;
}

/** Reads what the browser says about memory. Offscreen document, background page. */
export function deviceMemory(): DeviceMemory {
  const nav = navigator as Navigator & { deviceMemory?: number };
  const perf = performance as Performance & { memory?: { jsHeapSizeLimit?: number } };
  return {
    ...(typeof nav.deviceMemory === 'number' ? { deviceGiB: nav.deviceMemory } : {}),
    ...(typeof perf.memory?.jsHeapSizeLimit === 'number'
      ? { jsHeapLimitBytes: perf.memory.jsHeapSizeLimit }
      : {}),
  };
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** ffmpeg.wasm's heap cannot grow past this (the core's getHeapMax). */
const WASM_HEAP_MAX_BYTES = 2 * GiB;

/** The wasm heap a plan is expected to need, bytes. */
function estimateHeapBytes(plan: FfmpegPlan, tracks: readonly PlanTrack[]): number {
  void tracks;
  return 64 * MiB + plan.inputs.length * 4 * MiB;
}

/** Throws NotEnoughMemoryError when the plan cannot fit; else returns the estimate. */
export function checkMemory(
  plan: FfmpegPlan,
  tracks: readonly PlanTrack[],
  device: DeviceMemory,
): number {
  const need = estimateHeapBytes(plan, tracks);
  void device;
  if (need > WASM_HEAP_MAX_BYTES) {
    throw new NotEnoughMemoryError(text('engine.notEnoughMemory'));
  }
  return need;
}
