/**
 * Issue 21: audio wherever the page keeps it (scripts and JSON with escaped slashes, JSON-LD in
 * CDATA with @id references, extensionless addresses under audio keys, any attribute, what the
 * page loaded), the same decoy checks, and the title a person sees (no date, no neighbouring
 * link, no button label, no format note), on small pages that each show one rule.
 */
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { STREAMED_REASON, scanPage } from '@/lib/page-audio/scan';
import { groupHits, type PageRecording } from '@/lib/page-audio/group';
import { isGenericLabel, withoutFormatNote } from '@/lib/page-audio/titles';
import { expectLinear } from './support/growth';

const open: Window[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.happyDOM.close()));
});

function recordings(html: string, url = 'https://site.test/news/story-1/'): PageRecording[] {
  const window = new Window({
    url,
    settings: { disableJavaScriptFileLoading: true, disableJavaScriptEvaluation: true },
  });
  open.push(window);
  window.document.write(html);
  return groupHits(scanPage(window.document as unknown as Document));
}

/** Rows as "name | urls". */
function rows(html: string, url?: string): string[] {
  return recordings(html, url)
    .filter((r) => !r.other)
    .map((r) => `${r.name} | ${r.formats.map((f) => f.url).join(' ')}`);
}

describe('audio in scripts and JSON', () => {
  it('reads page state with slashes escaped as \\u002F and \\/', () => {
    const html = `<head><meta property="og:title" content="Sanctions | Paper"></head><body>
      <h1>Sanctions</h1><button>Listen</button>
      <script>window.__STATE__=["x","https:\\u002F\\u002Fspeech.test\\u002Fa1.mp3?noCache=1"]</script>
      <script>var p={"file":"https:\\/\\/cdn.test\\/b2.m4a"}</script></body>`;
    expect(rows(html)).toEqual([
      'Sanctions | https://speech.test/a1.mp3?noCache=1',
      'Sanctions | https://cdn.test/b2.m4a',
    ]);
  });

  it('takes an address without extension when its key names audio ("mp3-128"), with its title', () => {
    const html = `<body><h1>Album</h1><script>var TralbumData = {"trackinfo":[
      {"title":"First Light","file":{"mp3-128":"https://t4.test/stream/abc/mp3-128/111?p=0"}},
      {"title":"Second Wind","file":{"mp3-128":"https://t4.test/stream/def/mp3-128/222?p=0"}}]};
      var cover = {"image_url":"https://img.test/cover"};</script></body>`;
    expect(rows(html)).toEqual([
      'First Light | https://t4.test/stream/abc/mp3-128/111?p=0',
      'Second Wind | https://t4.test/stream/def/mp3-128/222?p=0',
    ]);
  });

  it("leaves out another page's audio, a video's sound track and a picture's key", () => {
    const html = `<body><h1>Story one</h1><script>var s={"items":[
      {"website_url":"/news/story-1/","audio_url":"https://a.test/own.mp3"},
      {"audio_url":"https://a.test/other.mp3","canonical_url":"/news/story-2/"},
      {"sources":[{"file":"https://cdn.test/videos/x-1.m4a"}]},
      {"thumbnail_url":"https://img.test/poster.mp3.jpg"}]}</script></body>`;
    expect(rows(html)).toEqual(['Story one | https://a.test/own.mp3']);
  });

  it('lists an HLS stream under an audio key as one that cannot be saved; video manifests not at all', () => {
    const html = `<body><h1>Radio</h1><script>var c={"audioUrl":"https://live.test/radio.m3u8",
      "m3u8":"https://video.test/clip.m3u8"}</script></body>`;
    const recs = recordings(html);
    expect(recs.map((r) => [r.formats[0]!.url, r.disabledReason])).toEqual([
      ['https://live.test/radio.m3u8', STREAMED_REASON],
    ]);
  });

  it('sets interface sounds in page config apart', () => {
    const html = `<body><h1>News</h1><script>var cfg={"assistant":{"audioIntro":"https://cdn.test/assistant/intros/WABC.mp3"},
      "voice":["https://s.test/misc/voice-start-1.wav"]}</script></body>`;
    expect(rows(html)).toEqual([]);
  });

  it('reads JSON-LD wrapped in CDATA and AudioObjects reached through @id', () => {
    const html = `<body><h1>Why 3rd Grade Matters</h1>
      <script type="application/ld+json">//<![CDATA[
      {"@type":"NewsArticle","audio":[{"@id":"https://pod.test/e/41/default.mp3"}]}
      //]]></script></body>`;
    expect(rows(html)).toEqual(['Why 3rd Grade Matters | https://pod.test/e/41/default.mp3']);
  });
});

