import { t } from '@/lib/core/i18n';
import { makeBook } from '@/lib/queue/book';
import type { FeedBook } from '@/lib/page-audio/feed-book';
import { run } from '@/lib/queue/alerts';

/**
 * "Make a book" in a feed's list: the ticked episodes (or, with none ticked, every one listed)
 * into one chaptered M4B (lib/page-audio/book.ts).
 */
export function MakeBook(props: {
  feedUrl: string;
  book: FeedBook;
  chosen: readonly string[];
  onDone: () => void;
}) {
  return (
    <button
      type="button"
      disabled={props.chosen.length === 0}
      onClick={() =>
        void run('book', async () => {
          try {
            await makeBook(props.feedUrl, props.book, props.chosen);
          } finally {
            props.onDone();
          }
        })
      }
    >
      {t('page.makeBook')}
    </button>
  );
}
