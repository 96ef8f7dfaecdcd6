/**
 * From what the scanner found (hits) to what a person sees: one row per recording, with its
 * formats as a choice, named by the title the page shows, interface sounds set apart. Pure.
 *
 * Hits are one recording when they share an owner (one player's sources and fallback links, one
 * og:audio group, one feed item, one element's data attributes), when their URLs are the same
 * file (equal but for the query string of a path with an audio extension, the scheme, `www.`,
 * or tracking prefixes), or, on a web page, when they are the same file name on the same site
 * in another format or place (Podlove's mp3/m4a/ogg/opus in og:audio, the player and the
 * download list; `x.hq.mp4` beside `x.mp3`; a long id shared by a player's and a download's
 * file names).
 */
import type { ScanHit, UnsavableReason } from './scan';
import { untrack } from '@/lib/fetch/tracking';
import { isGenericLabel, titleFromFileName, withoutFormatNote, withoutSuffix } from './titles';

type TitleSource = 'own' | 'schema' | 'data' | 'heading' | 'og' | 'file';

export interface PageFormat {
  url: string;
  /** "MP3", "M4A", "OGG"... from the extension or the type; "Audio" when neither says. */
  label: string;
  mime?: string;
  /** Bytes, when the page says. */
  size?: number;
}

export interface PageRecording {
  /** Stable id of the row (its first file's identity). */
  key: string;
  name: string;
  titleFrom: TitleSource;
  /** At least one; the first is the page's own order, `preferredFormat` picks the default. */
  formats: PageFormat[];
  /** An interface sound (chime, click): listed apart, collapsed. */
  other?: boolean;
  disabledReason?: UnsavableReason;
  /** ISO date (feeds). */
  date?: string;
  /** Seconds, when the page says. */
  duration?: number;
  frame?: string;
}

export interface GroupInput {
  hits: readonly ScanHit[];
  isFeed: boolean;
  /** The one schema.org episode name of the page, if it has exactly one. */
  schemaTitle?: string;
  /** The page's title (og:title, h1, <title>): the name of a page's only recording, at worst. */
  title?: string;
}

const AUDIO_EXT =
  /\.(mp3|m4a|m4b|m4r|aac|wav|wave|flac|ogg|oga|opus|weba|mka|aif|aiff|aifc|caf|amr|wma|mp2|ac3)$/i;
// prettier-ignore
const GENERIC_STEMS = new Set([
  'audio', 'media', 'default', 'default_tc', 'file', 'download', 'stream', 'episode', 'podcast',
  'play', 'listen', 'index', 'sound', 'track', 'clip', 'preview', 'original', 'master', 'full',
]);
const LABELS: Record<string, string> = {
  mp3: 'MP3',
  m4a: 'M4A',
  m4b: 'M4B',
  m4r: 'M4R',
  aac: 'AAC',
  mp4: 'M4A',
  wav: 'WAV',
  wave: 'WAV',
  flac: 'FLAC',
  ogg: 'OGG',
  oga: 'OGG',
  opus: 'Opus',
  weba: 'WebM',
  webm: 'WebM',
  mka: 'MKA',
};
const MIME_LABELS: Record<string, string> = {
  'audio/mpeg': 'MP3',
  'audio/mp3': 'MP3',
  'audio/mp4': 'M4A',
  'audio/x-m4a': 'M4A',
  'audio/aac': 'AAC',
  'audio/ogg': 'OGG',
  'audio/opus': 'Opus',
  'audio/flac': 'FLAC',
  'audio/x-flac': 'FLAC',
  'audio/wav': 'WAV',
  'audio/x-wav': 'WAV',
  'audio/webm': 'WebM',
};

/** The same file: host without `www.`, path, and the query only when the path is no file name. */
export function fileIdentity(url: string): string {
  const { finalUrl } = untrack(url);
  try {
    const u = new URL(finalUrl);
    const host = u.hostname.toLowerCase().replace(/^www\./, '');
    const path = u.pathname;
    return `${host}${path}${AUDIO_EXT.test(path) || /\.mp4$/i.test(path) ? '' : u.search}`;
  } catch {
    return url;
  }
}

