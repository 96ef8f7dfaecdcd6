/**
 * The scanner (injected into the page as /page-scan.js) and the grouping into rows, on small pages that each show
 * one rule: one row per recording, titles in the issue's order, only audio, data-attribute
 * players, nested <source>, feeds, frames. The real saved pages are in page-corpus.test.ts.
 */
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIO_EXTENSIONS, looksLikeAudioUrl } from '@/lib/page-audio/urls';
import { STREAMED_REASON, scanPage } from '@/lib/page-audio/scan';
import { groupHits, type PageRecording } from '@/lib/page-audio/group';
import { mergeResults } from '@/lib/page-audio/tab';
import { scanOptionsFrom } from '@/lib/page-audio/scan/options';

const open: Window[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.happyDOM.close()));
});

function newWindow(url: string): Window {
  const window = new Window({ url, settings: { disableJavaScriptFileLoading: true } });
  open.push(window);
  return window;
}

/** happy-dom's Document is structurally a DOM Document; the cast bridges the two typings. */
function load(html: string, url = 'https://site.test/page'): Document {
  const window = newWindow(url);
  window.document.write(html);
  return window.document as unknown as Document;
}

function recordings(html: string, url?: string): PageRecording[] {
  return groupHits(scanPage(load(html, url)));
}

/** Rows as "name | formats | urls" for short expectations. */
function rows(html: string, url?: string): string[] {
  return recordings(html, url)
    .filter((r) => !r.other)
    .map(
      (r) =>
        `${r.name} | ${r.formats.map((f) => f.label).join(',')} | ${r.formats.map((f) => f.url).join(' ')}`,
    );
}

describe('one row per recording', () => {
  it('Podlove: four formats in og:audio, the player and the download list are one episode', () => {
    const fmt = ['mp3', 'm4a', 'ogg', 'opus'];
    const f = (ctx: string, ext: string) =>
      `/podlove/file/9${fmt.indexOf(ext)}/s/${ctx}/c/episode/LK070_Picard.${ext}`;
    const html = `<head><meta property="og:title" content="Folge 70: Picard">
      ${fmt.map((e) => `<meta property="og:audio" content="https://pod.test${f('opengraph', e)}"><meta property="og:audio:type" content="audio/${e}">`).join('')}
      </head><body><h1>Folge 70: Picard</h1>
      <audio controls>${fmt.map((e) => `<source src="${f('webplayer', e)}">`).join('')}</audio>
      <select>${fmt.map((e) => `<option data-raw-url="https://pod.test${f('download', e)}">${e.toUpperCase()} Audio</option>`).join('')}</select></body>`;
    const recs = recordings(html, 'https://pod.test/2020/folge-70/');
    expect(recs).toHaveLength(1);
    expect(recs[0]!.name).toBe('Folge 70: Picard');
    expect(recs[0]!.formats.map((x) => x.label)).toEqual(['MP3', 'M4A', 'OGG', 'Opus']);
  });

  it('WordPress [audio]: the ?_=1 source and the fallback link are one row', () => {
    expect(
      rows(`<h2>KOA039 Live</h2><audio class="wp-audio-shortcode" controls><source type="audio/mpeg" src="https://f.test/koa039.mp3?_=1"><a href="https://f.test/koa039.mp3">https://f.test/koa039.mp3</a></audio>
        <a href="https://f.test/koa039.mp3">Download</a>`),
    ).toEqual(['KOA039 Live | MP3 | https://f.test/koa039.mp3?_=1']);
  });

  it('og:audio and its secure_url are one recording, even with different paths', () => {
    expect(
      rows(
        `<meta property="og:title" content="Caffeine"><meta property="og:audio" content="https://s.test/a/caffeine/media.mp3"><meta property="og:audio:secure_url" content="https://s.test/a/caffeiner/media.mp3"><meta property="og:audio:type" content="audio/mpeg">`,
      ),
    ).toEqual(['Caffeine | MP3 | https://s.test/a/caffeine/media.mp3']);
  });

  it('same file under another query, scheme, www. or tracking prefix is the same recording', () => {
    expect(
      rows(`<h1>Fork</h1>
        <a href="https://play.podtrac.com/510289/edge1.pod.test/pm/ep1054.mp3?dl=1">Download</a>
        <a href="http://www.edge1.pod.test/pm/ep1054.mp3?size=2">Download</a>
        <a href="https://edge1.pod.test/pm/ep1054.mp3">Listen · 3:14</a>`),
    ).toHaveLength(1);
  });

  it('a file in another container beside the player (x.hq.mp4, x.mp3) and shared long ids join', () => {
    expect(
      rows(`<h1>Update 16</h1><span itemscope itemtype="https://schema.org/AudioObject"><meta itemprop="contentUrl" content="https://m.test/AU-20200318-1319-3400.hq.mp4"></span>
        <a href="https://m.test/AU-20200318-1319-3400.mp3">Download</a>`),
    ).toHaveLength(1);
    expect(
      rows(`<h1>La molécula</h1><audio src="http://www.iv.test/listen_mn_113954595_1.mp3?internal=HTML5"></audio>
        <a href="https://www.iv.test/molecula-falta_md_113954595_1.mp3?t=x">Download in PC (12MB)</a>`),
    ).toHaveLength(1);
  });

  it('different recordings stay apart, even dated the same day', () => {
    expect(
      rows(
        `<audio controls src="/media/Evening-News-20220425-JS.mp3"></audio><audio controls src="/media/Going-for-Growth-20220425-JS.mp3"></audio>`,
      ),
    ).toHaveLength(2);
  });
});