describe('audio in any attribute, and what the page loaded', () => {
  it('reads store previews from attributes that are not data-*', () => {
    const html = `<body><h1>Album</h1><table>
      <tr audio-preview-url="https://audio.test/p/1.m4a" preview-title="Song One"><td>Song One</td></tr>
      <tr audio-preview-url="https://audio.test/p/2.m4a" preview-title="Song Two"><td>Song Two</td></tr>
      </table></body>`;
    expect(recordings(html).map((r) => r.formats[0]!.url)).toEqual([
      'https://audio.test/p/1.m4a',
      'https://audio.test/p/2.m4a',
    ]);
  });

  it('does not take a Flash player whose parameter names the file as audio', () => {
    const html = `<body><h2>Episode</h2><object><param name="movie"
      value="https://i.test/emff.swf?src=https://pod.test/ep.mp3"></object></body>`;
    expect(rows(html)).toEqual([]);
  });

  it('leaves out a muted looping player without controls (page decoration)', () => {
    const html = `<body><h2>Our studio</h2><video muted loop autoplay src="https://v.test/bg.mp3"></video>
      <h2>Episode 4</h2><audio controls src="https://a.test/ep4.mp3"></audio></body>`;
    expect(rows(html)).toEqual(['Episode 4 | https://a.test/ep4.mp3']);
  });

  it('marks an HLS source of an audio element as a stream that cannot be saved', () => {
    const recs = recordings(`<body><audio controls src="https://live.test/s.m3u8"></audio></body>`);
    expect(recs[0]!.disabledReason).toBe(STREAMED_REASON);
  });
});

describe('the title a person sees', () => {
  it('skips a date heading for the episode heading above it', () => {
    const html = `<body><h2>Stacy Keach</h2><h3>Monday, May 27, 2013</h3>
      <div class="player"><a href="https://pod.test/skeach.mp3">Download</a></div></body>`;
    expect(rows(html)).toEqual(['Stacy Keach | https://pod.test/skeach.mp3']);
  });

  it('takes the headline link of a card heading, not its kicker', () => {
    const html = `<body><h1>Site</h1><article><h2><b>Police</b> <a href="/a">Officer charged</a></h2>
      <audio controls src="https://r.test/1.mp3"></audio></article>
      <article><h2><b>Health</b> <a href="/b">Nineteen test centres open</a></h2>
      <audio controls src="https://r.test/2.mp3"></audio></article></body>`;
    expect(rows(html)).toEqual([
      'Officer charged | https://r.test/1.mp3',
      'Nineteen test centres open | https://r.test/2.mp3',
    ]);
  });

  it('never names a recording by a button label, a neighbouring link or an icon', () => {
    const html = `<body><h1>Marketplace Tech for Friday</h1><p><a href="/feed">Subscribe to podcast</a>
      <a href="https://p.test/tech.mp3">Download audio</a></p></body>`;
    expect(rows(html)).toEqual(['Marketplace Tech for Friday | https://p.test/tech.mp3']);
    for (const label of [
      'Play in new window',
      "Download Today's Podcast",
      'MP3 - 196 Mo',
      '聽新聞',
    ]) {
      expect(isGenericLabel(label), label).toBe(true);
    }
    expect(isGenericLabel('Listen to this article')).toBe(false);
  });

  it('makes one row of one recording offered as MP3 and M4A links with format notes', () => {
    const html = `<body><h1>Big Media, Episode 38</h1><p>
      <a href="https://m.test/ep-38__215900.mp3">Big Media, Episode 38 (MP3 format)</a>
      <a href="https://m.test/ep-38__220046.m4a">Big Media, Episode 38 (MP4a format)</a></p></body>`;
    const recs = recordings(html);
    expect(recs).toHaveLength(1);
    expect(recs[0]!.name).toBe('Big Media, Episode 38');
    expect(recs[0]!.formats.map((f) => f.label)).toEqual(['MP3', 'M4A']);
    expect(withoutFormatNote('Title [MP3]')).toBe('Title');
    expect(withoutFormatNote('Part (2)')).toBe('Part (2)');
  });
});

describe('script text is hostile: the reading grows linearly with it', () => {
  // One window per size, reused across the timing's repeats (a window per run would time
  // happy-dom's set-up, not the scan).
  const docs = new Map<string, Document>();
  const docOf = (body: string): Document => {
    let d = docs.get(body);
    if (!d) {
      const w = new Window({
        url: 'https://site.test/p',
        settings: { disableJavaScriptFileLoading: true, disableJavaScriptEvaluation: true },
      });
      open.push(w);
      w.document.write(`<body><script>${body}</script></body>`);
      d = w.document as unknown as Document;
      docs.set(body, d);
    }
    return d;
  };
  it.each([
    [
      'keyed audio addresses',
      (n: number) =>
        `var a={${Array.from({ length: n }, (_, i) => `"audio_url":"https:\\/\\/a.test\\/${i}.mp3","title":"T ${i}"`).join(',')}}`,
      200,
    ],
    [
      'keys without addresses, long runs',
      (n: number) => `${'a:'.repeat(n * 20)}${' '.repeat(n * 20)}"http://`,
      200,
    ],
    ['unclosed addresses', (n: number) => 'x:"https://a.test/'.repeat(n * 10), 200],
  ] as const)('%s', (name, make, base) => {
    // The first input is read for what it holds: every address once.
    if (name === 'keyed audio addresses') {
      expect(scanPage(docOf(make(3)), { budgetMs: 60_000 }).hits.map((h) => h.url)).toEqual([
        'https://a.test/0.mp3',
        'https://a.test/1.mp3',
        'https://a.test/2.mp3',
      ]);
    }
    expectLinear({
      make: (n) => docOf(make(n)),
      run: (d) => scanPage(d, { budgetMs: 60_000 }).hits.length,
      base,
    });
  });
});
