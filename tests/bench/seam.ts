/**
 * Seam doing a row's job in the shipped extension (headless Chromium, real ffmpeg.wasm), through
 * its popup as a person would: add the files, pick the output, click Join, wait for the file.
 */
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { OutputSettings } from '@/lib/core/settings';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import type { Evaluate } from '../support/extension';
import { ffprobe, probeAudio } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { SHIPPED_BUILD_DIR } from '../support/paths';
import { putStoredTracks, storedTracks, waitForStoredReady } from '../support/queue';
import { until } from '../support/wait';

/** Generous limits: the 2 x 60 min re-encode takes about a minute and a half. */
const READY_TIMEOUT_MS = 10 * 60_000;
const JOB_TIMEOUT_MS = 15 * 60_000;

export interface SeamRun {
  /**
   * From setInputFiles until the popup's list shows every track with its length (read from its
   * header in JavaScript, before ffprobe: issue 20 item 3). Absent when it was never seen.
   */
  addListMs?: number;
  /** From setInputFiles until every track is stored and probed (listed, Join enabled). */
  addProbeMs: number;
  /**
   * From setInputFiles until every track's decode check is done (each decoded to its end, which
   * native ffmpeg's concat does not do). Join is clicked only then, so `joinMs` is the join
   * alone; a person who clicks Join earlier waits for the checks still running.
   */
  checkMs: number;
  /** From the click on Join to the job record turning "done" (the download has started). */
  joinMs: number;
  /** From the click on Join to the progress bar first showing more than 0 %. */
  firstProgressMs?: number;
  /** From the click on Join to the download's completion. */
  diskMs: number;
  /** The longest the progress bar sat still (same percent and phase) between click and done. */
  longestStillMs?: number;
  /**
   * The person's clock, in a second join of the same files: from setInputFiles to the download's
   * completion, with the output chosen first and Join clicked as soon as it is enabled.
   * Absent when the row's re-encode could only be forced after the checks ('probe-tag').
   */
  person?: { addToDoneMs: number; addToSavedMs: number; enabledMs: number; longestStillMs: number };
  bytes: number;
  lossless: boolean;
  /** The plan line the popup showed before Join. */
  plan: string;
  /** "" when the output is as expected, else what is odd about it. */
  check: string;
}

/** What a row asks of Seam. */
export interface SeamJob {
  /** The Format select's label, e.g. "MP3". */
  format: string;
  /** The Bitrate select's kb/s (lossy formats; none for FLAC and WAV). */
  bitrate?: number;
  /**
   * Whether Seam re-encodes: 'natural' when the inputs need it anyway (another codec), true when
   * it must be made to (inputs that would join losslessly), false for a lossless join.
   */
  reencode: boolean | 'natural';
  /**
   * What the output should be (checked with ffprobe): its codec, its kb/s when the encoder holds
   * to one (CBR), its sample rate (44.1 kHz unless said).
   */
  expect: {
    codec: string;
    kbps?: number;
    rate?: number;
    channels?: number;
    chapters?: number;
    cover?: boolean;
  };
}

/**
 * How Seam was made to re-encode matching MP3s (it re-encodes only when it has to, and has no
 * "force re-encode" switch). Tried in this order:
 *
 * - "setting": an output setting asking for the sources' own parameters explicitly
 *   (chrome.storage.local "output".sampleRate = 44100 instead of "source"). Used if the planner
 *   then plans a re-encode; the audio work is then the same as native ffmpeg's.
 * - "probe-tag": otherwise the stored probe result of the first track gets a different codec name
 *   ("mp3 (bench)"), so the planner sees "different codecs" and plans its ordinary re-encode of
 *   the very same audio: decode, aresample/aformat to 44.1 kHz stereo (no-ops here), the concat
 *   filter, LAME 192 kb/s. Only the plan decision is touched, not the files nor the ffmpeg run.
 */
export type ReencodeMethod = 'setting' | 'probe-tag';

export class SeamBench {
  reencodeMethod: ReencodeMethod | undefined;

  private constructor(
    readonly seam: Seam,
    readonly page: Page,
    readonly ui: PopupPage,
    /** The output settings the popup stored, restored before each run. */
    private readonly output: OutputSettings,
  ) {}

