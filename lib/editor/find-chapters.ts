/**
 * "Find chapters" on a track: its level through the whole track (./waveform.ts, the page's own
 * decoder) and the split points its pauses propose (./pauses.ts). Options page only.
 */
import type { Track } from '@/lib/core/track';
import { proposeSplits, type PauseOptions } from './pauses';
import { loadLevelEnvelope } from './waveform';

/** The proposed split points of a ready track, seconds of the track, in order. */
export async function findChapterSplits(track: Track, opts: PauseOptions): Promise<number[]> {
  const info = track.info;
  if (!info) return [];
  const env = await loadLevelEnvelope({
    id: track.id,
    size: track.size,
    codec: info.codec,
    durationSec: info.durationSec,
    sampleRate: info.sampleRate,
    channels: info.channels,
  });
  return proposeSplits(env, opts);
}
