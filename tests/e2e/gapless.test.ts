/**
 * Gapless lossless joins through the real extension (ffmpeg.wasm, the JS joiners and the passes
 * after a stream copy): three music-like files of one format, with lengths off every frame grid,
 * joined to that format without re-encoding, then measured with native ffmpeg
 * (tests/support/gapless.ts): the output's length is the inputs' within one codec frame, each
 * next track starts within half a frame of where it belongs, and no join holds a run of silence
 * the inputs did not have longer than half a frame (what dropping whole frames leaves). MP3 joins
 * are closed exactly (lib/lossless/mp3/seams.ts): each next track starts under one frame early
 * (the crossfade overlap) and no join holds any silence the inputs did not have.
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
import { decodeFloat, makeMusic } from '../unit/support/segments-native';
import {
  joinOverlaps,
  leadOf,
  makeSweepPieces,
  noiseAroundJoins,
  NOISE_FLOOR,
  NOISE_K,
  type SweepCase,
} from '../support/mp3-seams';
import { packetHashes } from '../support/native-ffmpeg';
import { packetsKeptInOrder } from '../support/gapless';
import { readFileSync } from 'node:fs';
import { m4aOverlaps, makeExactPieces, measureSeams, type ExactCase } from '../support/exact-seams';

const SECONDS = [1.37, 0.83, 1.11];
/**
 * Quiet samples (|x| <= 8 of 32767) a zero crossing of the music may hold more than the inputs'
 * own at a join: the crossfade moves where the waveform crosses zero (a gap is hundreds).
 */
const SAME_ZERO_CROSSING = 4;

const FAMILIES: {
  label: string;
  format: FormatId;
  ext: string;
  rate: number;
  frame: number;
  encode: string[];
  /**
   * MP3 and M4A: the joins are closed exactly (lib/lossless/mp3/seams.ts, mp4-seams.ts): each
   * next track sits r < one frame early, overlapped in a crossfade, and no silence at all is
   * left at a join.
   */
  exact?: true;
}[] = [
  {
    label: 'MP3',
    format: 'mp3',
    ext: 'mp3',
    rate: 44100,
    frame: 1152,
    encode: ['-c:a', 'libmp3lame', '-b:a', '128k'],
    exact: true,
  },
  { label: 'WAV', format: 'wav', ext: 'wav', rate: 44100, frame: 1, encode: ['-c:a', 'pcm_s16le'] },
  {
    label: 'M4A',
    format: 'm4a',
    ext: 'm4a',
    rate: 44100,
    frame: 1024,
    encode: ['-c:a', 'aac', '-b:a', '128k'],
    exact: true,
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
      await expect
        .poll(() => ui.plan.innerText(), { timeout: 30_000 })
        .toMatch(f.exact ? /^Lossless except \d to \d frames at each join/ : /^Lossless/);
      const { file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);

      // ffmpeg 5.1 plays an M4A's end padding; the files say what they play in their edit lists.
      const played = async (p: string) => {
        const a = (await ffprobe(p)).streams.find((s) => s.codec_type === 'audio')!;
        return Math.round(Number(a.duration) * Number(a.sample_rate));
      };
      const m = await measureGapless(
        paths,
        file,
        f.ext === 'm4a'
          ? { lengths: await Promise.all(paths.map(played)), outputLength: await played(file) }
          : {},
      );
      console.log(describeFigures(`${f.label} (extension)`, m));
      if (f.exact) {
        // Shorter by the joins' overlaps, each under a frame; nothing added anywhere.
        expect(m.output).toBeLessThanOrEqual(m.expected);
        expect(m.expected - m.output).toBeLessThan(f.frame * m.joins.length);
        // A join's shift counts the joins before it too: each adds its own overlap.
        m.joins.forEach((j, k) => {
          const step = j.shift - (m.joins[k - 1]?.shift ?? 0);
          expect(j.match).toBeGreaterThan(0.9);
          expect(step).toBeLessThanOrEqual(0);
          expect(step).toBeGreaterThan(-f.frame);
          // A run of a few quiet samples is a waveform crossing zero, not a gap.
          expect(j.silenceRun).toBeLessThanOrEqual(j.inputsSilenceRun + SAME_ZERO_CROSSING);
        });
      } else {
        expect(Math.abs(m.output - m.expected)).toBeLessThanOrEqual(f.frame);
        for (const j of m.joins) {
          expect(j.match).toBeGreaterThan(0.9);
          expect(Math.abs(j.shift)).toBeLessThanOrEqual(Math.ceil(f.frame / 2));
          expect(j.silenceRun).toBeLessThanOrEqual(j.inputsSilenceRun + Math.ceil(f.frame / 2));
        }
      }
      const stated = Number((await ffprobe(file)).format.duration);
      expect(Number.isFinite(stated)).toBe(true);
    },
    240_000,
  );
});

