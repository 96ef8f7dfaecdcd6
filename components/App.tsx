import { useEffect } from 'preact/hooks';
import { failureStillRelevant, isRunning } from '@/lib/core/job';
import { planSummary } from '@/lib/plan/summary';
import { joinOptions } from '@/lib/core/settings';
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
import { AddFiles } from './AddFiles';
import { DropZone } from './DropZone';
import { JoinPanel } from './JoinPanel';
import { OutputPanel } from './OutputPanel';
import { PageAudio } from './PageAudio';
import { TrackList } from './TrackList';

/** The options page's editor, a chunk of its own: the popup never loads it. */
const loadEditor = () => import('./Editor').then((m) => m.Editor);

/** The whole of Seam's UI; the popup shows it compact, the options page at full width. */
export function App({ compact }: { compact: boolean }) {
  const tracks = useTracks();
  const job = useJob();
  const [output, setOutput] = useOutputSettings();
  const [prefs] = usePreferences();
  const [tags] = useOutputTags();
  const alerts = useAlerts();
  const running = isRunning(job);
  const editor = useLazyModule(compact ? undefined : loadEditor);

  useEffect(() => void run('check-in', actions.checkIn), []);

  const addFiles = (files: File[]) => void run('add', () => actions.addLocalFiles(files));
  const list = tracks ?? [];
  const canJoin = !running && list.length > 0;

  return (
    <DropZone onFiles={addFiles}>
      <main class={compact ? 'app compact' : 'app'}>
        <header class="top">
          <h1>Seam</h1>
          <span class="tagline">Joins audio on this computer. Nothing is uploaded.</span>
          {compact && (
            <button
              type="button"
              class="link"
              onClick={() => void run('open-in-tab', actions.openInTab)}
            >
              Open in a tab
            </button>
          )}
        </header>
        <div class="toolbar">
          <AddFiles onFiles={addFiles} />
          <span class="count">
            {list.length} {list.length === 1 ? 'track' : 'tracks'}
          </span>
        </div>
        {tracks && editor && <editor.EditorTrackList tracks={list} locked={running} />}
        {tracks && !editor && (
          <TrackList
            tracks={list}
            locked={running}
            onMoveUp={(id) => void run('move', () => actions.moveUp(id))}
            onMoveDown={(id) => void run('move', () => actions.moveDown(id))}
            onRemove={(id) => void run('remove', () => actions.remove(id))}
          />
        )}
        <PageAudio compact={compact} tracks={list} />
        {editor ? (
          <editor.OutputSection
            tracks={list}
            value={output}
            disabled={running}
            onChange={setOutput}
          />
        ) : (
          <OutputPanel value={output} disabled={running} onChange={setOutput} />
        )}
        <JoinPanel
          job={job}
          showFailure={failureStillRelevant(
            job,
            list.map((t) => t.id),
          )}
          canJoin={canJoin}
          summary={
            running
              ? ''
              : planSummary(list, output, joinOptions(prefs, tags), navigator.hardwareConcurrency)
          }
          alerts={alerts}
          onJoin={() => void run('join', actions.join)}
          onCancel={(id) => void run('cancel', () => actions.cancel(id))}
          onShowInFolder={(id) => void run('show-in-folder', () => actions.showInFolder(id))}
        />
        {editor && <editor.SettingsSection tracks={list} output={output} />}
      </main>
    </DropZone>
  );
}
