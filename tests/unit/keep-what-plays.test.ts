/**
 * "Keep what plays" (issue 22, item 8): a file cut short of which some audio decodes says how
 * much through its error (the decode check), and keeping it makes the track ready with that
 * length and a trim that ends there.
 */
import { describe, expect, it } from 'vitest';
import { TruncatedAudioError, errorFromData } from '@/lib/core/errors';
import type { AudioInfo, Track } from '@/lib/core/track';
import { NO_TRANSITION } from '@/lib/core/track';
import { keepWhatPlays, keepable } from '@/lib/editor/keep';
import { judgeDecode } from '@/lib/media/decode-check';

const ref = { id: 't1', name: 'cut.mp3' };
const info: AudioInfo = {
  container: 'mp3',
  codec: 'mp3',
  sampleRate: 8000,
  channels: 1,
  channelLayout: 'mono',
  durationSec: 30,
  statedSec: 30,
  decoded: false,
  cutShort: true,
  bitRate: 128000,
  audioStreamIndex: 0,
  hasVideo: false,
  hasCover: false,
  tags: {},
};

function cutTrack(decodedSec: number): Pick<Track, 'status' | 'error' | 'info' | 'edit'> {
  let error;
  try {
    judgeDecode(ref, info, { full: { samples: decodedSec * 8000, log: [] } });
  } catch (err) {
    error = (err as TruncatedAudioError).toData();
  }
  return { status: 'error', error, info };
}

describe('the decode check says how much of a file cut short decodes', () => {
  it('by much: 15 s of 30 s, also without ffprobe seeing it', () => {
    const plain = { ...info, cutShort: false };
    expect(() => judgeDecode(ref, plain, { full: { samples: 15 * 8000, log: [] } })).toThrow(
      TruncatedAudioError,
    );
    const t = cutTrack(15);
    expect(t.error?.code).toBe('truncated-audio');
    expect(t.error?.kept).toEqual({ decodedSec: 15, statedSec: 30 });
    // It crosses contexts as data and comes back whole.
    expect(errorFromData(t.error!).kept).toEqual({ decodedSec: 15, statedSec: 30 });
  });

  it('by little, when ffprobe already saw it cut (cutShort): 29 s of 30 s', () => {
    expect(cutTrack(29).error?.kept).toEqual({ decodedSec: 29, statedSec: 30 });
  });

  it('a file that decodes to nothing has nothing to keep', () => {
    const t = cutTrack(0);
    expect(t.error?.kept).toBeUndefined();
    expect(keepable(t)).toBeUndefined();
    expect(keepWhatPlays(t, NO_TRANSITION)).toBeUndefined();
  });
});

describe('keepWhatPlays', () => {
  it('makes the track ready, its length what decodes, its trim ending there', () => {
    const patch = keepWhatPlays(cutTrack(15.004), NO_TRANSITION)!;
    expect(patch.status).toBe('ready');
    expect(patch.error).toBeUndefined();
    expect(patch.info?.durationSec).toBeCloseTo(15.004, 6);
    expect(patch.info?.decoded).toBe(true);
    expect(patch.info?.cutShort).toBeUndefined();
    expect(patch.info?.kept).toEqual({ decodedSec: 15.004, statedSec: 30 });
    expect(patch.edit).toEqual({ startSec: 0, endSec: 15, transitionAfter: NO_TRANSITION });
  });

  it('keeps an earlier trim that ends sooner; a Start past the end goes back to 0', () => {
    const t = cutTrack(15);
    const gap = { kind: 'gap', seconds: 1 } as const;
    expect(
      keepWhatPlays(
        { ...t, edit: { startSec: 2, endSec: 10, transitionAfter: gap } },
        NO_TRANSITION,
      )?.edit,
    ).toEqual({ startSec: 2, endSec: 10, transitionAfter: gap });
    expect(
      keepWhatPlays({ ...t, edit: { startSec: 20, transitionAfter: gap } }, NO_TRANSITION)?.edit,
    ).toEqual({ startSec: 0, endSec: 15, transitionAfter: gap });
  });

  it('leaves other failures alone', () => {
    const t = cutTrack(15);
    expect(keepable({ ...t, status: 'ready' })).toBeUndefined();
    expect(keepable({ ...t, error: { ...t.error!, code: 'corrupt-audio' } })).toBeUndefined();
    expect(keepable({ ...t, info: undefined })).toBeUndefined();
  });
});