  static async launch(): Promise<SeamBench> {
    const seam = await launchSeam({ buildDir: SHIPPED_BUILD_DIR, name: 'seam-bench' });
    try {
      const page = await seam.openPopup();
      const ui = new PopupPage(page);
      // Select once so the output settings exist in storage, then keep them as the baseline.
      await ui.setFormat('MP3');
      await ui.setBitrate(192);
      const output = await until(async () => {
        const o = await seam.ext.output();
        if (!o) throw new Error('no output settings in storage');
        return o;
      }, 5_000);
      return new SeamBench(seam, page, ui, output);
    } catch (err) {
      await seam.close();
      throw err;
    }
  }

  private get evaluate(): Evaluate {
    return inPage(this.page);
  }

  async close(): Promise<void> {
    await this.seam.ext.setOutput(this.output).catch(() => undefined);
    await this.seam.close();
  }

  /**
   * One join: resets the queue, adds `files`, sets the output, clicks Join, waits for the file,
   * checks it with ffprobe and deletes it. `mark` labels the memory samples of each phase.
   */
  async join(
    files: string[],
    job: SeamJob,
    expectedSec: number,
    mark: (phase: 'add' | 'join' | undefined) => void,
  ): Promise<SeamRun> {
    const { seam, page, ui } = this;
    await seam.ext.setOutput(this.output);
    await this.clearAll();
    await resetSeam(seam, page, JOB_TIMEOUT_MS);
    await this.instrument();

    await this.watchList(files.length);
    mark('add');
    const t0 = Date.now();
    await ui.addFiles(files);
    await waitForStoredReady(this.evaluate, files.length, READY_TIMEOUT_MS);
    const addProbeMs = Date.now() - t0;
    const listedAt = await this.evaluate(
      () => (window as Window & { benchListedAt?: number }).benchListedAt ?? 0,
      undefined,
    );
    await until(
      async () => {
        const tracks = await storedTracks(this.evaluate);
        if (tracks.some((t) => !t.info?.decoded)) throw new Error('still checking');
      },
      READY_TIMEOUT_MS,
      50,
    );
    const checkMs = Date.now() - t0;
    mark(undefined);

    await ui.setFormat(job.format);
    if (job.bitrate !== undefined) await ui.setBitrate(job.bitrate);
    const plan =
      job.reencode === 'natural'
        ? // Long tracks are checked to their end after they are listed: the plan waits for them.
          await this.waitForPlan(/^Re-encoding to /, READY_TIMEOUT_MS)
        : job.reencode
          ? await this.forceReencode(job)
          : await this.waitForPlan(/^Lossless/);

    mark('join');
    let done;
    try {
      done = await seam.ext.joinAndWait(() => ui.join(), JOB_TIMEOUT_MS);
    } finally {
      mark(undefined);
    }
    const { job: result, file, download } = done;
    const { clickAt, progressAt, moves, states } = await this.clicks();
    if (!clickAt) throw new Error('no click time recorded');
    const longestStillMs = longestStill(clickAt, moves, result.finishedAt);
    stillAt('join', clickAt, moves, states, result.finishedAt);
    const joinMs = result.finishedAt - clickAt;
    const diskMs = (download.endTime ? Date.parse(download.endTime) : Date.now()) - clickAt;

    const check = await checkOutput(file, expectedSec, job.expect);
    await rm(file, { force: true });
    await seam.ext.eraseDownload(download.id);
    for (const f of readdirSync(seam.downloadsDir)) {
      await rm(join(seam.downloadsDir, f), { force: true });
    }
    if (result.lossless === Boolean(job.reencode)) {
      throw new Error(
        `expected a ${job.reencode ? 're-encode' : 'lossless join'}, job says lossless=${result.lossless}`,
      );
    }
    const person =
      process.env.BENCH_PERSON === '0'
        ? undefined
        : await this.personTries(files, job, expectedSec, mark);
    return {
      ...(listedAt ? { addListMs: listedAt - t0 } : {}),
      addProbeMs,
      checkMs,
      joinMs,
      ...(progressAt ? { firstProgressMs: progressAt - clickAt } : {}),
      diskMs,
      longestStillMs,
      ...(person ? { person } : {}),
      bytes: result.bytes,
      lossless: result.lossless,
      plan,
      check,
    };
  }