describe('titles a person recognizes', () => {
  it.each<[string, string, string]>([
    [
      'own label when not generic',
      '<h2>Section</h2><a href="/x.mp3">Side A, take 2</a>',
      'Side A, take 2',
    ],
    [
      'not "Download", a URL or a duration',
      '<h2>Episode title</h2><a href="/x.mp3">Download (12 MB)</a>',
      'Episode title',
    ],
    [
      'not "Télécharger" or "Listen · 3:14"',
      '<h3>Le ministre</h3><a href="/x.mp3">Télécharger</a><a href="/x.mp3?a=1">Listen · 3:14</a>',
      'Le ministre',
    ],
    [
      'schema.org JSON-LD before data attributes',
      '<script type="application/ld+json">{"@type":"PodcastEpisode","name":"From LD","associatedMedia":{"@type":"MediaObject","contentUrl":"https://site.test/x.mp3"}}</script><button data-src="/x.mp3" data-title="From data">Play</button>',
      'From LD',
    ],
    [
      'data attributes naming a title',
      '<h2>Section</h2><button data-asset-source="https://cdn.test/x.mp3" data-asset-title="Prendre la parole" aria-label="Lecture du replay"></button>',
      'Prendre la parole',
    ],
    [
      'JSON data attribute title',
      '<div data-audio=\'{"title":"Testimony concludes","audioUrl":"https:\\/\\/cdn.test\\/x.mp3?d=1"}\'></div>',
      'Testimony concludes',
    ],
    [
      'the caption the player sits under',
      '<h2>Music</h2><div><div><a href="/wiki/Song">"Blowin\' in the Wind"</a></div><div><audio controls><source src="//up.test/Blowin.ogg"></audio></div></div>',
      '"Blowin\' in the Wind"',
    ],
    [
      'a figure caption',
      '<h1>Headline</h1><figure><audio controls src="/a.mp3"></audio><figcaption>Interview with X</figcaption></figure>',
      'Interview with X',
    ],
    [
      'og:title for og:audio',
      '<meta property="og:title" content="Caffeine"><meta property="og:audio" content="/m.mp3">',
      'Caffeine',
    ],
    [
      'last, the file name cleaned',
      '<a href="/files/Bob_Dylan_-_Like%20a%20Rolling_Stone.ogg">▶</a><a href="/other.mp3">Other one</a>',
      'Bob Dylan - Like a Rolling Stone',
    ],
    [
      'a label that is the heading plus a show name is cut to the heading',
      '<h1>La molécula que falta</h1><audio src="/1663266.mp3" title="La molécula que falta - Álex Barredo"></audio>',
      'La molécula que falta',
    ],
  ])('%s', (_rule, html, name) => {
    expect(recordings(html)[0]!.name).toBe(name);
  });

  it('MediaWiki file description pages are not audio', () => {
    expect(
      rows(
        `<a href="/wiki/File:Song.ogg">Song</a><a href="/w/index.php?title=Datei:Lied.ogg">Lied</a><a href="/wiki/Fichier:Chanson.ogg">x</a>`,
        'https://en.wiki.test/wiki/A',
      ),
    ).toEqual([]);
  });

  it('interface sounds go apart: hidden players named like chimes, or many untitled hidden ones', () => {
    const recs = recordings(
      `<h1>Clip</h1>${['Ring', 'Join', 'Leave'].map((n) => `<audio id="chat-${n}" src="https://cdn.test/assets/sounds/Call_${n}.wav"></audio>`).join('')}`,
    );
    expect(recs.map((r) => r.other)).toEqual([true, true, true]);
    // One hidden player on an episode page is the episode.
    expect(recordings('<h1>Episode</h1><audio src="/ep.mp3"></audio>')[0]!.other).toBeUndefined();
  });

  it('live streams in data attributes are not recordings', () => {
    expect(
      rows(
        `<div data-url-live-mp3="https://icecast.test/live.mp3" data-url-Ts-aac="https://direct.test/ts/x.aac"></div>`,
      ),
    ).toEqual([]);
  });
});

