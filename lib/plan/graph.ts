/**
 * The re-encode half of the planner: one ffmpeg filter graph from the inputs to `[out]`, and the
 * encoder arguments of each format. Pure string building; planner.ts decides when to use it.
 *
 * Per track:  [i:a:0] asetpts (time counted from its samples, from t=0) → atrim (the kept part, exact to the
 *             sample) → pan (a mono voice in both speakers at full level) → aresample + aformat
 *             (the output's rate and layout; a stereo → mono downmix keeps the level) → apad (the
 *             gap after it, if any) → [ai]
 * Junctions:  a crossfade chains the two sides through acrossfade; runs without one are joined
 *             by a single concat.
 * Whole:      asetnsamples (100 ms frames) → loudnorm (then back to the output rate: it runs at
 *             192 kHz) → afade in → afade out → [out]. Fades come after normalization so it
 *             cannot undo them.
 */
import type { CrossfadeCurve, Transition } from '@/lib/core/track';
import { t } from '@/lib/core/i18n';
import { formatSpec, opusBitrate, vorbisQuality } from '@/lib/core/formats';
import type { TrimSpan } from './timeline';
import { wavLabel } from './layout';
import type { OutputSettings } from '@/lib/core/settings';
import { clampNumber, LOUDNESS_MAX_LUFS, LOUDNESS_MIN_LUFS } from '@/lib/core/limits';

export interface GraphTrack {
  /** The source's channel count. */
  channels: number;
  span: TrimSpan;
  /** "Match loudness": this track's own gain, dB (./match-loudness.ts). */
  gainDb?: number | undefined;
}

export interface GraphOutput {
  rate: number;
  /** The output's channel count and ffmpeg layout name (./layout.ts). */
  channels: { count: number; layout: string };
  /** The output's length (for the fade-out's start). */
  totalSec: number;
  fadeInSec: number;
  fadeOutSec: number;
  /** LUFS; undefined = no normalization. */
  loudnessTarget?: number | undefined;
  /**
   * Samples the output must hold at least, padded with silence when the join is shorter: LAME
   * given (next to) nothing writes only its Info frame, a file no player or ffmpeg opens.
   */
  minSamples?: number | undefined;
}

/** MP3's shortest whole output: one MPEG-1 Layer III frame. */
export const MP3_MIN_SAMPLES = 1152;

/**
 * ffmpeg's acrossfade curve for each of Seam's. Both sides use the same curve (ffmpeg mirrors it
 * for the fading-out side): `tri` is a straight line; `qsin` (a quarter sine) fades in as
 * sin(πt/2) and out as cos(πt/2), whose squares sum to 1 — constant power; `log` is ffmpeg's
 * logarithmic curve.
 */
const CURVES: Record<CrossfadeCurve, string> = {
  linear: 'tri',
  'equal-power': 'qsin',
  logarithmic: 'log',
};

/** The loudnorm settings besides the target: a true peak of -1.5 dBTP, loudness range 11 LU. */
export const LOUDNORM_TP = -1.5;
export const LOUDNORM_LRA = 11;

