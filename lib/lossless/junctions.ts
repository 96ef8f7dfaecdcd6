/**
 * Which whole frames a lossless join drops at each junction so that the joined stream plays as
 * the inputs do, one after the other, with no gap. Pure, for every frame codec (MP3, AAC, Opus).
 *
 * An encoded input holds more samples than it plays: `lead` samples before its audio (MP3's
 * encoder delay, AAC's priming, Opus's pre-skip) and `tail` after it (end padding), which a
 * decoder skips only at the very start and end of a file. Frames joined as they are play each
 * inner input's tail and the next one's lead: 1 to 2 frames of near-silence at every join.
 * Frames are whole, so the join drops whole frames: at each junction, as many as brings the
 * next input's audio closest to where it belongs, from the frames that hold the least audio
 * (the previous input's padding frames, the next one's lead frames). What is left over (less
 * than half a frame either way) is carried to the next junction, so the offset never grows,
 * and the joined file's own end padding takes the last of it: its length is the inputs' sum.
 */

export interface FrameTiming {
  /** Frames in the input. */
  frames: number;
  /** Samples of audio the input's frames hold before its audio starts (decoder skips them). */
  lead: number;
  /** Samples after its audio ends in its last frame(s) (decoder skips them at the file's end). */
  tail: number;
}

interface JunctionCut {
  /** Frames dropped from the end of the input before the junction. */
  dropTail: number;
  /** Frames dropped from the start of the input after it. */
  dropHead: number;
  /** Samples the next input's audio sits late (+) or early (-) in the join: |shift| <= frame/2. */
  shift: number;
}

export interface JunctionPlan {
  /** One per junction: cuts[k] is between inputs k and k + 1. */
  cuts: JunctionCut[];
  /** Samples the joined stream skips at its start: the first input's lead. */
  lead: number;
  /** Samples it skips at its end: the last input's tail and what the junctions left over. */
  tail: number;
  /** Frames the join keeps in all. */
  frames: number;
}

/**
 * Plans the cuts for inputs of `frame` samples a frame. `fixed` lists junctions that must keep
 * every frame (a junction the codec cannot cut cleanly, e.g. MP3 reservoir bytes that fit
 * nowhere): there the inputs' tail and lead play, and the next junctions make up for them.
 */
export function planJunctions(
  inputs: readonly FrameTiming[],
  frame: number,
  fixed: ReadonlySet<number> = new Set(),
): JunctionPlan {
  const cuts: JunctionCut[] = [];
  const droppedHead = inputs.map(() => 0);
  let carry = 0;
  for (let k = 0; k + 1 < inputs.length; k++) {
    const a = inputs[k]!;
    const b = inputs[k + 1]!;
    const excess = a.tail + b.lead + carry;
    let dropTail = 0;
    let dropHead = 0;
    if (!fixed.has(k)) {
      // Frames each side that may go: at least one frame of each input stays.
      const tailRoom = Math.max(0, a.frames - droppedHead[k]! - 1);
      const headRoom = Math.max(0, b.frames - 1);
      let n = Math.min(tailRoom + headRoom, Math.max(0, Math.round(excess / frame)));
      // Least audio first: the i-th frame from the end of `a` holds frame*(i+1) - tail samples
      // of audio (when positive), the i-th from the start of `b` frame*(i+1) - lead.
      while (n-- > 0) {
        const inTail = Math.max(0, frame * (dropTail + 1) - a.tail);
        const inHead = Math.max(0, frame * (dropHead + 1) - b.lead);
        if (dropHead < headRoom && (inHead <= inTail || dropTail >= tailRoom)) dropHead++;
        else dropTail++;
      }
    }
    droppedHead[k + 1] = dropHead;
    carry = excess - frame * (dropTail + dropHead);
    cuts.push({ dropTail, dropHead, shift: carry });
  }
  const last = inputs[inputs.length - 1];
  const frames =
    inputs.reduce((s, i) => s + i.frames, 0) -
    cuts.reduce((s, c) => s + c.dropTail + c.dropHead, 0);
  return {
    cuts,
    lead: inputs[0]?.lead ?? 0,
    tail: Math.max(0, (last?.tail ?? 0) + carry),
    frames,
  };
}