  /**
   * Empties the list as a person does, with **Clear all**: the engine then stops the checks of
   * the tracks removed (resetSeam alone empties the store behind the engine's back, and the
   * next row's probes would queue behind the last row's checks).
   */
  private async clearAll(): Promise<void> {
    const { seam, page, ui } = this;
    await seam.ext.waitForJob((j) => j?.status !== 'running', JOB_TIMEOUT_MS);
    if ((await ui.items.count()) === 0) return;
    await page.getByRole('button', { name: 'Clear all', exact: true }).click();
    await until(async () => {
      const n = await ui.items.count();
      if (n !== 0) throw new Error(`${n} tracks still listed`);
    }, 10_000);
  }

  /**
   * Records in the popup (as benchListedAt) the first instant its list of tracks shows `count`
   * tracks each with a length ("1:00 · MP3 …"), whether from the header or from ffprobe.
   */
  private async watchList(count: number): Promise<void> {
    await this.evaluate((n) => {
      const w = window as Window & { benchListedAt?: number };
      w.benchListedAt = 0;
      const observer = new MutationObserver(() => {
        const list = document.querySelector('[aria-label="Tracks"]');
        const items = list ? [...list.querySelectorAll(':scope > li')] : [];
        if (items.length !== n) return;
        if (!items.every((li) => /\d+:\d\d ·/.test(li.textContent ?? ''))) return;
        w.benchListedAt = Date.now();
        observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    }, count);
  }

  /**
   * Records in the popup the instant of the click on Join, the first time the progress bar
   * shows more than 0 % after it, and every time the bar moves (its percent or its phase).
   */
  private async instrument(): Promise<void> {
    await this.evaluate(() => {
      const w = window as Window & {
        benchClickAt?: number;
        benchProgressAt?: number;
        benchMoves?: number[];
        benchStates?: string[];
        benchLast?: string;
      };
      w.benchClickAt = 0;
      w.benchProgressAt = 0;
      w.benchMoves = [];
      w.benchStates = [];
      w.benchLast = '';
      new MutationObserver(() => {
        if (!w.benchClickAt) return;
        const bar = document.querySelector('[role="progressbar"]');
        if (!bar) return;
        const now = Number(bar.getAttribute('aria-valuenow') ?? 0);
        if (now > 0 && !w.benchProgressAt) w.benchProgressAt = Date.now();
        // The percent and the phase ("Joining: 40%, about 0:10 left" without the time left).
        const state = `${now} ${(bar.getAttribute('aria-valuetext') ?? '').split(':')[0]}`;
        if (state !== w.benchLast) {
          w.benchLast = state;
          w.benchMoves!.push(Date.now());
          w.benchStates!.push(state);
        }
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['aria-valuenow', 'aria-valuetext'],
      });
      document.addEventListener(
        'click',
        (e) => {
          const b = e.target instanceof Element ? e.target.closest('button') : null;
          if (b?.textContent?.trim() === 'Join') w.benchClickAt = Date.now();
        },
        true,
      );
    }, undefined);
  }

  private clicks(): Promise<{
    clickAt: number;
    progressAt: number;
    moves: number[];
    states: string[];
  }> {
    return this.evaluate(() => {
      const w = window as Window & {
        benchClickAt?: number;
        benchProgressAt?: number;
        benchMoves?: number[];
        benchStates?: string[];
      };
      return {
        clickAt: w.benchClickAt ?? 0,
        progressAt: w.benchProgressAt ?? 0,
        moves: w.benchMoves ?? [],
        states: w.benchStates ?? [],
      };
    }, undefined);
  }

  /**
   * The person's clock: the output chosen first, the files added, Join clicked as soon as it is
   * enabled (polled every 20 ms), timed to the download's completion. A forced re-encode
   * ('probe-tag') is tagged once the probes are done, then Join clicked.
   */
  private async person(
    files: string[],
    job: SeamJob,
    expectedSec: number,
    mark: (phase: 'add' | 'join' | undefined) => void,
  ): Promise<SeamRun['person']> {
    const tagged = job.reencode === true && this.reencodeMethod === 'probe-tag';
    const { seam, page, ui } = this;
    await seam.ext.setOutput(this.output);
    await this.clearAll();
    await resetSeam(seam, page, JOB_TIMEOUT_MS);
    await this.instrument();
    await ui.setFormat(job.format);
    if (job.bitrate !== undefined) await ui.setBitrate(job.bitrate);
    if (job.reencode === true && !tagged) await seam.ext.setOutput({ sampleRate: 44100 });
    mark('join');
    let done;
    let t0 = 0;
    let enabledAt = 0;
    try {
      done = await seam.ext.joinAndWait(async () => {
        t0 = Date.now();
        await ui.addFiles(files);
        await until(
          async () => {
            if (!(await ui.joinButton.isEnabled())) throw new Error('Join is off');
          },
          READY_TIMEOUT_MS,
          20,
        );
        enabledAt = Date.now();
        // A forced re-encode: the last track's probe result is tagged once ffprobe has stored
        // it (a re-encode waits for every probe anyway), then Join is clicked at once.
        if (tagged) await this.tagProbe(job, files.length);
        // A person who looks at the list first (BENCH_JOIN_AFTER_MS): Join a while after.
        if (JOIN_AFTER_MS > 0) await new Promise((r) => setTimeout(r, JOIN_AFTER_MS));
        await ui.joinButton.click();
      }, JOB_TIMEOUT_MS);
    } finally {
      mark(undefined);
    }
    const { job: result, file, download } = done;
    const { clickAt, moves, states } = await this.clicks();
    stillAt('add to saved', clickAt || enabledAt, moves, states, result.finishedAt);
    const odd = await checkOutput(file, expectedSec, job.expect);
    await rm(file, { force: true });
    await seam.ext.eraseDownload(download.id);
    for (const f of readdirSync(seam.downloadsDir)) {
      await rm(join(seam.downloadsDir, f), { force: true });
    }
    if (odd) throw new Error(`the person's join gave an odd file: ${odd}`);
    if (tagged && result.lossless) throw new TagLostError();
    if (result.lossless === Boolean(job.reencode)) {
      throw new Error(`the person's join: lossless=${result.lossless}, not as planned`);
    }
    const savedAt = download.endTime ? Date.parse(download.endTime) : Date.now();
    return {
      addToDoneMs: result.finishedAt - t0,
      addToSavedMs: savedAt - t0,
      enabledMs: enabledAt - t0,
      longestStillMs: longestStill(clickAt || enabledAt, moves, result.finishedAt),
    };
  }

  /**
   * The person's join, again when a forced re-encode's tag was lost: a decode check that ended
   * between the tag and the join stored the track's info again, and the join copied.
   */
  private async personTries(
    ...args: Parameters<SeamBench['person']>
  ): ReturnType<SeamBench['person']> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.person(...args);
      } catch (err) {
        if (!(err instanceof TagLostError) || tries === 3) throw err;
        console.log("  the forced re-encode's tag was lost to a check: the person's join again");
      }
    }
  }

  /** Waits for the popup's plan line to match `want`; returns it. */
  private async waitForPlan(want: RegExp, timeout = 5_000): Promise<string> {
    let last = '';
    try {
      return await until(
        async () => {
          last = await this.ui.planText();
          if (!want.test(last)) throw new Error(last);
          return last;
        },
        timeout,
        50,
      );
    } catch {
      throw new Error(`plan line is ${JSON.stringify(last)}, wanted ${want}`);
    }
  }

  /** Makes Seam plan a re-encode of inputs it would join losslessly; returns the plan line. */
  private async forceReencode(job: SeamJob): Promise<string> {
    // Tracks are listed before their decode check, which then stores their info again: tag a
    // probe result only once every check is done, or the check writes over the tag.
    await until(
      async () => {
        const tracks = await storedTracks(this.evaluate);
        if (tracks.some((t) => t.info?.decoded === false)) throw new Error('still checking');
      },
      READY_TIMEOUT_MS,
      50,
    );
    const want = reencodePlan(job);
    if (this.reencodeMethod !== 'probe-tag') {
      await this.seam.ext.setOutput({ sampleRate: 44100 });
      try {
        const line = await this.waitForPlan(
          want,
          this.reencodeMethod === 'setting' ? 5_000 : 1_500,
        );
        this.reencodeMethod = 'setting';
        return line;
      } catch (err) {
        if (this.reencodeMethod === 'setting') throw err;
        await this.seam.ext.setOutput(this.output);
        this.reencodeMethod = 'probe-tag';
      }
    }
    await this.tagProbe(job);
    return this.waitForPlan(want);
  }

  /**
   * Gives the last track's stored probe result another codec name ('probe-tag'), once `count`
   * tracks are probed when given, and waits for the popup to plan the re-encode.
   */
  private async tagProbe(job: SeamJob, count?: number): Promise<void> {
    if (count !== undefined) {
      await until(
        async () => {
          const tracks = await storedTracks(this.evaluate);
          if (tracks.length < count || tracks.some((t) => t.status !== 'ready' || !t.info)) {
            throw new Error('still probing');
          }
        },
        READY_TIMEOUT_MS,
        10,
      );
    }
    // The last: its decode check, which stores the info again, is the last to start.
    const last = (await storedTracks(this.evaluate)).at(-1);
    if (!last?.info) throw new Error('no probed track to tag');
    await putStoredTracks(this.evaluate, [
      { ...last, info: { ...last.info, codec: `${last.info.codec} (bench)` } },
    ]);
    if (count !== undefined) await this.waitForPlan(reencodePlan(job), 5_000);
  }
}

