/**
 * Chapter pictures in a book (issue 23 item 3): a JSON chapter's `img` read, fetched through an
 * injected gate with caps and checked by its first bytes, and written as an APIC inside its ID3
 * CHAP frame, parsed back here; the plan says when the output format leaves them out.
 */
import { describe, expect, it } from 'vitest';
import { buildId3v2, parseId3v2 } from '@/lib/containers/id3';
import {
  chapterImageBudget,
  chapterImageType,
  keepChapterImages,
  MAX_CHAPTER_IMAGE_BYTES,
  MAX_CHAPTER_IMAGES,
  type ChapterImageIo,
} from '@/lib/page-audio/chapter-images';
import { episodeChapters, parseJsonChapters } from '@/lib/page-audio/json-chapters';
import { planJoin } from '@/lib/plan/planner';
import { defaultOutput } from '@/lib/core/settings';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);
const GIF = new TextEncoder().encode('GIF89a....');

/** An ID3 frame list (v2.3 sizes are plain, v2.4's syncsafe) inside a CHAP's body. */
function subFrames(body: Uint8Array, major: number): { id: string; body: Uint8Array }[] {
  let p = body.indexOf(0) + 1 + 16; // element id, four times
  const out: { id: string; body: Uint8Array }[] = [];
  while (p + 10 <= body.length) {
    const id = String.fromCharCode(...body.subarray(p, p + 4));
    const s = body.subarray(p + 4, p + 8);
    const len =
      major === 4
        ? (s[0]! << 21) | (s[1]! << 14) | (s[2]! << 7) | s[3]!
        : ((s[0]! << 24) | (s[1]! << 16) | (s[2]! << 8) | s[3]!) >>> 0;
    out.push({ id, body: body.subarray(p + 10, p + 10 + len) });
    p += 10 + len;
  }
  return out;
}

/** An APIC body: encoding, MIME, type, description, then the picture. */
function apic(body: Uint8Array): { mime: string; type: number; data: Uint8Array } {
  const mimeEnd = body.indexOf(0, 1);
  const mime = String.fromCharCode(...body.subarray(1, mimeEnd));
  const type = body[mimeEnd + 1]!;
  const descEnd = body.indexOf(0, mimeEnd + 2);
  return { mime, type, data: body.subarray(descEnd + 1) };
}

