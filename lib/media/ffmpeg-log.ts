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
  const said = errorLine && ffmpegSaid(errorLine, inputs);
  return {
    reason: said
      ? `It stopped with an error (ffmpeg reports “${said}”)`
      : 'It stopped without saying why',
  };
}

/**
 * A log line fit to quote to a person: without its "[mp3 @ 0x55…]" prefix and the engine's
 * paths (a leading one, and the inputs' anywhere), as ffmpeg wrote it otherwise (its own casing), cut at 80 characters.
 */
export function ffmpegSaid(line: string, inputs: readonly PlanInput[] = []): string {
  let text = line.replace(/^\s*\[[^\]]*\]\s*/, '').trim();
  for (const i of inputs) text = text.split(`${i.path}: `).join('').split(i.path).join('the file');
  // The engine's own paths ("/task-…/input.flac: Invalid data…") mean nothing to a person.
  text = text.replace(/^\/\S*: /, '').replace(/\.$/, '');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
