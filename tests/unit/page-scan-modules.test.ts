/**
 * The scanner's modules (lib/page-audio/scan/) on their own: plain text and DOM code, each part
 * testable without a page. The scanner as a whole is tested in page-scan.test.ts and over the
 * saved pages in page-corpus.test.ts.
 */
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { audioUrlsIn, hasAudioExt, isDescriptionPage } from '@/lib/page-audio/scan/addresses';
import { CONTROL_TEXT, DATE_WORDS, UI_SOUND } from '@/lib/page-audio/scan/decoys';
import { decodeEntities, seconds, startsAsFeed } from '@/lib/page-audio/scan/feed-text';
import { HitList } from '@/lib/page-audio/scan/hits';
import { clean, textOf } from '@/lib/page-audio/scan/text';

describe('addresses', () => {
  it('finds absolute audio URLs in text, up to the extension and its query', () => {
    expect(
      audioUrlsIn(
        'x="https://a.test/one.mp3?x=1" y=https://a.test/page.html https://b.test/2.ogg;',
      ),
    ).toEqual(['https://a.test/one.mp3?x=1', 'https://b.test/2.ogg']);
    expect(hasAudioExt(new URL('https://a.test/a.M4A'))).toBe(true);
    expect(isDescriptionPage(new URL('https://w.test/wiki/File:x.ogg'))).toBe(true);
  });
});

describe('decoys', () => {
  it('tells dates, control labels and interface sounds', () => {
    expect(DATE_WORDS.test('Monday, May 27, 2013')).toBe(true);
    expect(DATE_WORDS.test('June 8, 2012 6:14 AM')).toBe(true);
    expect(CONTROL_TEXT.test('Download')).toBe(true);
    expect(UI_SOUND.test('/assets/sounds/click.mp3')).toBe(true);
    expect(UI_SOUND.test('/episodes/42.mp3')).toBe(false);
  });
});

describe('feed text', () => {
  it('decodes entities, reads durations and knows a feed by its start', () => {
    expect(decodeEntities('A &amp; B &#x41; &nope;')).toBe('A & B A &nope;');
    expect(seconds('1:02:03')).toBe(3723);
    expect(startsAsFeed('<?xml version="1.0"?><!-- c --><rss version="2.0">')).toBe(true);
    expect(startsAsFeed('<html>')).toBe(false);
  });
});

describe('hits', () => {
  it('keeps what can be listed, with reason codes, once per owner, within its cap', () => {
    const list = new HitList(3, 60_000);
    list.add(new URL('https://a.test/a.mp3#t=1'), { via: 'link', owner: 'a1' });
    list.add(new URL('https://a.test/a.mp3'), { via: 'link', owner: 'a1' });
    list.add(new URL('https://a.test/live.m3u8'), { via: 'script', owner: 'j1' });
    list.add(new URL('javascript:void(0)'), { via: 'link', owner: 'a2' });
    list.add(new URL('blob:https://a.test/x'), { via: 'media', owner: 'm1' });
    expect(list.hits).toEqual([
      { url: 'https://a.test/a.mp3', via: 'link', owner: 'a1' },
      { url: 'https://a.test/live.m3u8', via: 'script', owner: 'j1', disabledReason: 'streamed' },
      { url: 'blob:https://a.test/x', via: 'media', owner: 'm1', disabledReason: 'streamed' },
    ]);
    expect(list.leftOut).toBeUndefined();
    list.add(new URL('https://a.test/b.mp3'), { via: 'link', owner: 'a3' });
    expect(list.hits).toHaveLength(3);
    expect(list.leftOut).toBe('hits');
  });

  it('says when its time is spent', () => {
    const list = new HitList(10, -1);
    expect(list.outOfTime()).toBe(true);
    expect(list.leftOut).toBe('time');
  });
});

describe('text', () => {
  it('reads an element’s text in bounded work and cleans it', async () => {
    const window = new Window();
    window.document.body.innerHTML = '<p>  One <b>two</b>\n three </p>';
    const p = window.document.querySelector('p') as unknown as Element;
    expect(clean(textOf(p))).toBe('One two three');
    expect(clean('x'.repeat(300))).toHaveLength(200);
    await window.happyDOM.close();
  });
});