/**
 * How long after Join is enabled the person's join clicks it (0: at once). A wait of its own,
 * on the person's clock, to see what a person who looks at the list first meets: probes done,
 * decode checks under way.
 */
const JOIN_AFTER_MS = Number(process.env.BENCH_JOIN_AFTER_MS) || 0;

class TagLostError extends Error {
  constructor() {
    super("the forced re-encode's tag was lost: the person's join copied");
  }
}

/** The popup's plan line for a forced re-encode of `job`. */
function reencodePlan(job: SeamJob): RegExp {
  const rate = job.format === 'MP3' ? ` ${job.bitrate ?? ''} kb\\/s` : '';
  return new RegExp(`^Re-encoding to ${job.format}${rate}, 44\\.1 kHz stereo`);
}

/** Prints where the progress bar sat still longest (its percent and phase), and for how long. */
function stillAt(
  what: string,
  from: number,
  moves: readonly number[],
  states: readonly string[],
  to: number,
): void {
  let longest = 0;
  let where = 'before its first move';
  let last = from;
  for (const [i, m] of moves.entries()) {
    if (m <= from || m >= to) continue;
    if (m - last > longest) [longest, where] = [m - last, i > 0 ? states[i - 1]! : 'the click'];
    last = m;
  }
  if (to - last > longest) [longest, where] = [to - last, states.at(-1) ?? 'the click'];
  if (process.env.BENCH_TRACE === '1') {
    const at = moves.map((m, i) => `${((m - from) / 1000).toFixed(2)} ${states[i]}`);
    console.log(`  ${what}, the bar from the click: ${at.join(' | ')}`);
  }
  console.log(`  ${what}: the bar sat still ${(longest / 1000).toFixed(2)} s at "${where}"`);
}

