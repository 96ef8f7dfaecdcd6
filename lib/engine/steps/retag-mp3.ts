import { retagMp3 as retag, shiftChapters } from '@/lib/lossless';
import type { RetagMp3Step } from '@/lib/plan/steps';
import { getChapterImages } from '@/lib/store/chapter-images';
import { joined, type StepExecutor } from './context';

/**
 * Tags, chapters (ID3 CHAP, each with its image when it has one) and cover written into a
 * zero-copy MP3 without touching the audio: a new leading tag. Chapters follow the tracks, each
 * exact join's overlap earlier.
 */
export const retagMp3: StepExecutor<RetagMp3Step> = async (step, ctx) => {
  const id3 = { ...step.id3, chapters: shiftChapters(step.id3.chapters, ctx.state.overlaps) };
  const cover = id3.cover;
  const image = typeof cover === 'object' ? ctx.blobs.get(cover.trackId) : undefined;
  const keys = id3.chapters.flatMap((c) => (c.imageId ? [c.imageId] : []));
  const images = keys.length > 0 ? await getChapterImages(keys) : undefined;
  ctx.state.result = await retag(joined(ctx), id3, image, images);
};
