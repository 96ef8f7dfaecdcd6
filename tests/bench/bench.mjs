// @ts-check
/**
 * `npm run bench`: times joins in the built extension (.output/chrome-mv3, headless Debian
 * Chromium, real ffmpeg.wasm) beside native ffmpeg on the same files, in the same run, and prints
 * a Markdown table of medians. A report, not a test: no thresholds.
 *
 *   node tests/bench/bench.mjs            all four jobs, 3 runs each (about 10 minutes)
 *   node tests/bench/bench.mjs --quick    only the 10 x 60 s jobs, 1 run
 *   BENCH_RUNS=5 node tests/bench/bench.mjs
 *
 * Plain JavaScript on purpose: Node 20 has no `--experimental-strip-types`, so the package.json
 * script is `npm run build && node tests/bench/bench.mjs`.
 * Test audio is generated once with native ffmpeg into tests/bench/.data/ (gitignored).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);

const ROOT = resolve(import.meta.dirname, '../..');
const BUILD_DIR = join(ROOT, '.output/chrome-mv3');
const DATA_DIR = join(import.meta.dirname, '.data');

const QUICK = process.argv.includes('--quick');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || (QUICK ? 1 : 3));
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Generous limits: the 2 x 60 min re-encode takes about a minute. */
const READY_TIMEOUT_MS = 10 * 60_000;
const JOB_TIMEOUT_MS = 15 * 60_000;
const RSS_INTERVAL_MS = 200;
/** Clock ticks per second in /proc (USER_HZ). */
const USER_HZ = 100;

// ---------------------------------------------------------------------------------------------
// Test audio

/**
 * @typedef {{ name: string; seconds: number; hz: number; seed: number }} AudioSpec
 * Each file: a tone in the left channel, the tone x 1.5 in the right, pink noise in both, so LAME
 * has real work to do and no two files are alike. MP3 128 kb/s CBR, 44.1 kHz stereo.
 */

/** @type {AudioSpec[]} */
const SHORT = Array.from({ length: 10 }, (_, i) => ({
  name: `short-${String(i + 1).padStart(2, '0')}-60s.mp3`,
  seconds: 60,
  hz: 220 + 55 * i,
  seed: i + 1,
}));

/** @type {AudioSpec[]} */
const LONG = [
  { name: 'long-1-60min.mp3', seconds: 3600, hz: 330, seed: 101 },
  { name: 'long-2-60min.mp3', seconds: 3600, hz: 495, seed: 102 },
];

