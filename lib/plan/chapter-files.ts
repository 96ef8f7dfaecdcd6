/**
 * The joined file's chapters as files of their own, saved beside it for the tools people use:
 * a cue sheet, the `00:00:00.000 Title` lines m4b-tool and tone read (`.chapters.txt`), and
 * Podcasting 2.0 JSON chapters. Pure: each takes the planned chapters and returns text.
 */
import { clockMillis, cueClock } from '@/lib/core/text';
import type { ChapterTime } from './chapters';

/** Which chapter files the person asked for (a setting). */
export type ChapterFileKind = 'cue' | 'txt' | 'json';

/** Text for a one-line cue value: no quotes (the format has no escape) and no line breaks. */
function cueText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/"/g, '\u201d')
    .trim();
}

/** The cue sheet's FILE type for an output extension. */
function cueFileType(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'mp3') return 'MP3';
  if (ext === 'aif' || ext === 'aiff') return 'AIFF';
  return 'WAVE';
}

/** A cue sheet for `fileName` with one TRACK per chapter (UTF-8, CRLF line ends as rippers write). */
export function chaptersCue(
  chapters: readonly ChapterTime[],
  fileName: string,
  tags: { title?: string; artist?: string } = {},
): string {
  const lines: string[] = [];
  if (tags.artist) lines.push(`PERFORMER "${cueText(tags.artist)}"`);
  if (tags.title) lines.push(`TITLE "${cueText(tags.title)}"`);
  lines.push(`FILE "${cueText(fileName)}" ${cueFileType(fileName)}`);
  chapters.forEach((c, i) => {
    lines.push(`  TRACK ${String(i + 1).padStart(2, '0')} AUDIO`);
    lines.push(`    TITLE "${cueText(c.title)}"`);
    lines.push(`    INDEX 01 ${cueClock(c.startSec)}`);
  });
  return lines.join('\r\n') + '\r\n';
}

/** m4b-tool's and tone's chapter list: one `HH:MM:SS.mmm Title` line per chapter. */
export function chaptersText(chapters: readonly ChapterTime[]): string {
  return (
    chapters
      .map((c) => `${clockMillis(c.startSec)} ${c.title.replace(/[\r\n]+/g, ' ')}`)
      .join('\n') + '\n'
  );
}

/** Podcasting 2.0 JSON chapters (podcast:chapters, version 1.2.0): start and end in seconds. */
export function chaptersJson(chapters: readonly ChapterTime[]): string {
  const round = (s: number) => Math.round(s * 1000) / 1000;
  return (
    JSON.stringify(
      {
        version: '1.2.0',
        chapters: chapters.map((c) => ({
          startTime: round(c.startSec),
          endTime: round(c.endSec),
          title: c.title,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

/** The file names of the chapter files beside `fileName` ("Book.m4b" → "Book.cue", ...). */
export function chapterFileName(fileName: string, kind: ChapterFileKind): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  return kind === 'cue'
    ? `${stem}.cue`
    : kind === 'txt'
      ? `${stem}.chapters.txt`
      : `${stem}.chapters.json`;
}
