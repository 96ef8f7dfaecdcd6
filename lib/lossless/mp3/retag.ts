/** Rewrites the leading ID3v2 tag of a joined MP3 Blob (tags, chapters, cover); audio untouched. */
import { buildId3v2, readLeadingId3, type Id3Edit } from '@/lib/media/id3';

/**
 * Replaces the leading ID3v2 tag of a joined MP3 Blob (zero-copy for the audio: the result is
 * the new tag plus a slice of `joined`). `coverFrom` is the input whose picture the edit takes.
 */
export async function retagMp3(joined: Blob, edit: Id3Edit, coverFrom?: Blob): Promise<Blob> {
  const { tag, size } = await readLeadingId3(joined);
  const coverTag =
    typeof edit.cover === 'object' && coverFrom ? (await readLeadingId3(coverFrom)).tag : undefined;
  const fresh = buildId3v2(tag, edit, coverTag);
  return new Blob([fresh, joined.slice(size)], { type: joined.type || 'audio/mpeg' });
}
