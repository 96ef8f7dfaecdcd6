/**
 * Issue 11's pure pieces as wired: the file's own chapters read from ffprobe's JSON, the
 * Chapters select's choices, the settings the features added, and the plan's chapter list.
 */
import { findStep } from '@/lib/plan/steps';
import { describe, expect, it } from 'vitest';
import { cleanOutput, cleanPreferences, defaultOutput } from '@/lib/core/settings';
import {
  CHAPTER_CHOICES,
  CHAPTER_TITLE_CHOICES,
  anyOwnChapters,
  chapterModeFromChoice,
  shownChapterMode,
} from '@/lib/editor/output';
import { parseProbe } from '@/lib/media/probe';
import { planJoin } from '@/lib/plan/planner';
import { audioInfo } from './support/audio-info';

const withChapters = audioInfo({
  chapters: [
    { title: 'One', startSec: 0, endSec: 30 },
    { title: 'Two', startSec: 30, endSec: 60 },
  ],
});
const plain = audioInfo();
const track = (name: string, info = plain) => ({ id: name, name, info });

describe('chapters from ffprobe', () => {
  const file = { id: 't', name: 'book.m4b', size: 100_000 };
  const json = (chapters: object[]) =>
    JSON.stringify({
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '60' },
      streams: [
        { index: 0, codec_type: 'audio', codec_name: 'aac', sample_rate: '44100', channels: 2 },
      ],
      chapters,
    });

  it('reads start, end and title; an untitled chapter keeps an empty title', () => {
    const info = parseProbe(
      json([
        { start_time: '0.000000', end_time: '12.500000', tags: { title: 'Prologue' } },
        { start_time: '12.500000', end_time: '60.000000' },
      ]),
      file,
    );
    expect(info.chapters).toEqual([
      { title: 'Prologue', startSec: 0, endSec: 12.5 },
      { title: '', startSec: 12.5, endSec: 60 },
    ]);
  });

  it('no chapters, or none readable: no chapters field', () => {
    expect(parseProbe(json([]), file).chapters).toBeUndefined();
    expect(parseProbe(json([{ start_time: 'N/A' }]), file).chapters).toBeUndefined();
  });
});

describe('the Chapters select', () => {
  it('offers one per track, keep, none; "auto" shows what it does for the queue', () => {
    expect(CHAPTER_CHOICES.map((c) => c.label)).toEqual([
      'One chapter per track',
      'Keep the tracks’ chapters',
      'No chapters',
    ]);
    expect(shownChapterMode('auto', [track('a'), track('b')])).toBe('per-track');
    expect(shownChapterMode('auto', [track('a', withChapters), track('b')])).toBe('keep');
    expect(anyOwnChapters([track('a', withChapters)])).toBe(true);
  });

  it('the choice "auto" would make stays "auto"; another is stored as it is', () => {
    const book = [track('a', withChapters), track('b')];
    expect(chapterModeFromChoice('keep', book)).toBe('auto');
    expect(chapterModeFromChoice('per-track', book)).toBe('per-track');
    expect(chapterModeFromChoice('per-track', [track('a')])).toBe('auto');
    expect(chapterModeFromChoice('none', book)).toBe('none');
  });

  it('"Chapter titles from" offers the tag then the name, or the name', () => {
    expect(CHAPTER_TITLE_CHOICES.map((c) => c.value)).toEqual(['tag', 'file']);
  });
});

describe('settings the features added', () => {
  it('chapter files are off by default and only a boolean turns them on', () => {
    expect(defaultOutput.chapterFiles).toBe(false);
    expect(cleanOutput({ chapterFiles: true }).chapterFiles).toBe(true);
    expect(cleanOutput({ chapterFiles: 'yes' }).chapterFiles).toBe(false);
  });

  it('silence threshold and shortest silence: defaults, clamped', () => {
    expect(cleanPreferences({})).toMatchObject({ silenceThresholdDb: -50, silenceMinSec: 0.5 });
    expect(cleanPreferences({ silenceThresholdDb: -200, silenceMinSec: 99 })).toMatchObject({
      silenceThresholdDb: -80,
      silenceMinSec: 10,
    });
    expect(cleanPreferences({ silenceThresholdDb: 'loud', silenceMinSec: 0.25 })).toMatchObject({
      silenceThresholdDb: -50,
      silenceMinSec: 0.3,
    });
  });
});

describe('the plan', () => {
  it('lists chapters for chapter files even where the format holds none', () => {
    const plan = planJoin([track('a.wav'), track('b.wav')], { ...defaultOutput, format: 'flac' });
    expect(plan.chapters).toEqual([]);
    expect(plan.chapterList.map((c) => c.title)).toEqual(['a', 'b']);
    const none = planJoin([track('a'), track('b')], { ...defaultOutput, chapters: 'none' });
    expect(none.chapterList).toEqual([]);
  });

  it('keeps the tracks’ own chapters, shifted, in the lossless MP3 tag', () => {
    const plan = planJoin([track('a', withChapters), track('b', withChapters)], defaultOutput);
    expect(plan.kind).toBe('fast');
    const id3 = findStep(plan.steps, 'retag-mp3')?.id3;
    expect(id3?.chapters.map((c) => [c.title, c.start])).toEqual([
      ['One', 0],
      ['Two', 30000],
      ['One', 60000],
      ['Two', 90000],
    ]);
  });

  it('"No chapters" rewrites a first MP3 whose own tag has CHAP frames', () => {
    const plan = planJoin([track('a', withChapters), track('b')], {
      ...defaultOutput,
      chapters: 'none',
    });
    expect(findStep(plan.steps, 'retag-mp3')?.id3.chapters).toEqual([]);
  });
});
