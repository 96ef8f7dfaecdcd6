/**
 * "Make a book" (issue 23 item 3), through the real extension: a page on 127.0.0.1 links a feed
 * of three short episodes, the second with Podcasting 2.0 JSON chapters; in the popup's list of
 * the feed, "Make a book" queues them oldest first and sets an M4B with the feed's title, author
 * and artwork; the saved file, read by native ffprobe, has the episodes' chapters in order with
 * the second's own chapters inside it, the feed's title as tags and a cover stream; as an MP3,
 * each of the second episode's chapters holds its picture (the JSON chapters' `img`, fetched
 * from the same server) inside its ID3 CHAP frame.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseId3v2 } from '@/lib/containers/id3';
import { launchSeam, resetSeam, type Seam } from '../support/chromium';
import { ffmpeg, ffprobe, requireNativeFfmpeg } from '../support/native-ffmpeg';
import { PopupPage } from '../support/pages';
import { until } from '../support/wait';

let seam: Seam;
let server: Server;
let base = '';
let page: Page;
let popup: PopupPage;
const files = new Map<string, { type: string; body: Buffer }>();

/** Newest first, as feeds list them; the second episode has JSON chapters. */
const FEED = () => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
<title>Loopback Book</title>
<itunes:author>Ada Author</itunes:author>
<itunes:image href="/art.png"/>
${[3, 2, 1]
  .map(
    (n) => `<item><title>Episode ${n}</title>
<pubDate>${new Date(Date.UTC(2024, 0, n)).toUTCString()}</pubDate>
<enclosure url="/ep${n}.mp3" type="audio/mpeg"/>
${n === 2 ? '<podcast:chapters url="/ep2.chapters.json" type="application/json+chapters"/>' : ''}
</item>`,
  )
  .join('\n')}
