/**
 * Gapless lossless joins through the real extension (ffmpeg.wasm, the JS joiners and the passes
 * after a stream copy): three music-like files of one format, with lengths off every frame grid,
 * joined to that format without re-encoding, then measured with native ffmpeg
 * (tests/support/gapless.ts): the output's length is the inputs' within one codec frame, each
 * next track starts within half a frame of where it belongs, and no join holds a run of silence
 * the inputs did not have longer than half a frame (what dropping whole frames leaves).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FormatId } from '@/lib/core/formats';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { describeFigures, measureGapless } from '../support/gapless';
import { ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { makeMusic } from '../unit/support/segments-native';

const SECONDS = [1.37, 0.83, 1.11];

const FAMILIES: {
  label: string;
  format: FormatId;
  ext: string;
  rate: number;
  frame: number;
  encode: string[];
}[] = [
  {
    label: 'MP3',
    format: 'mp3',
    ext: 'mp3',
    rate: 44100,
    frame: 1152,
    encode: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  },
  { label: 'WAV', format: 'wav', ext: 'wav', rate: 44100, frame: 1, encode: ['-c:a', 'pcm_s16le'] },
  {
    label: 'M4A',
    format: 'm4a',
    ext: 'm4a',
    rate: 44100,
    frame: 1024,
    encode: ['-c:a', 'aac', '-b:a', '128k'],
  },
  {
    label: 'FLAC',
    format: 'flac',
    ext: 'flac',
    rate: 44100,
    frame: 4608,
    encode: ['-c:a', 'flac'],
  },
  {
    label: 'Opus',
    format: 'opus',
    ext: 'opus',
    rate: 48000,
    frame: 960,
    encode: ['-c:a', 'libopus', '-b:a', '96k'],
  },
];

const tmp = mkdtempSync(join(tmpdir(), 'seam-e2e-gapless-'));
let seam: Seam;
let page: Page;
let ui: PopupPage;

beforeAll(async () => {
  requireNativeFfmpeg();
  seam = await launchSeam();
  page = await seam.openPopup();
  ui = new PopupPage(page);
});

afterAll(async () => {
  await seam?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a lossless join plays its tracks back to back', () => {
  test.each(FAMILIES)(
    '$label: the inputs’ length, each track where it belongs, no added silence',
    async (f) => {
      const paths = await Promise.all(
        SECONDS.map(async (sec, i) => {
          const wav = join(tmp, `${f.format}-${i}.wav`);
          makeMusic(wav, sec, f.rate, 2, i + 1);
          if (f.ext === 'wav') return wav;
          const path = join(tmp, `${f.format}-${i}.${f.ext}`);
          await ffmpeg(['-i', wav, ...f.encode, path]);
          return path;
        }),
      );
      await resetSeam(seam, page);
      ui = new PopupPage(page);
      await ui.addFilesAndWait(paths);
      await ui.setFormat(f.label);
      await expect.poll(() => ui.plan.innerText(), { timeout: 30_000 }).toMatch(/^Lossless/);
      const { file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);

      // ffmpeg 5.1 plays an M4A's end padding; the files say what they play in their edit lists.
      const lengths =
        f.ext === 'm4a'
          ? await Promise.all(
              paths.map(async (p) => {
                const a = (await ffprobe(p)).streams.find((s) => s.codec_type === 'audio')!;
                return Math.round(Number(a.duration) * Number(a.sample_rate));
              }),
            )
          : undefined;
      const m = await measureGapless(paths, file, lengths ? { lengths } : {});
      console.log(describeFigures(`${f.label} (extension)`, m));
      expect(Math.abs(m.output - m.expected)).toBeLessThanOrEqual(f.frame);
      for (const j of m.joins) {
        expect(j.match).toBeGreaterThan(0.9);
        expect(Math.abs(j.shift)).toBeLessThanOrEqual(Math.ceil(f.frame / 2));
        expect(j.silenceRun).toBeLessThanOrEqual(j.inputsSilenceRun + Math.ceil(f.frame / 2));
      }
      const stated = Number((await ffprobe(file)).format.duration);
      expect(Number.isFinite(stated)).toBe(true);
    },
    240_000,
  );
});