/**
 * Exact MP3 joins through the extension (the engine's junction coder in ffmpeg.wasm): a sweep
 * cut into three pieces and encoded piece by piece, as in tests/unit/mp3-seams-native.test.ts,
 * with the same measures: the inputs' samples less each join's overlap (< one frame), no
 * silence at a join, the codec's own noise around each join (K x its own error + -80 dBFS, K
 * stated in tests/support/mp3-seams.ts), every other frame byte for byte, tags kept.
 */
const SWEEPS: SweepCase[] = [
  {
    label: '44.1 kHz CBR 128k',
    rate: 44100,
    channels: 2,
    encode: ['-b:a', '128k'],
    pieces: [61_237, 37_011, 48_900],
    maxChanged: 8,
  },
  {
    label: '48 kHz VBR V2',
    rate: 48000,
    channels: 2,
    encode: ['-q:a', '2'],
    pieces: [66_666, 39_999, 52_345],
    maxChanged: 8,
  },
];

describe('an exact MP3 join through the extension', () => {
  test.each(SWEEPS)(
    '$label: the inputs less the overlaps, no silence, codec noise, other frames unchanged',
    async (c) => {
      const { wavs, mp3s } = makeSweepPieces(c, tmp);
      await resetSeam(seam, page);
      ui = new PopupPage(page);
      await ui.addFilesAndWait(mp3s);
      await ui.setFormat('MP3');
      await expect
        .poll(() => ui.plan.innerText(), { timeout: 30_000 })
        .toMatch(/^Lossless except 3 to 6 frames at each join/);
      const { file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);

      const overlaps = joinOverlaps(mp3s, c.channels);
      const inputs = mp3s.map((p) => decodeFloat(p, c.channels).length / c.channels);
      const output = decodeFloat(file, c.channels).length / c.channels;
      console.log(
        `${c.label} (extension): inputs ${inputs.join(' + ')}, overlaps ${overlaps.join(', ')}, output ${output}`,
      );
      expect(output).toBe(inputs.reduce((a, b) => a + b, 0) - overlaps.reduce((a, b) => a + b, 0));

      const m = await measureGapless(mp3s, file);
      for (const j of m.joins) expect(j.silenceRun).toBeLessThanOrEqual(j.inputsSilenceRun);

      const windows = noiseAroundJoins(file, mp3s, wavs, overlaps, c.channels);
      for (const w of windows) {
        expect(w.diff, `window at ${w.at} (join at ${w.join})`).toBeLessThanOrEqual(
          NOISE_K * w.codec + NOISE_FLOOR,
        );
      }
      const worst = Math.max(...windows.map((w) => (w.diff - NOISE_FLOOR) / w.codec));

      const got = await packetHashes(file);
      const kept = packetsKeptInOrder(await Promise.all(mp3s.map(packetHashes)), got);
      console.log(
        `${c.label} (extension): worst window ${worst.toFixed(2)} x the codec's own error; ` +
          `${got.length} frames, ${got.length - kept} not the inputs'`,
      );
      expect(got.length - kept).toBeGreaterThan(0);
      expect(got.length - kept).toBeLessThanOrEqual(c.maxChanged * (mp3s.length - 1));
      expect(leadOf(readFileSync(file)).lead).toBe(leadOf(readFileSync(mp3s[0]!)).lead);
    },
    240_000,
  );
});

/**
 * Exact M4A joins through the extension (the engine's AAC junction coder in ffmpeg.wasm): a sweep
 * cut into pieces and encoded piece by piece by ffmpeg's aac (no noise substitution, so that
 * copied frames decode bit for bit), as in tests/unit/aac-seams-native.test.ts, with the same
 * measures: the inputs' samples less each join's overlap (< 1024; the edit list's whole
 * milliseconds), bit for bit away from the joins, SNR near them, no silence, every other frame
 * byte for byte.
 */
