/**
 * Names for the joined file. `downloads.download` rejects a name Chrome thinks unsafe ("Invalid
 * filename") and the file systems behind it have their own rules, so every name Seam offers goes
 * through `sanitizeFileName`.
 */
import { t } from './i18n';

/** Used when nothing usable is left of a name. */
export const FALLBACK_NAME = 'Seam join';

/**
 * Longest name, in characters, before the extension. File systems allow 255 (bytes on Linux,
 * UTF-16 units on Windows); this leaves room for the extension and Chrome's " (1)" uniquifier.
 */
export const MAX_NAME_CHARS = 120;
/**
 * The same limit in UTF-8 bytes, for names in scripts that take 3 or 4 bytes a character:
 * 120 CJK characters would be 360 bytes, more than ext4's 255.
 */
export const MAX_NAME_BYTES = 200;

/**
 * The first track's name gets at most this many characters in a generated name, so the
 * " + 4 more" that follows it survives the cap.
 */
const MAX_FIRST_CHARS = 80;

/**
 * Characters Chrome refuses anywhere in a download's name (base::i18n::IsFilenameLegal: the
 * double quote, ~ * / : < > ? \ and |), which are also the ones Windows refuses, except the
 * tilde (Chrome: clashes with FAT short names). The tilde becomes a dash, the rest "_".
 */
const ILLEGAL = /["*/:<>?\\|]/g;
/** Control (Cc) and format (Cf: bidi overrides, zero-width joiners, BOM) characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
/**
 * Unicode noncharacters (U+FDD0–U+FDEF, and U+xFFFE and U+xFFFF in every plane): Chrome's
 * downloads refuse a name holding one ("Invalid filename").
 */
const NONCHARACTER = /\p{Noncharacter_Code_Point}/gu;
/** A surrogate without its partner: not valid UTF-16, so not a valid file name anywhere. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Windows device names, reserved with any extension and in any case (CON, con.txt, Com1.mp3). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;
/** Chrome (and Windows) refuse names that start or end with these. */
const UNSAFE_ENDS = /^[\s.~]+|[\s.~]+$/gu;

/**
 * Makes `name` safe for `downloads.download` on Windows, macOS and Linux: no path separators or
 * reserved characters, no control or invisible characters (bidi controls included), no
 * noncharacters or lone surrogates, no leading or trailing dots or
 * spaces, no Windows device names, collapsed whitespace, at most MAX_NAME_CHARS characters
 * (never cutting a character or emoji in two, and keeping a short extension), never empty.
 */
export function sanitizeFileName(name: string): string {
  const cleaned = clean(name);
  const stem = stripExtension(cleaned);
  const ext = cleaned.slice(stem.length);
  const safe = sanitizeStem(stem, MAX_NAME_CHARS - ext.length);
  return safe ? `${safe}${ext}` : FALLBACK_NAME;
}

/**
 * `name` without its extension: "Chapter 1.mp3" gives "Chapter 1". An extension is 1 to 5
 * letters and digits with at least one letter, so "Vol. 2" and "Take 1.5" keep their ends, and
 * a name that is only an extension (".mp3") stays as it is.
 */
export function stripExtension(name: string): string {
  const m = /^(.+)\.([a-z0-9]{1,5})$/i.exec(name);
  if (!m || !/[a-z]/i.test(m[2]!) || !/[^.\s]/.test(m[1]!)) return name;
  return m[1]!;
}

/**
 * The title a track goes by when the person has typed none (its chapter title, the editor's
 * placeholder): its name without the file extension, by the rule of `stripExtension`, so
 * "Mr. Smith interview" and "Take 1.5" keep their ends.
 */
export function trackTitle(name: string): string {
  return stripExtension(name.trim());
}

/** The file-name template Seam starts with: the Title tag, or "First track + 4 more". */
export const DEFAULT_TEMPLATE = '{title}';
/**
 * What {title} stands for while the Title tag is empty (and the template before {title}), in
 * English; callers pass the person's language's (`output.untitledName`: "+ 3 weitere").
 */
export const UNTITLED_TEMPLATE = '{first} + {count} more';

/** UNTITLED_TEMPLATE in the person's language ("{first} + {count} weitere"). */
export function untitledTemplate(): string {
  return t('output.untitledName', '{first}', '{count}');
}

/**
 * The joined file's name: "First track + 4 more.mp3" for five tracks, "First track.mp3" for
 * one. `count` is the number of tracks. Template placeholders: {title} (the Title tag, `title`;
 * while it is empty, "{first} + {count} more"), {first} (the first track's name without
 * extension), {count} (the other tracks), {total} (all of them), {date} (YYYY-MM-DD, local
 * time). With no other tracks the "+ {count} more" part goes, whatever its joining word. Long
 * names and titles are cut between words. `untitled` is what {title} stands for while the title
 * is empty, in the person's words.
 */
export function outputFileName(
  firstTrackName: string,
  count: number,
  extension: string,
  template = DEFAULT_TEMPLATE,
  date = new Date(),
  title = '',
  untitled = UNTITLED_TEMPLATE,
): string {
  const total = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
  const others = Math.max(0, total - 1);
  const firstStem = stripExtension(clean(firstTrackName));
  const first = trimEnds(capLength(firstStem, MAX_FIRST_CHARS)) || FALLBACK_NAME;
  const titled = trimEnds(capLength(clean(title), MAX_FIRST_CHARS));
  const values: Record<string, string> = {
    first,
    count: String(others),
    total: String(total),
    date: isoDate(date),
    title: titled,
  };
  const expanded = titled ? template : template.replace(/\{title\}/gi, () => untitled);
  const pattern = others === 0 ? withoutCount(expanded) : expanded;
  // One pass, so braces inside a track's name or the title are never read as placeholders.
  const filled = pattern.replace(/\{(first|count|total|date|title)\}/gi, (_, key: string) => {
    return values[key.toLowerCase()] ?? '';
  });
  const ext = extension.replace(/[^a-z0-9]/gi, '');
  const stem = sanitizeStem(filled, MAX_NAME_CHARS - ext.length - 1) || FALLBACK_NAME;
  return ext ? `${stem}.${ext}` : stem;
}

/** Removes what is never allowed anywhere in a name and tidies whitespace and the ends. */
function clean(name: string): string {
  return (
    name
      .normalize('NFC')
      .replace(LONE_SURROGATE, '')
      // Tabs and new lines read as spaces; other control and invisible characters just go.
      .replace(/\s+/gu, ' ')
      .replace(INVISIBLE, '')
      .replace(NONCHARACTER, '')
      .replace(ILLEGAL, '_')
      .replace(/~/g, '-')
      .replace(/ {2,}/g, ' ')
      .replace(UNSAFE_ENDS, '')
  );
}

/** A name part with no extension of its own to protect: cleaned, capped, not a device name. */
function sanitizeStem(stem: string, maxChars: number): string {
  let s = trimEnds(capLength(clean(stem), maxChars));
  // Windows looks at the part before the first dot, ignoring trailing spaces: "con .x" too.
  const dot = s.indexOf('.');
  const device = (dot < 0 ? s : s.slice(0, dot)).trimEnd();
  if (WINDOWS_RESERVED.test(device)) s = `${device}_${dot < 0 ? '' : s.slice(dot)}`;
  return s;
}

/**
 * The template without the part about the other tracks: the {count} placeholder with what joins
 * it to the rest (" + ", " & ", ", ", " and ", " with "), the word after it ("more", "others")
 * and a noun after that ("tracks"), then brackets left empty and dangling joiners at the ends.
 */
function withoutCount(template: string): string {
  return template
    .replace(
      /\s*(?:[+&,;|-]\s*|\b(?:and|with|plus)\s+)?\{count\}(?:\s+\p{L}+)?(?:\s+(?:tracks?|files?|songs?|parts?|chapters?|clips?)\b)?/giu,
      '',
    )
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/^[\s+&,;|-]+|[\s+&,;|-]+$/g, '');
}

