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
import { bookOrder, type FeedBook } from '@/lib/page-audio/feed-book';
import { episodeChapters, parseJsonChapters } from '@/lib/page-audio/json-chapters';
import { chapterImageBudget, keepChapterImages } from '@/lib/page-audio/chapter-images';
import { gatedChapterImageIo } from './chapter-image-io';
import { fetchGated, fetchGatedText } from '@/lib/fetch/gate';
import { queuePageAudio } from '@/lib/page-audio/picks';
import { originPattern } from '@/lib/page-audio/urls';

/** JPEG or PNG by their first bytes (what MP4 and ID3 covers hold). */
function isCoverImage(b: Uint8Array): boolean {
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  return jpeg || png;
}

/** Lost pictures' addresses, the first three by name. */
function lostImages(urls: readonly string[]): string {
  const shown = urls.slice(0, 3).join(', ');
  return urls.length > 3 ? `${shown}…` : shown;
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
    // Each episode's own chapters, inside its chapter: through the fetch gate, as the feed.
    const granted = (await browser.permissions.getAll()).origins ?? [];
    const gate = { granted, pageUrl: feedUrl };
    const failed: string[] = [];
    const images = chapterImageBudget();
    for (const { track, episode, title } of mine) {
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
      const kept = await keepChapterImages(chapters, gatedChapterImageIo(gate), images);
      await editTrack(track.id, { chapters: kept }, prefs.defaultTransition);
    }
    if (book.imageUrl) {
      const art = await fetchGated(book.imageUrl, { ...gate, kind: 'artwork' }).catch(
        () => undefined,
      );
      if (art && isCoverImage(art.bytes)) {
        const type = art.bytes[0] === 0xff ? 'image/jpeg' : 'image/png';
        await putCoverImage({
          blob: new Blob([art.bytes.slice()], { type }),
          name: t('book.artwork'),
        });
        await outputSettings.setValue({ ...(await outputSettings.getValue()), cover: 'image' });
      }
    }
    notify({
      text: [
        failed.length > 0
          ? t('book.madeWithout', book.title, failed.join(', '))
          : t('book.made', book.title),
        ...(images.lost.length > 0 ? [t('book.imagesLost', lostImages(images.lost))] : []),
      ].join(' '),
    });
  })();
}
