/**
 * "Make a book" from a feed's list (extension pages): the chosen episodes queued oldest first,
 * the output set to an M4B with the feed's title, author and artwork, one chapter per episode
 * named by its title, and each episode's own Podcasting 2.0 JSON chapters inside it ("Episode:
 * chapter"). Everything is fetched the way the feed itself is (loadFeed: the site's access asked
 * for in the click, no cookies), and the audio by the background's page-audio downloads.
 */
import { browser } from '#imports';
import { t, text } from '@/lib/core/i18n';
import { FetchRefusedError } from '@/lib/core/errors';
import { background } from '@/lib/protocol';
import { editTrack } from '@/lib/queue/actions';
import { notify } from '@/lib/queue/notices';
import { putCoverImage } from '@/lib/store/cover';
import { outputSettings, outputTags, preferences } from '@/lib/store/settings';
import { bookOrder, type FeedBook } from './feed-book';
import { episodeChapters, MAX_JSON_CHAPTERS_BYTES, parseJsonChapters } from './json-chapters';
import { queuePageAudio } from './picks';
import { originPattern } from './urls';

/** Artwork larger than this is not used as the cover. */
const MAX_ARTWORK_BYTES = 10 * 1024 * 1024;
/** A chapters file or artwork that takes longer than this is given up. */
const FETCH_TIMEOUT_MS = 20_000;

/** A stranger's bytes, read without cookies, at most `max` of them (else undefined). */
async function fetchCapped(url: string, max: number): Promise<Blob | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
  try {
    const res = await fetch(url, { credentials: 'omit', signal: abort.signal });
    if (!res.ok || !res.body) return undefined;
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > max) return undefined;
    const reader = res.body.getReader();
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel();
        return undefined;
      }
      parts.push(value as Uint8Array<ArrayBuffer>);
    }
    return new Blob(parts, { type: res.headers.get('content-type') ?? '' });
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** JPEG or PNG by their first bytes (what MP4 and ID3 covers hold). */
async function isCoverImage(blob: Blob): Promise<boolean> {
  const b = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  return jpeg || png;
}

/**
 * Makes a book of `chosen` (audio URLs of the feed's episodes). The site access request is the
 * first thing it does, in the click (every site the book reads from: the feed's, the audio's,
 * the chapters' and the artwork's).
 */
export function makeBook(
  feedUrl: string,
  book: FeedBook,
  chosen: readonly string[],
): Promise<void> {
  const episodes = bookOrder(book, chosen);
  const urls = [
    feedUrl,
    ...episodes.flatMap((e) => [e.audioUrl, ...(e.chaptersUrl ? [e.chaptersUrl] : [])]),
    ...(book.imageUrl ? [book.imageUrl] : []),
  ];
  const origins = [...new Set(urls.map(originPattern))];
  const asked = browser.permissions.request({ origins }).catch(() => false);
  return (async () => {
    if (episodes.length === 0) return;
    // Queued and set up at once, without waiting for the answer: Chrome's prompt can close the
    // popup (the background retries the downloads once access is granted, as for Add selected).
    const { added } = await queuePageAudio(
      episodes.map((e) => ({ url: e.audioUrl, name: e.title || undefined, pageUrl: feedUrl })),
    );
    const prefs = await preferences.getValue();
    const mine = added.flatMap((track) => {
      const episode = episodes.find(
        (e) => track.source.kind === 'url' && track.source.url === e.audioUrl,
      );
      return episode ? [{ track, episode, title: episode.title || track.name }] : [];
    });
    for (const { track, title } of mine) {
      await editTrack(track.id, { chapterTitle: title }, prefs.defaultTransition);
    }
    if (added.length > 0) {
      await background.sendMessage(
        'bg:fetchTracks',
        added.map((tr) => tr.id),
      );
    }
    const output = await outputSettings.getValue();
    await outputSettings.setValue({ ...output, format: 'm4b', chapters: 'auto' });
    const tags = await outputTags.getValue();
    await outputTags.setValue({
      ...tags,
      title: book.title,
      album: book.title,
      artist: book.author,
      albumArtist: book.author,
    });
    if (!(await asked)) {
      throw new FetchRefusedError(text('feed.notAllowed', new URL(feedUrl).host));
    }
    // Each episode's own chapters, inside its chapter.
    const failed: string[] = [];
    for (const { track, episode, title } of mine) {
      if (!episode.chaptersUrl) continue;
      const blob = await fetchCapped(episode.chaptersUrl, MAX_JSON_CHAPTERS_BYTES);
      let chapters: ReturnType<typeof episodeChapters>;
      try {
        if (!blob) throw new Error('not fetched');
        chapters = episodeChapters(title, parseJsonChapters(await blob.text()));
      } catch {
        failed.push(title);
        continue;
      }
      if (chapters) await editTrack(track.id, { chapters }, prefs.defaultTransition);
    }
    if (book.imageUrl) {
      const art = await fetchCapped(book.imageUrl, MAX_ARTWORK_BYTES);
      if (art && (await isCoverImage(art))) {
        await putCoverImage({ blob: art, name: t('book.artwork') });
        await outputSettings.setValue({ ...(await outputSettings.getValue()), cover: 'image' });
      }
    }
    notify({
      text:
        failed.length > 0
          ? t('book.madeWithout', book.title, failed.join(', '))
          : t('book.made', book.title),
    });
  })();
}
