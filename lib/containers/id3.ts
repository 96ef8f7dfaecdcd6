/**
 * The one ID3v2 codec: the size of a tag (one validation rule for the sniffer, the MP3 scanner
 * and the tag rewrite), its frames, a fresh tag built from an edit, and the leading tag(s) of a
 * Blob. Pure; bytes are read through lib/core/bytes.
 */
import {
  ascii,
  concat,
  isSyncsafe,
  latin1,
  readRange,
  syncsafe,
  throwIfAborted,
  u32be,
  writeSyncsafe,
  type Bytes,
} from '@/lib/core/bytes';
import { framesAsV23 } from './id3-v23';

/** Bytes in an ID3v2 header (and in its v2.4 footer). */
export const ID3V2_HEADER = 10;

export interface Id3Frame {
  id: string;
  /** The two flag bytes, as read (status << 8 | format), in the tag's own version's meaning. */
  flags: number;
  body: Uint8Array;
}

export interface Id3Tag {
  major: 3 | 4;
  frames: Id3Frame[];
}

/** Text fields a rewrite sets (absent = keep the old tag's frame). */
interface Id3Text {
  title?: string;
  artist?: string;
  album?: string;
  year?: string;
  albumArtist?: string;
  genre?: string;
  /** "3" or "3/12". */
  track?: string;
  comment?: string;
}

/** The text fields written as plain text frames, and their frame ids. */
const TEXT_FRAMES = [
  ['title', 'TIT2'],
  ['artist', 'TPE1'],
  ['album', 'TALB'],
  ['albumArtist', 'TPE2'],
  ['genre', 'TCON'],
  ['track', 'TRCK'],
] as const;

/** A chapter in whole milliseconds (CHAP frames count milliseconds). */
interface Id3Chapter {
  title: string;
  start: number;
  end: number;
  /** The part (a book's episode) it belongs to, and its title inside it: a CTOC per part. */
  part?: string;
  inner?: string;
  /** Its image's key: the bytes, when given to buildId3v2, go in an APIC inside its CHAP. */
  imageId?: string;
}

/** Chapter images by key (JPEG or PNG bytes). */
export type ChapterImages = ReadonlyMap<string, Uint8Array>;

/** What a rewrite changes in the old tag. */
export interface Id3Edit {
  set: Id3Text;
  /** CHAP/CTOC frames to write; empty = none (and any old ones are dropped). */
  chapters: Id3Chapter[];
  /**
   * Keep the old tag's picture(s), drop them, or take another input's (the `coverTag`, or the
   * person's own image bytes given to buildId3v2).
   */
  cover: 'keep' | 'none' | { trackId: string };
}

/**
 * Total size (header, body, footer) of the ID3v2 tag whose header starts at `at`, or 0 when
 * there is none. The rule is the spec's: "ID3", version and revision below 0xFF, four
 * syncsafe size bytes; only v2.4 has a footer.
 */
export function id3v2TagSize(h: Uint8Array, at = 0): number {
  if (at < 0 || at + ID3V2_HEADER > h.length || ascii(h, at, 3) !== 'ID3') return 0;
  if (h[at + 3] === 0xff || h[at + 4] === 0xff || !isSyncsafe(h, at + 6)) return 0;
  const footer = h[at + 3]! >= 4 && h[at + 5]! & 0x10 ? ID3V2_HEADER : 0;
  return ID3V2_HEADER + syncsafe(h, at + 6) + footer;
}

/**
 * The frames of an ID3v2 tag (bytes from its header on), or undefined for anything that does
 * not parse. Unsynchronisation is undone; v2.4 frames are de-unsynchronised one by one. A v2.2
 * tag (three-letter frames, iTunes wrote them for years) comes back converted to v2.3: its
 * frames renamed, its pictures (PIC, with a three-letter image format) as APIC with a MIME type,
 * frames v2.3 has no name for left out.
 */