/** @param {AudioSpec} spec */
async function generate(spec) {
  const path = join(DATA_DIR, spec.name);
  if (existsSync(path)) return path;
  const part = `${path}.part.mp3`;
  const d = spec.seconds;
  const src = (/** @type {string} */ s) => ['-f', 'lavfi', '-i', s];
  await run(
    'ffmpeg',
    [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-y'],
      ...src(`sine=frequency=${spec.hz}:sample_rate=44100:duration=${d}`),
      ...src(`sine=frequency=${spec.hz * 1.5}:sample_rate=44100:duration=${d}`),
      ...src(
        `anoisesrc=color=pink:amplitude=0.3:sample_rate=44100:duration=${d}:seed=${spec.seed}`,
      ),
      '-filter_complex',
      '[0:a][1:a][2:a]amerge=inputs=3,pan=stereo|c0=0.45*c0+0.55*c2|c1=0.45*c1+0.55*c2[out]',
      ...['-map', '[out]', '-c:a', 'libmp3lame', '-b:a', '128k', '-ar', '44100', '-ac', '2'],
      part,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  await rename(part, path);
  return path;
}

/** Generates what is missing, as many at a time as there are cores. */
async function generateAll(/** @type {AudioSpec[]} */ specs) {
  await mkdir(DATA_DIR, { recursive: true });
  const missing = specs.filter((s) => !existsSync(join(DATA_DIR, s.name)));
  if (missing.length > 0) {
    log(`Generating ${missing.length} test file(s) with native ffmpeg into ${DATA_DIR} ...`);
    const t0 = performance.now();
    const queue = [...missing];
    const workers = Array.from({ length: Math.max(1, os.cpus().length) }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await generate(s);
    });
    await Promise.all(workers);
    log(`  done in ${secs(performance.now() - t0)}`);
  }
  return specs.map((s) => join(DATA_DIR, s.name));
}

// ---------------------------------------------------------------------------------------------
// Jobs

/**
 * @typedef {{ id: string; label: string; set: 'short' | 'long'; reencode: boolean }} Job
 */

/** @type {Job[]} */
const JOBS = [
  { id: 'short-lossless', label: '10 × 60 s, lossless', set: 'short', reencode: false },
  { id: 'short-reencode', label: '10 × 60 s, re-encode MP3 192k', set: 'short', reencode: true },
  { id: 'long-lossless', label: '2 × 60 min, lossless', set: 'long', reencode: false },
  { id: 'long-reencode', label: '2 × 60 min, re-encode MP3 192k', set: 'long', reencode: true },
];

// ---------------------------------------------------------------------------------------------
// Native ffmpeg

/** Runs native ffmpeg and returns its wall time in ms (process start included, as for a user). */
async function timeFfmpeg(/** @type {string[]} */ args) {
  const t0 = performance.now();
  await new Promise((ok, fail) => {
    const p = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', fail);
    p.on('close', (code) =>
      code === 0 ? ok(undefined) : fail(new Error(`ffmpeg exited ${code}: ${err.slice(-2000)}`)),
    );
  });
  return performance.now() - t0;
}

/**
 * lossless: the concat demuxer with stream copy. re-encode: the concat filter (decode every
 * input, concatenate, encode with LAME at 192 kb/s), the same work as Seam's re-encode plan.
 */
async function nativeRun(
  /** @type {Job} */ job,
  /** @type {string[]} */ files,
  /** @type {string} */ tmp,
) {
  const out = join(tmp, `native-${job.id}.mp3`);
  let ms;
  if (!job.reencode) {
    const list = join(tmp, `list-${job.id}.txt`);
    await writeFile(list, files.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''));
    ms = await timeFfmpeg([
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-map',
      '0:a',
      '-c',
      'copy',
      out,
    ]);
  } else {
    const labels = files.map((_, i) => `[${i}:a]`).join('');
    ms = await timeFfmpeg([
      ...files.flatMap((f) => ['-i', f]),
      ...['-filter_complex', `${labels}concat=n=${files.length}:v=0:a=1[out]`, '-map', '[out]'],
      ...['-c:a', 'libmp3lame', '-b:a', '192k', out],
    ]);
  }
  await rm(out, { force: true });
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Chromium with Seam loaded

/**
 * @typedef {{
 *   context: import('playwright-core').BrowserContext;
 *   extensionId: string;
 *   worker: () => import('playwright-core').Worker;
 *   downloadsDir: string;
 *   close: () => Promise<void>;
 * }} Seam
 */

/** @returns {Promise<Seam>} */
async function launchSeam() {
  if (!existsSync(CHROME)) {
    throw new Error(
      `Chromium not found at ${CHROME}: apt-get install -y chromium, or set CHROME_PATH`,
    );
  }
  if (!existsSync(join(BUILD_DIR, 'manifest.json'))) {
    throw new Error(`No built extension in ${BUILD_DIR}: run npm run build first`);
  }
  const profileDir = await mkdtemp(join(os.tmpdir(), 'seam-bench-profile-'));
  const downloadsDir = await mkdtemp(join(os.tmpdir(), 'seam-bench-downloads-'));
  // A private copy of the build, so a rebuild by someone else during the run changes nothing.
  const extensionDir = await mkdtemp(join(os.tmpdir(), 'seam-bench-extension-'));
  await cp(BUILD_DIR, extensionDir, { recursive: true });
  const cleanup = async () => {
    for (const d of [profileDir, downloadsDir, extensionDir])
      await rm(d, { recursive: true, force: true }).catch(() => undefined);
  };
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROME,
    headless: true,
    acceptDownloads: true,
    downloadsPath: downloadsDir,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const first = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(first.url()).host;
    return {
      context,
      extensionId,
      worker() {
        const mine = context
          .serviceWorkers()
          .filter((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
        return mine[mine.length - 1] ?? first;
      },
      downloadsDir,
      async close() {
        await context.close().catch(() => undefined);
        await cleanup();
      },
    };
  } catch (err) {
    await context.close().catch(() => undefined);
    await cleanup();
    throw err;
  }
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns something other than undefined.
 * @template T
 * @param {() => Promise<T | undefined>} check
 * @param {number} timeout
 * @param {string} what
 * @param {number} [interval]
 * @returns {Promise<T>}
 */
async function until(check, timeout, what, interval = 50) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${secs(timeout)} waiting for ${what}`);
    await sleep(interval);
  }
}

/**
 * The job record the background keeps in storage.session (lib/job.ts).
 * @typedef {{ id: string; status: string; finishedAt?: number; startedAt?: number;
 *   downloadId?: number; bytes?: number; lossless?: boolean; fileName?: string;
 *   error?: { code: string; message: string; trackName?: string } }} JobRecord
 */

/** @returns {Promise<JobRecord | null>} */
async function getJob(/** @type {Seam} */ seam) {
  return seam.worker().evaluate(async () => {
    const { job } = await chrome.storage.session.get('job');
    return /** @type {JobRecord | null} */ (job ?? null);
  });
}

/** Empties the queue (IndexedDB "seam"), forgets the last job, and reloads the page. */
async function resetQueue(
  /** @type {Seam} */ seam,
  /** @type {import('playwright-core').Page} */ page,
) {
  await until(
    async () => ((await getJob(seam))?.status === 'running' ? undefined : true),
    JOB_TIMEOUT_MS,
    'the previous job to end',
    200,
  );
  await page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('seam');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const names = ['tracks', 'audio'].filter((n) => db.objectStoreNames.contains(n));
    if (names.length > 0) {
      const tx = db.transaction(names, 'readwrite');
      for (const n of names) tx.objectStore(n).clear();
      await new Promise((ok, fail) => {
        tx.oncomplete = () => ok(undefined);
        tx.onerror = () => fail(tx.error);
      });
    }
    db.close();
    const ch = new BroadcastChannel('seam-tracks');
    ch.postMessage('changed');
    ch.close();
  });
  await seam.worker().evaluate(() => chrome.storage.session.remove('job'));
  await page.reload();
}

/**
 * The queue's tracks as stored (IndexedDB "seam", store "tracks"), in queue order.
 * @returns {Promise<{ id: string; name: string; status: string; info?: Record<string, unknown>;
 *   error?: { message: string } }[]>}
 */
async function storedTracks(/** @type {import('playwright-core').Page} */ page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('seam');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    try {
      if (!db.objectStoreNames.contains('tracks')) return [];
      /** @type {{ id: string; name: string; status: string; position: number; addedAt: number }[]} */
      const all = await new Promise((ok, fail) => {
        const req = db.transaction('tracks').objectStore('tracks').getAll();
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
      return all.sort((a, b) => a.position - b.position || a.addedAt - b.addedAt);
    } finally {
      db.close();
    }
  });
}

/** Resolves when `count` tracks are stored and every one is probed; throws on a track error. */
async function waitForReady(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {number} */ count,
) {
  await until(
    async () => {
      const tracks = await storedTracks(page);
      const bad = tracks.find((t) => t.status === 'error');
      if (bad) throw new Error(`track ${bad.name} failed to probe: ${bad.error?.message}`);
      return tracks.length === count && tracks.every((t) => t.status === 'ready')
        ? true
        : undefined;
    },
    READY_TIMEOUT_MS,
    `${count} probed tracks`,
  );
}

/** The plan line the popup shows before Join ("Lossless: ..." or "Re-encoding ..."). */
async function planLine(/** @type {import('playwright-core').Page} */ page) {
  const line = page.getByText(/^(Lossless|Re-encoding)/);
  return (await line.count()) > 0 ? (await line.first().innerText()).trim() : '';
}

async function waitForPlan(
  /** @type {import('playwright-core').Page} */ page,
  /** @type {RegExp} */ want,
  timeout = 5_000,
) {
  let last = '';
  try {
    return await until(
      async () => {
        last = await planLine(page);
        return want.test(last) ? last : undefined;
      },
      timeout,
      `a plan line matching ${want}`,
    );
  } catch {
    throw new Error(`plan line is ${JSON.stringify(last)}, wanted ${want}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Forcing a re-encode of matching MP3s

/**
 * Seam re-encodes only when it has to: matching MP3s to MP3 are always joined losslessly, and it
 * has no "force re-encode" switch. Two ways, tried in this order:
 *
 * - "setting": an output setting asking for the sources' own parameters explicitly
 *   (chrome.storage.local "output".sampleRate = 44100 instead of "source"). Used if the planner
 *   then plans a re-encode; the audio work is then the same as native ffmpeg's below.
 * - "probe-tag": otherwise the stored probe result of the first track gets a different codec name
 *   ("mp3 (bench)"), so the planner sees "different codecs" and plans its ordinary re-encode of
 *   the very same audio: decode, aresample/aformat to 44.1 kHz stereo (no-ops here), the concat
 *   filter, LAME 192 kb/s. Only the plan decision is touched, not the files nor the ffmpeg run.
 *
 * @type {'setting' | 'probe-tag' | undefined}
 */
let reencodeMethod;

/** @returns {Promise<Record<string, unknown> | undefined>} */
async function getOutputSettings(/** @type {Seam} */ seam) {
  return seam
    .worker()
    .evaluate(
      async () =>
        /** @type {Record<string, unknown> | undefined} */ (
          (await chrome.storage.local.get('output')).output
        ),
    );
}

async function setOutputSettings(
  /** @type {Seam} */ seam,
  /** @type {Record<string, unknown>} */ value,
) {
  await seam.worker().evaluate((v) => chrome.storage.local.set({ output: v }), value);
}

/** @returns {Promise<string>} the plan line */
async function forceReencode(
  /** @type {Seam} */ seam,
  /** @type {import('playwright-core').Page} */ page,
  /** @type {Record<string, unknown>} */ output,
) {
  const want = /^Re-encoding to MP3 192 kb\/s, 44\.1 kHz stereo/;
  if (reencodeMethod !== 'probe-tag') {
    await setOutputSettings(seam, { ...output, sampleRate: 44100 });
    try {
      const line = await waitForPlan(page, want, reencodeMethod === 'setting' ? 5_000 : 1_500);
      reencodeMethod = 'setting';
      return line;
    } catch (err) {
      if (reencodeMethod === 'setting') throw err;
      await setOutputSettings(seam, output);
      reencodeMethod = 'probe-tag';
    }
  }
  await page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('seam');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const tx = db.transaction('tracks', 'readwrite');
    const store = tx.objectStore('tracks');
    /** @type {{ position: number; addedAt: number; info: { codec: string } }[]} */
    const all = await new Promise((ok, fail) => {
      const req = store.getAll();
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    all.sort((a, b) => a.position - b.position || a.addedAt - b.addedAt);
    const first = all[0];
    store.put({ ...first, info: { ...first.info, codec: `${first.info.codec} (bench)` } });
    await new Promise((ok, fail) => {
      tx.oncomplete = () => ok(undefined);
      tx.onerror = () => fail(tx.error);
    });
    db.close();
    const ch = new BroadcastChannel('seam-tracks');
    ch.postMessage('changed');
    ch.close();
  });
  return waitForPlan(page, want);
}

// ---------------------------------------------------------------------------------------------
// Memory: RSS of every Chromium process started by this run, sampled every 200 ms

/** @typedef {{ largestKb: number; largestType: string; totalKb: number; pssKb: number }} RssPeak */

/**
 * Samples every 200 ms: the RSS (and PSS) of every Chromium process this run started, and CPU
 * time, to tell how much of the machine other work took while native ffmpeg or Seam ran.
 */
class Sampler {
  /** @type {Map<string, RssPeak>} */
  peaks = new Map();
  /** Memory peaks go to this label (and to "all"). @type {string | undefined} */
  label;
  /** CPU time goes to this phase ("native", "seam"). @type {string | undefined} */
  phase;
  /**
   * Per phase, in clock ticks: the machine's busy time, and what this process, its reaped
   * children (native ffmpeg, ffprobe) and its live Chromium processes used; and seconds.
   * @type {Map<string, { busy: number; ours: number; seconds: number }>}
   */
  cpu = new Map();
  /** @type {NodeJS.Timeout | undefined} */
  timer;
  /** @type {Map<number, number>} */
  #ticks = new Map();
  /** @type {ReturnType<typeof cpuTicks> | undefined} */
  #last;

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), RSS_INTERVAL_MS);
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Later samples count towards `label` and `phase`. */
  mark(/** @type {string | undefined} */ label, phase = this.phase) {
    this.sample();
    this.label = label;
    this.phase = phase;
  }

  /** Share of the machine's CPU that other processes used during `phase`. */
  othersShare(/** @type {string} */ phase) {
    const c = this.cpu.get(phase);
    if (!c || c.seconds <= 0) return 0;
    return Math.max(0, c.busy - c.ours) / USER_HZ / (c.seconds * os.cpus().length);
  }

  sample() {
    /** @type {Map<number, number[]>} */
    const children = new Map();
    /** @type {Map<number, number>} */
    const ticks = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ppid = Number(f[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(name));
        children.set(ppid, list);
        // utime + stime (fields 14 and 15)
        ticks.set(Number(name), Number(f[11]) + Number(f[12]));
      } catch {
        // gone meanwhile
      }
    }
    const now = cpuTicks();
    let totalKb = 0;
    let pssKb = 0;
    let largestKb = 0;
    let largestType = '';
    let chromeTicks = 0;
    /** @type {Map<number, number>} */
    const seen = new Map();
    const todo = [...(children.get(process.pid) ?? [])];
    for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
      todo.push(...(children.get(pid) ?? []));
      try {
        if (!readlinkSync(`/proc/${pid}/exe`).includes('chrom')) continue;
        const t = ticks.get(pid) ?? 0;
        seen.set(pid, t);
        chromeTicks += t - (this.#ticks.get(pid) ?? 0);
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        totalKb += kb;
        // PSS shares each shared page out among the processes that map it: a fair total.
        const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
        pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
        if (kb > largestKb) {
          largestKb = kb;
          largestType = processType(pid);
        }
      } catch {
        // gone meanwhile
      }
    }
    if (this.#last && this.phase) {
      const c = this.cpu.get(this.phase) ?? { busy: 0, ours: 0, seconds: 0 };
      c.busy += now.busy - this.#last.busy;
      c.ours += now.self - this.#last.self + chromeTicks;
      c.seconds += (now.at - this.#last.at) / 1000;
      this.cpu.set(this.phase, c);
    }
    this.#last = now;
    this.#ticks = seen;
    if (totalKb === 0) return;
    for (const key of ['all', this.label]) {
      if (!key) continue;
      const p = this.peaks.get(key) ?? { largestKb: 0, largestType: '', totalKb: 0, pssKb: 0 };
      if (largestKb > p.largestKb) Object.assign(p, { largestKb, largestType });
      p.totalKb = Math.max(p.totalKb, totalKb);
      p.pssKb = Math.max(p.pssKb, pssKb);
      this.peaks.set(key, p);
    }
  }
}

/** "browser", "renderer (extension)", "utility (...)", from the process's command line. */
function processType(/** @type {number} */ pid) {
  // Zygote-forked children rewrite their title: one string, arguments joined by spaces.
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]+/);
  const type = args.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return 'browser';
  if (type === 'renderer')
    return args.includes('--extension-process') ? 'extension renderer' : 'renderer';
  const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
  return sub ? `${type} (${sub})` : type;
}

