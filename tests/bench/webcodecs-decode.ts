/**
 * Decoding through WebCodecs or through ffmpeg.wasm, measured on the same files in headless
 * Chromium (the e2e build's popup page, a secure context with the packaged ffmpeg worker), with
 * native ffmpeg alongside: `npx tsx tests/bench/webcodecs-decode.ts [seconds]` after `npx wxt
 * build --mode e2e` (600 s of audio unless told). Prints medians of three runs each and a Markdown
 * table for the README's bench section. Not part of `npm run bench` or `npm test`.
 *
 * One music-like 44.1 kHz stereo WAV (makeMusic) is encoded by native ffmpeg to MP3 (128k), AAC
 * in M4A (192k), FLAC, Ogg Vorbis (q5) and Ogg Opus (128k). For each:
 * - WebCodecs: mediabunny (loaded into the page from its IIFE bundle) demuxes the file from a
 *   Blob; its EncodedPackets go, as EncodedAudioChunks, to this script's own `AudioDecoder`
 *   configured from mediabunny's decoder config (not mediabunny's AudioSampleSink). Timed three
 *   ways: demux only (every packet read), demux + decode (each AudioData counted and closed), and
 *   demux + decode + copy-out (each AudioData copied with `copyTo` into a reused f32-planar
 *   Float32Array per channel, as a decode half feeding an encoder would). The decoded sample
 *   frames are compared with native ffmpeg's count for the same file.
 *   The script waits for the decoder's queue to fall to DECODE_QUEUE chunks (env, 64 unless told)
 *   before giving it more, as a streaming decode half would; a large DECODE_QUEUE feeds it at once.
 * - ffmpeg.wasm: the packaged worker (warm: loaded and run once before timing), the file mounted
 *   as a Blob, `-i file -f null -`.
 * - native ffmpeg: `ffmpeg -i file -f null -`, wall time (its default threads; one thread too).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type * as Mediabunny from 'mediabunny';
import { launchSeam } from '../support/chromium';
import { ROOT } from '../support/paths';
import { makeMusic } from '../unit/support/segments-native';
import { startPageWorker, type PageWorker } from './page-worker';

const SECONDS = Number(process.argv[2] ?? 600);
const RUNS = 3;
const RATE = 44100;
/** Chunks the AudioDecoder may hold before the script waits for it (a decode half's bound). */
const QUEUE = Number(process.env.DECODE_QUEUE ?? 64);

interface Format {
  name: string;
  file: string;
  mime: string;
  args: string[];
}