export function filterGraph(
  tracks: readonly GraphTrack[],
  transitions: readonly Transition[],
  out: GraphOutput,
): string {
  const layout = out.channels.layout;
  const statements = tracks.map((t, i) => {
    // Time from the samples themselves, not the file's timestamps: a FLAC that starts at a
    // frame header mid-stream (flac-test-files 10) has packets 46 ms apart that hold 93 ms
    // each, so by its timestamps half of it overlapped, and ffmpeg's time= (the output check)
    // said 11 s of a join holding 18.6 s. The decode check counts samples the same way.
    const parts = ['asetpts=N/SR/TB'];
    if (t.span.trimmed) {
      const bounds = [
        ...(t.span.startCut ? [`start=${num(t.span.startSec)}`] : []),
        ...(t.span.endCut ? [`end=${num(t.span.endSec)}`] : []),
      ];
      parts.push(`atrim=${bounds.join(':')}`, 'asetpts=PTS-STARTPTS');
    }
    if (t.gainDb) parts.push(`volume=${num(t.gainDb)}dB`);
    // A mono voice belongs in both speakers at full level, not -3 dB as the default upmix.
    if (out.channels.count === 2 && t.channels === 1) parts.push('pan=stereo|c0=c0|c1=c0');
    parts.push(
      `aresample=${out.rate}`,
      `aformat=sample_rates=${out.rate}:channel_layouts=${layout}`,
    );
    const after = transitions[i];
    if (i < tracks.length - 1 && after?.kind === 'gap')
      parts.push(`apad=pad_dur=${num(after.seconds)}`);
    return `[${i}:a:0]${parts.join(',')}[a${i}]`;
  });

  const segments: string[] = [];
  let current = 'a0';
  for (let j = 0; j + 1 < tracks.length; j++) {
    const t = transitions[j];
    const next = `a${j + 1}`;
    if (t?.kind === 'crossfade') {
      const curve = CURVES[t.curve];
      const label = `x${j + 1}`;
      statements.push(
        `[${current}][${next}]acrossfade=d=${num(t.seconds)}:c1=${curve}:c2=${curve}[${label}]`,
      );
      current = label;
    } else {
      segments.push(current);
      current = next;
    }
  }
  segments.push(current);

  const post: string[] = [];
  if (out.loudnessTarget !== undefined) {
    const target = clampNumber(out.loudnessTarget, LOUDNESS_MIN_LUFS, LOUDNESS_MAX_LUFS, -16);
    post.push(
      // acrossfade hands on its whole overlap as one frame (10 s is 480,000 samples at 48 kHz),
      // and loudnorm (ffmpeg 5.1, at 192 kHz inside) needs memory out of all proportion to its
      // input frame: one 10 s frame took ffmpeg.wasm's heap past its 2 GiB ("Out of memory"),
      // and native ffmpeg from 100 to 340 MB. Frames of loudnorm's own 100 ms keep it at about
      // 200 MB whatever the edits; p=0 leaves the last frame short instead of padding it.
      `asetnsamples=n=${Math.round(out.rate / 10)}:p=0`,
      `loudnorm=I=${num(target)}:TP=${LOUDNORM_TP}:LRA=${LOUDNORM_LRA}`,
      `aresample=${out.rate}`,
      `aformat=sample_rates=${out.rate}:channel_layouts=${layout}`,
    );
  }
  const fadeIn = Math.min(Math.max(0, out.fadeInSec), out.totalSec);
  const fadeOut = Math.min(Math.max(0, out.fadeOutSec), out.totalSec);
  if (fadeIn > 0) post.push(`afade=t=in:st=0:d=${num(fadeIn)}`);
  if (fadeOut > 0) post.push(`afade=t=out:st=${num(out.totalSec - fadeOut)}:d=${num(fadeOut)}`);
  if (out.minSamples !== undefined && out.totalSec * out.rate < out.minSamples)
    post.push(`apad=whole_len=${out.minSamples}`);

  if (segments.length > 1) {
    const label = post.length > 0 ? 'cat' : 'out';
    statements.push(
      `${segments.map((s) => `[${s}]`).join('')}concat=n=${segments.length}:v=0:a=1[${label}]`,
    );
    if (post.length > 0) statements.push(`[cat]${post.join(',')}[out]`);
  } else {
    statements.push(`[${segments[0]!}]${post.length > 0 ? post.join(',') : 'anull'}[out]`);
  }
  return statements.join(';');
}

/** The encoder's arguments and how the summary names them ("MP3 192 kb/s"). */
export function encoderArgs(
  output: Pick<OutputSettings, 'format' | 'bitrate' | 'mp3Mode' | 'vbrQuality'>,
  channels: number,
  /** WAV only: the encoder that keeps the sources' samples (./layout.ts wavTarget). */
  pcm?: { encoder: string; label: string },
): { args: string[]; label: string } {
  const spec = formatSpec(output.format);
  const kbps = output.bitrate;
  const c = ['-c:a', spec.encoder];
  switch (output.format) {
    case 'mp3':
      if (output.mp3Mode === 'vbr') {
        const q = Math.min(9, Math.max(0, Math.round(output.vbrQuality)));
        return { args: [...c, '-q:a', String(q)], label: t('plan.mp3Vbr', String(q)) };
      }
      return { args: [...c, '-b:a', `${kbps}k`], label: `MP3 ${t('units.kbps', kbps)}` };
    case 'm4a':
    case 'm4b':
    case 'm4r':
      return {
        args: [...c, '-b:a', `${kbps}k`],
        label: `${spec.label} (AAC) ${t('units.kbps', kbps)}`,
      };
    case 'ogg': {
      const q = vorbisQuality(kbps);
      return {
        args: [...c, '-q:a', String(q)],
        label: t('plan.vorbisQuality', String(q), t('units.kbps', kbps)),
      };
    }
    case 'opus': {
      const b = opusBitrate(kbps, channels);
      // libopus's own default complexity, as native ffmpeg uses it: the core runs with a stack
      // large enough for it (lib/engine/worker/stack.ts; with the core's own 64 KiB, anything
      // above 4 ended in "memory access out of bounds", ffmpeg.wasm issues #591 and #867).
      return {
        args: [...c, '-b:a', `${b}k`, '-compression_level', String(OPUS_COMPLEXITY)],
        label: `Opus ${t('units.kbps', b)}`,
      };
    }
    case 'flac':
      return { args: c, label: 'FLAC' };
    case 'wav':
      return pcm
        ? { args: ['-c:a', pcm.encoder], label: pcm.label }
        : { args: c, label: wavLabel(16) };
  }
}

/** libopus complexity (0-10): its default, native ffmpeg's; see encoderArgs. */
export const OPUS_COMPLEXITY = 10;

/** Seconds for a filter argument: at most 6 decimals, no exponent. */
export function num(sec: number): string {
  return String(Number(sec.toFixed(6)));
}
