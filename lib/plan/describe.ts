/**
 * The planner's third half: the decision (./decide.ts) in words, as the popup shows it: a head
 * line (lossless and how, or why it re-encodes), then each note and warning. Pure.
 */
import { RINGTONE_MAX_SEC } from '@/lib/core/formats';
import { channelWord, codecLabel, formatTime, formatSeconds, khz } from '@/lib/core/text';
import { t } from '@/lib/core/i18n';
import { seamFrames } from '@/lib/lossless';
import { encoderArgs, MP3_MIN_SAMPLES } from './graph';
import { wavTarget } from './layout';
import {
  changeNote,
  changeReason,
  clampNote,
  losslessSummary,
  metadataNotes,
  trackNotes,
} from './words';
import type { JoinDecision } from './decide';
import { chapterImageNotes } from './chapter-images';

export interface JoinDescription {
  /** One line: the head line, then each note and warning. */
  summary: string;
  /** The same as short lines. */
  lines: string[];
  /** Why the join re-encodes (empty when it does not). */
  reencodeReasons: string[];
  /** Things the person should know before Join. */
  warnings: string[];
}

export function describeJoin(d: JoinDecision): JoinDescription {
  const { tracks, output, spec, target } = d;
  const changes = d.route === 'copy' ? [] : [...d.mismatch, ...d.unfit, ...d.edits];
  // Nothing but what the format cannot hold changes the audio: that is the reason, said once.
  const formatOnly = d.route === 'encode' && changes.length === 0 && d.formatNotes.length > 0;
  const reasons = formatOnly ? [t('plan.reasonFormat')] : changes;
  const notes = [
    ...d.formatNotes,
    ...metadataNotes(tracks, output, spec, d.userTags),
    ...trackNotes(tracks),
    ...chapterImageNotes(d),
  ];
  const warnings: string[] = [];
  if (output.format === 'm4r' && d.totalSec > RINGTONE_MAX_SEC) {
    warnings.push(t('plan.ringtone', formatSeconds(RINGTONE_MAX_SEC), formatTime(d.totalSec)));
  }
  if (output.format === 'mp3' && d.totalSec * target.rate < MP3_MIN_SAMPLES) {
    // The graph pads it (./graph.ts minSamples): say so, as the length changes.
    notes.push(t('plan.paddedToFrame', Math.round((MP3_MIN_SAMPLES / target.rate) * 1000)));
  }
  for (const c of d.clamped) notes.push(clampNote(c.junction, c.applied, c.reason));
  // A track that changes format is said as a note where the head line does not already say it.
  const heads = d.route === 'encode' ? reasons : [];
  if (d.route !== 'copy') {
    tracks.forEach((t, i) => {
      const change = t.info.formatChange;
      if (change && !heads.includes(changeReason(i, change))) notes.push(changeNote(i, change));
    });
  }
  const head = headLine(d, reasons);
  // Loudness matched without re-encoding is the plan's head line: what the person asked for,
  // kept as promised ("Lossless, loudness matched to -16 LUFS within 0.75 dB"); how the tracks
  // are joined follows it.
  const loudness = loudnessNotes(d);
  const promised =
    d.route === 'copy' && d.loudness?.mode === 'steps' && d.loudness.gains.every((g) => g.matched);
  const lines = promised
    ? [...loudness, head, ...notes, ...warnings]
    : [head, ...loudness, ...notes, ...warnings];
  return {
    summary: lines.join(' '),
    lines,
    reencodeReasons: reasons,
    warnings,
  };
}

/**
 * "Match loudness" in words: the promise only when every track can keep it ("Lossless, loudness
 * matched to -16 LUFS within 0.75 dB"), else which track keeps its loudness and why.
 */
function loudnessNotes(d: JoinDecision): string[] {
  const m = d.loudness;
  if (!m) return [];
  const target = String(m.target);
  const missed = m.gains.flatMap((g, i) => (g.matched ? [] : [{ g, n: i + 1 }]));
  if (missed.length === 0) {
    return [t(m.mode === 'steps' ? 'plan.loudnessLossless' : 'plan.loudnessMatched', target)];
  }
  const notes = missed.map(({ g, n }) =>
    g.why === 'unmeasured'
      ? t('plan.loudnessUnmeasured', n)
      : g.why === 'silent'
        ? t('plan.loudnessSilent', n)
        : t('plan.loudnessPeak', n, (g.afterLufs ?? 0).toFixed(1)),
  );
  if (missed.length < m.gains.length) notes.push(t('plan.loudnessOthers', target));
  return notes;
}

/** Lossless and how the tracks meet, or what the re-encode writes and why. */
function headLine(d: JoinDecision, reasons: readonly string[]): string {
  const { tracks, output, target } = d;
  const first = tracks[0]!.info;
  switch (d.route) {
    case 'copy':
      if (tracks.length < 2) return losslessSummary(tracks);
      if (d.exact) return losslessSummary(tracks, 'seams', seamFrames(d.exact, first.sampleRate));
      return d.fast === 'mp3' || d.closeJoins
        ? losslessSummary(tracks, 'gapless')
        : losslessSummary(tracks);
    case 'flac':
      return losslessSummary(tracks, 'flac');
    default: {
      const label = encoderArgs(
        output,
        target.channels.count,
        output.format === 'wav' ? wavTarget(tracks.map((t) => t.info)) : undefined,
      ).label;
      if (d.route === 'rewrite') {
        const codecs = [...new Set(tracks.map((t) => codecLabel(t.info.codec)))].join(', ');
        return t('plan.rewrite', codecs, khz(first.sampleRate), channelWord(first.channels), label);
      }
      return t(
        'plan.reencode',
        label,
        khz(target.rate),
        channelWord(target.channels.count),
        reasons.join(t('plan.reasonSeparator')),
      );
    }
  }
}
