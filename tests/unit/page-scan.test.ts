import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIO_EXTENSIONS, looksLikeAudioUrl } from '@/lib/page-audio/urls';
import {
  EMBEDDED_REASON,
  STREAMED_REASON,
  scanPage,
  type PageAudioItem,
} from '@/lib/page-audio/scan';

const FIXTURES = new URL('./fixtures-html/', import.meta.url);
const open: Window[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.happyDOM.close()));
});

function newWindow(url: string): Window {
  // No scripts and no subresource or frame loading: the fixtures only need to be parsed.
  const window = new Window({ url, settings: { disableJavaScriptFileLoading: true } });
  open.push(window);
  return window;
}

/** happy-dom's Document is structurally a DOM Document; the cast bridges the two typings. */
function load(html: string, url: string): Document {
  const window = newWindow(url);
  window.document.write(html);
  return window.document as unknown as Document;
}

function fixture(name: string, url: string): Document {
  return load(readFileSync(new URL(name, FIXTURES), 'utf8'), url);
}

/** Shorthand for expected rows: fields left out of an item must be absent, not undefined. */
function item(
  url: string,
  name: string,
  host: string,
  kind: PageAudioItem['kind'],
  extra: Partial<PageAudioItem> = {},
): PageAudioItem {
  return { url, name, host, kind, ...extra };
}

const P = 'https://podcast.test';

