/**
 * Tags, chapters and cover art of the joined file, as bytes and text ffmpeg or a player reads:
 * - `resolveTags`: the output's tags (the editor's fields, an empty field = the first track's);
 * - `ffmetadata`: an FFMETADATA1 file (tags and chapters) for ffmpeg's `-i meta.txt
 *   -map_metadata N -map_chapters N`, which its muxers turn into MP4 chapters and ID3 CHAP frames;
 * - an ID3v2 reader/writer for the lossless MP3 path, which never runs ffmpeg: the joined Blob's
 *   leading tag (the first input's, verbatim) is replaced by one with the edited tags, CHAP/CTOC
 *   chapter frames and the chosen cover, and every other frame of the first input's tag kept.
 */
import type { ChapterTime } from '@/lib/plan/timeline';
import { COVER_IMAGE_ID, type OutputTags } from '@/lib/core/settings';

// ---------------------------------------------------------------------------------------------
// Tags

/** The tags Seam writes: the editor's fields plus the few others worth keeping. */
export interface ResolvedTags {
  title?: string;
  artist?: string;
  album?: string;
  /** The year field (ffmpeg's generic key "date": ID3 TDRC/TYER, MP4 ©day). */
  date?: string;
  album_artist?: string;
  genre?: string;
  /** Track number, "3" or "3/12" (ID3 TRCK, MP4 trkn). */
  track?: string;
  /** ID3 COMM, MP4 ©cmt, Vorbis COMMENT. */
  comment?: string;
  composer?: string;
  copyright?: string;
}

/** First track tags carried over as they are (not track numbers, comments or encoder notes). */
const KEPT_KEYS = ['composer', 'copyright'] as const;

/**
 * The output's tags: each of title/artist/album/year/album artist/genre from the editor, or,
 * when that field is empty, from the first track (ffprobe's lower-cased keys); track number and
 * comment from the editor only (the first track's own belong to it, not to the joined file);
 * plus composer and copyright of the first track. No encoder or "made with" tag is added.
 */
export function resolveTags(
  first: Readonly<Record<string, string>>,
  user: Partial<OutputTags> = {},
): ResolvedTags {
  const pick = (own: string | undefined, ...keys: string[]) => {
    const v = own?.trim();
    if (v) return v;
    for (const k of keys) {
      const t = first[k]?.trim();
      if (t) return t;
    }
    return undefined;
  };
  const out: ResolvedTags = {};
  const set = (k: keyof ResolvedTags, v: string | undefined) => {
    if (v) out[k] = v;
  };
  set('title', pick(user.title, 'title'));
  set('artist', pick(user.artist, 'artist'));
  set('album', pick(user.album, 'album'));
  set('date', pick(user.year, 'date', 'year'));
  set('album_artist', pick(user.albumArtist, 'album_artist'));
  set('genre', pick(user.genre, 'genre'));
  set('track', pick(user.track));
  set('comment', pick(user.comment));
  for (const k of KEPT_KEYS) set(k, pick(undefined, k));
  return out;
}

/** The editor's tag fields, the ffprobe key each one falls back to, and its ID3 frame. */
const TEXT_FIELDS = [
  ['title', 'title', 'TIT2'],
  ['artist', 'artist', 'TPE1'],
  ['album', 'album', 'TALB'],
  ['albumArtist', 'album_artist', 'TPE2'],
  ['genre', 'genre', 'TCON'],
  ['track', 'track', 'TRCK'],
] as const;

/** The editor's fields that differ from the first track's (what a tag rewrite must change). */
export function userTagChanges(
  first: Readonly<Record<string, string>>,
  user: Partial<OutputTags> = {},
): Partial<OutputTags> {
  const changes: Partial<OutputTags> = {};
  for (const [k, key] of TEXT_FIELDS) {
    const v = user[k]?.trim();
    if (v && v !== first[key]?.trim()) changes[k] = v;
  }
  const y = user.year?.trim();
  if (y && y !== (first.date ?? first.year)?.trim()) changes.year = y;
  const c = user.comment?.trim();
  if (c && c !== first.comment?.trim()) changes.comment = c;
  return changes;
}

// ---------------------------------------------------------------------------------------------
// FFMETADATA1