</channel></rss>`;

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><html><head><title>Book show</title><link rel="alternate" type="application/rss+xml" title="Book show" href="/feed.xml"></head><body><h1>Book show</h1></body></html>',
    );
    return;
  }
  if (path === '/ep2.chapters.json') {
    // Each chapter's picture, by its full address on this server (as the spec's `img` is).
    res.writeHead(200, { 'content-type': 'application/json+chapters' });
    res.end(
      JSON.stringify({
        version: '1.2.0',
        chapters: [
          { startTime: 0, title: 'Opening', img: `${base}ch-opening.jpg` },
          { startTime: 2, title: 'Main part', img: `${base}ch-main.png` },
        ],
      }),
    );
    return;
  }
  if (path === '/feed.xml') {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(FEED());
    return;
  }
  const file = files.get(path);
  if (!file) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length });
  res.end(file.body);
}

beforeAll(async () => {
  requireNativeFfmpeg();
  const dir = await mkdtemp(join(tmpdir(), 'seam-feed-book-'));
  for (const [n, freq] of [
    [1, 440],
    [2, 550],
    [3, 660],
  ] as const) {
    const path = join(dir, `ep${n}.mp3`);
    await ffmpeg([
      ...['-f', 'lavfi', '-i', `sine=frequency=${freq}:duration=4`],
      ...['-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', path],
    ]);
    files.set(`/ep${n}.mp3`, { type: 'audio/mpeg', body: await readFile(path) });
  }
  const art = join(dir, 'art.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=orange:s=64x64', '-frames:v', '1', art]);
  files.set('/art.png', { type: 'image/png', body: await readFile(art) });
  const opening = join(dir, 'ch-opening.jpg');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=blue:s=32x32', '-frames:v', '1', opening]);
  files.set('/ch-opening.jpg', { type: 'image/jpeg', body: await readFile(opening) });
  const main = join(dir, 'ch-main.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=green:s=48x48', '-frames:v', '1', main]);
  files.set('/ch-main.png', { type: 'image/png', body: await readFile(main) });
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  seam = await launchSeam();
  const tab = await seam.context.newPage();
  await tab.goto(base);
  const tabId = await seam.worker.evaluate(
    async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)!.id!,
    base,
  );
  page = await seam.openPopup(`?tab=${tabId}`);
  popup = new PopupPage(page);
  await resetSeam(seam, page);
  await seam.ext.clearSettings();
  await page.reload();
});

afterAll(async () => {
  await seam?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** The APIC sub-frame of a CHAP frame's body (ID3v2.3 sizes plain, v2.4's syncsafe), if any. */
function chapterPicture(
  body: Uint8Array,
  major: number,
): { mime: string; data: Uint8Array } | undefined {
  let p = body.indexOf(0) + 1 + 16; // element id, then start, end and two offsets
  while (p + 10 <= body.length) {
    const id = String.fromCharCode(...body.subarray(p, p + 4));
    const s = body.subarray(p + 4, p + 8);
    const len =
      major === 4
        ? (s[0]! << 21) | (s[1]! << 14) | (s[2]! << 7) | s[3]!
        : ((s[0]! << 24) | (s[1]! << 16) | (s[2]! << 8) | s[3]!) >>> 0;
    const frame = body.subarray(p + 10, p + 10 + len);
    if (id === 'APIC') {
      const mimeEnd = frame.indexOf(0, 1);
      const descEnd = frame.indexOf(0, mimeEnd + 2);
      const mime = String.fromCharCode(...frame.subarray(1, mimeEnd));
      return { mime, data: frame.subarray(descEnd + 1) };
    }
    p += 10 + len;
  }
  return undefined;
}

const region = () => page.getByRole('region', { name: 'On this page' });

describe('Make a book', () => {
  it('a feed of three episodes becomes one M4B: oldest first, chapters nested, tags and cover', async () => {
    await region().getByRole('button', { name: 'Episodes of the feed “Book show”' }).click();
    const rows = region().locator(':scope > ul.page-items > li .page-name');
    await until(async () => expect(await rows.count()).toBe(3));
    await region().getByRole('button', { name: 'Make a book' }).click();
    await popup.waitForReady(3, 90_000);
    expect(await popup.tracks()).toEqual(['Episode 1', 'Episode 2', 'Episode 3']);
    await until(async () =>
      expect(await page.getByRole('combobox', { name: 'Format' }).first().inputValue()).toBe('m4b'),
    );

    const { file } = await seam.ext.joinAndWait(() => popup.join(), 180_000);
    const probe = await ffprobe(file);
    expect(probe.chapters.map((c) => c.tags?.title)).toEqual([
      'Episode 1',
      'Episode 2: Opening',
      'Episode 2: Main part',
      'Episode 3',
    ]);
    const starts = probe.chapters.map((c) => Number(c.start_time));
    [0, 4, 6, 8].forEach((want, i) => expect(Math.abs(starts[i]! - want)).toBeLessThanOrEqual(0.5));
    expect(Number(probe.format.duration)).toBeCloseTo(12, 0);
    const tags = probe.format.tags ?? {};
    expect(tags['title']).toBe('Loopback Book');
    expect(tags['album']).toBe('Loopback Book');
    expect(tags['artist']).toBe('Ada Author');
    const cover = probe.streams.find((s) => s.codec_type === 'video');
    expect(cover?.codec_name).toMatch(/png|mjpeg/);
    // MP4's chapters hold no pictures: the plan says they are left out (under Details).
    const details = page.getByRole('button', { name: 'Details', exact: true });
    if ((await details.getAttribute('aria-expanded')) !== 'true') await details.click();
    const leftOut = page.getByText(/pictures are kept only in an MP3 .* this M4B leaves them out/);
    await until(async () => expect(await leftOut.count()).toBe(1));

    // The same book as an MP3, joined without re-encoding: ID3 nests the second episode's
    // chapters in a table of contents of its own, titled by the episode.
    await page.getByRole('combobox', { name: 'Format' }).first().selectOption({ label: 'MP3' });
    const mp3 = await seam.ext.joinAndWait(() => popup.join(), 180_000);
    const id3 = await ffprobe(mp3.file);
    expect(id3.chapters.map((c) => c.tags?.title)).toEqual([
      'Episode 1',
      'Opening',
      'Main part',
      'Episode 3',
    ]);
    const tag = parseId3v2(new Uint8Array(await readFile(mp3.file)))!;
    const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
    const tocs = tag.frames.filter((f) => f.id === 'CTOC').map((f) => text(f.body));
    expect(tocs[0]).toBe('toc\0\x03\x03ch0\0toc1\0ch3\0');
    expect(tocs[1]!.startsWith('toc1\0\x01\x02ch1\0ch2\0TIT2')).toBe(true);
    expect(tocs[1]).toContain('Episode 2');
    // Each of the second episode's chapters carries its picture: an APIC inside its CHAP, the
    // bytes the server sent.
    const chaps = tag.frames.filter((f) => f.id === 'CHAP');
    const pictures = chaps.map((c) => chapterPicture(c.body, tag.major));
    expect(pictures[0]).toBeUndefined();
    expect(pictures[3]).toBeUndefined();
    expect(pictures[1]?.mime).toBe('image/jpeg');
    expect(Buffer.from(pictures[1]!.data).equals(files.get('/ch-opening.jpg')!.body)).toBe(true);
    expect(pictures[2]?.mime).toBe('image/png');
    expect(Buffer.from(pictures[2]!.data).equals(files.get('/ch-main.png')!.body)).toBe(true);
    expect(await page.getByText(/pictures are kept only in an MP3/).count()).toBe(0);
  });
});