describe('JSON chapters’ pictures', () => {
  it('reads each chapter’s img when it is an http(s) address', () => {
    const chapters = parseJsonChapters(
      JSON.stringify({
        version: '1.2.0',
        chapters: [
          { startTime: 0, title: 'Intro', img: 'https://cdn.example.org/a.jpg' },
          { startTime: 5, title: 'Local', img: 'file:///etc/passwd' },
          { startTime: 9, title: 'Relative', img: '/b.png' },
          { startTime: 12, title: 'Long', img: `https://x.org/${'a'.repeat(3000)}` },
          { startTime: 15, title: 'None' },
        ],
      }),
    );
    expect(chapters.map((c) => c.imageUrl)).toEqual([
      'https://cdn.example.org/a.jpg',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(episodeChapters('Ep', chapters)![0]).toMatchObject({
      title: 'Ep: Intro',
      imageUrl: 'https://cdn.example.org/a.jpg',
    });
  });

  it('tells JPEG and PNG by their first bytes, and nothing else', () => {
    expect(chapterImageType(JPEG)).toBe('image/jpeg');
    expect(chapterImageType(PNG)).toBe('image/png');
    expect(chapterImageType(GIF)).toBeUndefined();
    expect(chapterImageType(new Uint8Array())).toBeUndefined();
  });
});

describe('keepChapterImages', () => {
  /** A fake gate: each address's bytes, or a refusal; counts the fetches. */
  function fakeIo(files: Record<string, Uint8Array | Error>): ChapterImageIo & {
    fetches: string[];
    kept: Uint8Array[];
  } {
    const fetches: string[] = [];
    const kept: Uint8Array[] = [];
    return {
      fetches,
      kept,
      fetch: (url, limit) => {
        fetches.push(url);
        const f = files[url];
        if (!f) return Promise.reject(new Error('404'));
        if (f instanceof Error) return Promise.reject(f);
        if (f.length > limit) return Promise.reject(new Error('too large'));
        return Promise.resolve(f);
      },
      keep: (bytes) => {
        kept.push(bytes);
        return Promise.resolve(`key${kept.length}`);
      },
    };
  }

  it('keeps JPEG and PNG pictures once each; a refused, foreign or oversized one is only that picture lost', async () => {
    const io = fakeIo({
      'https://a.org/1.jpg': JPEG,
      'https://a.org/2.png': PNG,
      'https://a.org/3.gif': GIF,
      'https://other.org/4.jpg': new Error('no access to other.org'),
      'https://a.org/5.jpg': new Uint8Array(MAX_CHAPTER_IMAGE_BYTES + 1).fill(0xff),
    });
    const budget = chapterImageBudget();
    const out = await keepChapterImages(
      [
        { title: 'a', imageUrl: 'https://a.org/1.jpg' },
        { title: 'b', imageUrl: 'https://a.org/2.png' },
        { title: 'c', imageUrl: 'https://a.org/3.gif' },
        { title: 'd', imageUrl: 'https://other.org/4.jpg' },
        { title: 'e', imageUrl: 'https://a.org/5.jpg' },
        { title: 'f', imageUrl: 'https://a.org/1.jpg' },
        { title: 'g' },
      ],
      io,
      budget,
    );
    expect(out).toEqual([
      { title: 'a', imageId: 'key1' },
      { title: 'b', imageId: 'key2' },
      { title: 'c' },
      { title: 'd' },
      { title: 'e' },
      { title: 'f', imageId: 'key1' },
      { title: 'g' },
    ]);
    // The same address is fetched once.
    expect(io.fetches.filter((u) => u === 'https://a.org/1.jpg')).toHaveLength(1);
    expect(budget.lost).toEqual([
      'https://a.org/3.gif',
      'https://other.org/4.jpg',
      'https://a.org/5.jpg',
    ]);
  });

  it('fetches at most MAX_CHAPTER_IMAGES pictures for one book', async () => {
    const files: Record<string, Uint8Array> = {};
    const chapters = Array.from({ length: MAX_CHAPTER_IMAGES + 5 }, (_, i) => {
      files[`https://a.org/${i}.jpg`] = JPEG;
      return { title: `c${i}`, imageUrl: `https://a.org/${i}.jpg` };
    });
    const io = fakeIo(files);
    const budget = chapterImageBudget();
    const out = await keepChapterImages(chapters, io, budget);
    expect(io.fetches).toHaveLength(MAX_CHAPTER_IMAGES);
    expect(out.filter((c) => c.imageId)).toHaveLength(MAX_CHAPTER_IMAGES);
    expect(budget.lost).toHaveLength(5);
  });
});

describe('ID3 CHAP with its picture', () => {
  for (const major of [3, 4] as const) {
    it(`writes an APIC inside each CHAP that has a picture (from ID3v2.${major}), parsed back`, () => {
      const utf8 = (id: string, v: string) => ({
        id,
        flags: 0,
        body: new Uint8Array([3, ...new TextEncoder().encode(v)]),
      });
      const old = {
        major,
        frames: major === 4 ? [utf8('TIT2', 'Ωmega'), utf8('TDRC', '2024-01-02')] : [],
      };
      const bytes = buildId3v2(
        old,
        {
          set: {},
          chapters: [
            { title: 'Ep: Intro', start: 0, end: 5000, part: 'Ep', inner: 'Intro', imageId: 'k1' },
            { title: 'Ep: Talk', start: 5000, end: 9000, part: 'Ep', inner: 'Talk' },
            { title: 'Ep: End', start: 9000, end: 12000, part: 'Ep', inner: 'End', imageId: 'k2' },
          ],
          cover: 'keep',
        },
        undefined,
        undefined,
        new Map([
          ['k1', JPEG],
          ['k2', PNG],
        ]),
      );
      const tag = parseId3v2(bytes)!;
      // Written as v2.3, whose sizes inside CHAP ffmpeg reads as the spec has them; a v2.4
      // tag's text comes along in v2.3's encodings.
      expect(tag.major).toBe(3);
      if (major === 4) {
        const title = tag.frames.find((f) => f.id === 'TIT2')!.body;
        expect(title[0]).toBe(1);
        expect(new TextDecoder('utf-16').decode(title.subarray(1))).toBe('Ωmega');
        const year = tag.frames.find((f) => f.id === 'TYER')!.body;
        expect(new TextDecoder('latin1').decode(year)).toBe('\x002024');
        expect(tag.frames.some((f) => f.id === 'TDRC')).toBe(false);
      }
      const chaps = tag.frames.filter((f) => f.id === 'CHAP');
      expect(chaps).toHaveLength(3);
      const subs = chaps.map((c) => subFrames(c.body, tag.major));
      expect(subs.map((s) => s.map((f) => f.id))).toEqual([
        ['TIT2', 'APIC'],
        ['TIT2'],
        ['TIT2', 'APIC'],
      ]);
      const first = apic(subs[0]![1]!.body);
      expect(first).toMatchObject({ mime: 'image/jpeg', type: 0 });
      expect([...first.data]).toEqual([...JPEG]);
      const last = apic(subs[2]![1]!.body);
      expect(last.mime).toBe('image/png');
      expect([...last.data]).toEqual([...PNG]);
      // No picture of the book's own is added by the chapters': only those inside CHAP.
      expect(tag.frames.filter((f) => f.id === 'APIC')).toHaveLength(0);
    });
  }
});

describe('the plan', () => {
  const info = (codec: string) => ({
    container: codec === 'mp3' ? 'mp3' : 'mov,mp4,m4a,3gp,3g2,mj2',
    codec,
    sampleRate: 44100,
    channels: 2,
    channelLayout: 'stereo',
    durationSec: 10,
    decoded: true,
    bitRate: 128000,
    audioStreamIndex: 0,
    hasVideo: false,
    hasCover: false,
    tags: {},
    fastPath: { ok: true as const },
  });
  const edit = {
    startSec: 0,
    transitionAfter: { kind: 'none' as const },
    chapterTitle: 'Ep 1',
    chapters: [
      { startSec: 0, title: 'Ep 1: Intro', inner: 'Intro', imageId: 'k1' },
      { startSec: 5, title: 'Ep 1: Talk', inner: 'Talk' },
    ],
  };
  const tracks = (codec: string) => [
    { id: 'a', name: `a.${codec}`, info: info(codec), edit },
    { id: 'b', name: `b.${codec}`, info: info(codec) },
  ];
  it('says an M4B leaves the chapters’ pictures out', () => {
    const plan = planJoin(tracks('aac'), { ...defaultOutput, format: 'm4b', chapters: 'auto' });
    expect(plan.summary).toContain(
      'The chapters’ pictures are kept only in an MP3 joined without encoding again: this M4B leaves them out.',
    );
  });
  it('says nothing of them for an MP3 joined losslessly, whose CHAP frames carry them', () => {
    const plan = planJoin(tracks('mp3'), { ...defaultOutput, format: 'mp3', chapters: 'auto' });
    expect(plan.lossless).toBe(true);
    expect(plan.summary).not.toContain('pictures');
    const retag = plan.steps.post.find((s) => s.kind === 'retag-mp3');
    expect(retag && 'id3' in retag && retag.id3.chapters[0]).toMatchObject({ imageId: 'k1' });
  });
});
