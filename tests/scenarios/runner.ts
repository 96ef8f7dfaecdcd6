/**
 * Runs scenarios through the real built extension (the e2e build) in headless Chromium, one
 * browser for many scenarios: the files go in through "Add files" on the options page, edits
 * and settings are stored where the editor and the options page store them (the track store,
 * storage.local), "Trim silence in every track" and "Choose an image" are clicked, and Join is
 * pressed; the saved download is checked with native ffmpeg against the oracle.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { formatSpec, type FormatId } from '@/lib/core/formats';
import type { OutputSettings } from '@/lib/core/settings';
import { inPage, launchSeam, resetSeam, type Seam } from '../support/chromium';
import type { DownloadItem } from '../support/extension';
import { decodedDuration } from '../support/native-ffmpeg';
import { OptionsPage, field } from '../support/pages';
import { setEdits, storedTracks } from '../support/queue';
import { until } from '../support/wait';
import { checkOutcome, type Outcome } from './check';
import { inputFiles, ownCoverImage } from './inputs';
import { expected, type Expected } from './oracle';
import type { Scenario } from './scenario';

export interface ScenarioResult {
  scenario: Scenario;
  /** Every way the result differs from the oracle; empty when it passed. */
  failures: string[];
  expected?: Expected;
  /** Engines the join was encoded on (absent: one). */
  parts?: number;
  lossless?: boolean;
  seconds: number;
}

/** A join of scenario audio takes seconds; this bounds a hang, it is not a speed test. */
const JOIN_TIMEOUT = 240_000;

export class ScenarioRunner {
  private constructor(
    private readonly seam: Seam,
    private page: Page,
    private readonly dir: string,
  ) {}

  static async launch(): Promise<ScenarioRunner> {
    const seam = await launchSeam({ name: 'seam-scenarios' });
    const page = await seam.openOptions();
    return new ScenarioRunner(seam, page, await mkdtemp(join(tmpdir(), 'seam-scenarios-')));
  }

