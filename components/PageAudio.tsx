import { useEffect, useMemo, useState } from 'preact/hooks';
import { addSelected, askedToAddAll, loadFeed, type Pick } from '@/lib/page-audio/actions';
import type { FeedBook } from '@/lib/page-audio/feed-book';
import { MakeBook } from './MakeBook';
import {
  fileIdentity,
  preferredFormat,
  queueFamily,
  type PageRecording,
} from '@/lib/page-audio/group';
import { commonHost, needsConfirmation, publicationOrder, rangeSize } from '@/lib/page-audio/picks';
import { canAdd, filterItems } from '@/lib/page-audio/urls';
import { describeHost } from '@/lib/fetch/tracking';
import { run } from '@/lib/queue/alerts';
import { formatBytes, listOf } from '@/lib/core/text';
import { usePageAudio } from '@/components/hooks/page-audio';
import { PageAudioRow, type Row } from './PageAudioRow';
import type { Track } from '@/lib/core/track';
import { t, tn } from '@/lib/core/i18n';

/** Long lists get a filter box and a range pick; short ones don't need them. */
const FILTER_FROM = 8;
/** Rows drawn at once: a feed of 1,000 episodes stays quick; "Show more" draws the next ones. */
const PAGE_ROWS = 100;

interface Feed {
  url: string;
  title: string;
  recordings: PageRecording[];
  leftOut?: string;
  book?: FeedBook | undefined;
}