describe('scanPage on fixture pages', () => {
  it.each<[string, string, PageAudioItem[]]>([
    [
      'podcast.html',
      `${P}/shows/quiet/index.html`,
      [
        item(
          'https://cdn.quiet.test/ep/ep12-full.mp3',
          'The Quiet Hour, episode 12',
          'cdn.quiet.test',
          'og-audio',
          { mime: 'audio/mpeg' },
        ),
        item(`${P}/media/trailer`, 'Season trailer', 'podcast.test', 'enclosure', {
          mime: 'audio/mpeg',
        }),
        // The first <source> with a playable type leads; the rest keep document order.
        item(`${P}/media/ep12.opus`, 'Episode 12 player', 'podcast.test', 'audio-element', {
          mime: 'audio/ogg',
        }),
        item(`${P}/media/ep12.xyz`, 'Episode 12 player', 'podcast.test', 'audio-element', {
          mime: 'audio/x-made-up',
        }),
        // The "Download episode 12" link to the same file merges here: both names are explicit,
        // so the first one stays.
        item(`${P}/media/ep12.mp3`, 'Episode 12 player', 'podcast.test', 'audio-element', {
          mime: 'audio/mpeg',
        }),
        item(
          `${P}/media/ep11%20final.m4a?token=abc&exp=9`,
          'Episode 11 cover',
          'podcast.test',
          'link',
        ),
        item(`${P}/media/ep10.MP3`, 'Episode 10', 'podcast.test', 'link'),
        item(`${P}/media/ep09.flac`, 'Episode 9 (lossless)', 'podcast.test', 'link'),
        item(`${P}/get?id=8`, 'Episode 08.wav', 'podcast.test', 'link'),
        item(`${P}/stream/7`, 'Episode 7 (AAC)', 'podcast.test', 'link', { mime: 'audio/aac' }),
        item(`${P}/media/ep06.webm`, 'Episode 6 (WebM)', 'podcast.test', 'link', {
          mime: 'audio/webm',
        }),
        item(
          'https://other.example.net/files/bonus%E2%80%94cut.opus',
          'bonus—cut.opus',
          'other.example.net',
          'link',
        ),
        // Malformed percent-encoding: the raw segment is the best name there is.
        item(`${P}/media/bad%E0%A4%A.mp3`, 'bad%E0%A4%A.mp3', 'podcast.test', 'link'),
        item(`${P}/media/ep05.mp3;jsessionid=42`, 'Episode 5', 'podcast.test', 'link'),
        item(
          `${P}/media/ep04.mp3`,
          'Episode 4: a very long title that goes on and on about many things, far past ei…',
          'podcast.test',
          'link',
        ),
        item('data:audio/wav;base64,UklGRiQAAABXQVZF', 'Beep', '', 'link', {
          disabledReason: EMBEDDED_REASON,
        }),
        item(`${P}/media/ep12-video.mp4`, 'Episode 12 on video', 'podcast.test', 'video-element'),
        item(
          `blob:${P}/6f1c2a9e-0000-4000-8000-000000000001`,
          'streamed audio',
          '',
          'audio-element',
          {
            disabledReason: STREAMED_REASON,
          },
        ),
      ],
    ],
    [
      'base-href.html',
      'https://birds.test/pages/calls.html',
      [
        item(
          'https://cdn.archive.test/collections/birds/robin.mp3',
          'Robin',
          'cdn.archive.test',
          'link',
        ),
        item(
          'https://cdn.archive.test/collections/owls/barn%20owl.ogg',
          'Barn owl',
          'cdn.archive.test',
          'link',
        ),
        item('https://cdn.archive.test/root/wren.wav', 'Wren', 'cdn.archive.test', 'link'),
        item('https://mirror.archive.test/finch.flac', 'Finch', 'mirror.archive.test', 'link'),
        item('https://elsewhere.test/lark.m4a', 'Lark', 'elsewhere.test', 'link'),
        item(
          'https://cdn.archive.test/collections/birds/blackbird.aac',
          'Blackbird',
          'cdn.archive.test',
          'audio-element',
        ),
      ],
    ],
    [
      'duplicates.html',
      'https://dup.test/shows/page.html',
      [
        // Listed first as a bare file name; the later "Track one" (fragment ignored) names it.
        item('https://dup.test/a/one.mp3', 'Track one', 'dup.test', 'link'),
        item('https://dup.test/a/two.mp3', 'Track two', 'dup.test', 'link'),
        // A different query is a different file.
        item('https://dup.test/a/three.mp3?v=1', 'Three v1', 'dup.test', 'link'),
        item('https://dup.test/a/three.mp3?v=2', 'Three v2', 'dup.test', 'link'),
        // Kind and position from the first sighting, name and type from the link.
        item('https://dup.test/a/four.mp3', 'Track four', 'dup.test', 'audio-element', {
          mime: 'audio/mpeg',
        }),
      ],
    ],
    [
      'streams.html',
      'https://radio.test/live',
      [
        item(
          'blob:https://radio.test/0b7e4a52-1111-4222-8333-444455556666',
          'Live radio',
          '',
          'audio-element',
          {
            disabledReason: STREAMED_REASON,
          },
        ),
        item(
          'blob:https://radio.test/0b7e4a52-1111-4222-8333-777788889999',
          'streamed audio',
          '',
          'video-element',
          {
            disabledReason: STREAMED_REASON,
          },
        ),
        item('data:audio/mpeg;base64,SUQzBAAAAAAA', 'embedded audio', '', 'audio-element', {
          disabledReason: EMBEDDED_REASON,
        }),
        // A blob: link counts only when type or download says it is audio.
        item('blob:https://radio.test/aaaa-bbbb', 'Your recording', '', 'link', {
          disabledReason: STREAMED_REASON,
        }),
        item('data:audio/ogg;base64,T2dnUw==', 'Embedded chime', '', 'link', {
          disabledReason: EMBEDDED_REASON,
        }),
      ],
    ],
    [
      'og-audio.html',
      'https://songs.test/night-drive',
      [
        item('https://songs.test/audio/night-drive.mp3', 'Night Drive', 'songs.test', 'og-audio', {
          mime: 'audio/mpeg',
        }),
        // The Flash player group is dropped by its og:audio:type.
        item(
          'https://songs.test/audio/night-drive-alt.ogg',
          'Night Drive',
          'songs.test',
          'og-audio',
          { mime: 'audio/ogg' },
        ),
        // name="og:audio" is common in the wild; no type and no extension, but declared audio.
        item('https://songs.test/stream/night-drive', 'Night Drive', 'songs.test', 'og-audio'),
      ],
    ],
    [
      'enclosure.html',
      'https://feeds.test/episodes/1',
      [
        item('https://feeds.test/dl/ep1', 'Episode 1', 'feeds.test', 'enclosure', {
          mime: 'audio/mpeg',
        }),
        item('https://feeds.test/files/ep1-extra.m4a', 'ep1-extra.m4a', 'feeds.test', 'enclosure'),
        item('https://feeds.test/files/ep1-alt', 'ep1-alt', 'feeds.test', 'enclosure', {
          mime: 'audio/x-m4a',
        }),
      ],
    ],
  ])('%s', (name, url, expected) => {
    const doc = fixture(name, url);
    // happy-dom's currentSrc is not a browser's: it ignores <base> and takes the first <source>
    // even when its type cannot play. Give those elements the value a browser would, so the
    // test checks the scanner rather than happy-dom.
    const currentSrc: Record<string, string> = {
      'base-href.html': 'https://cdn.archive.test/collections/birds/blackbird.aac',
      'podcast.html': `${P}/media/ep12.opus`,
    };
    const chosen = currentSrc[name];
    if (chosen) Object.defineProperty(doc.querySelector('audio')!, 'currentSrc', { value: chosen });
    const items = scanPage(doc);
    expect(items).toEqual(expected);
    // executeScript hands the result back as JSON: nothing may be lost on the way.
    expect(JSON.parse(JSON.stringify(items))).toStrictEqual(expected);
  });
});

