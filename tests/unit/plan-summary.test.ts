import { findStep } from '@/lib/plan/steps';
import { describe, expect, it } from 'vitest';
import type { AudioInfo, Track } from '@/lib/core/track';
import { COVER_IMAGE_ID, defaultOutput, defaultTags } from '@/lib/core/settings';
import { formatSpec } from '@/lib/core/formats';
import { planJoin, targetSampleRate, type PlanTrack } from '@/lib/plan/planner';
import { estimateBytes, nextJoinSettings, planSummary, qualityLabel } from '@/lib/plan/summary';
import { resultStillRelevant, type JobState } from '@/lib/core/job';
import { audioInfo } from './support/audio-info';

const info = audioInfo;

const track = (id: string, over: Partial<Track> = {}, audio: Partial<AudioInfo> = {}): Track => ({
  id,
  name: `${id}.mp3`,
  size: 960_000,
  mime: 'audio/mpeg',
  addedAt: 0,
  position: 0,
  source: { kind: 'file' },
  status: 'ready',
  info: info(audio),
  ...over,
});

const broken = (id: string): Track => ({
  ...track(id),
  status: 'error',
  error: { code: 'corrupt-audio', message: 'the audio is damaged', trackId: id },
  info: undefined,
});

describe('planSummary', () => {
  it('says how the join goes in short lines, with the length and size', () => {
    const s = planSummary([track('a'), track('b')], { ...defaultOutput, format: 'mp3' });
    expect(s.lines).toEqual([
      'Lossless except 3 to 6 frames at each join: all tracks are MP3, 44.1 kHz stereo; every frame is copied as it is but 3 to 6 at each join, which are encoded again from the decoded audio so the tracks meet with no gap.',
    ]);
    expect(s.totals).toBe('2:00 in all · about 1.8 MB');
    expect(s.blocked).toBeUndefined();
    expect(s.failed).toBe(0);
  });

  it('names codecs as the track list does, one line per note', () => {
    const s = planSummary(
      [
        track('a', {}, { codec: 'pcm_s16le', container: 'wav' }),
        track('b', {}, { codec: 'vorbis' }),
      ],
      { ...defaultOutput, format: 'wav' },
      { tags: { title: 'X' } },
    );
    expect(s.lines[0]).toMatch(/^Re-encoding to WAV .*different codecs \(WAV 16-bit, Vorbis\)/);
    expect(s.lines[1]).toBe('WAV files get no tags.');
  });

  it('keeps Join off with the reason while tracks are broken, and keeps the good ones’ length', () => {
    const s = planSummary([track('a'), broken('b'), broken('c')], defaultOutput);
    expect(s.blocked).toBe(
      'b.mp3 and c.mp3 cannot be read. Remove them to join the other 1 track.',
    );
    expect(s.failed).toBe(2);
    expect(s.totals).toMatch(/^1:00 for the 1 track that can be read · about/);
    expect(planSummary([broken('b')], defaultOutput).blocked).toBe(
      'b.mp3 cannot be read. Remove it and add audio that plays.',
    );
    const many = ['p', 'q', 'r', 's'].map(broken);
    expect(planSummary([track('a'), track('z'), ...many], defaultOutput).blocked).toBe(
      '4 tracks cannot be read. Remove them to join the other 2 tracks.',
    );
  });

  it('blocks a trim that leaves nothing, naming the track', () => {
    const t = track('a', { edit: { startSec: 70, transitionAfter: { kind: 'none' } } });
    const s = planSummary([t], defaultOutput);
    expect(s.blocked).toMatch(/^a\.mp3 is trimmed to nothing/);
  });

  it('never says how the engines share the work (no "parts" reach the person)', () => {
    const list = Array.from({ length: 10 }, (_, i) => track(`t${i}`));
    const opus = { ...defaultOutput, format: 'opus' as const };
    for (const cores of [1, 2, 4]) {
      const s = planSummary(list, opus, {}, cores);
      expect(s.lines[0]).toMatch(/^Re-encoding to Opus/);
      expect(s.lines.join(' ')).not.toMatch(/\bparts?\b|at once/);
    }
  });

  it('says a lossless join does not wait for the checks, and a re-encode does', () => {
    const list = [track('a'), track('b', {}, { decoded: false })];
    const mp3 = { ...defaultOutput, format: 'mp3' as const };
    expect(planSummary(list, mp3).lines).toContain(
      'Track 2 is still being checked to the end; Join does not wait for it.',
    );
    const m4a = { ...defaultOutput, format: 'm4a' as const };
    expect(planSummary(list, m4a).lines).toContain(
      'Track 2 is still being checked to the end; Join waits for that.',
    );
  });

  it('says a re-encode does not wait for checks of tracks whose tables hold their length', () => {
    const held = [
      track('a', {}, { decoded: false, lengthHeld: true }),
      track('b', {}, { decoded: false, lengthHeld: true }),
    ];
    const m4a = { ...defaultOutput, format: 'm4a' as const };
    expect(planSummary(held, m4a).lines).toContain(
      'Tracks 1 and 2 are still being checked to the end; Join does not wait for them.',
    );
    // Match loudness needs what the checks measure; a file cut short needs what they find.
    expect(planSummary(held, { ...m4a, matchLoudness: true }).lines.join(' ')).toMatch(
      /Join waits for that/,
    );
    const cut = [held[0]!, track('b', {}, { decoded: false, lengthHeld: true, cutShort: true })];
    expect(planSummary(cut, m4a).lines.join(' ')).toMatch(/Join waits for that/);
  });

  it('waits for tracks still being checked without blocking Join', () => {
    const s = planSummary([track('a'), track('b', { status: 'probing' })], defaultOutput);
    expect(s.lines).toEqual(['Checking 1 of 2 tracks…']);
    expect(s.blocked).toBeUndefined();
  });
});