export function PageAudio({ compact, tracks }: { compact: boolean; tracks: readonly Track[] }) {
  const state = usePageAudio(compact);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [formatOf, setFormatOf] = useState<ReadonlyMap<string, string>>(new Map());
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(PAGE_ROWS);
  const [rangeCount, setRangeCount] = useState(10);
  const [feed, setFeed] = useState<Feed | null>(null);
  const [confirming, setConfirming] = useState<Pick[] | null>(null);
  const [newestFirst, setNewestFirst] = useState(false);

  const queuedTracks = useMemo(() => {
    const map = new Map<string, Track>();
    for (const t of tracks) if (t.source.kind === 'url') map.set(fileIdentity(t.source.url), t);
    return map;
  }, [tracks]);
  const families = useMemo(
    () =>
      tracks.flatMap((t) => {
        const f = t.info ? queueFamily(t.info.codec) : undefined;
        return f ? [f] : [];
      }),
    [tracks],
  );

  const scanned = state.status === 'done' && state.ok ? state : undefined;
  const recordings = feed?.recordings ?? scanned?.recordings ?? [];
  const isFeed = !!feed || !!scanned?.isFeed;
  const rows: Row[] = useMemo(() => {
    const all = recordings.map((r) => {
      const format =
        r.formats.find((f) => f.url === formatOf.get(r.key)) ??
        preferredFormat(r.formats, families);
      const queued = r.formats
        .map((f) => queuedTracks.get(fileIdentity(f.url)))
        .find((t) => t !== undefined);
      return { rec: r, format, queued, name: r.name, host: hostText(format.url, queued) };
    });
    // The host most rows share is said once, not on every row (it left no room for titles).
    const common = commonHost(all.map((r) => r.host));
    return all.map((r) => (r.host === common ? { ...r, host: '' } : r));
  }, [recordings, formatOf, families, queuedTracks]);
  const main = rows.filter((r) => !r.rec.other);
  const others = rows.filter((r) => r.rec.other);
  const filtered = filterItems(main, query);
  const addable = (r: Row) => canAdd({ url: r.format.url, disabledReason: r.rec.disabledReason });
  const selectable = filtered.filter(addable);
  const allPicked = selectable.length > 0 && selectable.every((r) => picked.has(r.rec.key));

  // "Add all audio on this page" opened this page to ask before adding many.
  useEffect(() => {
    if (!scanned || !askedToAddAll()) return;
    const all = rows.filter((r) => !r.rec.other && addable(r));
    setPicked(new Set(all.map((r) => r.rec.key)));
    setConfirming(all.map(toPick));
    // Only once, when the scan arrives.
  }, [scanned]);

  if (state.status === 'none') return null;

  const toggle = (key: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(key);
    else next.delete(key);
    setPicked(next);
  };
  const pickMany = (list: readonly Row[], on: boolean) => {
    const next = new Set(picked);
    for (const r of list) {
      if (on) next.add(r.rec.key);
      else next.delete(r.rec.key);
    }
    setPicked(next);
  };
  // A feed's episodes go to the queue in publication order (oldest first) unless asked otherwise.
  const chosen = () => {
    const list = rows.filter((r) => picked.has(r.rec.key) && addable(r));
    const ordered = isFeed
      ? publicationOrder(
          list.map((r) => ({ r, date: r.rec.date })),
          newestFirst,
        ).map((x) => x.r)
      : list;
    return ordered.map(toPick);
  };
  const range = rangeSize(rangeCount, selectable.length);
  const pageUrl = scanned?.pageUrl ?? '';
  const add = (picks: Pick[]) =>
    run('add-selected', async () => {
      setConfirming(null);
      try {
        await addSelected(picks, pageUrl);
      } finally {
        setPicked(new Set());
      }
    });
  const onAdd = () => {
    const picks = chosen();
    if (picks.length === 0) return;
    if (needsConfirmation(picks)) setConfirming(picks);
    else void add(picks);
  };
  const openFeed = (url: string, title: string) =>
    run('feed', async () => {
      const { recordings: recs, leftOut, book } = await loadFeed(url, pageUrl);
      setFeed({ url, title, recordings: recs, book, ...(leftOut ? { leftOut } : {}) });
      setPicked(new Set());
      setShown(PAGE_ROWS);
    });

  const count = main.length;
  const heading = feed ? t('page.episodesOf', feed.title || t('page.theFeed')) : t('page.region');
  const renderRow = (r: Row) => (
    <PageAudioRow
      key={r.rec.key}
      row={r}
      checked={picked.has(r.rec.key)}
      disabled={!addable(r)}
      onToggle={toggle}
      onFormat={(key, url) => setFormatOf(new Map(formatOf).set(key, url))}
    />
  );
  return (
    <section class="page-audio" aria-label={t('page.region')}>
      <h2>{count > 0 ? t('page.withCount', heading, count) : heading}</h2>
      {state.status === 'scanning' && <p class="muted">{t('page.looking')}</p>}
      {state.status === 'done' && !state.ok && <p class="muted">{state.reason}</p>}
      {scanned && !feed && count === 0 && others.length === 0 && (
        <p class="muted">{t('page.noAudio')}</p>
      )}
      {(feed ? feed.leftOut : scanned?.leftOut) && (
        <p class="muted" role="status">
          {feed ? feed.leftOut : scanned?.leftOut}
        </p>
      )}
      {scanned && !feed && scanned.feeds.length > 0 && (
        <div class="page-feeds">
          {scanned.feeds.map((f) => (
            <button type="button" key={f.url} onClick={() => void openFeed(f.url, f.title)}>
              {t('page.feedButton', f.title ? t('page.quoted', f.title) : new URL(f.url).host)}
            </button>
          ))}
        </div>
      )}
      {feed && (
        <button type="button" onClick={() => (setFeed(null), setPicked(new Set()))}>
          {t('page.back')}
        </button>
      )}
      {count > 0 && (
        <>
          <div class="page-tools">
            <label>
              <input
                type="checkbox"
                checked={allPicked}
                disabled={selectable.length === 0}
                onChange={(e) => pickMany(selectable, e.currentTarget.checked)}
              />
              {t('page.selectAll')}
            </label>
            {isFeed && (
              <label>
                <input
                  type="checkbox"
                  checked={newestFirst}
                  onChange={(e) => setNewestFirst(e.currentTarget.checked)}
                />
                {t('page.newestFirst')}
              </label>
            )}
            {count >= FILTER_FROM && (
              <>
                <input
                  type="search"
                  class="filter"
                  aria-label={t('page.filter')}
                  placeholder={t('page.filterPlaceholder')}
                  value={query}
                  onInput={(e) => (setQuery(e.currentTarget.value), setShown(PAGE_ROWS))}
                />
                {selectable.length > 1 && (
                  <span class="range-pick">
                    <input
                      type="number"
                      min={1}
                      max={selectable.length}
                      aria-label={t('page.howMany')}
                      value={range}
                      onInput={(e) =>
                        setRangeCount(Math.max(1, Number(e.currentTarget.value) || 1))
                      }
                    />
                    <button
                      type="button"
                      onClick={() =>
                        setPicked(new Set(selectable.slice(0, range).map((r) => r.rec.key)))
                      }
                    >
                      {isFeed ? t('page.selectNewest', range) : t('page.selectFirst', range)}
                    </button>
                  </span>
                )}
              </>
            )}
          </div>
          <ul class="page-items">{filtered.slice(0, shown).map(renderRow)}</ul>
          {filtered.length > shown && (
            <button type="button" onClick={() => setShown(shown + PAGE_ROWS)}>
              {t(
                'page.showMore',
                Math.min(PAGE_ROWS, filtered.length - shown),
                filtered.length - shown,
              )}
            </button>
          )}
        </>
      )}
      {others.length > 0 && (
        <details class="other-sounds">
          <summary>{t('page.otherSounds', others.length)}</summary>
          <ul class="page-items">{others.map(renderRow)}</ul>
        </details>
      )}
      {confirming && (
        <div class="confirm" role="alertdialog" aria-label={t('page.confirmLabel')}>
          <p>{confirmText(confirming)}</p>
          <button type="button" onClick={() => void add(confirming)}>
            {t('page.addThem')}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {t('page.cancel')}
          </button>
        </div>
      )}
      {(count > 0 || others.length > 0) && (
        <button type="button" disabled={picked.size === 0} onClick={onAdd}>
          {t('page.addSelected')}
        </button>
      )}
      {feed?.book && count > 0 && (
        <MakeBook
          feedUrl={feed.url}
          book={feed.book}
          chosen={(picked.size > 0
            ? rows.filter((r) => picked.has(r.rec.key) && addable(r))
            : selectable
          ).flatMap((r) => r.rec.formats.map((f) => f.url))}
          onDone={() => setPicked(new Set())}
        />
      )}
    </section>
  );
}

function toPick(r: Row): Pick {
  return { url: r.format.url, name: r.name, ...(r.format.size ? { size: r.format.size } : {}) };
}

function confirmText(picks: readonly Pick[]): string {
  const bytes = picks.reduce((n, p) => n + (p.size ?? 0), 0);
  return bytes > 0
    ? tn('page.confirmSized', picks.length, formatBytes(bytes))
    : tn('page.confirm', picks.length);
}

/** Where the file lives (after tracking prefixes, or where the download really ended up). */
function hostText(url: string, queued: Track | undefined): string {
  const final = queued?.source.kind === 'url' ? queued.source.finalUrl : undefined;
  const { host, via } = describeHost(url);
  const where = final ? describeHost(final).host : host;
  return via.length > 0 ? t('page.via', where, listOf(via)) : where;
}