function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function trimEnds(s: string): string {
  return s.replace(UNSAFE_ENDS, '');
}

/**
 * At most `maxChars` characters and MAX_NAME_BYTES UTF-8 bytes, cut between user-perceived
 * characters (grapheme clusters), so no surrogate pair or accent is split from its letter, and
 * between words where a word ends in the last third of what fits ("Interview with the" rather
 * than "Interview with the mayo").
 */
function capLength(s: string, maxChars: number): string {
  const encoder = new TextEncoder();
  if (s.length <= maxChars && encoder.encode(s).length <= MAX_NAME_BYTES) return s;
  let out = '';
  let bytes = 0;
  let next = '';
  for (const piece of graphemes(s)) {
    const size = encoder.encode(piece).length;
    if (out.length + piece.length > maxChars || bytes + size > MAX_NAME_BYTES) {
      next = piece;
      break;
    }
    out += piece;
    bytes += size;
  }
  // Cut mid-word: go back to the last space, unless that throws away too much.
  if (next && !/\s/u.test(next)) {
    const space = out.search(/\s\S*$/u);
    if (space >= (out.length * 2) / 3) out = out.slice(0, space);
  }
  return out.replace(/[\s,;:–—-]+$/u, '');
}

function graphemes(s: string): string[] {
  if (typeof Intl !== 'undefined' && 'Segmenter' in Intl) {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return Array.from(segmenter.segment(s), (x) => x.segment);
  }
  // Code points at least keep surrogate pairs whole.
  return Array.from(s);
}