export function parseId3v2(bytes: Uint8Array): Id3Tag | undefined {
  const size = id3v2TagSize(bytes);
  if (size === 0 || bytes.length < size) return undefined;
  const major = bytes[3];
  if (major === 2) return parseId3v22(bytes);
  if (major !== 3 && major !== 4) return undefined;
  const flags = bytes[5]!;
  let body = bytes.subarray(ID3V2_HEADER, ID3V2_HEADER + syncsafe(bytes, 6));
  if (major === 3 && flags & 0x80) body = undoUnsync(body);
  let p = 0;
  if (flags & 0x40) {
    // Extended header: v2.3's size excludes its own 4 bytes, v2.4's (syncsafe) includes them.
    p = major === 3 ? 4 + u32be(body, 0) : syncsafe(body, 0);
  }
  const frames: Id3Frame[] = [];
  while (p + 10 <= body.length) {
    const id = ascii(body, p, 4);
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding (zeros) or junk
    const len = major === 4 ? syncsafe(body, p + 4) : u32be(body, p + 4);
    const fflags = (body[p + 8]! << 8) | body[p + 9]!;
    const start = p + 10;
    if (start + len > body.length) break;
    let frameBody = body.subarray(start, start + len);
    let outFlags = fflags;
    if (major === 4 && fflags & 0x02) {
      // Per-frame unsynchronisation; a data length indicator (0x01) comes with it.
      frameBody = undoUnsync(fflags & 0x01 ? frameBody.subarray(4) : frameBody);
      outFlags &= ~0x03;
    }
    frames.push({ id, flags: outFlags, body: frameBody.slice() });
    p = start + len;
  }
  return { major, frames };
}

/** v2.2's three-letter frames and their v2.3 names (ID3v2.3 spec, appendix; iTunes' own). */
// prettier-ignore
const V22_NAMES: Record<string, string> = {
  BUF: 'RBUF', CNT: 'PCNT', COM: 'COMM', CRA: 'AENC', ETC: 'ETCO', GEO: 'GEOB', IPL: 'IPLS',
  LNK: 'LINK', MCI: 'MCDI', MLL: 'MLLT', POP: 'POPM', REV: 'RVRB', RVA: 'RVAD', SLT: 'SYLT',
  STC: 'SYTC', TAL: 'TALB', TBP: 'TBPM', TCM: 'TCOM', TCO: 'TCON', TCR: 'TCOP', TDA: 'TDAT',
  TDY: 'TDLY', TEN: 'TENC', TFT: 'TFLT', TIM: 'TIME', TKE: 'TKEY', TLA: 'TLAN', TLE: 'TLEN',
  TMT: 'TMED', TOA: 'TOPE', TOF: 'TOFN', TOL: 'TOLY', TOR: 'TORY', TOT: 'TOAL', TP1: 'TPE1',
  TP2: 'TPE2', TP3: 'TPE3', TP4: 'TPE4', TPA: 'TPOS', TPB: 'TPUB', TRC: 'TSRC', TRD: 'TRDA',
  TRK: 'TRCK', TSI: 'TSIZ', TSS: 'TSSE', TT1: 'TIT1', TT2: 'TIT2', TT3: 'TIT3', TXT: 'TEXT',
  TXX: 'TXXX', TYE: 'TYER', UFI: 'UFID', ULT: 'USLT', WAF: 'WOAF', WAR: 'WOAR', WAS: 'WOAS',
  WCM: 'WCOM', WCP: 'WCOP', WPB: 'WPUB', WXX: 'WXXX',
  // iTunes' sort orders and "compilation", which v2.3 readers know under these names.
  TCP: 'TCMP', TS2: 'TSO2', TSA: 'TSOA', TSC: 'TSOC', TSP: 'TSOP', TST: 'TSOT',
};

/** v2.2 PIC image formats as MIME types. */
const V22_IMAGE: Record<string, string> = {
  JPG: 'image/jpeg',
  PNG: 'image/png',
  GIF: 'image/gif',
  BMP: 'image/bmp',
};