// ---------------------------------------------------------------------------------------------
// One join in Seam

/**
 * @typedef {{ addProbeMs: number; joinMs: number; diskMs: number; bytes: number;
 *   lossless: boolean; plan: string; check: string }} SeamResult
 */

/** @returns {Promise<SeamResult>} */
async function seamRun(
  /** @type {Seam} */ seam,
  /** @type {import('playwright-core').Page} */ page,
  /** @type {Job} */ job,
  /** @type {string[]} */ files,
  /** @type {Sampler} */ sampler,
  /** @type {Record<string, unknown>} */ output,
  /** @type {number} */ expectedSec,
) {
  await setOutputSettings(seam, output);
  await resetQueue(seam, page);
  // The instant of the click on Join, in the page's clock (the same wall clock as the worker's).
  await page.evaluate(() => {
    const w = /** @type {Window & { benchClickAt?: number }} */ (window);
    w.benchClickAt = 0;
    document.addEventListener(
      'click',
      (e) => {
        const b = e.target instanceof Element ? e.target.closest('button') : null;
        if (b?.textContent?.trim() === 'Join') w.benchClickAt = Date.now();
      },
      true,
    );
  });

  sampler.mark(`${job.set} add`);
  const t0 = Date.now();
  await page.getByLabel('Add files').setInputFiles(files);
  await waitForReady(page, files.length);
  const addProbeMs = Date.now() - t0;
  sampler.mark(undefined);

  await page.getByRole('combobox', { name: 'Format', exact: true }).selectOption({ label: 'MP3' });
  await page
    .getByRole('combobox', { name: 'Bitrate', exact: true })
    .selectOption({ label: '192 kb/s' });
  const plan = job.reencode
    ? await forceReencode(seam, page, output)
    : await waitForPlan(page, /^Lossless/);

  sampler.mark(job.id);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  const done = await until(
    async () => {
      const j = await getJob(seam);
      return j && j.status !== 'running' ? j : undefined;
    },
    JOB_TIMEOUT_MS,
    `the ${job.label} join to finish`,
    100,
  );
  const clickAt = await page.evaluate(
    () => /** @type {Window & { benchClickAt?: number }} */ (window).benchClickAt ?? 0,
  );
  if (done.status !== 'done') {
    sampler.mark(undefined);
    throw new Error(`Seam join ${done.status}: ${JSON.stringify(done.error ?? done)}`);
  }
  if (!clickAt || !done.finishedAt) throw new Error('no click time or finishedAt recorded');
  const joinMs = done.finishedAt - clickAt;

  // The download: wait until it is on disk, check it, delete it.
  const id = done.downloadId;
  if (id === undefined) throw new Error('the done job has no downloadId');
  const item = await until(
    async () => {
      /** @type {chrome.downloads.DownloadItem[]} */
      const [d] = await seam.worker().evaluate((q) => chrome.downloads.search(q), { id });
      if (d?.state === 'interrupted') throw new Error(`download interrupted: ${d.error}`);
      return d?.state === 'complete' ? d : undefined;
    },
    JOB_TIMEOUT_MS,
    'the download to complete',
  );
  const diskMs = (item.endTime ? Date.parse(item.endTime) : Date.now()) - clickAt;
  sampler.mark(undefined);
  const check = await checkOutput(item.filename, expectedSec, job.reencode ? 192 : 128);
  await rm(item.filename, { force: true });
  await seam.worker().evaluate((i) => chrome.downloads.erase({ id: i }), id);
  for (const f of readdirSync(seam.downloadsDir))
    await rm(join(seam.downloadsDir, f), { force: true });

  if (done.lossless === job.reencode) {
    throw new Error(
      `expected a ${job.reencode ? 're-encode' : 'lossless join'}, job says lossless=${done.lossless}`,
    );
  }
  return {
    addProbeMs,
    joinMs,
    diskMs,
    bytes: done.bytes ?? 0,
    lossless: !!done.lossless,
    plan,
    check,
  };
}