/** The site a URL belongs to: the last two labels of its host (three under `co.uk` and the like). */
function siteOf(url: string): string {
  try {
    const labels = new URL(untrack(url).finalUrl).hostname.toLowerCase().split('.');
    const n = labels.length;
    const short = n >= 3 && labels[n - 2]!.length <= 3 && labels[n - 1]!.length === 2;
    return labels.slice(short ? -3 : -2).join('.');
  } catch {
    return '';
  }
}

/** The file name without extensions and quality tags (`x.hq.mp4`, `x.ogg.mp3` → `x`). */
function fileStem(url: string): string {
  let seg: string;
  try {
    const u = new URL(untrack(url).finalUrl);
    seg = u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
    seg = decodeURIComponent(seg);
  } catch {
    seg = '';
  }
  let stem = seg.toLowerCase();
  for (let i = 0; i < 4; i++) {
    const m = /^(.+)\.([a-z0-9]{1,4})$/.exec(stem);
    if (!m) break;
    stem = m[1]!;
  }
  return stem;
}

function distinctive(stem: string): boolean {
  if (GENERIC_STEMS.has(stem)) return false;
  return stem.length >= 6 && /[a-z0-9]/.test(stem);
}

/** Long numeric ids in a file name (not dates): iVoox's `listen_mn_113954595_1` and `x_md_113954595_1`. */
function longIds(stem: string): string[] {
  return stem
    .split(/[^0-9]+/)
    .filter((t) => t.length >= 7 && !/^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(t));
}

function formatLabel(url: string, mime?: string): string {
  try {
    const path = new URL(untrack(url).finalUrl).pathname;
    const ext = /\.([a-z0-9]{2,4})$/i.exec(path)?.[1]?.toLowerCase();
    if (ext && LABELS[ext]) return LABELS[ext]!;
  } catch {
    // fall through to the type
  }
  return (mime && MIME_LABELS[mime]) || 'Audio';
}

