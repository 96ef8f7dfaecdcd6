import type { PlanInput } from '@/lib/plan/planner';

/** Lines ffmpeg prints when it gives up, and what to tell a person instead. */
const REASONS: readonly [RegExp, string][] = [
  [/Invalid data found when processing input/i, 'the file is not audio ffmpeg can read'],
  [
    /could not find codec parameters|unknown format|Failed to read frame size/i,
    'the audio format is not recognised',
  ],
  [
    /does not contain any stream|matches no streams|Output file #0 does not contain/i,
    'the file has no audio stream',
  ],
  [/Error while decoding|Invalid frame|corrupt|Header missing/i, 'the audio data is damaged'],
  [
    /Cannot allocate memory|out of memory|memory access out of bounds/i,
    'there was not enough memory for this join',
  ],
  [/Unknown encoder|Encoder not found/i, 'this build of ffmpeg cannot write that format'],
];

/**
 * Explains a failed ffmpeg run from its log: the reason in words and, when a line names one of
 * the input paths, which track it was about.
 */
export function ffmpegFailure(
  log: readonly string[],
  inputs: readonly PlanInput[],
): { reason: string; trackId?: string } {
  for (const line of [...log].reverse()) {
    const input = inputs.find((i) => line.includes(i.path));
    const hit = REASONS.find(([re]) => re.test(line));
    if (hit) return { reason: hit[1], ...(input ? { trackId: input.trackId } : {}) };
  }
  const errorLine = [...log].reverse().find((l) => /error/i.test(l));
  return { reason: errorLine ? `ffmpeg failed: ${errorLine.trim()}` : 'ffmpeg failed' };
}
