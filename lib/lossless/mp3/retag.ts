/** Rewrites the leading ID3v2 tag of a joined MP3 Blob (tags, chapters, cover); audio untouched. */
import { buildId3v2, readLeadingId3, type ChapterImages, type Id3Edit } from '@/lib/containers/id3';
import { COVER_IMAGE_ID } from '@/lib/core/settings';

/**
 * Replaces the leading ID3v2 tag of a joined MP3 Blob (zero-copy for the audio: the result is
 * the new tag plus a slice of `joined`). `coverFrom` is the input whose picture the edit takes,
 * or the person's own image when the cover is COVER_IMAGE_ID; `chapterImages`, the chapters'
 * images by key, each written inside its CHAP.
 */
export async function retagMp3(
  joined: Blob,
  edit: Id3Edit,
  coverFrom?: Blob,
  chapterImages?: ChapterImages,
): Promise<Blob> {
  const { tag, size } = await readLeadingId3(joined);
  const fromImage = typeof edit.cover === 'object' && edit.cover.trackId === COVER_IMAGE_ID;
  const coverTag =
    typeof edit.cover === 'object' && coverFrom && !fromImage
      ? (await readLeadingId3(coverFrom)).tag
      : undefined;
  const image = fromImage && coverFrom ? new Uint8Array(await coverFrom.arrayBuffer()) : undefined;
  const fresh = buildId3v2(tag, edit, coverTag, image, chapterImages);
  return new Blob([fresh, joined.slice(size)], { type: joined.type || 'audio/mpeg' });
}
