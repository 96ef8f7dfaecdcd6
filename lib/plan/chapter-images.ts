/**
 * Chapter pictures (a book's JSON chapters' `img`) are written only by the lossless MP3 join's
 * ID3 rewrite, inside each CHAP frame; MP4's chapters (and ffmpeg's ID3 chapters of an encoded
 * MP3) hold none: the plan says so when the chapters have pictures. Pure.
 */
import { t } from '@/lib/core/i18n';
import type { JoinDecision } from './decide';

/** The note that the chapters' pictures are left out, or none. */
export function chapterImageNotes(
  d: Pick<JoinDecision, 'chapters' | 'route' | 'fast' | 'spec'>,
): string[] {
  if (!d.chapters.some((c) => c.imageId)) return [];
  if (d.route === 'copy' && d.fast === 'mp3') return [];
  return [t('plan.chapterImagesNotKept', d.spec.label)];
}
