import type { AudioInfo } from '@/lib/core/track';

/** A probed track's AudioInfo: 60 s of 44.1 kHz stereo MP3 at 128 kb/s, with `over` on top. */
export function audioInfo(over: Partial<AudioInfo> = {}): AudioInfo {
  return {
    container: 'mp3',
    codec: 'mp3',
    sampleRate: 44100,
    channels: 2,
    channelLayout: 'stereo',
    durationSec: 60,
    bitRate: 128000,
    audioStreamIndex: 0,
    hasVideo: false,
    hasCover: false,
    tags: {},
    ...over,
  };
}
