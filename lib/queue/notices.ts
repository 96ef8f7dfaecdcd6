/**
 * Short news about the queue that the person may want to undo or just read ("Removed 37
 * tracks. Undo", "Added 12 files from Album; skipped 2 that are not audio"): one at a time,
 * shown with role="status" next to the track list. Extension pages.
 */

export interface Notice {
  text: string;
  /** Puts things back as they were; the notice offers it as "Undo". */
  undo?: () => Promise<void>;
}

let current: Notice | null = null;
const listeners = new Set<(n: Notice | null) => void>();

/** Calls `cb` with the current notice now and whenever it changes; returns the unsubscriber. */
export function onNotice(cb: (n: Notice | null) => void): () => void {
  listeners.add(cb);
  cb(current);
  return () => listeners.delete(cb);
}

export function notify(notice: Notice | null): void {
  current = notice;
  for (const l of listeners) l(current);
}

/** Runs the current notice's Undo (once) and clears the notice. */
export async function undoNotice(): Promise<void> {
  const n = current;
  notify(null);
  await n?.undo?.();
}