/** A v2.2 tag's frames as v2.3 frames (see parseId3v2). Compressed v2.2 tags are undefined. */
function parseId3v22(bytes: Uint8Array): Id3Tag | undefined {
  const flags = bytes[5]!;
  if (flags & 0x40) return undefined; // "compression", which the spec never defined
  let body = bytes.subarray(ID3V2_HEADER, ID3V2_HEADER + syncsafe(bytes, 6));
  if (flags & 0x80) body = undoUnsync(body);
  const frames: Id3Frame[] = [];
  for (let p = 0; p + 6 <= body.length;) {
    const id = ascii(body, p, 3);
    if (!/^[A-Z0-9]{3}$/.test(id)) break; // padding or junk
    const len = (body[p + 3]! << 16) | (body[p + 4]! << 8) | body[p + 5]!;
    const start = p + 6;
    if (start + len > body.length) break;
    const frame = body.subarray(start, start + len);
    p = start + len;
    if (id === 'PIC') {
      if (frame.length < 6) continue;
      const format = ascii(frame, 1, 3).toUpperCase();
      const mime = V22_IMAGE[format] ?? `image/${format.toLowerCase()}`;
      // encoding, MIME (Latin-1, NUL-terminated), then type, description, data as in PIC.
      const apic = concat([
        frame.subarray(0, 1),
        latin1(mime),
        new Uint8Array([0]),
        frame.subarray(4),
      ]);
      frames.push({ id: 'APIC', flags: 0, body: apic });
      continue;
    }
    const name = V22_NAMES[id];
    if (name) frames.push({ id: name, flags: 0, body: frame.slice() });
  }
  return { major: 3, frames };
}

export interface LeadingId3 {
  /** The frames of the first tag, with those of later tags of the same version added. */
  tag: Id3Tag | undefined;
  /** Bytes the leading tag(s) take; the audio starts here. */
  size: number;
  /** True when a tag announces more bytes than the Blob holds. */
  truncated: boolean;
}

/** Bytes read at a time while walking chained tags: many small tags cost one read, not one each. */
const ID3_WINDOW = 64 * 1024;

/**
 * Reads the ID3v2 tag(s) at the start of a Blob (taggers sometimes chain them). With
 * `frames: false` only their sizes are read, not their bodies. Headers are read a window at a
 * time (100,000 chained empty tags took one Blob read each, 9.2 s), and Cancel is checked
 * between windows.
 */
export async function readLeadingId3(
  blob: Blob,
  opts: { frames?: boolean; signal?: AbortSignal } = {},
): Promise<LeadingId3> {
  let size = 0;
  let tag: Id3Tag | undefined;
  let win: Bytes = new Uint8Array(0);
  let winAt = 0;
  /** Bytes [start, end): from the window when it holds them, else one read (a new window). */
  const bytesAt = async (start: number, end: number): Promise<Bytes> => {
    if (start >= winAt && end <= winAt + win.length)
      return win.subarray(start - winAt, end - winAt);
    throwIfAborted(opts.signal);
    if (end - start > ID3_WINDOW) return readRange(blob, start, end);
    winAt = start;
    win = await readRange(blob, start, start + ID3_WINDOW);
    return win.subarray(0, Math.min(end - start, win.length));
  };
  for (;;) {
    const n = id3v2TagSize(await bytesAt(size, size + ID3V2_HEADER));
    if (n === 0) break;
    if (size + n > blob.size) return { tag, size, truncated: true };
    if (opts.frames !== false) {
      const parsed = parseId3v2(await bytesAt(size, size + n));
      if (parsed && !tag) tag = parsed;
      else if (parsed && parsed.major === tag?.major) tag.frames.push(...parsed.frames);
    }
    size += n;
  }
  return { tag, size, truncated: false };
}

/** The size of the ID3v2 tag(s) at the start of `bytes` (the head of a file). */
export function leadingId3Size(bytes: Uint8Array): number {
  let size = 0;
  for (let n = id3v2TagSize(bytes, 0); n > 0; n = id3v2TagSize(bytes, size)) size += n;
  return size;
}

/** Frames a rewrite replaces or drops (chapters, the length, edited fields are set anew). */
const ALWAYS_DROPPED = new Set(['CHAP', 'CTOC', 'TLEN']);

/**
 * A fresh tag: the old tag's frames (`old`, possibly undefined), less those the edit replaces,
 * plus the edited text frames, the cover frames (`coverTag` = another input's tag, or `image`,
 * a JPEG or PNG of the person's own, when the edit takes a picture) and CHAP/CTOC for the
 * chapters.
 */
