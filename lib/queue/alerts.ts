import {
  errorFromData,
  toErrorData,
  type SeamErrorCode,
  type SeamErrorData,
} from '@/lib/core/errors';
import { t } from '@/lib/core/i18n';

/**
 * The one path from a failed action to the person: every action a page starts (add, move,
 * remove, reorder, edit, join, cancel, Show in folder, Open in a tab, page audio) runs through
 * `run`, and anything it throws, or any promise the page drops, becomes an alert that the page
 * shows with role="alert" until it is dismissed or the same action succeeds. Extension pages.
 */

export interface Alert {
  /** The action that failed ("remove", "join", ...): a later success of it clears the alert. */
  action: string;
  error: SeamErrorData;
}

let alerts: readonly Alert[] = [];
const listeners = new Set<(alerts: readonly Alert[]) => void>();

function publish(next: readonly Alert[]): void {
  alerts = next;
  for (const l of listeners) l(alerts);
}

/** Calls `cb` with the current alerts now and whenever they change; returns the unsubscriber. */
export function onAlerts(cb: (alerts: readonly Alert[]) => void): () => void {
  listeners.add(cb);
  cb(alerts);
  return () => listeners.delete(cb);
}

/** Shows `err` as the alert of `action` (replacing that action's previous one). */
export function report(
  action: string,
  err: unknown,
  fallback: SeamErrorCode = 'join-failed',
): void {
  const error = friendly(toErrorData(err, fallback));
  publish([...alerts.filter((a) => a.action !== action), { action, error }]);
}

function dismiss(action: string): void {
  if (alerts.some((a) => a.action === action)) publish(alerts.filter((a) => a.action !== action));
}

/**
 * Runs a person's action. Its failure becomes an alert; its success clears that action's old
 * alert. Never rejects, so a click handler can call it without a catch.
 */
export async function run(action: string, fn: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await fn();
    dismiss(action);
  } catch (err) {
    report(action, err);
  }
}

/**
 * Promises nobody awaited and errors nobody caught, on this page, are alerts too: nothing fails
 * silently in the popup or the options page.
 */
export function reportUncaught(win: Pick<Window, 'addEventListener'>): void {
  win.addEventListener('unhandledrejection', (e) => report('page', e.reason));
  win.addEventListener('error', (e) => report('page', e.error ?? e.message));
}

/**
 * Browser errors in words a person can act on. The browser's own texts ("Could not establish
 * connection. Receiving end does not exist.") say nothing to someone joining audio.
 */
function friendly(error: SeamErrorData): SeamErrorData {
  const m = error.message;
  if (/Extension context invalidated/i.test(m)) {
    return { ...error, message: t('errors.reloaded'), text: undefined };
  }
  if (/Could not establish connection|Receiving end does not exist/i.test(m)) {
    return { ...error, message: t('errors.noAnswer'), text: undefined };
  }
  // A named error keeps its own words.
  return errorFromData(error).toData();
}
