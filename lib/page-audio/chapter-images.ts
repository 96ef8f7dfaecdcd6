/**
 * The pictures of a book's JSON chapters (a Podcasting 2.0 chapter's `img`), fetched through the
 * same fetch gate and the same site access as the episodes' audio and chapters (an image on a
 * site the book was not given is not fetched), each capped in size, the book's in count and in
 * the bytes its chapters' frames will hold, and taken only when its first bytes say JPEG or PNG
 * (what an ID3 APIC holds). A picture that fails is only that picture lost. The fetching and
 * the keeping are passed in, so that this is tested without a browser.
 */

/** A chapter picture larger than this is not taken. */
export const MAX_CHAPTER_IMAGE_BYTES = 1024 * 1024;
/** Pictures fetched for one book at most. */
export const MAX_CHAPTER_IMAGES = 100;
/** Bytes all chapters' pictures may add to a book's tag (one picture used twice counts twice). */
const MAX_BOOK_IMAGE_BYTES = 32 * 1024 * 1024;

/** JPEG or PNG by its first bytes, else undefined. */
export function chapterImageType(b: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return png.every((x, i) => b[i] === x) ? 'image/png' : undefined;
}

export interface ChapterImageIo {
  /** Downloads `url` through the fetch gate with a limit of `limitBytes`; throws on refusal. */
  fetch(url: string, limitBytes: number): Promise<Uint8Array>;
  /** Keeps the picture; returns its key. */
  keep(bytes: Uint8Array, type: string): Promise<string>;
}

/** What one book's pictures have used so far, and the addresses that failed. */
export interface ChapterImageBudget {
  fetched: Map<string, { key: string; bytes: number } | undefined>;
  bytes: number;
  lost: string[];
}

export function chapterImageBudget(): ChapterImageBudget {
  return { fetched: new Map(), bytes: 0, lost: [] };
}

/** One picture by its address: fetched once per book, checked, kept; undefined when lost. */
async function imageFor(
  url: string,
  io: ChapterImageIo,
  budget: ChapterImageBudget,
): Promise<{ key: string; bytes: number } | undefined> {
  if (budget.fetched.has(url)) return budget.fetched.get(url);
  let got: { key: string; bytes: number } | undefined;
  if (budget.fetched.size < MAX_CHAPTER_IMAGES) {
    try {
      const bytes = await io.fetch(url, MAX_CHAPTER_IMAGE_BYTES);
      const type = chapterImageType(bytes);
      if (type && bytes.length <= MAX_CHAPTER_IMAGE_BYTES) {
        got = { key: await io.keep(bytes, type), bytes: bytes.length };
      }
    } catch {
      got = undefined;
    }
  }
  budget.fetched.set(url, got);
  return got;
}

/**
 * The chapters with each picture's address replaced by its kept key (`imageId`); a chapter
 * whose picture is lost (refused, too large, not JPEG or PNG, past the book's caps) keeps no
 * picture and its address is added to `budget.lost`.
 */
export async function keepChapterImages<T extends { imageUrl?: string }>(
  chapters: readonly T[],
  io: ChapterImageIo,
  budget: ChapterImageBudget,
): Promise<(Omit<T, 'imageUrl'> & { imageId?: string })[]> {
  const out: (Omit<T, 'imageUrl'> & { imageId?: string })[] = [];
  for (const c of chapters) {
    const { imageUrl, ...rest } = c;
    if (!imageUrl) {
      out.push(rest);
      continue;
    }
    const image = await imageFor(imageUrl, io, budget);
    if (image && budget.bytes + image.bytes <= MAX_BOOK_IMAGE_BYTES) {
      budget.bytes += image.bytes;
      out.push({ ...rest, imageId: image.key });
    } else {
      if (!budget.lost.includes(imageUrl)) budget.lost.push(imageUrl);
      out.push(rest);
    }
  }
  return out;
}
