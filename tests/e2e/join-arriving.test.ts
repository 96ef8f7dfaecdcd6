/**
 * Join pressed while page audio is still arriving (issue 20 item 2): the join waits for the
 * downloads as it waits for probes, shows their progress as its own, and saves every track in
 * page order. The page is served on 127.0.0.1 by the test; its server holds each body half sent
 * until the test lets it go, so the downloads are in flight when Join is pressed, every run.
 */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { decodePcm, ffprobe, toneSections } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { fixture } from '../support/paths';
import { until } from '../support/wait';

/** Four recordings, 2 s each, told apart by their tone (the last is mono, 22.05 kHz). */
const CLIPS = [
  { name: 'Clip one', file: 'tone-440-2s-44100-stereo.mp3', hz: 440 },
  { name: 'Clip two', file: 'tone-660-2s-44100-stereo.mp3', hz: 660 },
  { name: 'Clip three', file: 'tone-880-2s-44100-stereo.mp3', hz: 880 },
  { name: 'Clip four', file: 'mono-22050.mp3', hz: 330 },
];

const PAGE = `<!doctype html><html><head><title>Clips</title></head><body><h1>Clips</h1>
${CLIPS.map((c, i) => `<a href="/held/${i}.mp3">${c.name}</a>`).join('\n')}
</body></html>`;

let seam: Seam;
let server: ReturnType<typeof createServer>;
let siteUrl: string;
/** Responses holding the second half of their body. */
const held: { res: ServerResponse; rest: Buffer }[] = [];
let holding = true;

function release(): void {
  holding = false;
  for (const { res, rest } of held.splice(0)) res.end(rest);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(PAGE);
    }
    const clip = CLIPS[Number(/^\/held\/(\d)\.mp3$/.exec(path)?.[1] ?? -1)];
    if (!clip) {
      res.writeHead(404);
      return res.end();
    }
    const body = readFileSync(fixture(clip.file));
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': body.length });
    if (!holding) return res.end(body);
    const half = Math.floor(body.length / 2);
    res.write(body.subarray(0, half));
    held.push({ res, rest: body.subarray(half) });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  seam = await launchSeam();
});

afterAll(async () => {
  release();
  await seam?.close();
  await new Promise((r) => server?.close(r));
});

describe('Join while page audio is arriving', () => {
  it('waits for the downloads, shows their progress, and saves every track in page order', async () => {
    const tab = await seam.context.newPage();
    await tab.goto(siteUrl);
    const page = await seam.openPopup(`?tab=${await seam.tabId(siteUrl)}`);
    const popup = new PopupPage(page);
    await resetSeam(seam, page);
    await popup.setFormat('MP3');

    await popup.addFromPage(CLIPS.map((c) => c.name));
    // Join as soon as the person can: the four tracks are in the queue, still arriving.
    await until(async () => expect(await popup.tracks()).toHaveLength(4));
    const previous = await seam.ext.job();
    await popup.join();

    // The join runs, waiting for the downloads, with how much has arrived as its progress.
    await seam.ext.waitForJob((j) => j?.status === 'running' && j.phase === 'downloading');
    await until(async () => {
      expect(Number(await popup.progressbar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
      expect(await popup.progressbar.getAttribute('aria-valuetext')).toMatch(
        /^Waiting for downloads/,
      );
    });
    expect(held.length).toBeGreaterThan(0);

    release();
    const job = await seam.ext.finishedJob(previous?.id, 90_000);
    expect(job.fileName).toBe('Clip one + 3 more.mp3');
    if (job.downloadId === undefined) throw new Error('the done job records no download');
    const { filename: file } = await seam.ext.completedDownload(job.downloadId, 60_000);

    const probe = await ffprobe(file);
    expect(probe.streams[0]?.codec_name).toBe('mp3');
    const found = toneSections(
      await decodePcm(file, { channels: 2 }),
      CLIPS.map(() => 2),
    );
    for (const [i, c] of CLIPS.entries()) expect(found[i]?.hz).toBeCloseTo(c.hz, -1);
    // No failure line is left behind.
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