describe('estimateBytes', () => {
  const tracks = [track('a'), track('b')];
  it.each([
    ['mp3', {}, (192_000 * 120) / 8],
    ['mp3', { mp3Mode: 'vbr' as const, vbrQuality: 2 }, (190_000 * 120) / 8],
    ['wav', {}, 44100 * 2 * 2 * 120 + 44],
    ['m4b', { bitrate: 128 as const }, (128_000 * 120) / 8],
  ])('%s %j', (format, extra, bytes) => {
    const output = { ...defaultOutput, format: format as 'mp3', ...extra };
    const plan = planJoin(
      tracks.map((t) => ({ id: t.id, name: t.name, info: t.info! })),
      { ...output, normalize: true },
    );
    expect(estimateBytes(plan, tracks, output)).toBeCloseTo(bytes, -2);
  });

  it('is the inputs’ size for a lossless join', () => {
    const plan = planJoin(
      tracks.map((t) => ({ id: t.id, name: t.name, info: t.info! })),
      defaultOutput,
    );
    expect(plan.lossless).toBe(true);
    expect(estimateBytes(plan, tracks, defaultOutput)).toBe(1_920_000);
  });
});

describe('nextJoinSettings', () => {
  it('lists what the next join uses and knows the defaults', () => {
    expect(nextJoinSettings(defaultOutput, defaultTags, { kind: 'none' }, -16)).toEqual({
      parts: ['MP3 192 kb/s'],
      atDefaults: true,
    });
    const s = nextJoinSettings(
      { ...defaultOutput, mp3Mode: 'vbr', normalize: true, fadeInSec: 2, chapters: 'none' },
      { ...defaultTags, title: 'Live', artist: 'Band', genre: 'Rock' },
      { kind: 'crossfade', seconds: 1.5, curve: 'linear' },
      -14,
    );
    expect(s.atDefaults).toBe(false);
    expect(s.parts).toEqual([
      'MP3 VBR quality 2',
      'loudness to -14 LUFS',
      'fade in 2 s',
      'no chapters',
      'crossfades of 1.5 s',
      'Title “Live”',
      'Artist “Band”',
      '1 more tag',
    ]);
  });

  it('names the quality as the Format and Bitrate fields do', () => {
    expect(qualityLabel({ ...defaultOutput, format: 'm4b', bitrate: 128 })).toBe('M4B 128 kb/s');
    expect(qualityLabel({ ...defaultOutput, format: 'flac' })).toBe('FLAC');
  });
});

describe('planner', () => {
  const p = (id: string, audio: Partial<AudioInfo> = {}): PlanTrack => ({
    id,
    name: `${id}.mp3`,
    info: info(audio),
  });

  it('gives lossy formats at most 48 kHz "as source"; lossless ones keep the highest rate', () => {
    const tracks = [p('a'), p('b', { sampleRate: 96000 })];
    expect(targetSampleRate(tracks, formatSpec('m4b'))).toBe(48000);
    expect(targetSampleRate(tracks, formatSpec('flac'))).toBe(96000);
    expect(targetSampleRate(tracks, formatSpec('m4b'), 44100)).toBe(44100);
  });

  it('takes the person’s image as the cover: another input, mapped as the attached picture', () => {
    const plan = planJoin([p('a'), p('b', { sampleRate: 22050 })], {
      ...defaultOutput,
      cover: 'image',
    });
    if (plan.kind !== 'ffmpeg') throw new Error('expected ffmpeg');
    expect(plan.coverImage).toBe(true);
    expect(plan.inputs.at(-1)).toEqual({ trackId: COVER_IMAGE_ID, path: '/in/cover.img' });
    const args = plan.args.join(' ');
    expect(args).toContain('-i /in/metadata.txt -i /in/cover.img');
    expect(args).toContain('-map 3:v:0 -c:v copy -disposition:v:0 attached_pic');
  });

  it('writes the image into the lossless MP3’s tag, and none into WAV', () => {
    const plan = planJoin([p('a'), p('b')], { ...defaultOutput, cover: 'image' });
    expect(findStep(plan.steps, 'retag-mp3')?.id3.cover).toEqual({ trackId: COVER_IMAGE_ID });
    const wav = planJoin([p('a')], { ...defaultOutput, format: 'wav', cover: 'image' });
    expect(wav.coverImage).toBe(false);
    expect(wav.lines).toContain('WAV files get no cover art here.');
  });

  it('writes genre, track number, album artist and comment', () => {
    const plan = planJoin([p('a', { tags: { genre: 'Talk', track: '7' } })], defaultOutput, {
      tags: { track: '3/9', comment: 'Recorded live', albumArtist: 'Various' },
    });
    expect(plan.tags).toMatchObject({
      genre: 'Talk',
      track: '3/9',
      comment: 'Recorded live',
      album_artist: 'Various',
    });
  });
});

describe('resultStillRelevant', () => {
  const done = (trackIds: string[]): JobState => ({
    id: 'j',
    trackIds,
    format: 'mp3',
    startedAt: 0,
    status: 'done',
    fileName: 'x.mp3',
    bytes: 1,
    finishedAt: 1,
    lossless: true,
  });
  it('holds while the queue is the one joined, or was cleared', () => {
    expect(resultStillRelevant(done(['a', 'b']), ['a', 'b'])).toBe(true);
    expect(resultStillRelevant(done(['a', 'b']), [])).toBe(true);
    expect(resultStillRelevant(done(['a', 'b']), ['b', 'a'])).toBe(false);
    expect(resultStillRelevant(done(['a', 'b']), ['a', 'b', 'c'])).toBe(false);
    expect(resultStillRelevant(null, [])).toBe(false);
  });
});