/** Escapes a key or value for an FFMETADATA1 file: `=`, `;`, `#`, `\` and newlines. */
export function escapeFfmetadata(s: string): string {
  return s.replace(/[=;#\\\n]/g, (c) => `\\${c}`).replace(/\r/g, '');
}

/**
 * An FFMETADATA1 file: global tags, then one [CHAPTER] per chapter in milliseconds. Chapter
 * times are rounded to the millisecond and made contiguous (each ends where the next starts).
 */
export function ffmetadata(tags: ResolvedTags, chapters: readonly ChapterTime[] = []): string {
  const lines = [';FFMETADATA1'];
  for (const [k, v] of Object.entries(tags) as [string, string | undefined][]) {
    if (v) lines.push(`${escapeFfmetadata(k)}=${escapeFfmetadata(v)}`);
  }
  for (const c of chapterMillis(chapters)) {
    lines.push(
      '',
      '[CHAPTER]',
      'TIMEBASE=1/1000',
      `START=${c.start}`,
      `END=${c.end}`,
      `title=${escapeFfmetadata(c.title)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Chapters in whole milliseconds, contiguous, none empty. */
export function chapterMillis(
  chapters: readonly ChapterTime[],
): { title: string; start: number; end: number }[] {
  const ms = chapters.map((c) => ({
    title: c.title,
    start: Math.max(0, Math.round(c.startSec * 1000)),
    end: Math.max(0, Math.round(c.endSec * 1000)),
  }));
  for (let i = 0; i < ms.length; i++) {
    const next = ms[i + 1];
    if (next) ms[i]!.end = next.start;
    ms[i]!.end = Math.max(ms[i]!.end, ms[i]!.start);
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------
// ID3v2 (for the lossless MP3 path)

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

/** What the lossless MP3 path changes in the first input's tag. */
export interface Id3Edit {
  /** Fields to set (absent = keep the first input's frame). */
  set: Partial<OutputTags>;
  /** CHAP/CTOC frames to write; empty = none (and any old ones are dropped). */
  chapters: ChapterTime[];
  /**
   * Keep the first input's picture(s), drop them, or take another input's (`trackId`; the
   * person's own image file when it is COVER_IMAGE_ID).
   */
  cover: 'keep' | 'none' | { trackId: string };
}

/** Total size (header, body, footer) of the ID3v2 tag starting at `h`, or 0 if none. */
export function id3v2TagSize(h: Uint8Array): number {
  if (h.length < 10 || h[0] !== 0x49 || h[1] !== 0x44 || h[2] !== 0x33) return 0;
  if (h[3]! > 4 || h[3]! < 2 || h[4] === 0xff) return 0;
  if ((h[6]! | h[7]! | h[8]! | h[9]!) & 0x80) return 0;
  const body = syncsafe(h, 6);
  const footer = h[3] === 4 && h[5]! & 0x10 ? 10 : 0;
  return 10 + body + footer;
}

/**
 * The frames of an ID3v2.3 or v2.4 tag (bytes from its header on). Undefined for v2.2 and for
 * anything that does not parse. Unsynchronisation is undone; v2.4 frames are de-unsynchronised
 * one by one.
 */
export function parseId3v2(bytes: Uint8Array): Id3Tag | undefined {
  const size = id3v2TagSize(bytes);
  if (size === 0 || bytes.length < size) return undefined;
  const major = bytes[3];
  if (major !== 3 && major !== 4) return undefined;
  const flags = bytes[5]!;
  let body = bytes.subarray(10, 10 + syncsafe(bytes, 6));
  if (major === 3 && flags & 0x80) body = undoUnsync(body);
  let p = 0;
  if (flags & 0x40) {
    // Extended header: v2.3's size excludes its own 4 bytes, v2.4's (syncsafe) includes them.
    p = major === 3 ? 4 + u32(body, 0) : syncsafe(body, 0);
  }
  const frames: Id3Frame[] = [];
  while (p + 10 <= body.length) {
    const id = String.fromCharCode(...body.subarray(p, p + 4));
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding (zeros) or junk
    const len = major === 4 ? syncsafe(body, p + 4) : u32(body, p + 4);
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

/** Frames a rewrite replaces or drops (chapters, the length, edited fields are set anew). */
const ALWAYS_DROPPED = new Set(['CHAP', 'CTOC', 'TLEN']);

/**
 * The new tag for the joined MP3: the first input's frames (`old`, possibly undefined), less
 * those the edit replaces, plus the edited text frames, the cover frames (`cover` =
 * another input's tag, when the edit takes its picture) and CHAP/CTOC for the chapters.
 */
export function buildId3v2(
  old: Id3Tag | undefined,
  edit: Id3Edit,
  coverTag?: Id3Tag | undefined,
  /** The person's own cover image (JPEG or PNG bytes), written as the front cover. */
  image?: Uint8Array,
): Uint8Array {
  const major: 3 | 4 = old?.major ?? 4;
  const fileAlterDiscard = major === 4 ? 0x2000 : 0x4000;
  const setIds = new Set<string>();
  for (const [k, , id] of TEXT_FIELDS) if (edit.set[k]) setIds.add(id);
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
  for (const [k, , id] of TEXT_FIELDS) {
    const v = edit.set[k];
    if (v) text(id, v);
  }
  if (edit.set.year) text(major === 4 ? 'TDRC' : 'TYER', edit.set.year);
  if (edit.set.comment) frames.push(commentFrame(edit.set.comment, major));
  const chapters = chapterMillis(edit.chapters);
  if (chapters.length > 0) {
    const ids = chapters.map((_, i) => `ch${i}`);
    // CTOC counts its entries in one byte: a table of contents for the first 255 chapters.
    frames.push({
      id: 'CTOC',
      flags: 0,
      body: concat([
        latin1z('toc'),
        new Uint8Array([0x03, Math.min(255, ids.length)]),
        ...ids.slice(0, 255).map(latin1z),
      ]),
    });
    chapters.forEach((c, i) => {
      const times = new Uint8Array(16);
      const dv = new DataView(times.buffer);
      dv.setUint32(0, c.start);
      dv.setUint32(4, c.end);
      dv.setUint32(8, 0xffffffff);
      dv.setUint32(12, 0xffffffff);
      const title = serializeFrame(textFrame('TIT2', c.title, major), major);
      frames.push({ id: 'CHAP', flags: 0, body: concat([latin1z(ids[i]!), times, title]) });
    });
  }
  const body = concat(frames.map((f) => serializeFrame(f, major)));
  const header = new Uint8Array(10);
  header.set([0x49, 0x44, 0x33, major, 0, 0]);
  writeSyncsafe(header, 6, body.length);
  return concat([header, body]);
}

/** Reads the ID3v2 tag(s) at the start of a Blob: their frames (merged) and total size. */
export async function readLeadingId3(
  blob: Blob,
): Promise<{ tag: Id3Tag | undefined; size: number }> {
  let size = 0;
  let tag: Id3Tag | undefined;
  for (;;) {
    const head = new Uint8Array(await blob.slice(size, size + 10).arrayBuffer());
    const n = id3v2TagSize(head);
    if (n === 0 || size + n > blob.size) break;
    const parsed = parseId3v2(new Uint8Array(await blob.slice(size, size + n).arrayBuffer()));
    if (parsed) {
      if (!tag) tag = parsed;
      else if (parsed.major === tag.major) tag.frames.push(...parsed.frames);
    }
    size += n;
  }
  return { tag, size };
}

/**
 * Replaces the leading ID3v2 tag of a joined MP3 Blob (zero-copy for the audio: the result is
 * the new tag plus a slice of `joined`). `coverFrom` is the input whose picture the edit takes.
 */
export async function retagMp3(joined: Blob, edit: Id3Edit, coverFrom?: Blob): Promise<Blob> {
  const { tag, size } = await readLeadingId3(joined);
  const fromImage = typeof edit.cover === 'object' && edit.cover.trackId === COVER_IMAGE_ID;
  const coverTag =
    typeof edit.cover === 'object' && coverFrom && !fromImage
      ? (await readLeadingId3(coverFrom)).tag
      : undefined;
  const image = fromImage && coverFrom ? new Uint8Array(await coverFrom.arrayBuffer()) : undefined;
  const fresh = buildId3v2(tag, edit, coverTag, image);
  return new Blob([fresh as Uint8Array<ArrayBuffer>, joined.slice(size)], {
    type: joined.type || 'audio/mpeg',
  });
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

/** An APIC frame holding `image` as the front cover (type 3), its MIME type from its bytes. */
function apicFrame(image: Uint8Array): Id3Frame {
  const mime = image[0] === 0x89 && image[1] === 0x50 ? 'image/png' : 'image/jpeg';
  return {
    id: 'APIC',
    flags: 0,
    body: concat([new Uint8Array([0]), latin1z(mime), new Uint8Array([3, 0]), image]),
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

function syncsafe(b: Uint8Array, at: number): number {
  return (
    ((b[at]! & 0x7f) << 21) |
    ((b[at + 1]! & 0x7f) << 14) |
    ((b[at + 2]! & 0x7f) << 7) |
    (b[at + 3]! & 0x7f)
  );
}

function writeSyncsafe(b: Uint8Array, at: number, n: number): void {
  if (n >= 1 << 28) throw new Error('ID3v2 tag too large');
  b[at] = (n >> 21) & 0x7f;
  b[at + 1] = (n >> 14) & 0x7f;
  b[at + 2] = (n >> 7) & 0x7f;
  b[at + 3] = n & 0x7f;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
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

function latin1(s: string): Uint8Array {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 0xff;
  return u;
}

function latin1z(s: string): Uint8Array {
  return concat([latin1(s), new Uint8Array([0])]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
