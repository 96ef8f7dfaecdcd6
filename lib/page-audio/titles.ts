/**
 * Naming page audio the way the page does: which of the texts around a recording is a title a
 * person recognizes, and which is a button label ("Download", "Listen · 3:14", "MP3"). Pure.
 */

/**
 * Words that only say what a control does or what format a file has, in the languages of the
 * pages Seam was tried on (English, German, French, Spanish, Italian, Portuguese, Dutch, Polish,
 * Russian, Japanese, Chinese, Korean). A label made only of these, numbers, sizes and durations
 * names no recording.
 */
// prettier-ignore
const GENERIC_WORDS = new Set([
  'download', 'downloads', 'dl', 'play', 'playing', 'pause', 'listen', 'listening', 'stream',
  'streaming', 'audio', 'audios', 'sound', 'sounds', 'file', 'files', 'here', 'now', 'this',
  'the', 'an', 'to', 'in', 'on', 'at', 'as', 'of', 'for', 'and', 'or', 'pc', 'mac',
  'mobile', 'mp3', 'm4a', 'm4b', 'aac', 'ogg', 'oga', 'opus', 'flac', 'wav', 'mpeg', 'mp4',
  'vorbis', 'episode', 'podcast', 'version', 'quality', 'high', 'low', 'hq', 'lq', 'full',
  'original', 'save', 'link', 'click', 'open', 'player', 'media', 'kbps', 'mb', 'kb', 'gb',
  'right', 'left', 'mono', 'stereo', 'format', 'track', 'start', 'stop', 'resume', 'clip',
  'info', 'more', 'share', 'queue', 'add', 'new', 'window', 'tab', 'popup', 'pop', 'up',
  'subscribe', 'today', 'todays', 'mp4a', 'your', 'latest',
  'itunes', 'rss', 'embed', 'transcript', 'print', 'email',
  // French
  'télécharger', 'telecharger', 'écouter', 'ecouter', 'lecture', 'réécouter', 'reecouter',
  'replay', 'épisode', 'le', 'la', 'les', 'du', 'de', 'des', 'l', 'fichier', 'son',
  // German
  'herunterladen', 'anhören', 'anhoeren', 'abspielen', 'wiedergeben', 'hören', 'hoeren',
  'folge', 'datei', 'audiodatei', 'der', 'die', 'das', 'jetzt', 'hier',
  // Spanish, Italian, Portuguese
  'descargar', 'descarga', 'escuchar', 'reproducir', 'el', 'los', 'ascolta', 'ascoltare',
  'scarica', 'scaricare', 'baixar', 'ouvir', 'tocar', 'archivo',
  // Dutch, Polish, Russian
  'downloaden', 'afspelen', 'luisteren', 'beluister', 'pobierz', 'słuchaj', 'odtwórz',
  'скачать', 'слушать',
  // Japanese, Chinese, Korean
  'ダウンロード', '再生', '聴く', '音声', '下载', '播放', '收听', '다운로드', '재생', '聽新聞', '新聞', '聆聽',
  '听新闻',
]);

/**
 * Whether a label names nothing a person would recognize a recording by: empty, a URL or file
 * name, or only generic words ("Download", "Télécharger"), formats, sizes and durations.
 */