const M4A_SWEEPS: ExactCase[] = [
  {
    label: '44.1 kHz stereo 128k',
    rate: 44100,
    channels: 2,
    encode: ['-c:a', 'aac', '-b:a', '128k', '-aac_pns', '0'],
    ext: 'm4a',
    pieces: [61_237, 37_011, 48_900],
  },
];

describe('an exact M4A join through the extension', () => {
  test.each(M4A_SWEEPS)(
    '$label: the inputs less the overlaps, bit for bit away from the joins, other frames unchanged',
    async (c) => {
      const { wavs, files } = makeExactPieces(c, tmp);
      await resetSeam(seam, page);
      ui = new PopupPage(page);
      await ui.addFilesAndWait(files);
      await ui.setFormat('M4A');
      await expect
        .poll(() => ui.plan.innerText(), { timeout: 30_000 })
        .toMatch(/^Lossless except 2 to 4 frames at each join/);
      const { file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);

      const overlaps = await m4aOverlaps(files);
      const m = measureSeams(file, files, wavs, overlaps, c, 5 * 1024);
      const expected = m.inputs.reduce((a, b) => a + b, 0) - overlaps.reduce((a, b) => a + b, 0);
      const got = await packetHashes(file);
      const kept = packetsKeptInOrder(await Promise.all(files.map(packetHashes)), got);
      console.log(
        `M4A ${c.label} (extension): inputs ${m.inputs.join(' + ')}, overlaps ${overlaps.join(', ')}, ` +
          `output ${m.output} (expected ${expected}); samples not the inputs' ${m.differentNear} near ` +
          `the joins, ${m.differentFar} elsewhere; SNR near ${m.snr.map((x) => x.toFixed(1)).join(', ')} dB ` +
          `(codec ${m.codecSnr.map((x) => x.toFixed(1)).join(', ')} dB); ${got.length} frames, ` +
          `${got.length - kept} not the inputs'`,
      );
      for (const r of overlaps) expect(r).toBeLessThan(1024);
      expect(Math.abs(m.output - expected)).toBeLessThanOrEqual(Math.ceil(c.rate / 2000));
      expect(m.differentFar).toBe(0);
      for (const x of m.snr) expect(x).toBeGreaterThan(20);
      for (const z of m.zeroRun) expect(z).toBeLessThan(8);
      expect(got.length - kept).toBeGreaterThanOrEqual(2 * (files.length - 1));
      expect(got.length - kept).toBeLessThanOrEqual(4 * (files.length - 1));
    },
    240_000,
  );
});

describe('when the joins cannot be closed exactly', () => {
  test('MP3s without a LAME tag: the plan promised exact joins, the saved line says what happened', async () => {
    // `-write_xing 0`: no Xing/LAME frame, so the join cannot know the files' delay and padding
    // and closes the joins by whole frames instead (lib/lossless/mp3/join.ts).
    const paths = await Promise.all(
      SECONDS.map(async (sec, i) => {
        const wav = join(tmp, `nolame-${i}.wav`);
        makeMusic(wav, sec, 44100, 2, i + 1);
        const path = join(tmp, `nolame-${i}.mp3`);
        await ffmpeg(['-i', wav, '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0', path]);
        return path;
      }),
    );
    await resetSeam(seam, page);
    ui = new PopupPage(page);
    await ui.addFilesAndWait(paths);
    await ui.setFormat('MP3');
    await expect
      .poll(() => ui.plan.innerText(), { timeout: 30_000 })
      .toMatch(/^Lossless except 3 to 6 frames at each join/);
    const { file } = await seam.ext.joinAndWait(() => ui.join(), 120_000);
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Saved/ })
          .innerText(),
      )
      .toContain('The joins could not be closed exactly, so whole frames of padding were left out');
    // The file is still whole: the inputs' decoded samples, within one frame at each join.
    const inputs = paths.map((p) => decodeFloat(p, 2).length / 2).reduce((a, b) => a + b, 0);
    const output = decodeFloat(file, 2).length / 2;
    expect(Math.abs(output - inputs)).toBeLessThanOrEqual(1152 * (paths.length - 1));
  }, 120_000);
});
