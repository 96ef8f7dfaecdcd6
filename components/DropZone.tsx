import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** The whole page takes dropped files; an outline shows where they will go. */
export function DropZone(props: { onFiles: (files: File[]) => void; children: ComponentChildren }) {
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
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        props.onFiles([...(e.dataTransfer?.files ?? [])]);
      }}
    >
      {props.children}
      {over && <div class="drop-hint">Drop audio to add it to the queue</div>}
    </div>
  );
}