export function isGenericLabel(text: string | undefined): boolean {
  const s = (text ?? '').trim();
  if (!s) return true;
  if (/^(https?:\/\/|www\.|\/\/)/i.test(s)) return true;
  if (!/\s/.test(s) && /\.[a-z0-9]{2,4}(\?.*)?$/i.test(s) && /[./]/.test(s)) return true;
  const rest = s
    .toLowerCase()
    // Durations, sizes and bitrates say nothing about which recording ("Episode 12" does).
    .replace(/\b\d{1,2}(:\d{2}){1,2}\b/g, ' ')
    .replace(/\b\d{1,3}['′]\d{2}(["″]|'')?/g, ' ')
    .replace(/\b\d+([.,]\d+)?\s*(k|m|g)?(i?b|o)\b/g, ' ')
    .replace(/\b\d+\s*(kbps|kb\/s|kbit\/s|khz|hz)\b/g, ' ');
  // A letter an apostrophe joins to a word ("Today's", "l'épisode") says nothing on its own.
  const words = rest
    .replace(/(\p{L})['’]\p{L}(?!\p{L})/gu, '$1')
    .replace(/(^|[^\p{L}])\p{L}['’](?=\p{L})/gu, '$1')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return words.every(isGenericWord);
}

/** The longest generic word, in UTF-16 units: no part of a run-together word is longer. */
const LONGEST_GENERIC = Math.max(...[...GENERIC_WORDS].map((w) => w.length));

/**
 * A generic word, or several run together by a page's markup ("ÉcouterÉcouter"): parts of at
 * least two letters, save the last. Decided from the end of the word backwards, each position
 * once (`whole[i]`: the word from `i` on splits into generic parts), so the work grows with the
 * word's length times LONGEST_GENERIC. Trying every split without memo took 2^k steps for
 * `'deson'.repeat(k) + 'x'` (issue 18).
 */
function isGenericWord(word: string): boolean {
  if (GENERIC_WORDS.has(word)) return true;
  const n = word.length;
  const whole: boolean[] = new Array<boolean>(n + 1).fill(false);
  for (let i = n - 1; i >= 0; i--) {
    if (n - i <= LONGEST_GENERIC && GENERIC_WORDS.has(word.slice(i))) {
      whole[i] = true;
      continue;
    }
    for (let cut = i + 2; cut < n && cut - i <= LONGEST_GENERIC; cut++) {
      if (whole[cut] && GENERIC_WORDS.has(word.slice(i, cut))) {
        whole[i] = true;
        break;
      }
    }
  }
  return whole[0]!;
}

/** A file name as a title: no extension(s), underscores and `%20` as spaces. */
export function titleFromFileName(url: string): string {
  let seg = '';
  try {
    const u = new URL(url);
    seg = u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
  } catch {
    seg = url.slice(url.lastIndexOf('/') + 1);
  }
  seg = seg.split(';')[0]!;
  try {
    seg = decodeURIComponent(seg);
  } catch {
    // Malformed percent-encoding: the raw segment is the best name there is.
  }
  let stem = seg;
  for (let i = 0; i < 3; i++) {
    const m = /^(.+)\.([a-z0-9]{1,4})$/i.exec(stem);
    if (!m || !/[a-z]/i.test(m[2]!)) break;
    stem = m[1]!;
  }
  return stem.replace(/[_+]+/g, ' ').replace(/\s+/g, ' ').trim() || 'audio';
}

/**
 * A label that is another title plus a show or site name ("La molécula que falta - Álex
 * Barredo" beside the heading "La molécula que falta") is cut to that title.
 */
export function withoutSuffix(label: string, others: readonly string[]): string {
  for (const o of others) {
    if (!o || o.length >= label.length) continue;
    if (!label.startsWith(o)) continue;
    if (/^\s*[-–—|·:]\s+\S/.test(label.slice(o.length))) return o;
  }
  return label;
}

/**
 * A label without a trailing note of format or size ("Episode 38 (MP3 format)", "Title [MP3]"),
 * which names the file, not the recording.
 */
export function withoutFormatNote(label: string): string {
  const m = /^(.*\S)\s*[([]([^()[\]]{1,40})[)\]]$/.exec(label);
  if (!m || !isGenericLabel(m[2])) return label;
  // Only a note of format, bitrate or size: "(stream link)" is part of what the page calls it.
  const FORMAT =
    /\b(mp3|mp4a?|m4a|m4b|aac|ogg|oga|opus|flac|wav|format|kbps|\d+\s*(k|m|g)?i?(b|o))\b/i;
  return FORMAT.test(m[2]!) ? m[1]! : label;
}
