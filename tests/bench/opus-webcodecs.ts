/**
 * Opus through WebCodecs or through ffmpeg.wasm, measured on the same input in headless Chromium
 * (the e2e build's popup page, a secure context with the packaged ffmpeg worker): `npx tsx
 * tests/bench/opus-webcodecs.ts [seconds]` after `npx wxt build --mode e2e`. Prints medians of
 * three runs each; the figures go into the README's bench section. Not part of `npm run bench`.
 *
 * Both encode the same 48 kHz stereo 16-bit WAV at 128 kb/s: AudioEncoder (Chromium's libopus)
 * fed from the WAV's samples in 1 s AudioData chunks; ffmpeg.wasm's libopus reading the WAV as
 * a mounted Blob and writing an Ogg file, in a warm worker (one run after loading first). Each
 * side's output is checked for length: WebCodecs' packets x 960 samples, ffmpeg.wasm's file
 * decoded with native ffmpeg.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { OPUS_COMPLEXITY } from '@/lib/plan/graph';
import { launchSeam } from '../support/chromium';
import { makeMusic, decodeFloat } from '../unit/support/segments-native';
import { startPageWorker, type PageWorker } from './page-worker';

const SECONDS = Number(process.argv[2] ?? 300);
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'seam-opus-'));
  const wav = join(tmp, 'music.wav');
  makeMusic(wav, SECONDS, 48000, 2, 7);
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
  const seam = await launchSeam({ name: 'seam-opus' });
  try {
    const page = await seam.openPopup();
    // tsx names the functions below with a helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    const loadMs = await page.evaluate(startPageWorker);
    const result = await page.evaluate(
      async ({ url, runs, complexity, loadMs }) => {
        const blob = await (await fetch(url)).blob();
        const buf = await blob.arrayBuffer();
        // 16-bit stereo PCM after the RIFF header's "data" chunk.
        const view = new DataView(buf);
        let at = 12;
        while (at < buf.byteLength && view.getUint32(at, false) !== 0x64617461) {
          at += 8 + view.getUint32(at + 4, true);
        }
        const pcm = new Int16Array(buf, at + 8, view.getUint32(at + 4, true) / 2);
        const frames = pcm.length / 2;
        const planar = new Float32Array(pcm.length);
        for (let i = 0; i < frames; i++) {
          planar[i] = pcm[2 * i]! / 32768;
          planar[frames + i] = pcm[2 * i + 1]! / 32768;
        }

        const webcodecs = async (complexity4: boolean) => {
          let packets = 0;
          let out = 0;
          const enc = new AudioEncoder({
            output: (chunk) => {
              packets++;
              out += chunk.byteLength;
            },
            error: (e) => {
              throw e;
            },
          });
          enc.configure({
            codec: 'opus',
            sampleRate: 48000,
            numberOfChannels: 2,
            bitrate: 128000,
            ...(complexity4 ? { opus: { complexity } } : {}),
          });
          const t0 = performance.now();
          const step = 48000;
          for (let f = 0; f < frames; f += step) {
            const n = Math.min(step, frames - f);
            const data = new Float32Array(2 * n);
            data.set(planar.subarray(f, f + n), 0);
            data.set(planar.subarray(frames + f, frames + f + n), n);
            const audio = new AudioData({
              format: 'f32-planar',
              sampleRate: 48000,
              numberOfFrames: n,
              numberOfChannels: 2,
              timestamp: Math.round((f / 48000) * 1e6),
              data,
            });
            enc.encode(audio);
            audio.close();
          }
          await enc.flush();
          const ms = performance.now() - t0;
          enc.close();
          return { ms, packets, bytes: out };
        };

        const { seamCall: call, seamWorker: worker } = globalThis as unknown as PageWorker;
        await call({ type: 'mountBlobs', dir: '/in', files: [{ name: 'music.wav', blob }] });
        await call({ type: 'mountOutput', dir: '/out' });
        const wasm = async (k: number) => {
          const t0 = performance.now();
          const code = await call({
            type: 'exec',
            tool: 'ffmpeg',
            args: ['-hide_banner', '-loglevel', 'error', '-i', '/in/music.wav', '-f', 'null', '-'],
          }).catch((e: unknown) => {
            throw new Error(`decode ${k}: ${String(e)}`);
          });
          if (code !== 0) throw new Error(`decode exited ${String(code)}`);
          const code2 = await call({
            type: 'exec',
            tool: 'ffmpeg',
            args: ['-hide_banner', '-loglevel', 'error', '-i', '/in/music.wav'].concat(
              ['-c:a', 'libopus', '-b:a', '128k', '-compression_level', String(complexity)],
              ['-y', `/out/music-${k}.opus`],
            ),
          }).catch((e: unknown) => {
            throw new Error(`encode ${k}: ${String(e)}`);
          });
          const ms = performance.now() - t0;
          const out = (await call({
            type: 'takeOutput',
            path: `/out/music-${k}.opus`,
            mime: 'audio/ogg',
          })) as Blob;
          return { ms, code: code2, out };
        };
        const wc: number[] = [];
        const wc4: number[] = [];
        const ff: number[] = [];
        let wcPackets = 0;
        let wcBytes = 0;
        let ffFirst = 0;
        let last: Blob | undefined;
        for (let k = 0; k < runs + 1; k++) {
          const a = await wasm(k);
          if (a.code !== 0) throw new Error(`ffmpeg.wasm exited ${a.code}`);
          if (k === 0) ffFirst = a.ms;
          else ff.push(a.ms);
          last = a.out;
          const b = await webcodecs(false);
          wc.push(b.ms);
          wc4.push((await webcodecs(true)).ms);
          wcPackets = b.packets;
          wcBytes = b.bytes;
        }
        worker.terminate();
        const opus = new Uint8Array(await last!.arrayBuffer());
        return {
          frames,
          loadMs,
          ffFirst,
          ff,
          wc,
          wc4,
          wcPackets,
          wcBytes,
          ffBytes: opus.length,
          ffFile: Array.from(opus),
        };
      },
      { url, runs: RUNS, complexity: OPUS_COMPLEXITY, loadMs },
    );
    const ffPath = join(tmp, 'wasm.opus');
    writeFileSync(ffPath, new Uint8Array(result.ffFile));
    const ffFrames = decodeFloat(ffPath, 2).length / 2;
    const sec = result.frames / 48000;
    const line = (name: string, ms: number) =>
      `${name}: ${(ms / 1000).toFixed(2)} s (${(sec / (ms / 1000)).toFixed(0)}x real time)`;
    console.log(`input: ${sec} s, 48 kHz stereo, 128 kb/s, medians of ${RUNS}`);
    console.log(line(`WebCodecs AudioEncoder, complexity ${OPUS_COMPLEXITY}`, median(result.wc4)));
    console.log(
      `${line('WebCodecs AudioEncoder, default complexity', median(result.wc))}; ${result.wcPackets} packets (${result.wcPackets * 960} samples), ${result.wcBytes} bytes`,
    );
    console.log(
      `${line(`ffmpeg.wasm libopus, complexity ${OPUS_COMPLEXITY} (warm)`, median(result.ff))}; first run after load ${(result.ffFirst / 1000).toFixed(2)} s, load ${(result.loadMs / 1000).toFixed(2)} s; decodes to ${ffFrames} samples, ${result.ffBytes} bytes`,
    );
    console.log(
      `runs: WebCodecs ${result.wc.map((x) => x.toFixed(0)).join(', ')} ms; ffmpeg.wasm ${result.ff.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
  } finally {
    await seam.close();
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