export function buildId3v2(
  old: Id3Tag | undefined,
  edit: Id3Edit,
  coverTag?: Id3Tag,
  image?: Uint8Array,
  chapterImages?: ChapterImages,
): Bytes {
  // ffmpeg (5.1, and the players built on it) reads the sizes of the frames inside a CHAP as
  // plain numbers, as v2.3 writes them: v2.4's syncsafe sizes of a chapter's picture would lose
  // the chapter there. A tag whose chapters carry pictures is written as v2.3.
  const pictures = edit.chapters.some((c) => c.imageId && chapterImages?.has(c.imageId));
  const major: 3 | 4 = pictures ? 3 : (old?.major ?? 4);
  if (old && old.major === 4 && major === 3) {
    old = { major: 3, frames: framesAsV23(old.frames, (id, v) => textFrame(id, v, 3)) };
  }
  const fileAlterDiscard = major === 4 ? 0x2000 : 0x4000;
  const setIds = new Set<string>();
  for (const [k, id] of TEXT_FRAMES) if (edit.set[k]) setIds.add(id);
  if (edit.set.year) for (const id of ['TYER', 'TDRC', 'TDAT', 'TIME']) setIds.add(id);
  if (edit.set.comment) setIds.add('COMM');
  const frames: Id3Frame[] = [];
  for (const f of old?.frames ?? []) {
    if (ALWAYS_DROPPED.has(f.id) || setIds.has(f.id)) continue;
    if (f.flags & fileAlterDiscard) continue; // "discard this frame when the audio changes"
    if (f.id === 'APIC' && edit.cover !== 'keep') continue;
    frames.push(f);
  }
  if (typeof edit.cover === 'object' && coverTag) {
    for (const f of coverTag.frames) {
      if (f.id !== 'APIC') continue;
      if (coverTag.major !== major && (f.flags & 0xff || (major === 3 && f.body[0] === 3))) {
        continue; // version-specific flags or a UTF-8 description v2.3 cannot hold
      }
      frames.push({ ...f, flags: coverTag.major === major ? f.flags : 0 });
    }
  }
  if (typeof edit.cover === 'object' && image) frames.push(apicFrame(image));
  const text = (id: string, value: string) => frames.push(textFrame(id, value, major));
  for (const [k, id] of TEXT_FRAMES) {
    const v = edit.set[k];
    if (v) text(id, v);
  }
  if (edit.set.year) text(major === 4 ? 'TDRC' : 'TYER', edit.set.year);
  if (edit.set.comment) frames.push(commentFrame(edit.set.comment, major));
  frames.push(...chapterFrames(edit.chapters, major, chapterImages));
  const body = concat(frames.map((f) => serializeFrame(f, major)));
  const header = new Uint8Array(ID3V2_HEADER);
  header.set([0x49, 0x44, 0x33, major, 0, 0]);
  writeSyncsafe(header, 6, body.length);
  return concat([header, body]);
}

/**
 * A CTOC frame: its id, flags (0x02 top level, 0x01 ordered), the ids of its entries (one byte
 * counts them: the first 255) and, for a part, its title.
 */
function tocFrame(
  id: string,
  top: boolean,
  entries: readonly string[],
  title?: Uint8Array,
): Id3Frame {
  return {
    id: 'CTOC',
    flags: 0,
    body: concat([
      latin1z(id),
      new Uint8Array([top ? 0x03 : 0x01, Math.min(255, entries.length)]),
      ...entries.slice(0, 255).map(latin1z),
      ...(title ? [title] : []),
    ]),
  };
}

/**
 * CTOC (a table of contents) and one CHAP per chapter. Chapters of a part (a book's episode
 * and its own chapters) go in a CTOC of their own, titled by the part, inside the top one: the
 * nesting ID3v2 Chapter Frame Addendum 1.0 describes, each CHAP titled by its title inside.
 */
