/**
 * The extension's own state, read and written from inside it: the job record, downloads, the
 * badge, settings. The same code serves Chromium (run in the service worker) and Firefox (run in
 * an extension page, where `browser` is the promise-based namespace).
 */
import type { JobState } from '@/lib/core/job';
import {
  defaultOutput,
  defaultTags,
  type OutputSettings,
  type OutputTags,
  type Preferences,
} from '@/lib/core/settings';
import { sleep } from './wait';

/**
 * Runs a self-contained function (it is serialized: no closures) inside the extension and
 * returns its result: Playwright's `Worker.evaluate`, Puppeteer's `Page.evaluate`.
 */
export type Evaluate = <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => Promise<R>;

/**
 * An `Evaluate` over Playwright's `Worker`/`Page` or Puppeteer's `Page`. The function travels as
 * its source text with a JSON argument, and a no-op `__name` is defined beside it: the benchmark
 * runs under tsx, whose esbuild (keepNames) wraps named inner functions in `__name(...)` calls
 * that the browser would not know.
 */
export function evaluateIn(
  target:
    | { evaluate(expression: string): Promise<unknown> }
    | (() => { evaluate(expression: string): Promise<unknown> }),
): Evaluate {
  const get = typeof target === 'function' ? target : () => target;
  return <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
    get().evaluate(
      `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'}); })()`,
    ) as Promise<R>;
}

/** The job record the background keeps in storage.session under "job" (lib/core/job.ts). */
export type Job = JobState;
export type DoneJob = Extract<JobState, { status: 'done' }>;

/** What `downloads.search` returns, the parts the tests look at. */
export interface DownloadItem {
  id: number;
  filename: string;
  state: 'in_progress' | 'interrupted' | 'complete';
  error?: string;
  fileSize: number;
  mime: string;
  endTime?: string;
}

/** The extension namespace inside the evaluated function: Firefox's `browser`, else `chrome`. */
type Api = typeof chrome;

export class Extension {
  constructor(readonly evaluate: Evaluate) {}

