/**
 * Runs a join's steps (lib/plan/steps.ts) in order, each by its one executor (./steps/): the
 * tracks decoded first, the join, then what is done to its output. Each step's progress is
 * weighed in its stage (reading, joining, finishing: lib/plan/progress.ts), and a step that
 * fails names itself in the error (lib/core/errors.ts inStep). Offscreen document (Chrome), background page (Firefox).
 */
import { asStep, JoinCanceledError } from '@/lib/core/errors';
import { text, type Text } from '@/lib/core/i18n';
import type { JobPhase } from '@/lib/core/job';
import { progressStages, stagePercent, stepProgress } from '@/lib/plan/progress';
import { stepList, type JoinStep, type JoinSteps, type StepKind } from '@/lib/plan/steps';
import type { JoinState, StepContext, StepExecutor, StepPhase } from './steps/context';
import { predecode } from './steps/predecode';
import { gainAacStep, gainMp3Step } from './steps/gain';
import { fastMp3, fastWav } from './steps/fast';
import { ffmpeg } from './steps/ffmpeg';
import { parts } from './steps/parts';
import { closeJoins } from './steps/close-joins';
import { wavHeader } from './steps/wav-header';
import { retagMp3 } from './steps/retag-mp3';
import { chapterFiles } from './steps/chapter-files';
import { opusGain } from './steps/opus-gain';

type Executors = { [K in StepKind]: StepExecutor<Extract<JoinStep, { kind: K }>> };

/** Every step's executor, by kind: a new step is one line here. */
const EXECUTORS: Executors = {
  predecode,
  'gain-mp3': gainMp3Step,
  'gain-aac': gainAacStep,
  'fast-mp3': fastMp3,
  'fast-wav': fastWav,
  ffmpeg,
  parts,
  'close-joins': closeJoins,
  'opus-gain': opusGain,
  'wav-header': wavHeader,
  'retag-mp3': retagMp3,
  'chapter-files': chapterFiles,
};

/** What a pipeline needs: a step's context less its progress and the state it builds. */
export type PipelineContext = Omit<StepContext, 'progress' | 'state'> & {
  /** The join's progress, in percent of the whole. */
  report(phase: JobPhase, percent: number): void;
};

/** Runs `steps` in order; resolves with what they made (the joined file, its notes…). */
export async function runSteps(steps: JoinSteps, pipe: PipelineContext): Promise<JoinState> {
  const state: JoinState = { tracks: [...pipe.ready], overlaps: [] };
  const list = stepList(steps);
  const stages = progressStages(list, pipe.plan.totalSec);
  for (const [i, step] of list.entries()) {
    if (pipe.signal.aborted) throw new JoinCanceledError();
    const progress = (f: number, phase: StepPhase = 'joining') => {
      // Reading the inputs is a stage of its own only where the join is the first step.
      if (phase === 'reading') {
        if (steps.pre.length === 0 && step === steps.main) pipe.report('reading', stagePercent(f));
        return;
      }
      const at = stepProgress(stages, i, f);
      pipe.report(at.phase, at.percent);
    };
    const execute = EXECUTORS[step.kind] as StepExecutor<JoinStep>;
    // A finishing step starts at its share's start: the bar says the file is being finished.
    if (stages[i]!.phase === 'finishing') progress(0);
    await asStep(stepName(step, pipe), () => execute(step, { ...pipe, progress, state }));
  }
  if (pipe.signal.aborted) throw new JoinCanceledError();
  return state;
}

/** The step's name in a failure: "Encoding part 2 of 3 failed: …" (parts name their own). */
export function stepName(step: JoinStep, pipe: Pick<PipelineContext, 'plan' | 'ready'>): Text {
  switch (step.kind) {
    case 'predecode':
      return text('steps.predecode', pipe.ready[step.run.track]?.name ?? '');
    case 'gain-mp3':
    case 'gain-aac':
    case 'opus-gain':
      return text('steps.gain');
    case 'fast-mp3':
    case 'fast-wav':
      return text('steps.fastJoin');
    case 'ffmpeg':
    case 'parts':
      return text(
        pipe.plan.kind === 'ffmpeg' && !pipe.plan.args.includes('-filter_complex')
          ? 'steps.copy'
          : 'steps.encode',
      );
    case 'close-joins':
      return text('steps.closeJoins');
    case 'wav-header':
      return text('steps.wavHeader');
    case 'retag-mp3':
      return text('steps.retag');
    case 'chapter-files':
      return text('steps.chapterFiles');
  }
}