/** A quick look at the result with ffprobe: "" when it is as expected, else what is odd. */
async function checkOutput(
  /** @type {string} */ path,
  /** @type {number} */ expectedSec,
  /** @type {number} */ kbps,
) {
  try {
    const { stdout } = await run('ffprobe', [
      ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
    ]);
    const probe = JSON.parse(stdout);
    const audio = probe.streams.find(
      (/** @type {{ codec_type: string }} */ s) => s.codec_type === 'audio',
    );
    const odd = [];
    if (audio?.codec_name !== 'mp3') odd.push(`codec ${audio?.codec_name}`);
    if (audio?.sample_rate !== '44100') odd.push(`rate ${audio?.sample_rate}`);
    if (audio?.channels !== 2) odd.push(`${audio?.channels} channels`);
    const sec = Number(probe.format.duration);
    if (!(Math.abs(sec - expectedSec) < Math.max(1, expectedSec * 0.005)))
      odd.push(`duration ${sec.toFixed(2)} s, expected ${expectedSec.toFixed(2)} s`);
    const rate = Number(audio?.bit_rate ?? probe.format.bit_rate) / 1000;
    if (!(Math.abs(rate - kbps) < kbps * 0.05))
      odd.push(`bitrate ${rate.toFixed(0)} kb/s, expected ${kbps}`);
    return odd.join('; ');
  } catch (err) {
    return `ffprobe failed: ${String(err).slice(0, 300)}`;
  }
}