const FORMATS: Format[] = [
  {
    name: 'MP3 128k',
    file: 'music.mp3',
    mime: 'audio/mpeg',
    args: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  },
  {
    name: 'AAC 192k (M4A)',
    file: 'music.m4a',
    mime: 'audio/mp4',
    args: ['-c:a', 'aac', '-b:a', '192k'],
  },
  { name: 'FLAC', file: 'music.flac', mime: 'audio/flac', args: ['-c:a', 'flac'] },
  {
    name: 'Vorbis q5 (Ogg)',
    file: 'music.ogg',
    mime: 'audio/ogg',
    args: ['-c:a', 'libvorbis', '-q:a', '5'],
  },
  {
    name: 'Opus 128k (Ogg)',
    file: 'music.opus',
    mime: 'audio/ogg',
    args: ['-c:a', 'libopus', '-b:a', '128k'],
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => (ms / 1000).toFixed(2);

/** Sample frames in each decoded frame, as ffprobe lists them (`flags2` e.g. "+skip_manual"). */
function frameSizes(path: string, flags2?: string): number[] {
  const out = execFileSync(
    'ffprobe',
    [
      ...['-v', 'error', ...(flags2 ? ['-flags2', flags2] : []), '-select_streams', 'a:0'],
      ...['-show_entries', 'frame=nb_samples', '-of', 'csv=p=0', path],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  ).toString();
  return (
    out
      .split('\n')
      // "1152" or, with side data listed, "1152,": the first column.
      .map((l) => l.split(',')[0]!.trim())
      .filter((l) => /^\d+$/.test(l))
      .map(Number)
  );
}

/**
 * Native ffmpeg's decoded sample frames, also without its gapless trimming (`-flags2
 * +skip_manual`: the encoder delay and padding the container names are left in), and its largest
 * decoded frame (what "one codec frame" means below).
 */
function nativeFrames(path: string): {
  frames: number;
  untrimmed: number;
  frameSize: number;
  rate: number;
} {
  const sizes = frameSizes(path);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const rate = Number(
    execFileSync('ffprobe', [
      ...['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate'],
      ...['-of', 'csv=p=0', path],
    ])
      .toString()
      .trim(),
  );
  return {
    frames: sum(sizes),
    untrimmed: sum(frameSizes(path, '+skip_manual')),
    frameSize: Math.max(...sizes),
    rate,
  };
}

/** Wall time of native ffmpeg decoding to null, median of RUNS. */
function nativeDecodeMs(path: string, threads?: number): number {
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    const r = spawnSync('ffmpeg', [
      ...['-nostdin', '-v', 'error'],
      ...(threads ? ['-threads', String(threads)] : []),
      ...['-i', path, '-f', 'null', '-'],
    ]);
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`native ffmpeg failed on ${path}: ${String(r.stderr)}`);
  }
  return median(times);
}

interface PageResult {
  supported: boolean;
  codec: string;
  config: string;
  demux: number[];
  decode: number[];
  copy: number[];
  wasm: number[];
  wasmCode: number;
  packets: number;
  frames: number;
  copyFrames: number;
  rate: number;
  channels: number;
  firstTimestamp: number;
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'seam-wcd-'));
  const wav = join(tmp, 'music.wav');
  makeMusic(wav, SECONDS, RATE, 2, 7);
  for (const f of FORMATS) {
    execFileSync('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      wav,
      ...f.args,
      join(tmp, f.file),
    ]);
  }
  const server = createServer((req, res) => {
    const f = FORMATS.find((x) => req.url === `/${x.file}`);
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': f.mime,
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    res.end(readFileSync(join(tmp, f.file)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // mediabunny's IIFE bundle (the package's exports name only its ES module): evaluated in the
  // page through DevTools, which the extension page's CSP does not govern.
  const bundle = readFileSync(
    join(ROOT, 'node_modules/mediabunny/dist/bundles/mediabunny.cjs'),
    'utf8',
  );
  const seam = await launchSeam({ name: 'seam-wcd' });
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    const page = await seam.openPopup();
    // tsx names the functions below with a helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    await page.evaluate(`(() => {\n${bundle}\n;globalThis.Mediabunny = Mediabunny;\n})()`);
    const ua = await page.evaluate(() => navigator.userAgent);
    // The packaged worker, loaded once and kept for every file.
    await page.evaluate(startPageWorker);
    let warm = false;
    for (const [i, f] of FORMATS.entries()) {
      const path = join(tmp, f.file);
      const native = nativeFrames(path);
      const nativeMs = nativeDecodeMs(path);
      const native1Ms = nativeDecodeMs(path, 1);
      const r: PageResult = await page.evaluate(
        async ({ url, dir, name, runs, warmUp, QUEUE }) => {
          const MB = (globalThis as unknown as { Mediabunny: typeof Mediabunny }).Mediabunny;
          const call = (globalThis as unknown as PageWorker).seamCall;
          const blob = await (await fetch(url)).blob();

          const open = async () => {
            const input = new MB.Input({
              source: new MB.BlobSource(blob),
              formats: MB.ALL_FORMATS,
            });
            const track = await input.getPrimaryAudioTrack();
            if (!track) throw new Error(`${name}: mediabunny finds no audio track`);
            return { input, track };
          };
          const probe = await open();
          const config = await probe.track.getDecoderConfig();
          if (!config) throw new Error(`${name}: mediabunny gives no decoder config`);
          const supported = (await AudioDecoder.isConfigSupported(config)).supported === true;
          const firstTimestamp = await probe.track.getFirstTimestamp();
          probe.input.dispose();

          /** Demux (and decode, and copy out) the whole file; times from opening the Blob. */
          const webcodecs = async (mode: 'demux' | 'decode' | 'copy') => {
            const t0 = performance.now();
            const { input, track } = await open();
            const sink = new MB.EncodedPacketSink(track);
            let packets = 0;
            let frames = 0;
            let copied = 0;
            let touch = 0;
            let failure: unknown;
            let planes: Float32Array[] = [];
            const decoder =
              mode === 'demux'
                ? undefined
                : new AudioDecoder({
                    output: (data) => {
                      frames += data.numberOfFrames;
                      if (mode === 'copy') {
                        const n = data.numberOfFrames;
                        if (planes.length !== data.numberOfChannels || planes[0]!.length < n) {
                          planes = Array.from(
                            { length: data.numberOfChannels },
                            () => new Float32Array(Math.max(n, 8192)),
                          );
                        }
                        for (let c = 0; c < data.numberOfChannels; c++) {
                          data.copyTo(planes[c]!, { planeIndex: c, format: 'f32-planar' });
                          touch += planes[c]![n - 1]!;
                        }
                        copied += n;
                      }
                      data.close();
                    },
                    error: (e) => {
                      failure = e;
                    },
                  });
            decoder?.configure(config);
            for await (const packet of sink.packets()) {
              packets++;
              if (!decoder) continue;
              decoder.decode(packet.toEncodedAudioChunk());
              // Keep the decoder's queue short, as a streaming decode half would.
              if (decoder.decodeQueueSize > QUEUE) {
                await new Promise((r) => decoder.addEventListener('dequeue', r, { once: true }));
              }
              if (failure) break;
            }
            if (decoder) {
              await decoder.flush();
              decoder.close();
            }
            const ms = performance.now() - t0;
            input.dispose();
            if (failure) throw new Error(`${name}: AudioDecoder: ${String(failure)}`);
            return { ms, packets, frames, copied, touch };
          };

          await call({ type: 'mountBlobs', dir, files: [{ name, blob }] });
          const wasm = async () => {
            const t0 = performance.now();
            const code = (await call({
              type: 'exec',
              tool: 'ffmpeg',
              args: [
                '-hide_banner',
                '-loglevel',
                'error',
                '-i',
                `${dir}/${name}`,
                '-f',
                'null',
                '-',
              ],
            })) as number;
            return { ms: performance.now() - t0, code };
          };
          if (warmUp) await wasm();

          const result = {
            supported,
            codec: config.codec,
            config: JSON.stringify({
              codec: config.codec,
              sampleRate: config.sampleRate,
              numberOfChannels: config.numberOfChannels,
              description: config.description ? 'yes' : 'no',
            }),
            demux: [] as number[],
            decode: [] as number[],
            copy: [] as number[],
            wasm: [] as number[],
            wasmCode: 0,
            packets: 0,
            frames: 0,
            copyFrames: 0,
            rate: config.sampleRate,
            channels: config.numberOfChannels,
            firstTimestamp,
          };
          for (let k = 0; k < runs; k++) {
            const a = await wasm();
            result.wasm.push(a.ms);
            if (a.code !== 0) result.wasmCode = a.code;
            const d = await webcodecs('demux');
            result.demux.push(d.ms);
            result.packets = d.packets;
            if (!supported) continue;
            const b = await webcodecs('decode');
            result.decode.push(b.ms);
            result.frames = b.frames;
            const c = await webcodecs('copy');
            result.copy.push(c.ms);
            result.copyFrames = c.copied;
          }
          await call({ type: 'unmount', dir });
          return result;
        },
        {
          url: `${base}/${f.file}`,
          dir: `/in${i}`,
          name: f.file,
          runs: RUNS,
          warmUp: !warm,
          QUEUE,
        },
      );
      warm = true;
      if (r.wasmCode !== 0) throw new Error(`${f.name}: ffmpeg.wasm exited ${r.wasmCode}`);
      const sec = native.frames / native.rate;
      const wasmMs = median(r.wasm);
      const len = `${(sec / 60).toFixed(1)} min`;
      const rt = (ms: number) => `${(sec / (ms / 1000)).toFixed(0)}x`;
      console.log(`\n${f.name}: ${statSync(path).size} bytes, config ${r.config}`);
      console.log(`  runs: ffmpeg.wasm ${r.wasm.map((x) => x.toFixed(0)).join(', ')} ms`);
      console.log(
        `  mediabunny demux only: ${s(median(r.demux))} s (${r.packets} packets; runs ${r.demux.map((x) => x.toFixed(0)).join(', ')} ms)`,
      );
      console.log(
        `  native ffmpeg: ${s(nativeMs)} s default threads, ${s(native1Ms)} s -threads 1; ${native.frames} frames at ${native.rate} Hz, largest decoded frame ${native.frameSize}`,
      );
      if (!r.supported) {
        console.log(`  AudioDecoder.isConfigSupported: false for ${r.config}`);
        rows.push(
          `| ${f.name} | ${len} | not supported (\`${r.codec}\`) | – | ${s(wasmMs)} (${rt(wasmMs)}) | ${s(nativeMs)} | – |`,
        );
        continue;
      }
      const decMs = median(r.decode);
      const copyMs = median(r.copy);
      const diff = r.frames - native.frames;
      const diffRaw = r.frames - native.untrimmed;
      const within = Math.abs(diff) <= native.frameSize && r.copyFrames === r.frames;
      const withinRaw = Math.abs(diffRaw) <= native.frameSize && r.copyFrames === r.frames;
      const signed = (n: number) => `${n >= 0 ? '+' : ''}${n}`;
      console.log(
        `  WebCodecs decode runs ${r.decode.map((x) => x.toFixed(0)).join(', ')} ms; with copy-out ${r.copy.map((x) => x.toFixed(0)).join(', ')} ms`,
      );
      console.log(
        `  sample frames: WebCodecs ${r.frames} at ${r.rate} Hz (copied ${r.copyFrames}); native ${native.frames} (${signed(diff)}, ${(diff / native.frameSize).toFixed(2)} codec frames of ${native.frameSize}), native untrimmed ${native.untrimmed} (${signed(diffRaw)}): ${
          within
            ? 'OK, within one codec frame of native'
            : withinRaw
              ? "OK against native's untrimmed count only: the container's encoder delay and padding are not trimmed on this path"
              : 'MISMATCH, more than one codec frame from both'
        }; mediabunny's first timestamp ${r.firstTimestamp.toFixed(6)} s`,
      );
      if (!within) {
        notes.push(
          `${f.name}: WebCodecs ${r.frames}, native ${native.frames}, native untrimmed ${native.untrimmed}`,
        );
      }
      rows.push(
        `| ${f.name} | ${len} | ${s(decMs)} (${rt(decMs)}) | ${s(copyMs)} (${rt(copyMs)}) | ${s(wasmMs)} (${rt(wasmMs)}) | ${s(nativeMs)} (${rt(nativeMs)}) | ${(decMs / wasmMs).toFixed(2)} |`,
      );
    }
    console.log(`\nChromium: ${ua}; medians of ${RUNS}\n`);
    console.log(
      '| codec | audio | WebCodecs decode s (x realtime) | + copy-out s | ffmpeg.wasm decode s | native ffmpeg s | WebCodecs / ffmpeg.wasm |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
    if (notes.length)
      console.log(`\nmore than one codec frame from native (trimmed) count:\n${notes.join('\n')}`);
  } finally {
    await seam.close();
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
