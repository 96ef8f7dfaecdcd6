import type { ChapterFilesStep } from '@/lib/plan/steps';
import type { StepExecutor } from './context';

/**
 * The chapters, title and artist handed back with the result: the background writes the
 * chapter files beside the saved file (lib/job/download.ts), where the downloads API is.
 */
export const chapterFiles: StepExecutor<ChapterFilesStep> = (step, ctx) => {
  ctx.state.chapterFiles = {
    chapters: step.chapters,
    ...(step.title ? { title: step.title } : {}),
    ...(step.artist ? { artist: step.artist } : {}),
  };
  return Promise.resolve();
};
