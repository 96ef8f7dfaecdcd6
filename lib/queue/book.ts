/**
 * "Make a book" from a feed's list (extension pages): the chosen episodes queued oldest first,
 * the output set to an M4B with the feed's title, author and artwork, one chapter per episode
 * named by its title, and each episode's own Podcasting 2.0 JSON chapters inside it ("Episode:
 * chapter"). The chapters and the artwork come through the fetch gate as the feed does
 * (lib/fetch/gate.ts: the site's access asked for in the click, no cookies, budgets of size and
 * time, every redirect checked), and the audio by the background's page-audio downloads.
 */
import { browser } from '#imports';
import { t, text } from '@/lib/core/i18n';
import { FetchRefusedError } from '@/lib/core/errors';
import { background } from '@/lib/protocol';
import { editTrack } from './actions';
import { notify } from './notices';
import { putCoverImage } from '@/lib/store/cover';
import { outputSettings, outputTags, preferences } from '@/lib/store/settings';
import {
  bookOrder,
  bookOrigins,
  type BookEpisode,
  type FeedBook,
} from '@/lib/page-audio/feed-book';
import { episodeChapters, parseJsonChapters } from '@/lib/page-audio/json-chapters';
import {
  chapterImageBudget,
  keepChapterImages,
  type ChapterImageBudget,
} from '@/lib/page-audio/chapter-images';
import { gatedChapterImageIo } from './chapter-image-io';
import { fetchGated, fetchGatedText } from '@/lib/fetch/gate';
import { queuePageAudio } from '@/lib/page-audio/picks';
import type { Track, Transition } from '@/lib/core/track';

/** JPEG or PNG by their first bytes (what MP4 and ID3 covers hold). */
function isCoverImage(b: Uint8Array): boolean {
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
  const origins = bookOrigins(feedUrl, book, episodes);
  const asked = browser.permissions.request({ origins }).catch(() => false);
  return (async () => {
    if (episodes.length === 0) {
      notify({ text: t('book.noneFound', book.title) });
      return;
    }
    // Queued and set up at once, without waiting for the answer: Chrome's prompt can close the
    // popup (the background retries the downloads once access is granted, as for Add selected).
    const prefs = await preferences.getValue();
    const queued = await queueEpisodes(feedUrl, episodes, prefs.defaultTransition);
    await setBookOutput(book);
    if (!(await asked)) {
      throw new FetchRefusedError(text('feed.notAllowed', new URL(feedUrl).host));
    }
    // Each episode's own chapters, inside its chapter: through the fetch gate, as the feed.
    const granted = (await browser.permissions.getAll()).origins ?? [];
    const gate = { granted, pageUrl: feedUrl };
    const images = chapterImageBudget();
    const failed = await addEpisodeChapters(queued, gate, images, prefs.defaultTransition);
    const artwork = book.imageUrl ? await addArtwork(book.imageUrl, gate) : true;
    notify({
      text: [
        failed.length > 0
          ? t('book.madeWithout', book.title, failed.join(', '))
          : t('book.made', book.title),
        ...(images.lost.length > 0 ? [t('book.imagesLost', lostImages(images.lost))] : []),
        ...(artwork ? [] : [t('book.artworkLost')]),
      ].join(' '),
    });
  })();
}

/** A queued episode's track, the episode, and its chapter's title. */
interface QueuedEpisode {
  track: Track;
  episode: BookEpisode;
  title: string;
}

/**
 * Queues the episodes' audio (a chapter each, named by its title) and asks the background to
 * download it; returns the episodes queued now (one already in the queue is not queued again).
 */
async function queueEpisodes(
  feedUrl: string,
  episodes: readonly BookEpisode[],
  transition: Transition,
): Promise<QueuedEpisode[]> {
  const { added } = await queuePageAudio(
    episodes.map((e) => ({ url: e.audioUrl, name: e.title || undefined, pageUrl: feedUrl })),
  );
  const queued = added.flatMap((track) => {
    const episode = episodes.find(
      (e) => track.source.kind === 'url' && track.source.url === e.audioUrl,
    );
    return episode ? [{ track, episode, title: episode.title || track.name }] : [];
  });
  for (const { track, title } of queued) {
    await editTrack(track.id, { chapterTitle: title }, transition);
  }
  if (added.length > 0) {
    await background.sendMessage(
      'bg:fetchTracks',
      added.map((tr) => tr.id),
    );
  }
  return queued;
}

/** The output as a book: an M4B with chapters, tagged with the feed's title and author. */
async function setBookOutput(book: FeedBook): Promise<void> {
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
}

/** How the book's extras are fetched: the sites granted, and the feed as the page. */
interface BookGate {
  granted: string[];
  pageUrl: string;
}

/**
 * Each queued episode's own JSON chapters, set inside its chapter; returns the titles of the
 * episodes whose chapters could not be read.
 */
async function addEpisodeChapters(
  queued: readonly QueuedEpisode[],
  gate: BookGate,
  images: ChapterImageBudget,
  transition: Transition,
): Promise<string[]> {
  const failed: string[] = [];
  for (const { track, episode, title } of queued) {
    if (!episode.chaptersUrl) continue;
    let chapters: ReturnType<typeof episodeChapters>;
    try {
      const json = await fetchGatedText(episode.chaptersUrl, { ...gate, kind: 'chapters' });
      chapters = episodeChapters(title, parseJsonChapters(json.text));
    } catch {
      failed.push(title);
      continue;
    }
    if (!chapters) continue;
    // Each chapter's picture, where it has one, kept for the formats that hold them.
    const kept = await keepChapterImages(chapters, gatedChapterImageIo(gate), images);
    await editTrack(track.id, { chapters: kept }, transition);
  }
  return failed;
}

/**
 * The feed's artwork as the book's cover, when it is a JPEG or PNG; false when it could not be
 * used (refused, failed, or another kind of image), which the book's notice says.
 */
async function addArtwork(imageUrl: string, gate: BookGate): Promise<boolean> {
  const art = await fetchGated(imageUrl, { ...gate, kind: 'artwork' }).catch(() => undefined);
  if (!art || !isCoverImage(art.bytes)) return false;
  const type = art.bytes[0] === 0xff ? 'image/jpeg' : 'image/png';
  await putCoverImage({
    blob: new Blob([art.bytes.slice()], { type }),
    name: t('book.artwork'),
  });
  await outputSettings.setValue({ ...(await outputSettings.getValue()), cover: 'image' });
  return true;
}

/** Lost pictures' addresses, the first three by name. */
function lostImages(urls: readonly string[]): string {
  const shown = urls.slice(0, 3).join(', ');
  return urls.length > 3 ? `${shown}…` : shown;
}