  async close(): Promise<void> {
    await this.seam.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Runs one scenario; a join that fails, or a step that throws, is a failure like any other. */
  async run(s: Scenario): Promise<ScenarioResult> {
    const t0 = Date.now();
    try {
      const { want, out, inputs } = await this.join(s);
      const failures = await checkOutcome(want, out, inputs);
      return {
        scenario: s,
        failures,
        expected: want,
        ...(out.job.parts ? { parts: out.job.parts } : {}),
        lossless: out.job.lossless,
        seconds: (Date.now() - t0) / 1000,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { scenario: s, failures: [message.slice(0, 600)], seconds: (Date.now() - t0) / 1000 };
    }
  }

  private async join(s: Scenario): Promise<{ want: Expected; out: Outcome; inputs: string[] }> {
    const { seam } = this;
    if (this.page.isClosed()) this.page = await seam.openOptions();
    const page = this.page;
    await resetSeam(seam, page, JOIN_TIMEOUT);
    await seam.ext.clearSettings();
    await seam.ext.setPreferences({ sortAddedByName: false });
    const o = s.output;
    const output: Partial<OutputSettings> = {
      format: o.format,
      bitrate: o.bitrate,
      mp3Mode: o.mp3Mode,
      vbrQuality: o.vbrQuality,
      sampleRate: o.sampleRate,
      channels: o.channels,
      normalize: o.normalize,
      fadeInSec: o.fadeInSec,
      fadeOutSec: o.fadeOutSec,
      chapters: o.chapters,
      chapterFiles: o.chapterFiles,
      cover: typeof o.cover === 'object' ? 'first' : o.cover === 'image' ? 'first' : o.cover,
    };
    await seam.ext.setOutput(output);
    await seam.ext.setTags(s.tags);
    await page.reload();
    const ui = new OptionsPage(page);
    const dir = join(this.dir, `seed-${s.seed}`);
    await rm(dir, { recursive: true, force: true });
    const inputs = await inputFiles(s.inputs, dir);
    const measured = await Promise.all(inputs.map((p) => decodedDuration(p)));
    await ui.addFilesAndWait(inputs, JOIN_TIMEOUT);
    const evaluate = inPage(page);
    const tracks = await storedTracks(evaluate);
    if (tracks.length !== inputs.length)
      throw new Error(`${tracks.length} tracks stored, expected ${inputs.length}`);
    await setEdits(
      evaluate,
      Object.fromEntries(
        tracks.map((t, i) => {
          const e = s.edits[i] ?? {};
          return [
            t.name,
            {
              startSec: e.startSec ?? 0,
              ...(e.endSec !== undefined ? { endSec: e.endSec } : {}),
              transitionAfter: e.after ?? { kind: 'none' },
            },
          ];
        }),
      ),
    );
    if (s.silenceTrim) await this.trimSilence(page);
    if (typeof o.cover === 'object') {
      await seam.ext.setOutput({ cover: { trackId: tracks[o.cover.track]!.id } });
    }
    if (o.cover === 'image') await this.chooseImage(page, o.format);
    await this.useCores(2);
    const { job, file, download } = await seam.ext.joinAndWait(() => ui.join(), JOIN_TIMEOUT);
    // The line the page shows for the saved file ("Saved NAME (SIZE, lossless).").
    const savedLine = await until(async () => {
      const texts = await page.getByText(/^Saved /).allInnerTexts();
      if (!texts[0]) throw new Error('no "Saved" line');
      return texts[0].trim();
    });
    const chapterFiles = await this.chapterFilesAfter(download.id, job.chapterFiles?.length ?? 0);
    const want = expected(s, measured);
    return { want, out: { file, job, chapterFiles, savedLine }, inputs };
  }

  /**
   * "Choose an image" (or "Choose another image", once one was chosen) in the Output section.
   * A format that holds no cover has the control switched off: the choice is then stored as the
   * options page would have kept it from an earlier format.
   */
  private async chooseImage(page: Page, format: FormatId): Promise<void> {
    if (!formatSpec(format).cover) {
      await this.seam.ext.setOutput({ cover: 'image' });
      return;
    }
    const region = page.getByRole('region', { name: 'Output' });
    await region.getByLabel(/^Choose (an|another) image$/).setInputFiles(await ownCoverImage());
    await until(async () => {
      const value = await field(region, 'combobox', 'Cover').inputValue();
      if (value !== 'image') throw new Error(`the Cover select shows ${value}, not image`);
    });
  }

  /**
   * "Trim silence in every track", then waits for its notice, or a single track's trim (an
   * alert fails the scenario).
   */
  private async trimSilence(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Trim silence in every track' }).click();
    const said = await until(async () => {
      const texts = [
        ...(await page.getByRole('status').allInnerTexts()),
        ...(await page.getByRole('alert').allInnerTexts()).map((t) => `alert: ${t}`),
      ];
      const found = texts.find((t) => /Trimmed silence|No silence|^alert: /.test(t));
      if (found) return found;
      // A single track that was trimmed gets no notice: its trim shows it.
      const tracks = await storedTracks(inPage(page));
      const edit = tracks.length === 1 ? tracks[0]!.edit : undefined;
      if (edit && (edit.startSec > 0 || edit.endSec !== undefined)) return 'trimmed';
      throw new Error(`no silence notice yet: ${JSON.stringify(texts)}`);
    }, 60_000);
    if (said.startsWith('alert: ')) throw new Error(`"Trim silence" said: ${said.slice(7)}`);
  }

  /** The cores the engine host plans the next join for (the e2e build's hook). */
  private async useCores(cores: number): Promise<void> {
    await this.seam.worker.evaluate(async (n) => {
      await chrome.runtime.sendMessage({ seamE2eCores: n }).catch(() => undefined);
    }, cores);
  }

  /** The `count` downloads started right after the joined file's (the chapter files). */
  private async chapterFilesAfter(downloadId: number, count: number): Promise<DownloadItem[]> {
    if (count === 0) return [];
    return until(async () => {
      const items = await this.seam.ext.downloads({});
      const after = items.filter(
        (d) => d.id > downloadId && d.id <= downloadId + count && d.state === 'complete',
      );
      if (after.length < count) throw new Error(`${after.length} of ${count} chapter files saved`);
      return after;
    }, 60_000);
  }
}