class Union {
  readonly #parent: number[];
  constructor(n: number) {
    this.#parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.#parent[i] !== i) {
      this.#parent[i] = this.#parent[this.#parent[i]!]!;
      i = this.#parent[i]!;
    }
    return i;
  }
  join(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** One row per recording, in page order (feeds: newest first). */
export function groupHits(input: GroupInput): PageRecording[] {
  const hits = input.hits;
  const union = new Union(hits.length);
  const byKey = new Map<string, number>();
  const joinBy = (key: string, i: number) => {
    const first = byKey.get(key);
    if (first === undefined) byKey.set(key, i);
    else union.join(first, i);
  };
  hits.forEach((h, i) => {
    joinBy(`owner:${h.owner}`, i);
    // A feed's items are its episodes, even when two of them point at one file by mistake.
    if (!h.url || input.isFeed) return;
    joinBy(`file:${fileIdentity(h.url)}`, i);
    if (h.url.startsWith('data:') || h.url.startsWith('blob:')) return;
    const stem = fileStem(h.url);
    const site = siteOf(h.url);
    if (distinctive(stem)) joinBy(`stem:${site}:${stem}`, i);
    for (const id of longIds(stem)) joinBy(`id:${site}:${id}`, i);
    // Links that name the same recording, each with a note of its format ("Episode 38 (MP3
    // format)", "(MP4a format)"): one recording offered in two formats.
    if (h.via === 'link' && h.own) {
      const name = withoutFormatNote(h.own);
      if (name !== h.own && !isGenericLabel(name)) joinBy(`label:${site}:${name.toLowerCase()}`, i);
    }
  });

  const groups = new Map<number, ScanHit[]>();
  hits.forEach((h, i) => {
    const root = union.find(i);
    const list = groups.get(root) ?? [];
    list.push(h);
    groups.set(root, list);
  });

  const pageTexts = [input.schemaTitle, input.title].filter((t): t is string => !!t);
  const recordings = [...groups.values()].map((g) => toRecording(g, pageTexts));
  markInterfaceSounds(recordings, [...groups.values()]);
  const named = recordings.filter((r) => !r.other).length;
  const only = named === 1 && !input.isFeed ? recordings.find((r) => !r.other) : undefined;
  if (only && input.schemaTitle && rank(only.titleFrom) > rank('schema')) {
    only.name = input.schemaTitle;
    only.titleFrom = 'schema';
  } else if (only && input.title && only.titleFrom === 'file' && !isGenericLabel(input.title)) {
    // A page with one recording and no caption for it: the page's own title names it.
    only.name = input.title;
    only.titleFrom = 'og';
  }
  if (input.isFeed) {
    // Newest first; undated items keep their order, after the dated ones.
    return recordings
      .map((r, i) => ({ r, i, t: r.date ? Date.parse(r.date) : NaN }))
      .sort((a, b) => {
        if (Number.isNaN(a.t) || Number.isNaN(b.t)) {
          return Number.isNaN(a.t) === Number.isNaN(b.t) ? a.i - b.i : Number.isNaN(a.t) ? 1 : -1;
        }
        return b.t - a.t || a.i - b.i;
      })
      .map((x) => x.r);
  }
  return recordings;
}

const ORDER: readonly TitleSource[] = ['own', 'schema', 'data', 'heading', 'og', 'file'];
const rank = (s: TitleSource) => ORDER.indexOf(s);

function toRecording(group: readonly ScanHit[], pageTexts: readonly string[]): PageRecording {
  const formats: PageFormat[] = [];
  const seen = new Set<string>();
  for (const h of group) {
    if (!h.url) continue;
    const id = fileIdentity(h.url);
    if (seen.has(id)) continue;
    seen.add(id);
    const label = formatLabel(h.url, h.mime);
    const same = formats.find((f) => f.label === label);
    if (same) {
      if (!same.size && h.size) same.size = h.size;
      continue;
    }
    formats.push({
      url: h.url,
      label,
      ...(h.mime ? { mime: h.mime } : {}),
      ...(h.size ? { size: h.size } : {}),
    });
  }
  const first = group[0]!;
  const { name, from } = chooseTitle(group, formats[0]?.url ?? '', pageTexts);
  const disabled = group.every((h) => h.disabledReason) ? first.disabledReason : undefined;
  const usable = formats.filter(
    (f) => !group.find((h) => h.url === f.url && h.disabledReason) || disabled,
  );
  const rec: PageRecording = {
    key: formats[0] ? fileIdentity(formats[0].url) : `stream:${first.owner}`,
    name,
    titleFrom: from,
    formats:
      usable.length > 0 ? usable : formats.length > 0 ? formats : [{ url: '', label: 'Audio' }],
  };
  if (disabled) rec.disabledReason = disabled;
  const date = group.find((h) => h.date)?.date;
  if (date) rec.date = date;
  const duration = group.find((h) => h.duration)?.duration;
  if (duration) rec.duration = duration;
  if (first.frame) rec.frame = first.frame;
  return rec;
}

const isLink = (h: { via?: string }) => h.via === 'link';

/** The title in the order: own label, schema.org, data attributes, heading, og:title, file. */
function chooseTitle(
  group: readonly Pick<ScanHit, 'own' | 'schema' | 'data' | 'heading' | 'og' | 'url' | 'via'>[],
  fallbackUrl: string,
  pageTexts: readonly string[] = [],
): { name: string; from: TitleSource } {
  // A player's caption before a link's: the same file may be linked again under another heading.
  const players = [...group].sort((a, b) => Number(isLink(a)) - Number(isLink(b)));
  const pick = (source: Exclude<TitleSource, 'file'>): string | undefined => {
    for (const h of source === 'heading' ? players : group) {
      const t = h[source]?.trim();
      if (t && !isGenericLabel(t)) return t;
    }
    return undefined;
  };
  const texts = (['schema', 'data', 'heading', 'og'] as const)
    .map((s) => pick(s))
    .filter((t): t is string => !!t)
    .concat(pageTexts);
  for (const source of ORDER) {
    if (source === 'file') break;
    const t = pick(source);
    if (t) {
      return {
        name: source === 'own' ? withoutSuffix(withoutFormatNote(t), texts) : t,
        from: source,
      };
    }
  }
  const url = fallbackUrl || group.find((h) => h.url)?.url || '';
  const name = url.startsWith('blob:')
    ? 'streamed audio'
    : url.startsWith('data:')
      ? 'embedded audio'
      : url
        ? titleFromFileName(untrack(url).finalUrl)
        : 'streamed audio';
  return { name, from: 'file' };
}

/**
 * Interface sounds: players nobody can see or use (no controls), either named like interface
 * sounds (`/sounds/`, `chime`, `click`), a second or two long, or several such untitled players
 * on one page. One hidden player on an episode page is the episode (Apple Podcasts, Infobae).
 */
function markInterfaceSounds(recs: PageRecording[], groups: readonly ScanHit[][]): void {
  // Addresses found only in a page's scripts are as unseen as a player without controls.
  const hiddenOnly = groups.map((g) =>
    g.every((h) => (h.via === 'media' && h.hidden) || h.via === 'script'),
  );
  const untitledHidden = groups.filter(
    (g, i) => hiddenOnly[i] && g.every((h) => isGenericLabel(h.own) && isGenericLabel(h.data)),
  ).length;
  groups.forEach((g, i) => {
    if (!hiddenOnly[i]) return;
    const short = g.some((h) => h.duration !== undefined && h.duration <= 2);
    if (g.some((h) => h.uiSound) || short || untitledHidden >= 3) recs[i]!.other = true;
  });
}

/** What the queue's tracks are, for picking the format that joins without re-encoding. */
export type QueueFamily = 'mp3' | 'aac' | 'vorbis' | 'opus' | 'flac' | 'pcm';

const FAMILY_OF_LABEL: Record<string, QueueFamily> = {
  MP3: 'mp3',
  M4A: 'aac',
  M4B: 'aac',
  M4R: 'aac',
  AAC: 'aac',
  OGG: 'vorbis',
  Opus: 'opus',
  FLAC: 'flac',
  WAV: 'pcm',
};
/** Typical size per minute, smallest first, when the page gives no sizes. */
const TYPICAL_SIZE: readonly string[] = ['Opus', 'M4A', 'AAC', 'MP3', 'OGG', 'WebM', 'FLAC', 'WAV'];
/** Formats Seam joins without touching the audio (lib/lossless). */
const LOSSLESS_FRIENDLY: readonly string[] = ['MP3', 'WAV'];

/** The family of a codec name as ffprobe gives it, or of a file's extension. */
export function queueFamily(codecOrExt: string): QueueFamily | undefined {
  const c = codecOrExt.toLowerCase();
  if (c === 'mp3') return 'mp3';
  if (c === 'aac' || c === 'm4a' || c === 'm4b' || c === 'm4r') return 'aac';
  if (c === 'vorbis' || c === 'ogg' || c === 'oga') return 'vorbis';
  if (c === 'opus') return 'opus';
  if (c === 'flac') return 'flac';
  if (c.startsWith('pcm_') || c === 'wav') return 'pcm';
  return undefined;
}

/**
 * The format to add by default: one of the same family as every track already queued (so the
 * join stays lossless), else the smallest of those Seam joins losslessly (MP3, WAV), else the
 * smallest. Sizes the page gives decide "smallest"; without them, typical sizes do.
 */
export function preferredFormat(
  formats: readonly PageFormat[],
  queue: readonly QueueFamily[],
): PageFormat {
  const family = queue.length > 0 && queue.every((f) => f === queue[0]) ? queue[0] : undefined;
  if (family) {
    const same = formats.find((f) => FAMILY_OF_LABEL[f.label] === family);
    if (same) return same;
  }
  const bySize = (list: readonly PageFormat[]) =>
    [...list].sort((a, b) => {
      if (a.size && b.size) return a.size - b.size;
      const ra = TYPICAL_SIZE.indexOf(a.label);
      const rb = TYPICAL_SIZE.indexOf(b.label);
      return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb);
    });
  const friendly = formats.filter((f) => LOSSLESS_FRIENDLY.includes(f.label));
  return bySize(friendly.length > 0 ? friendly : formats)[0] ?? formats[0]!;
}
