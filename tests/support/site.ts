/**
 * A page of audio served on 127.0.0.1 by the test itself: every kind of audio reference the
 * scanner knows, plus decoys, and links that fail in the ways real servers fail.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './paths';

const MP3 = {
  'a.mp3': fixture('tone-440-2s-44100-stereo.mp3'),
  'b.mp3': fixture('tone-660-2s-44100-stereo.mp3'),
  'c.mp3': fixture('tone-880-2s-44100-stereo.mp3'),
  'chapter.mp3': fixture('mono-22050.mp3'),
  'og.mp3': fixture('tone-440-2s-44100-stereo.mp3'),
  'feed.mp3': fixture('tone-660-2s-44100-stereo.mp3'),
};

export const PAGE = `<!doctype html>
<html><head>
  <title>Lectures</title>
  <meta property="og:title" content="Lecture feed">
  <meta property="og:audio" content="/media/og.mp3">
  <link rel="enclosure" type="audio/mpeg" href="/media/feed.mp3" title="Feed episode">
</head><body>
  <h1>Lectures</h1>
  <a href="/media/a.mp3">Lecture A</a>
  <a href="media/b.mp3?session=1">Lecture B</a>
  <a href="/stream/7" type="audio/mpeg">Lecture C (stream link)</a>
  <a href="/media/chapter.mp3" download>Chapter download</a>
  <a href="/media/a.mp3#t=10">Lecture A again</a>
  <audio controls src="/media/c.mp3" title="Player C"></audio>
  <a href="/missing.mp3">Missing lecture</a>
  <a href="/fake.mp3">Broken lecture</a>
  <audio id="live" controls></audio>
  <!-- decoys -->
  <a href="/about.html">About</a>
  <a href="/cover.jpg">Cover</a>
  <a href="javascript:void(0)">Play all</a>
  <a href="mailto:prof@example.org">Mail</a>
  <img src="/cover.jpg" alt="">
  <iframe src="/frame.html" title="More"></iframe>
  <script>document.getElementById('live').src = URL.createObjectURL(new Blob(['x'], {type: 'audio/mpeg'}));</script>
</body></html>`;

const FRAME = `<!doctype html><html><body><a href="/media/b.mp3">Lecture B in a frame</a>
<a href="/frame-only.mp3">Frame lecture</a></body></html>`;

/** A sound archive: 300 clips, each with a page link beside it (decoys). */
export const ARCHIVE_SIZE = 300;
const ARCHIVE = `<!doctype html><html><body><ul>${Array.from(
  { length: ARCHIVE_SIZE },
  (_, i) =>
    `<li><a href="/clips/clip-${i}.mp3">Clip ${i}</a> <a href="/clips/${i}.html">details</a></li>`,
).join('')}</ul></body></html>`;

export async function startSite(): Promise<{
  url: string;
  server: Server;
  close(): Promise<void>;
}> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (path === '/' || path === '/index.html') return send(200, 'text/html', PAGE);
    if (path === '/frame.html') return send(200, 'text/html', FRAME);
    if (path === '/archive.html') return send(200, 'text/html', ARCHIVE);
    if (path === '/stream/7') return send(200, 'audio/mpeg', readFileSync(MP3['b.mp3']));
    if (path === '/frame-only.mp3') {
      res.writeHead(302, { location: '/media/c.mp3' });
      return res.end();
    }
    if (path === '/big.mp3') {
      // 2 MB of MP3 frames: over a 1 MB size limit.
      const one = readFileSync(MP3['a.mp3']);
      return send(200, 'audio/mpeg', Buffer.concat(Array(Math.ceil(2e6 / one.length)).fill(one)));
    }
    if (path === '/fake.mp3') {
      // An error page served as audio, as misconfigured servers do.
      return send(
        200,
        'audio/mpeg',
        '<!doctype html><html><body><h1>Server error</h1></body></html>',
      );
    }
    const name = path.replace('/media/', '') as keyof typeof MP3;
    if (path.startsWith('/media/') && MP3[name])
      return send(200, 'audio/mpeg', readFileSync(MP3[name]));
    return send(404, 'text/html', '<h1>Not found</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