describe('players that keep their audio elsewhere', () => {
  it.each([
    [
      'data-asset-source',
      '<button data-asset-source="https://cdn.test/a.mp3" data-asset-title="A"></button>',
    ],
    [
      'data-url with data-title',
      '<a data-url="https://cdn.test/a.mp3" data-title="A" title="Play Episode"></a>',
    ],
    ['a relative data-sound-href', '<button data-sound-href="a.mp3" data-title="A"></button>'],
    [
      'a URL inside jsdata',
      '<div jsdata="Kwyn5e;https://cdn.test/a.mp3?key=-;$3"><span>A</span></div>',
    ],
    [
      '<source> nested deeper than a child',
      '<audio controls><div><source src="https://cdn.test/a.mp3"></div></audio>',
    ],
    [
      'twitter:player:stream',
      '<meta name="twitter:player:stream" content="https://cdn.test/a.mp3">',
    ],
  ])('%s', (_what, html) => {
    expect(recordings(html).map((r) => r.formats[0]!.url)).toEqual([
      expect.stringMatching(/^https:\/\/(cdn|site)\.test\/a\.mp3/),
    ]);
  });
});

describe('feeds', () => {
  const RSS = `
<?xml version="1.0"?><rss xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><channel><title>Show &amp; Tell</title>
<item><title><![CDATA[Ep 1 <Pilot>]]></title><pubDate>Tue, 01 Oct 2019 14:30:00 PST</pubDate><itunes:duration>1:09:50</itunes:duration>
<enclosure url="https://dts.podtrac.com/redirect.mp3/cdn.test/ep1.mp3" length="1000" type="audio/mpeg"/><guid>https://cdn.test/ep1.mp3</guid></item>
<item><title>Ep 2</title><pubDate>Tue, 08 Oct 2019 14:30:00 PST</pubDate><itunes:duration>300</itunes:duration>
<enclosure url="https://cdn.test/ep2.mp3" length="2000" type="audio/mpeg"/></item>
<item><title>No audio</title><link>https://x.test/</link></item>
</channel></rss>`;

  it('a feed shown as text lists its episodes newest first, with date, duration and size', () => {
    const doc = load('<pre></pre>', 'https://feeds.test/show.rss');
    doc.querySelector('pre')!.textContent = RSS;
    const scan = scanPage(doc);
    expect(scan.isFeed).toBe(true);
    expect(scan.title).toBe('Show & Tell');
    const recs = groupHits(scan);
    expect(recs.map((r) => [r.name, r.duration, r.formats[0]!.size])).toEqual([
      ['Ep 2', 300, 2000],
      ['Ep 1 <Pilot>', 4190, 1000],
    ]);
    expect(recs[0]!.date).toBe('2019-10-08T22:30:00.000Z');
  });

  it('Atom enclosures and feeds fetched by the extension', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>One</title><updated>2020-01-01T00:00:00Z</updated><link rel="enclosure" href="/one.ogg" type="audio/ogg" length="5"/><link rel="alternate" href="/one.html"/></entry></feed>`;
    const recs = groupHits(scanPage(load(''), { feedText: atom, baseUrl: 'https://a.test/feed' }));
    expect(recs.map((r) => [r.name, r.formats[0]!.url])).toEqual([
      ['One', 'https://a.test/one.ogg'],
    ]);
  });

  it('a page that links its feed says so', () => {
    const scan = scanPage(
      load('<link rel="alternate" type="application/rss+xml" title="Episodes" href="/feed.xml">'),
    );
    expect(scan.feeds).toEqual([{ url: 'https://site.test/feed.xml', title: 'Episodes' }]);
  });

  it('1,000 episodes are read quickly', () => {
    const items = Array.from(
      { length: 1000 },
      (_, i) =>
        `<item><title>E${i}</title><pubDate>${new Date(Date.UTC(2020, 0, 1) + i * 864e5).toUTCString()}</pubDate><enclosure url="https://c.test/${i}.mp3" length="${i + 1}" type="audio/mpeg"/></item>`,
    ).join('');
    const t0 = performance.now();
    const recs = groupHits(
      scanPage(load(''), {
        feedText: `<rss><channel><title>Big</title>${items}</channel></rss>`,
        baseUrl: 'https://c.test/',
      }),
    );
    expect(recs).toHaveLength(1000);
    expect(recs[0]!.name).toBe('E999');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('scanPage details', () => {
  it('lists an element playing a srcObject stream as disabled, with no URL', () => {
    const doc = load('<audio id="webrtc" title="Call audio" controls></audio>');
    // happy-dom cannot create a MediaStream; any non-null object is what the scanner checks.
    Object.defineProperty(doc.getElementById('webrtc'), 'srcObject', { value: {} });
    const [rec] = groupHits(scanPage(doc));
    expect(rec).toMatchObject({ name: 'Call audio', disabledReason: STREAMED_REASON });
  });

  it('respects maxHits', () => {
    const links = Array.from({ length: 10 }, (_, i) => `<a href="/${i}.mp3">${i} one</a>`).join('');
    expect(scanPage(load(links), { maxHits: 3 }).hits).toHaveLength(3);
  });

  // Each extension the extension side calls audio is listed by the scanner, and the reverse:
  // the scanner keeps its own copy of the list because it cannot import.
  it.each([
    ...AUDIO_EXTENSIONS.map((ext) => `/clip.${ext}`),
    ...AUDIO_EXTENSIONS.map((ext) => `/clip.${ext.toUpperCase()}?x=1`),
    '/clip.webm',
    '/clip.mp4',
    '/clip.m3u8',
    '/play?file=x.mp3',
    '/mp3',
    '/.mp3',
    '/dir.mp3/',
    'data:audio/ogg,x',
    'data:text/plain,x.mp3',
    'javascript:void("x.mp3")',
  ])('agrees with looksLikeAudioUrl on %s', (href) => {
    const doc = load(`<a href='${href}'>clip</a>`, 'https://c.test/');
    expect(scanPage(doc).hits.length === 1).toBe(
      looksLikeAudioUrl(new URL(href, 'https://c.test/').href),
    );
  });
});

describe('scanPage in frames', () => {
  it('enters srcdoc frames, nested, with the parent base URL', () => {
    const doc = load(
      `<a href="top.mp3">Top</a>
       <iframe srcdoc="<a href=one.mp3>One</a><iframe srcdoc='<a href=two.mp3>Two</a>'></iframe>"></iframe>
       <a href="after.mp3">After</a>`,
      'https://frames.test/show/',
    );
    const names = (depth?: number) =>
      groupHits(scanPage(doc, depth === undefined ? {} : { maxFrameDepth: depth })).map(
        (r) => r.name,
      );
    expect(names()).toEqual(['Top', 'One', 'Two', 'After']);
    expect(names(1)).toEqual(['Top', 'One', 'After']);
    expect(names(0)).toEqual(['Top', 'After']);
  });
});

describe('the scan options the injected script reads', () => {
  it('takes finite numbers only, so a page element shadowing the global changes nothing', () => {
    expect(scanOptionsFrom({ budgetMs: 1500, maxHits: 5000, maxFrameDepth: 2 })).toEqual({
      budgetMs: 1500,
      maxHits: 5000,
      maxFrameDepth: 2,
    });
    expect(scanOptionsFrom(undefined)).toEqual({});
    expect(scanOptionsFrom('budgetMs')).toEqual({});
    const form = load('<form id="o"><input name="budgetMs"></form>').getElementById('o');
    expect(scanOptionsFrom(form)).toEqual({});
    expect(scanOptionsFrom({ budgetMs: Infinity, maxHits: '5', feedText: '<rss/>' })).toEqual({});
  });
});

describe('mergeResults treats the page reply as untrusted', () => {
  it('drops malformed hits and odd schemes, keeps frames apart, bounds text', () => {
    const hit = {
      url: 'https://a.test/a.mp3',
      via: 'link',
      owner: 'a1',
      own: 'A\u202Eevil\n' + 'x'.repeat(500),
    };
    const { recordings: recs } = mergeResults([
      {
        hits: [
          hit,
          { url: 'javascript:alert(1)', via: 'link', owner: 'a2' },
          { url: 'https://a.test/b.mp3', via: 'telepathy', owner: 'a3' },
          null,
        ],
        feeds: [{ url: 'file:///x' }],
        title: 'T',
        isFeed: false,
      },
      { hits: [{ ...hit, url: 'https://a.test/c.mp3', owner: 'a1' }] },
      'not a result',
    ]);
    expect(recs.map((r) => r.formats[0]!.url)).toEqual([
      'https://a.test/a.mp3',
      'https://a.test/c.mp3',
    ]);
    expect(recs[0]!.name).not.toMatch(/[\u202E\n]/);
    expect([...recs[0]!.name].length).toBeLessThanOrEqual(200);
  });
});

describe('scanPage on a big page', () => {
  it('lists 1000 audio links among 1000 decoys', () => {
    const list = Array.from(
      { length: 1000 },
      (_, i) =>
        `<li><a href="/clips/clip-${i}.mp3">Clip ${i}</a> <a href="/clips/${i}.html">About ${i}</a></li>`,
    );
    const recs = recordings(`<ul>${list.join('')}</ul>`, 'https://big.test/');
    expect(recs).toHaveLength(1000);
    expect(recs[999]!.name).toBe('Clip 999');
  });
});
