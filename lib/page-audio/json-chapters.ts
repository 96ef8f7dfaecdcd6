/**
 * Podcasting 2.0 JSON chapters (`application/json+chapters`, podcastindex.org's "jsonChapters"
 * spec): `{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "…", "toc": true}, …]}`.
 * Text from a stranger: its size is checked before it is parsed (JSON.parse is linear), then
 * each chapter is checked and the count capped. Pure.
 */

/** Larger chapter files are refused (a file of a thousand chapters is about 150 KB). */
export const MAX_JSON_CHAPTERS_BYTES = 1024 * 1024;
/** Chapters kept of one episode. */
export const MAX_JSON_CHAPTERS = 1000;
const MAX_TITLE = 200;
/** Longer image addresses are left out. */
const MAX_IMAGE_URL = 2048;

export interface JsonChapter {
  /** Seconds from the episode's start. */
  startSec: number;
  title: string;
  /** Its `img`: an http(s) address of the chapter's picture. */
  imageUrl?: string;
}

/** A chapter's `img` when it is an absolute http(s) address of a sane length. */
function imageUrlOf(img: unknown): string | undefined {
  if (typeof img !== 'string' || img.length > MAX_IMAGE_URL) return undefined;
  try {
    const u = new URL(img.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Why a chapter file was not used (said in a notice naming the episode). */
export class JsonChaptersError extends Error {
  override name = 'JsonChaptersError';
}

/**
 * The chapters of a JSON chapters file, in time order: those with a start time and a title,
 * not marked `"toc": false` (chapters meant to be left out of a table of contents), each
 * starting later than the one before.
 *
 * @throws JsonChaptersError when the text is too large or not such a file.
 */
export function parseJsonChapters(text: string): JsonChapter[] {
  if (text.length > MAX_JSON_CHAPTERS_BYTES) throw new JsonChaptersError('too large');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new JsonChaptersError('not JSON');
  }
  const list = (data as { chapters?: unknown } | null)?.chapters;
  if (!Array.isArray(list)) throw new JsonChaptersError('no chapters');
  const out: JsonChapter[] = [];
  for (const raw of list.slice(0, MAX_JSON_CHAPTERS * 2)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const c = raw as { startTime?: unknown; title?: unknown; toc?: unknown; img?: unknown };
    if (c.toc === false) continue;
    const start = typeof c.startTime === 'string' ? Number(c.startTime) : c.startTime;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) continue;
    const title = typeof c.title === 'string' ? c.title.replace(/\s+/g, ' ').trim() : '';
    if (!title) continue;
    const imageUrl = imageUrlOf(c.img);
    out.push({
      startSec: start,
      title: title.slice(0, MAX_TITLE),
      ...(imageUrl ? { imageUrl } : {}),
    });
  }
  out.sort((a, b) => a.startSec - b.startSec);
  return out
    .filter((c, i, all) => i === 0 || c.startSec > all[i - 1]!.startSec)
    .slice(0, MAX_JSON_CHAPTERS);
}

/**
 * An episode's chapters inside a book, flattened into MP4's one level: "Episode: chapter" (and
 * each one's own title, `inner`, for ID3's nesting; its image's address, if any); a
 * first chapter that starts later than the episode is preceded by one named after the episode.
 * Without chapters of its own the episode is one chapter (undefined: its chapter title says it).
 */
export function episodeChapters(
  episode: string,
  chapters: readonly JsonChapter[],
): { startSec: number; title: string; inner: string; imageUrl?: string }[] | undefined {
  if (chapters.length === 0) return undefined;
  const out = chapters.map((c) => ({
    startSec: Math.round(c.startSec * 100) / 100,
    title: `${episode}: ${c.title}`.slice(0, MAX_TITLE * 2),
    inner: c.title,
    ...(c.imageUrl ? { imageUrl: c.imageUrl } : {}),
  }));
  if (out[0]!.startSec > 0) out.unshift({ startSec: 0, title: episode, inner: episode });
  return out;
}