function chapterFrames(
  chapters: readonly Id3Chapter[],
  major: 3 | 4,
  images?: ChapterImages,
): Id3Frame[] {
  if (chapters.length === 0) return [];
  const ids = chapters.map((_, i) => `ch${i}`);
  const top: string[] = [];
  const parts: Id3Frame[] = [];
  for (let i = 0; i < chapters.length;) {
    const part = chapters[i]!.part;
    if (!part) {
      top.push(ids[i++]!);
      continue;
    }
    const members: string[] = [];
    for (; i < chapters.length && chapters[i]!.part === part; i++) members.push(ids[i]!);
    const id = `toc${parts.length + 1}`;
    top.push(id);
    parts.push(tocFrame(id, false, members, serializeFrame(textFrame('TIT2', part, major), major)));
  }
  return [
    tocFrame('toc', true, top),
    ...parts,
    ...chapters.map((c, i): Id3Frame => {
      const times = new Uint8Array(16);
      const dv = new DataView(times.buffer);
      dv.setUint32(0, c.start);
      dv.setUint32(4, c.end);
      dv.setUint32(8, 0xffffffff);
      dv.setUint32(12, 0xffffffff);
      const title = serializeFrame(
        textFrame('TIT2', c.part ? (c.inner ?? c.title) : c.title, major),
        major,
      );
      // Its image as a sub-frame (ID3v2 Chapter Frame Addendum: "APIC" in CHAP), type "other".
      const image = c.imageId ? images?.get(c.imageId) : undefined;
      const picture = image ? [serializeFrame(apicFrame(image, 0), major)] : [];
      return {
        id: 'CHAP',
        flags: 0,
        body: concat([latin1z(ids[i]!), times, title, ...picture]),
      };
    }),
  ];
}

function textFrame(id: string, value: string, major: 3 | 4): Id3Frame {
  let body: Uint8Array;
  if (major === 4) body = concat([new Uint8Array([3]), new TextEncoder().encode(value)]);
  else if (/^[\x20-\x7e\xa0-\xff]*$/.test(value))
    body = concat([new Uint8Array([0]), latin1(value)]);
  else {
    // UTF-16 with a byte order mark (little-endian).
    const u = new Uint8Array(3 + value.length * 2);
    u.set([1, 0xff, 0xfe]);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      u[3 + i * 2] = c & 0xff;
      u[4 + i * 2] = c >> 8;
    }
    body = u;
  }
  return { id, flags: 0, body };
}

/**
 * An APIC frame holding `image`, as the front cover (type 3) unless `type` says otherwise, its
 * MIME type from its bytes.
 */
function apicFrame(image: Uint8Array, type = 3): Id3Frame {
  const mime = image[0] === 0x89 && image[1] === 0x50 ? 'image/png' : 'image/jpeg';
  return {
    id: 'APIC',
    flags: 0,
    body: concat([new Uint8Array([0]), latin1z(mime), new Uint8Array([type, 0]), image]),
  };
}

/** A COMM frame (language "eng", no description) holding `text`. */
function commentFrame(text: string, major: 3 | 4): Id3Frame {
  // The text frame's encoding byte and encoded value, with an empty description before it.
  const t = textFrame('COMM', text, major).body;
  const enc = t[0]!;
  const emptyDescription =
    enc === 1 ? new Uint8Array([0xff, 0xfe, 0, 0]) : new Uint8Array(enc === 0 || enc === 3 ? 1 : 2);
  return {
    id: 'COMM',
    flags: 0,
    body: concat([new Uint8Array([enc]), latin1('eng'), emptyDescription, t.subarray(1)]),
  };
}

function serializeFrame(f: Id3Frame, major: 3 | 4): Uint8Array {
  const out = new Uint8Array(10 + f.body.length);
  for (let i = 0; i < 4; i++) out[i] = f.id.charCodeAt(i);
  if (major === 4) writeSyncsafe(out, 4, f.body.length);
  else new DataView(out.buffer).setUint32(4, f.body.length);
  out[8] = (f.flags >> 8) & 0xff;
  out[9] = f.flags & 0xff;
  out.set(f.body, 10);
  return out;
}

/** Undoes ID3 unsynchronisation: every 0xFF 0x00 becomes 0xFF. */
function undoUnsync(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    out[n++] = b[i]!;
    if (b[i] === 0xff && b[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

function latin1z(s: string): Uint8Array {
  return concat([latin1(s), new Uint8Array([0])]);
}