/** The longest stretch between `from`, each move of the progress bar, and `to`. */
export function longestStill(from: number, moves: readonly number[], to: number): number {
  const points = [from, ...moves.filter((m) => m > from && m < to), to];
  let longest = 0;
  for (let i = 1; i < points.length; i++) longest = Math.max(longest, points[i]! - points[i - 1]!);
  return longest;
}

/** A quick look at the result with ffprobe: "" when it is as expected, else what is odd. */
async function checkOutput(
  path: string,
  expectedSec: number,
  want: SeamJob['expect'],
): Promise<string> {
  try {
    const audio = await probeAudio(path);
    const odd = [];
    if (audio.codec !== want.codec) odd.push(`codec ${audio.codec}`);
    if (audio.sampleRate !== (want.rate ?? 44100)) odd.push(`rate ${audio.sampleRate}`);
    if (audio.channels !== (want.channels ?? 2)) odd.push(`${audio.channels} channels`);
    const sec = audio.durationSec;
    if (!(Math.abs(sec - expectedSec) < Math.max(1, expectedSec * 0.005))) {
      odd.push(`duration ${sec.toFixed(2)} s, expected ${expectedSec.toFixed(2)} s`);
    }
    if (want.kbps !== undefined && !(Math.abs(audio.kbps - want.kbps) < want.kbps * 0.05)) {
      odd.push(`bitrate ${audio.kbps.toFixed(0)} kb/s, expected ${want.kbps}`);
    }
    if (want.chapters !== undefined || want.cover !== undefined) {
      const p = await ffprobe(path);
      if (want.chapters !== undefined && p.chapters.length !== want.chapters)
        odd.push(`${p.chapters.length} chapters, expected ${want.chapters}`);
      const covers = p.streams.filter((s) => s.disposition?.attached_pic === 1).length;
      if (want.cover !== undefined && covers !== (want.cover ? 1 : 0))
        odd.push(`${covers} cover pictures, expected ${want.cover ? 1 : 0}`);
    }
    return odd.join('; ');
  } catch (err) {
    return `ffprobe failed: ${String(err).slice(0, 300)}`;
  }
}