/** Summed durations per ffprobe (what the joined file should last). */
async function totalDuration(/** @type {string[]} */ files) {
  let sum = 0;
  for (const f of files) {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      f,
    ]);
    sum += Number(stdout.trim());
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Report

function median(/** @type {number[]} */ xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2
    ? /** @type {number} */ (s[m])
    : /** @type {number} */ (s[m - 1] + /** @type {number} */ (s[m])) / 2;
}

function secs(/** @type {number} */ ms) {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

function mb(/** @type {number} */ kb) {
  return `${Math.round(kb / 1024)} MB`;
}

function log(/** @type {string} */ msg) {
  console.error(msg);
}

/**
 * CPU time in clock ticks: the whole machine's busy time (/proc/stat) and this process's own
 * plus its reaped children's (native ffmpeg, and Chromium once closed, with its own children).
 */
function cpuTicks() {
  const all = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1);
  const n = (all ?? []).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const busy = n.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0);
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // Fields 14-17 of stat (utime stime cutime cstime) are 11-14 after the command name.
  const self = (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0);
  return { busy, self, at: performance.now() };
}

async function versions() {
  const first = async (/** @type {string} */ cmd, /** @type {string[]} */ args) => {
    try {
      const { stdout } = await run(cmd, args);
      return stdout.split('\n')[0]?.trim() ?? '';
    } catch {
      return `${cmd}: not found`;
    }
  };
  const ff = (await first('ffmpeg', ['-version'])).replace(/ Copyright.*/, '');
  const cr = await first(CHROME, ['--version']);
  return { ff, cr };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const jobs = QUICK ? JOBS.filter((j) => j.set === 'short') : JOBS;
  const sets = {
    short: await generateAll(SHORT),
    long: QUICK ? [] : await generateAll(LONG),
  };
  const expected = {
    short: await totalDuration(sets.short),
    long: QUICK ? 0 : await totalDuration(sets.long),
  };
  const { ff, cr } = await versions();

  /** @type {Record<string, number[]>} */
  const native = {};
  /** @type {Record<string, SeamResult[]>} */
  const seamResults = {};
  /** @type {Record<string, string>} */
  const failures = {};

  // Native and Seam runs take turns, job by job, so that whatever else the machine is doing
  // meanwhile weighs on both columns alike.
  const tmp = await mkdtemp(join(os.tmpdir(), 'seam-bench-native-'));
  const sampler = new Sampler();
  const seam = await launchSeam();
  sampler.start();
  try {
    const page = await seam.context.newPage();
    await page.goto(`chrome-extension://${seam.extensionId}/popup.html`);
    // Select once so the output settings exist in storage, then keep them as the baseline.
    await page
      .getByRole('combobox', { name: 'Format', exact: true })
      .selectOption({ label: 'MP3' });
    await page
      .getByRole('combobox', { name: 'Bitrate', exact: true })
      .selectOption({ label: '192 kb/s' });
    const output = await until(() => getOutputSettings(seam), 5_000, 'output settings in storage');
    for (const job of jobs) {
      native[job.id] = [];
      seamResults[job.id] = [];
      for (let r = 0; r < RUNS; r++) {
        sampler.mark(undefined, 'native');
        const ms = await nativeRun(job, sets[job.set], tmp);
        sampler.mark(undefined, undefined);
        native[job.id]?.push(ms);
        log(`native  ${job.label.padEnd(32)} run ${r + 1}/${RUNS}: ${secs(ms)}`);
        if (failures[job.id]) continue;
        try {
          sampler.mark(undefined, 'seam');
          const res = await seamRun(
            seam,
            page,
            job,
            sets[job.set],
            sampler,
            output,
            expected[job.set],
          );
          seamResults[job.id]?.push(res);
          log(
            `Seam    ${job.label.padEnd(32)} run ${r + 1}/${RUNS}: ${secs(res.joinMs)}` +
              ` (file on disk ${secs(res.diskMs)}, add+probe ${secs(res.addProbeMs)})` +
              (res.check ? `  OUTPUT ODD: ${res.check}` : ''),
          );
          if (r === 0) log(`        plan: ${res.plan}`);
        } catch (err) {
          failures[job.id] = String(err instanceof Error ? err.message : err);
          log(`Seam    ${job.label} run ${r + 1}: FAILED: ${failures[job.id]}`);
        } finally {
          sampler.mark(undefined, undefined);
        }
      }
    }
    await setOutputSettings(seam, output);
  } finally {
    sampler.stop();
    await seam.close();
    await rm(tmp, { recursive: true, force: true });
  }
  const busy = [sampler.othersShare('native'), sampler.othersShare('seam')];
  const pct = (/** @type {number} */ x) => `${Math.round(x * 100)}%`;

  // ------------------------------------------------------------------------------------------
  const lines = [];
  lines.push(
    `Seam benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
      `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${mb(os.totalmem() / 1024)} RAM; ` +
      `${cr}; ${ff}; Node ${process.versions.node}. ` +
      `Median of ${RUNS} run${RUNS === 1 ? '' : 's'}${QUICK ? ' (--quick)' : ''}. ` +
      `Other processes used ${pct(busy[0] ?? 0)} of the machine's CPU during the native runs ` +
      `and ${pct(busy[1] ?? 0)} during the Seam runs.`,
  );
  if (Math.max(...busy) > 0.1) {
    lines.push(
      '',
      'Note: other work was running on the machine meanwhile; with 2 cores, timings may be ' +
        'slower than on an idle machine. Native and Seam runs alternate, so both see it.',
    );
  }
  lines.push('');
  lines.push('| job | native ffmpeg | Seam (extension) | ratio | Seam, file on disk |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const job of jobs) {
    const n = median(native[job.id] ?? []);
    const res = seamResults[job.id] ?? [];
    if (res.length === 0) {
      lines.push(`| ${job.label} | ${secs(n)} | failed | n/a | n/a |`);
      continue;
    }
    const s = median(res.map((r) => r.joinMs));
    const d = median(res.map((r) => r.diskMs));
    const ratio = s / n;
    const note = failures[job.id] ? ` (${res.length} of ${RUNS} runs; then failed)` : '';
    lines.push(
      `| ${job.label} | ${secs(n)} | ${secs(s)}${note} | ${ratio < 1 ? ratio.toFixed(2) : ratio.toFixed(1)}x | ${secs(d)} |`,
    );
  }
  for (const set of /** @type {const} */ (['short', 'long'])) {
    const res = jobs.filter((j) => j.set === set).flatMap((j) => seamResults[j.id] ?? []);
    if (res.length === 0) continue;
    const what = set === 'short' ? '10 × 60 s' : '2 × 60 min';
    lines.push(
      `| add + probe ${what} (informative; from setInputFiles until all ready) | n/a | ${secs(median(res.map((r) => r.addProbeMs)))} | n/a | n/a |`,
    );
  }
  lines.push('');
  lines.push(
    '| peak memory during | largest Chromium process (RSS) | all Chromium processes (RSS sum) | all Chromium processes (PSS sum) |',
  );
  lines.push('| --- | --- | --- | --- |');
  const peakRow = (/** @type {string} */ key, /** @type {string} */ label) => {
    const p = sampler.peaks.get(key);
    if (p)
      lines.push(
        `| ${label} | ${mb(p.largestKb)} (${p.largestType}) | ${mb(p.totalKb)} | ${mb(p.pssKb)} |`,
      );
  };
  for (const set of /** @type {const} */ (['short', 'long']))
    peakRow(`${set} add`, `add + probe ${set === 'short' ? '10 × 60 s' : '2 × 60 min'}`);
  for (const job of jobs) peakRow(job.id, job.label);
  peakRow('all', 'the whole run');
  lines.push('');
  lines.push(
    'Seam (extension): from the click on Join to the job record turning "done" in ' +
      'storage.session (the join finished and the download started). "File on disk": to the ' +
      "download's completion. Native ffmpeg: wall time of the process, output written to disk. " +
      'Lossless: Seam stitches the MP3 frames in JS; native uses the concat demuxer with ' +
      '-c copy. Re-encode: native uses the concat filter and libmp3lame -b:a 192k.' +
      (reencodeMethod
        ? ` Seam was made to re-encode matching MP3s by ${
            reencodeMethod === 'setting'
              ? 'the output setting sampleRate: 44100 (chrome.storage.local "output")'
              : "tagging the first track's stored probe result with another codec name " +
                '(Seam has no "force re-encode" option), so it plans its ordinary re-encode ' +
                '(decode, concat filter, LAME 192 kb/s)'
          }.`
        : '') +
      ' Memory is sampled every 200 ms from /proc; the RSS sum counts shared pages once per ' +
      'process that maps them, the PSS sum shares them out (closer to what the run really uses).',
  );
  const odd = jobs.flatMap((j) =>
    (seamResults[j.id] ?? []).filter((r) => r.check).map((r) => `${j.label}: ${r.check}`),
  );
  if (odd.length > 0) lines.push('', 'Odd outputs:', ...odd.map((o) => `- ${o}`));
  const failed = Object.entries(failures);
  if (failed.length > 0)
    lines.push('', 'Failures:', ...failed.map(([id, msg]) => `- ${id}: ${msg}`));

  const report = lines.join('\n');
  console.log(`\n${report}\n`);
  await writeFile(join(DATA_DIR, QUICK ? 'last-quick-run.md' : 'last-run.md'), `${report}\n`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
