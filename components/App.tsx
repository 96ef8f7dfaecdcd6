import { useEffect, useState } from 'preact/hooks';
import {
  carriedDamage,
  failureStillRelevant,
  isRunning,
  resultStillRelevant,
} from '@/lib/core/job';
import { formatSpec } from '@/lib/core/formats';
import { outputFileName, untitledTemplate } from '@/lib/core/naming';
import { joinOptions } from '@/lib/core/settings';
import { nextJoinSettings, planSummary } from '@/lib/plan/summary';
import { selectRange } from '@/lib/editor/reorder';
import * as actions from '@/lib/queue/actions';
import { run } from '@/lib/queue/alerts';
import { useAlerts } from '@/components/hooks/alerts';
import {
  useJob,
  useLazyModule,
  useOutputSettings,
  useOutputTags,
  usePreferences,
  useTracks,
} from '@/components/hooks/store';
import { AboutLinks } from './AboutLinks';
import { AddFiles, AddFolder } from './AddFiles';
import { DropZone } from './DropZone';
import { JoinPanel } from './JoinPanel';
import { ListTools } from './ListTools';
import { Notice } from './Notice';
import { OutputPanel } from './OutputPanel';
import { PageAudio } from './PageAudio';
import { TrackList } from './TrackList';
import type { TrackSelection } from './TrackItem';
import { t } from '@/lib/core/i18n';

/** The options page's editor, a chunk of its own: the popup never loads it. */
const loadEditor = () => import('./Editor').then((m) => m.Editor);

/**
 * The whole of Seam's UI; the popup shows it compact, the options page at full width. Order on
 * the page (and for the Tab key): adding, the list and its tools, then the Join bar (fixed at
 * the bottom, so it is always in view), then page audio, and in the options page the output
 * section and the settings.
 */
export function App({ compact }: { compact: boolean }) {
  const tracks = useTracks();
  const job = useJob();
  const [output, setOutput] = useOutputSettings();
  const [prefs] = usePreferences();
  const [tags] = useOutputTags();
  const alerts = useAlerts();
  const running = isRunning(job);
  const editor = useLazyModule(compact ? undefined : loadEditor);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string>();

  useEffect(() => void run('check-in', actions.checkIn), []);

  const list = tracks ?? [];
  const ids = list.map((t) => t.id);
  // Selected tracks that were removed meanwhile are no longer selected.
  const chosen = new Set(ids.filter((id) => selected.has(id)));

  const addFiles = (files: File[]) => void run('add', () => actions.addLocalFiles(files));
  const addFolder = (files: File[]) => void run('add', () => actions.addPickedFolder(files));
  const selection: TrackSelection = {
    selected: chosen,
    onSelect: (id, on, range) => {
      const next = new Set(chosen);
      for (const x of range ? selectRange(ids, anchor, id) : [id]) {
        if (on) next.add(x);
        else next.delete(x);
      }
      setSelected(next);
      setAnchor(id);
    },
  };
  const trackActions = {
    onMoveUp: (id: string) => void run('move', () => actions.moveUp(id)),
    onMoveDown: (id: string) => void run('move', () => actions.moveDown(id)),
    onRemove: (id: string) => void run('remove', () => actions.remove(id)),
  };
  const options = joinOptions(prefs, tags);
  const summary = running
    ? undefined
    : planSummary(list, output, options, navigator.hardwareConcurrency);
  // A running join's file was named when Join was pressed; the next join's is named as it is now,
  // from the tracks it can join (as the Output section's preview counts them).
  const joinable = list.filter((x) => x.status !== 'error');
  const fileName = running
    ? job.fileName
    : outputFileName(
        joinable[0]?.name ?? 'Seam join',
        joinable.length,
        formatSpec(output.format).extension,
        prefs.fileNameTemplate,
        new Date(),
        tags.title,
        untitledTemplate(),
      );

  return (
    <DropZone onDrop={(taken) => void run('add', () => actions.addDropped(taken))}>
      <main class={compact ? 'app compact' : 'app'}>
        <header class="top">
          <h1>{t('app.name')}</h1>
          <span class="tagline">{t('app.tagline')}</span>
          {compact && (
            <button
              type="button"
              class="link"
              onClick={() => void run('open-in-tab', actions.openInTab)}
            >
              {t('app.openInTab')}
            </button>
          )}
        </header>
        <div class="toolbar">
          <AddFiles onFiles={addFiles} />
          <AddFolder onFiles={addFolder} />
        </div>
        <ListTools
          tracks={list}
          locked={running}
          length={summary?.totals?.replace(/ ·.*$/, '')}
          onSort={(key) => void run('sort', () => actions.sortQueue(key))}
          onReverse={() => void run('sort', actions.reverseQueue)}
          onClearAll={() => void run('remove', actions.clearAll)}
          selected={chosen}
          onSelectAll={(on) => setSelected(new Set(on ? ids : []))}
          onMoveSelected={(where) => void run('move', () => actions.moveSelected(chosen, where))}
          onRemoveSelected={() =>
            void run('remove', async () => {
              await actions.removeMany([...chosen]);
              setSelected(new Set());
            })
          }
        />
        <Notice />
        {tracks && editor && (
          <editor.EditorTrackList
            tracks={list}
            locked={running}
            selection={selection}
            {...trackActions}
          />
        )}
        {tracks && !editor && (
          <TrackList tracks={list} locked={running} selection={selection} {...trackActions} />
        )}
        <JoinPanel
          job={job}
          showFailure={failureStillRelevant(job, ids)}
          showResult={resultStillRelevant(job, ids)}
          carried={carriedDamage(job, list)}
          summary={summary}
          hasTracks={list.length > 0}
          next={nextJoinSettings(output, tags, prefs.defaultTransition, prefs.loudnessTarget)}
          fileName={fileName}
          alerts={alerts}
          onJoin={() => void run('join', actions.join)}
          onCancel={(id) => void run('cancel', () => actions.cancel(id))}
          onShowInFolder={(id) => void run('show-in-folder', () => actions.showInFolder(id))}
          onReset={() => void run('reset', actions.resetOutput)}
          onRemoveFailed={() => void run('remove', actions.removeFailed)}
        >
          {!editor && <OutputPanel value={output} disabled={running} onChange={setOutput} />}
        </JoinPanel>
        <PageAudio compact={compact} tracks={list} />
        {editor && (
          <editor.OutputSection
            tracks={list}
            value={output}
            disabled={running}
            onChange={setOutput}
          />
        )}
        {editor && <editor.SettingsSection />}
        {!compact && <AboutLinks />}
      </main>
    </DropZone>
  );
}
