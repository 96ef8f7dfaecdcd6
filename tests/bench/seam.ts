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
  /** From setInputFiles until every track is stored and probed. */
  addProbeMs: number;
  /** From the click on Join to the job record turning "done" (the download has started). */
  joinMs: number;
  /** From the click on Join to the progress bar first showing more than 0 %. */
  firstProgressMs?: number;
  /** From the click on Join to the download's completion. */
  diskMs: number;
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
  expect: { codec: string; kbps?: number; rate?: number; chapters?: number; cover?: boolean };
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
    await resetSeam(seam, page, JOB_TIMEOUT_MS);
    // The instant of the click on Join, in the page's clock (the same wall clock as the worker's).
    await this.evaluate(() => {
      const w = window as Window & { benchClickAt?: number; benchProgressAt?: number };
      w.benchClickAt = 0;
      w.benchProgressAt = 0;
      // The first time the progress bar shows more than 0 % after the click.
      new MutationObserver(() => {
        if (!w.benchClickAt || w.benchProgressAt) return;
        const bar = document.querySelector('[role="progressbar"]');
        if (Number(bar?.getAttribute('aria-valuenow') ?? 0) > 0) w.benchProgressAt = Date.now();
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['aria-valuenow'],
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

    mark('add');
    const t0 = Date.now();
    await ui.addFiles(files);
    await waitForStoredReady(this.evaluate, files.length, READY_TIMEOUT_MS);
    const addProbeMs = Date.now() - t0;
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
    const [clickAt, progressAt] = await this.evaluate(() => {
      const w = window as Window & { benchClickAt?: number; benchProgressAt?: number };
      return [w.benchClickAt ?? 0, w.benchProgressAt ?? 0];
    }, undefined);
    if (!clickAt) throw new Error('no click time recorded');
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
    return {
      addProbeMs,
      joinMs,
      ...(progressAt ? { firstProgressMs: progressAt - clickAt } : {}),
      diskMs,
      bytes: result.bytes,
      lossless: result.lossless,
      plan,
      check,
    };
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
    const rate = job.format === 'MP3' ? ` ${job.bitrate ?? ''} kb\\/s` : '';
    const want = new RegExp(`^Re-encoding to ${job.format}${rate}, 44\\.1 kHz stereo`);
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
    const [first] = await storedTracks(this.evaluate);
    if (!first?.info) throw new Error('no probed track to tag');
    await putStoredTracks(this.evaluate, [
      { ...first, info: { ...first.info, codec: `${first.info.codec} (bench)` } },
    ]);
    return this.waitForPlan(want);
  }
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
    if (audio.channels !== 2) odd.push(`${audio.channels} channels`);
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
