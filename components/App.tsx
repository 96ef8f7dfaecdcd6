import { useEffect, useState } from 'preact/hooks';
import type { SeamErrorData } from '@/lib/core/errors';
import { failureStillRelevant, isRunning } from '@/lib/core/job';
import { planSummary } from '@/lib/plan/summary';
import { joinOptions } from '@/lib/core/settings';
import * as actions from '@/lib/queue/actions';
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
  const [actionError, setActionError] = useState<SeamErrorData>();
  const running = isRunning(job);
  const editor = useLazyModule(compact ? undefined : loadEditor);

  useEffect(() => actions.checkIn(), []);

  const addFiles = async (files: File[]) => setActionError(await actions.addLocalFiles(files));
  const list = tracks ?? [];
  const canJoin = !running && list.length > 0;

  return (
    <DropZone onFiles={(f) => void addFiles(f)}>
      <main class={compact ? 'app compact' : 'app'}>
        <header class="top">
          <h1>Seam</h1>
          <span class="tagline">Joins audio on this computer. Nothing is uploaded.</span>
          {compact && (
            <button type="button" class="link" onClick={() => void actions.openInTab()}>
              Open in a tab
            </button>
          )}
        </header>
        <div class="toolbar">
          <AddFiles onFiles={(f) => void addFiles(f)} />
          <span class="count">
            {list.length} {list.length === 1 ? 'track' : 'tracks'}
          </span>
        </div>
        {tracks && editor && <editor.EditorTrackList tracks={list} locked={running} />}
        {tracks && !editor && (
          <TrackList
            tracks={list}
            locked={running}
            onMoveUp={(id) => void actions.moveUp(id)}
            onMoveDown={(id) => void actions.moveDown(id)}
            onRemove={(id) => void actions.remove(id)}
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
          summary={running ? '' : planSummary(list, output, joinOptions(prefs, tags))}
          actionError={actionError}
          onJoin={() => void actions.join().then(setActionError)}
          onCancel={(id) => void actions.cancel(id)}
          onShowInFolder={(id) => void actions.showInFolder(id)}
        />
        {editor && <editor.SettingsSection tracks={list} output={output} />}
      </main>
    </DropZone>
  );
}