  /** The job record, or null when none was started since the last reset. */
  job(): Promise<Job | null> {
    return this.evaluate(async () => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      const { job } = await api.storage.session.get('job');
      return (job as Job | undefined) ?? null;
    }, undefined);
  }

  /** Forgets the last job (as if none had run). */
  async forgetJob(): Promise<void> {
    await this.evaluate(async () => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      await api.storage.session.remove('job');
    }, undefined);
  }

  /** Polls the job record until `predicate(job)` holds; returns that job. */
  async waitForJob(predicate: (job: Job | null) => boolean, timeout = 60_000): Promise<Job | null> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const last = await this.job();
      if (predicate(last)) return last;
      if (Date.now() > deadline) {
        throw new Error(
          `waitForJob: timed out after ${timeout} ms; last job: ${JSON.stringify(last)}`,
        );
      }
      await sleep(100);
    }
  }

  /** Waits for a job other than `previousId` to end; throws with the job unless it is done. */
  async finishedJob(previousId?: string, timeout = 90_000): Promise<DoneJob> {
    const job = await this.waitForJob(
      (j) => j !== null && j.id !== previousId && j.status !== 'running',
      timeout,
    );
    if (job?.status !== 'done') throw new Error(`join did not succeed: ${JSON.stringify(job)}`);
    return job;
  }

  /**
   * "Join and wait": runs `clickJoin`, waits for the join it starts to succeed and for its
   * download to be on disk; returns the job, the saved file's path and the download.
   */
  async joinAndWait(
    clickJoin: () => Promise<void>,
    timeout = 90_000,
  ): Promise<{ job: DoneJob; file: string; download: DownloadItem }> {
    const previous = await this.job();
    await clickJoin();
    const job = await this.finishedJob(previous?.id, timeout);
    if (job.downloadId === undefined) {
      throw new Error(`the done job records no download: ${JSON.stringify(job)}`);
    }
    const download = await this.completedDownload(job.downloadId, timeout);
    return { job, file: download.filename, download };
  }

  downloads(query: chrome.downloads.DownloadQuery = {}): Promise<DownloadItem[]> {
    return this.evaluate((q) => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      return api.downloads.search(q) as Promise<DownloadItem[]>;
    }, query);
  }

  /** The download's item once it is complete (throws when it is interrupted). */
  async completedDownload(downloadId: number, timeout = 60_000): Promise<DownloadItem> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const [item] = await this.downloads({ id: downloadId });
      if (item?.state === 'complete') return item;
      if (item?.state === 'interrupted') {
        throw new Error(`download ${downloadId} was interrupted: ${item.error ?? 'no reason'}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `download ${downloadId} not complete after ${timeout} ms: ${JSON.stringify(item)}`,
        );
      }
      await sleep(50);
    }
  }

  /** Waits until the download is complete and returns the absolute path of the saved file. */
  async downloadedFile(downloadId: number, timeout = 60_000): Promise<string> {
    return (await this.completedDownload(downloadId, timeout)).filename;
  }

  /** Removes a download from the browser's list (the file stays). */
  async eraseDownload(downloadId: number): Promise<void> {
    await this.evaluate(async (id) => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      await api.downloads.erase({ id });
    }, downloadId);
  }

  /** The toolbar badge's text (MV3 `action`, Firefox MV2 `browserAction`). */
  badgeText(): Promise<string> {
    return this.evaluate(() => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      const action =
        api.action ?? (api as unknown as { browserAction: Api['action'] }).browserAction;
      return action.getBadgeText({});
    }, undefined);
  }

  /** The toolbar badge's colour as [r, g, b, a]. */
  badgeColor(): Promise<number[]> {
    return this.evaluate(async () => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      const action =
        api.action ?? (api as unknown as { browserAction: Api['action'] }).browserAction;
      return [...(await action.getBadgeBackgroundColor({}))];
    }, undefined);
  }

  /** Everything in storage.local (settings). */
  storedSettings(): Promise<Record<string, unknown>> {
    return this.evaluate(async () => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      return api.storage.local.get(null);
    }, undefined);
  }

  /** Forgets every setting, so the next page starts from the defaults. */
  async clearSettings(): Promise<void> {
    await this.evaluate(async () => {
      const api = (globalThis as { browser?: Api }).browser ?? chrome;
      await api.storage.local.clear();
    }, undefined);
  }

  /**
   * Merges `values` over the stored value of a storage.local key (over `base` when nothing is
   * stored yet), as the options page stores a settings group whole. `null` removes the key.
   */
  async patchSetting(
    key: string,
    values: Record<string, unknown> | null,
    base: Record<string, unknown> = {},
  ): Promise<void> {
    await this.evaluate(
      async ({ key, values, base }) => {
        const api = (globalThis as { browser?: Api }).browser ?? chrome;
        if (values === null) return api.storage.local.remove(key);
        const stored = (await api.storage.local.get(key))[key] as object | undefined;
        await api.storage.local.set({ [key]: { ...base, ...stored, ...values } });
      },
      { key, values, base },
    );
  }

  /** The stored output settings (undefined before anything stored them). */
  async output(): Promise<OutputSettings | undefined> {
    return (await this.storedSettings())['output'] as OutputSettings | undefined;
  }

  /** Stores output settings over the stored ones (or the defaults), as the options page would. */
  setOutput(patch: Partial<OutputSettings>): Promise<void> {
    return this.patchSetting('output', patch, defaultOutput);
  }

  /** Stores the tag fields (the rest empty), as the options page would. */
  setTags(tags: Partial<OutputTags>): Promise<void> {
    return this.patchSetting('tags', tags, defaultTags);
  }

  /** Stores preferences over the stored ones; `null` goes back to the defaults. */
  setPreferences(patch: Partial<Preferences> | null): Promise<void> {
    return this.patchSetting('preferences', patch);
  }
}