describe('scanPage details', () => {
  it('lists an element playing a srcObject stream as disabled, with no URL', () => {
    const doc = fixture('streams.html', 'https://radio.test/live');
    const audio = doc.getElementById('webrtc') as HTMLAudioElement;
    // happy-dom cannot create a MediaStream; any non-null object is what the scanner checks.
    Object.defineProperty(audio, 'srcObject', { value: {} });
    const streams = scanPage(doc).filter((i) => i.url === '');
    expect(streams).toEqual([
      item('', 'Call audio', '', 'audio-element', { disabledReason: STREAMED_REASON }),
    ]);
  });

  it('prefers currentSrc, then src, then the first playable <source>', () => {
    const doc = load(
      `<video title="Talk"><source src="a.avi" type="video/x-msvideo"><source src="b.mp4" type="video/mp4"></video>`,
      'https://talks.test/',
    );
    const video = doc.querySelector('video')!;
    Object.defineProperty(video, 'currentSrc', { value: 'https://talks.test/chosen.webm' });
    expect(scanPage(doc).map((i) => i.url)).toEqual([
      'https://talks.test/chosen.webm',
      'https://talks.test/b.mp4',
      'https://talks.test/a.avi',
    ]);
  });

  it.each<[string, string]>([
    ['collapses whitespace', '  Side\n\tA  \u00a0 one '],
    ['prefers text over title', '<span>Side A one</span>'],
  ])('names: %s', (_label, inner) => {
    const doc = load(`<a href="/x.mp3" title="Title">${inner}</a>`, 'https://n.test/');
    expect(scanPage(doc)[0]!.name).toBe('Side A one');
  });

  it('caps names at 80 characters without splitting a character', () => {
    const doc = load(`<a href="/x.mp3">${'🎵'.repeat(100)}</a>`, 'https://n.test/');
    const name = scanPage(doc)[0]!.name;
    expect(Array.from(name)).toHaveLength(80);
    expect(name.endsWith('🎵…')).toBe(true);
  });

  it('respects maxItems', () => {
    const links = Array.from({ length: 10 }, (_, i) => `<a href="/${i}.mp3">${i}</a>`).join('');
    expect(scanPage(load(links, 'https://m.test/'), { maxItems: 3 }).map((i) => i.name)).toEqual([
      '0',
      '1',
      '2',
    ]);
  });

  // Each extension the extension side calls audio is listed by the scanner, and the reverse:
  // the scanner keeps its own copy of the list because it cannot import.
  it.each([
    ...AUDIO_EXTENSIONS.map((ext) => `/clip.${ext}`),
    ...AUDIO_EXTENSIONS.map((ext) => `/clip.${ext.toUpperCase()}?x=1`),
    '/clip.webm',
    '/clip.mp4',
    '/clip.m3u8',
    '/clip.mid',
    '/play?file=x.mp3',
    '/mp3',
    '/.mp3',
    '/dir.mp3/',
    'data:audio/ogg,x',
    'data:text/plain,x.mp3',
    'blob:https://c.test/1234',
    'javascript:void("x.mp3")',
  ])('agrees with looksLikeAudioUrl on %s', (href) => {
    const doc = load(`<a href='${href}'>clip</a>`, 'https://c.test/');
    expect(scanPage(doc).length === 1).toBe(
      looksLikeAudioUrl(new URL(href, 'https://c.test/').href),
    );
  });
});

