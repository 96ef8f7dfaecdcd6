/**
 * Opus quality in Seam's engine against native ffmpeg at the same bitrate: `npx tsx
 * tests/bench/opus-quality.ts [seconds] [kbps]` after `npx wxt build --mode e2e`. Encodes the
 * same music-like 48 kHz stereo WAV with libopus at complexity 4 and 10, in ffmpeg.wasm (Seam's
 * packaged worker, in headless Chromium, with the stack lib/engine/worker/stack.ts gives it) and
 * in native ffmpeg; decodes every file with native ffmpeg and prints its SNR against the source
 * (signal power over the power of the difference, in dB) and the encode time. A report for the
 * README, not a test.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { launchSeam } from '../support/chromium';
import { decodeFloat, makeMusic } from '../unit/support/segments-native';
import { startPageWorker, type PageWorker } from './page-worker';

const SECONDS = Number(process.argv[2] ?? 30);
const KBPS = Number(process.argv[3] ?? 128);
const COMPLEXITIES = [4, 10];

function snr(source: Float32Array, decoded: Float32Array): number {
  const n = Math.min(source.length, decoded.length);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < n; i++) {
    signal += source[i]! * source[i]!;
    const d = source[i]! - decoded[i]!;
    noise += d * d;
  }
  return 10 * Math.log10(signal / noise);
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'seam-opus-q-'));
  const wav = join(tmp, 'music.wav');
  makeMusic(wav, SECONDS, 48000, 2, 11);
  const source = decodeFloat(wav, 2);
  const bytes = readFileSync(wav);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'audio/wav',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    res.end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/music.wav`;
  const seam = await launchSeam({ name: 'seam-opus-q' });
  try {
    const page = await seam.openPopup();
    await page.evaluate('globalThis.__name = (f) => f');
    await page.evaluate(startPageWorker);
    const wasm = await page.evaluate(
      async ({ url, kbps, complexities }) => {
        const blob = await (await fetch(url)).blob();
        const { seamCall: call, seamWorker: worker } = globalThis as unknown as PageWorker;
        await call({ type: 'mountBlobs', dir: '/in', files: [{ name: 'music.wav', blob }] });
        await call({ type: 'mountOutput', dir: '/out' });
        const out: { complexity: number; ms: number; code: number; file: number[] }[] = [];
        // Once to warm up, then timed.
        for (const [k, complexity] of [complexities[0]!, ...complexities].entries()) {
          const t0 = performance.now();
          const code = (await call({
            type: 'exec',
            tool: 'ffmpeg',
            args: ['-hide_banner', '-loglevel', 'error', '-i', '/in/music.wav'].concat(
              ['-c:a', 'libopus', '-b:a', `${kbps}k`, '-compression_level', String(complexity)],
              ['-y', `/out/music-${k}.opus`],
            ),
          })) as number;
          const ms = performance.now() - t0;
          const file = (await call({
            type: 'takeOutput',
            path: `/out/music-${k}.opus`,
            mime: 'audio/ogg',
          })) as Blob;
          if (k > 0) {
            out.push({
              complexity,
              ms,
              code,
              file: Array.from(new Uint8Array(await file.arrayBuffer())),
            });
          }
        }
        worker.terminate();
        return out;
      },
      { url, kbps: KBPS, complexities: COMPLEXITIES },
    );
    console.log(`input: ${SECONDS} s of music-like 48 kHz stereo, Opus at ${KBPS} kb/s`);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 12);
    console.log(
      '| encoder | complexity | SNR against the source | encode time | bytes | SHA-256 |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const w of wasm) {
      const path = join(tmp, `wasm-${w.complexity}.opus`);
      writeFileSync(path, new Uint8Array(w.file));
      if (w.code !== 0) {
        console.log(`| ffmpeg.wasm (Seam) | ${w.complexity} | failed (exit ${w.code}) | | |`);
        continue;
      }
      const q = snr(source, decodeFloat(path, 2));
      console.log(
        `| ffmpeg.wasm (Seam) | ${w.complexity} | ${q.toFixed(2)} dB | ${(w.ms / 1000).toFixed(2)} s | ${w.file.length} | ${sha(new Uint8Array(w.file))} |`,
      );
    }
    for (const complexity of COMPLEXITIES) {
      const path = join(tmp, `native-${complexity}.opus`);
      const t0 = performance.now();
      execFileSync('ffmpeg', [
        ...['-nostdin', '-v', 'error', '-y', '-i', wav],
        ...['-c:a', 'libopus', '-b:a', `${KBPS}k`, '-compression_level', String(complexity), path],
      ]);
      const ms = performance.now() - t0;
      const q = snr(source, decodeFloat(path, 2));
      console.log(
        `| native ffmpeg | ${complexity} | ${q.toFixed(2)} dB | ${(ms / 1000).toFixed(2)} s | ${readFileSync(path).length} | ${sha(readFileSync(path))} |`,
      );
    }
  } finally {
    await seam.close();
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
