/**
 * The ffmpeg arguments a plan shares whatever it does: log level, bit-exact output, the cover's
 * mapping, tags and chapters through an FFMETADATA1 input, and each input's file extension.
 * Pure; the filter graph and encoders are in ./graph.ts.
 */
import type { AudioInfo } from '@/lib/core/track';
import type { FormatSpec } from '@/lib/core/formats';
import { ffmetadata, type ResolvedTags } from './tags';
import type { ChapterTime } from './chapters';

/** ffmpeg.wasm keeps the previous command's log level; `info` keeps the `time=` progress lines. */
export const LOG_ARGS = ['-hide_banner', '-loglevel', 'info', '-stats'];

/** No "Lavf"/"Lavc" version tags (ID3 TSSE, MP4 ©too, WAV ISFT) in the output. */
export const BITEXACT = ['-fflags', '+bitexact', '-flags:a', '+bitexact'];

/**
 * Maps input `index`'s attached picture as the output's cover, copied as it is: by its stream
 * index (`disposition.attached_pic`), never a video track (a VP8 film copied into an MP3 as its
 * "cover" fails at the trailer). A probe from before that index was kept takes the first video
 * stream only when the file has no video of its own.
 */
export function coverArgs(index: number, info: AudioInfo | undefined): string[] {
  // The person's own image file: its one stream is the picture.
  if (!info) return ['-map', `${index}:v:0`, '-c:v', 'copy', '-disposition:v:0', 'attached_pic'];
  const stream =
    info.coverStreamIndex !== undefined
      ? String(info.coverStreamIndex)
      : info.hasVideo
        ? undefined
        : 'v:0?';
  if (stream === undefined) return [];
  return ['-map', `${index}:${stream}`, '-c:v', 'copy', '-disposition:v:0', 'attached_pic'];
}

/**
 * Tags and chapters through an FFMETADATA1 input at `index` (its file added to `files`); for a
 * format that holds no tags, none at all. Chapters are always mapped explicitly, so an input's
 * own chapters (an M4B joined into another) never leak into the output.
 */
export function metadataArgs(
  spec: FormatSpec,
  tags: ResolvedTags,
  chapters: readonly ChapterTime[],
  index: number,
  files: { path: string; text: string }[],
): { inputArgs: string[]; outputArgs: string[]; next: number } {
  if (!spec.tags) {
    return {
      inputArgs: [],
      outputArgs: ['-map_metadata', '-1', '-map_chapters', '-1'],
      next: index,
    };
  }
  files.push({ path: '/in/metadata.txt', text: ffmetadata(tags, chapters) });
  return {
    inputArgs: ['-f', 'ffmetadata', '-i', '/in/metadata.txt'],
    outputArgs: [
      ...['-map_metadata', String(index)],
      // Stream tags of the first input (Vorbis comments live there in Ogg) are not the output's.
      ...['-map_metadata:s:a', '-1'],
      ...['-map_chapters', chapters.length > 0 ? String(index) : '-1'],
    ],
    next: index + 1,
  };
}

/** The extension ffmpeg's demuxer probing likes best for this input. */
export function inputExtension(info: AudioInfo): string {
  const c = info.container;
  if (c.includes('mp4') || c.includes('mov')) return 'mp4';
  if (c === 'matroska,webm') return 'webm';
  return c.split(',')[0] ?? 'bin';
}
