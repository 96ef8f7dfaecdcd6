/** Addresses: what is an audio URL, resolving, file extensions, audio URLs inside any text. */

import { decodeSafe } from './text';

// prettier-ignore
export const AUDIO_EXT = new Set([
  'mp3', 'm4a', 'm4b', 'm4r', 'aac', 'wav', 'wave', 'flac', 'ogg', 'oga', 'opus', 'weba',
  'mka', 'aif', 'aiff', 'aifc', 'caf', 'amr', 'wma', 'mp2', 'ac3',
]);

// Data attributes that name where a player's audio is (relative values count too).
// prettier-ignore
export const URL_ATTRS = new Set([
  'data-src', 'data-audio', 'data-url', 'data-file', 'data-mp3', 'data-asset-source',
  'data-audio-url', 'data-audio-src', 'data-default-audio-url', 'data-sound-href',
  'data-raw-url', 'data-media-url', 'data-mp3-src', 'data-href', 'data-source', 'data-stream',
  'data-episode-url', 'data-track-url', 'data-file-url', 'data-download-url',
]);

// Attributes read elsewhere (href, src) or that never hold a recording's address.
// prettier-ignore
export const SKIP_ATTRS = new Set([
  'href', 'srcset', 'style', 'class', 'id', 'content', 'action', 'poster', 'title', 'alt',
  'name', 'rel', 'type', 'itemprop', 'itemtype', 'itemscope', 'lang', 'width', 'height',
  'sizes', 'target', 'role', 'tabindex', 'for', 'method', 'placeholder', 'integrity',
]);

// Attribute names that say their value is an audio address, relative ones too.
export const AUDIO_ATTR = /(^|-)(audio|mp3|sound|preview|episode)(-(url|src|file|href))?$/;

export const SCHEMA_AUDIO =
  /(^|\/)(AudioObject|PodcastEpisode|RadioEpisode|Episode|MusicRecording|AudioBook|Clip|RadioClip)$/;

// Absolute audio URLs inside text (see audioUrlsIn): the characters a URL's body may hold
// (runs of them), its scheme, its audio extension, and what may follow that extension.
const URL_RUN = /[^\s"'<>(){}|\\^`;,]+/g;

const URL_START = /https?:\/\//gi;

const URL_EXT = /\.(?:mp3|m4a|m4b|aac|wav|flac|ogg|oga|opus|weba|mka)/gi;

const AFTER_EXT = /^[\s"'<>;,&$]$/;

const QUERY_END = /[\s"'<>;,]/g;

export function essence(type: string | null | undefined): string {
  return (type ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isAudioType(type: string): boolean {
  return type.startsWith('audio/') || type === 'application/ogg';
}

export function resolve(raw: string | null | undefined, base: string): URL | null {
  const s = (raw ?? '').trim();
  if (!s) return null;
  try {
    return new URL(s, base);
  } catch {
    return null;
  }
}

export function lastSegment(path: string): string {
  const seg = path.slice(path.lastIndexOf('/') + 1);
  const semi = seg.indexOf(';');
  return semi >= 0 ? seg.slice(0, semi) : seg;
}

export function extension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export function isWebUrl(u: URL): boolean {
  return u.protocol === 'http:' || u.protocol === 'https:';
}

export function hasAudioExt(u: URL): boolean {
  return AUDIO_EXT.has(extension(lastSegment(u.pathname)));
}

/** MediaWiki file description pages: `/wiki/File:x.ogg`, `index.php?title=Datei:x.ogg`. */
export function isDescriptionPage(u: URL): boolean {
  const path = decodeSafe(u.pathname);
  const title = u.searchParams.get('title') ?? '';
  const re =
    /^(File|Datei|Fichier|Archivo|Bestand|Plik|Bild|Image|Immagine|Imagen|Arquivo|Soubor|Fil|Tiedosto|Fitxer|Dosya|Media|Файл|ファイル|文件|파일):/i;
  const seg = path.slice(path.lastIndexOf('/') + 1);
  return re.test(seg) || re.test(title);
}

/**
 * Absolute audio URLs in a text, in one pass: `https?://`, then characters a URL holds, up to
 * the first audio extension that ends it (followed by a query, the end, or a quote, space,
 * `<`, `>`, `;`, `,`, `&` or `$`). The same matches as the lazy pattern
 * /https?:\/\/[^\s"'<>(){}|\\^`;,]+?\.(mp3|…)(\?[^\s"'<>;,]*)?(?=$|[\s"'<>;,&]|\$)/gi, whose
 * retries from every `http://` made 112 KB of them take 2 s (issue 18).
 */
export function audioUrlsIn(text: string): string[] {
  return audioUrlsAt(text).map((f) => f.url);
}

/** audioUrlsIn's URLs with where each starts in the text. */
export function audioUrlsAt(text: string): { url: string; at: number }[] {
  const found: { url: string; at: number }[] = [];
  let done = 0;
  for (const run of text.matchAll(URL_RUN)) {
    const at = run.index!;
    const r = run[0];
    if (at + r.length <= done) continue;
    const starts = Array.from(r.matchAll(URL_START), (m) => ({ s: m.index!, len: m[0].length }));
    if (starts.length === 0) continue;
    // Where an audio extension ends a URL: its dot and the index after it.
    const ends: { dot: number; end: number }[] = [];
    for (const m of r.matchAll(URL_EXT)) {
      const end = m.index! + m[0].length;
      const next = end < r.length ? r[end]! : (text[at + end] ?? '');
      if (next === '' || next === '?' || AFTER_EXT.test(next)) ends.push({ dot: m.index!, end });
    }
    let e = 0;
    for (const { s, len } of starts) {
      if (at + s < done) continue;
      while (e < ends.length && ends[e]!.dot < s + len + 1) e++;
      if (e >= ends.length) break;
      let stop = at + ends[e]!.end;
      if (text[stop] === '?') {
        QUERY_END.lastIndex = stop;
        const q = QUERY_END.exec(text);
        stop = q ? q.index : text.length;
      }
      found.push({ url: text.slice(at + s, stop), at: at + s });
      done = stop;
    }
  }
  return found;
}