describe('scanPage in frames', () => {
  it('enters srcdoc frames, nested, with the parent base URL', () => {
    // happy-dom builds contentDocument for srcdoc frames (about:srcdoc, as in browsers).
    const doc = load(
      `<a href="top.mp3">Top</a>
       <iframe srcdoc="<a href=one.mp3>One</a><iframe srcdoc='<a href=two.mp3>Two</a>'></iframe>"></iframe>
       <a href="after.mp3">After</a>`,
      'https://frames.test/show/',
    );
    expect(scanPage(doc)).toEqual([
      item('https://frames.test/show/top.mp3', 'Top', 'frames.test', 'link'),
      item('https://frames.test/show/one.mp3', 'One', 'frames.test', 'link', {
        frame: 'about:srcdoc',
      }),
      item('https://frames.test/show/two.mp3', 'Two', 'frames.test', 'link', {
        frame: 'about:srcdoc',
      }),
      item('https://frames.test/show/after.mp3', 'After', 'frames.test', 'link'),
    ]);
    expect(scanPage(doc, { maxFrameDepth: 1 }).map((i) => i.name)).toEqual(['Top', 'One', 'After']);
    expect(scanPage(doc, { maxFrameDepth: 0 }).map((i) => i.name)).toEqual(['Top', 'After']);
  });

  it('uses a reachable frame document and skips unreachable ones', () => {
    const doc = load(
      '<iframe id="same"></iframe><iframe id="null"></iframe><iframe id="throws"></iframe>',
      'https://host.test/page',
    );
    // happy-dom does not load iframe src pages here, so hand each frame the document a browser
    // would: a same-origin page with its own URL, null, or a SecurityError (cross-origin).
    const inner = newWindow('https://host.test/embed/player.html');
    inner.document.write('<audio src="clip.ogg"></audio><a href="/page.html">not audio</a>');
    Object.defineProperty(doc.getElementById('same')!, 'contentDocument', {
      value: inner.document,
    });
    Object.defineProperty(doc.getElementById('null')!, 'contentDocument', { value: null });
    Object.defineProperty(doc.getElementById('throws')!, 'contentDocument', {
      get() {
        throw new Error('SecurityError: Blocked a frame from accessing a cross-origin frame.');
      },
    });
    expect(scanPage(doc)).toEqual([
      item('https://host.test/embed/clip.ogg', 'clip.ogg', 'host.test', 'audio-element', {
        frame: 'https://host.test/embed/player.html',
      }),
    ]);
  });
});

describe('scanPage is self-contained', () => {
  it('works when rebuilt from its source text alone', () => {
    // What executeScript({ func }) does: only the source crosses into the page.
    const rebuilt = new Function(`return (${scanPage.toString()})`)() as typeof scanPage;
    const doc = fixture('podcast.html', `${P}/shows/quiet/index.html`);
    expect(rebuilt(doc)).toEqual(scanPage(doc));
    expect(rebuilt(doc).length).toBeGreaterThan(10);
  });

  it('scans the global document when called with no arguments', () => {
    const window = newWindow('https://global.test/');
    window.document.body.innerHTML = '<a href="/g.mp3">Global</a>';
    const rebuilt = new Function('document', `return (${scanPage.toString()})()`);
    expect(rebuilt(window.document)).toEqual([
      item('https://global.test/g.mp3', 'Global', 'global.test', 'link'),
    ]);
  });
});

describe('scanPage on a big page', () => {
  it('lists 1000 audio links among 1000 decoys', () => {
    const rows: string[] = [];
    for (let i = 0; i < 1000; i++) {
      rows.push(
        `<li><a href="/clips/clip-${i}.mp3">Clip ${i}</a> <a href="/clips/${i}.html">About ${i}</a></li>`,
      );
    }
    const doc = load(`<ul>${rows.join('')}</ul>`, 'https://big.test/');
    const items = scanPage(doc);
    expect(items).toHaveLength(1000);
    expect(items[0]).toEqual(
      item('https://big.test/clips/clip-0.mp3', 'Clip 0', 'big.test', 'link'),
    );
    expect(items[999]!.name).toBe('Clip 999');
  });
});
