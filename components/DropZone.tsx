import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { takeDrop } from '@/lib/queue/files';
import { t } from '@/lib/core/i18n';

/**
 * The whole page takes dropped files and folders; an outline shows where they will go. The
 * drop's entries are taken at once (the browser empties them when the event ends).
 */
export function DropZone(props: {
  onDrop: (taken: ReturnType<typeof takeDrop>) => void;
  children: ComponentChildren;
}) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
  return (
    <div
      class={`drop-zone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e) || !e.dataTransfer) return;
        e.preventDefault();
        setOver(false);
        props.onDrop(takeDrop(e.dataTransfer));
      }}
    >
      {props.children}
      {over && <div class="drop-hint">{t('app.dropHint')}</div>}
    </div>
  );
}
