/**
 * Every piece of text Seam builds from numbers, in one place: durations, sizes, rates, channel
 * counts, codec names, track lists, dates. Pure. Numbers, lists and dates are written the
 * person's way through Intl (lib/core/i18n.ts `locale()`), the words around them come from
 * locales/.
 *
 * Times have one format, a clock (`formatTime`): "4:51", "1:02:05"; where a trim is set to the
 * hundredth (the editor's trims and what they keep) the same clock carries hundredths, "0:20.75"
 * ("0:20,75" in German); `clockText` is it as data, to the tenth, for sentences made where they
 * cannot be put into words. Every clock Seam writes is here, the chapter files' fixed ones too
 * (`clockMillis`, `cueClock`).
 */
import { formatNumber, locale, render, t, text, textN, tn, type Text } from './i18n';

/**
 * A time on the clock: "0:20", "4:51", "1:02:05"; with `decimals` (1 or 2) the seconds carry
 * them, "0:20.5", "0:20.75". Negative or not-a-number: "–".
 */
export function formatTime(sec: number, decimals: 0 | 1 | 2 = 0): string {
  if (!Number.isFinite(sec) || sec < 0) return '–';
  const scale = 10 ** decimals;
  const total = Math.round(sec * scale);
  const frac = total % scale;
  const whole = Math.floor(total / scale);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  const tail = decimals > 0 ? `${decimalSign()}${String(frac).padStart(decimals, '0')}` : '';
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}${tail}`;
}

/** The clock's decimal sign in the person's language: "." or ",". */
function decimalSign(): string {
  const parts = new Intl.NumberFormat(locale()).formatToParts(1.5);
  return parts.find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * "0:10", "1:02.5": a time in a track to a tenth of a second, as data where a tenth needs the
 * person's decimal sign (sentences made in the offscreen document).
 */
export function clockText(sec: number): string | Text {
  const tenths = Math.max(0, Math.round(sec * 10));
  const m = Math.floor(tenths / 600);
  const s = Math.floor((tenths % 600) / 10);
  const ss = String(s).padStart(2, '0');
  // A tenth is written with the person's decimal sign where the sentence is shown.
  return tenths % 10 === 0
    ? `${m}:${ss}`
    : text('units.clockTenths', String(m), ss, String(tenths % 10));
}

/* The clocks of the chapter files Seam writes beside a join: fixed by those formats. */

/** "01:02:03.456": hours, minutes, seconds and milliseconds. */
export function clockMillis(sec: number): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** "mm:ss:ff" for a cue sheet: minutes (may pass 99), seconds, 1/75 s frames, rounded down. */
export function cueClock(sec: number): string {
  const frames = Math.max(0, Math.floor(sec * 75 + 1e-6));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(frames / 4500))}:${pad(Math.floor(frames / 75) % 60)}:${pad(frames % 75)}`;
}

/** "512 B", "2.0 KB", "1.5 MB", "50 MB" ("1,5 Mo" in French). */
export function formatBytes(bytes: number): string {
  return render(bytesText(bytes));
}

/**
 * A size as a sentence in data, for errors made where no language is installed (the offscreen
 * document): its number is written where it is shown.
 */
export function bytesText(bytes: number): Text {
  if (bytes < 1024) return text('units.bytes', bytes);
  const units = ['units.kb', 'units.mb', 'units.gb'] as const;
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return text(units[i]!, v >= 10 ? Math.round(v) : { fixed: v, decimals: 1 });
}

/** "1.9 s", "0.25 s", "12 s": seconds to at most two decimals. */
export function formatSeconds(sec: number): string {
  return t('units.seconds', formatNumber(Math.max(0, sec), 2));
}

/** "44.1 kHz", "22.05 kHz", "8 kHz". */
export function khz(rate: number): string {
  return t('units.khz', formatNumber(rate / 1000, 2));
}

/** "MP3 · 44.1 kHz · stereo" from a probe. */
export function formatAudio(codec: string, sampleRate: number, channels: number): string {
  const name = codecLabel(codec);
  const rate = khz(sampleRate);
  return `${name} · ${rate} · ${channelWord(channels)}`;
}

const CODEC_NAMES: Record<string, string> = {
  mp3: 'MP3',
  aac: 'AAC',
  alac: 'ALAC',
  flac: 'FLAC',
  vorbis: 'Vorbis',
  opus: 'Opus',
  pcm_s16le: 'WAV 16-bit',
  pcm_s24le: 'WAV 24-bit',
  pcm_s32le: 'WAV 32-bit',
  pcm_f32le: 'WAV float',
  pcm_u8: 'WAV 8-bit',
  pcm_f64le: 'WAV 64-bit float',
  pcm_s8: 'PCM 8-bit',
  pcm_s16be: 'PCM 16-bit big-endian',
  pcm_s24be: 'PCM 24-bit big-endian',
  pcm_s32be: 'PCM 32-bit big-endian',
  pcm_f32be: 'PCM float big-endian',
  pcm_alaw: 'A-law',
  pcm_mulaw: 'µ-law',
  wavpack: 'WavPack',
  ape: "Monkey's Audio",
  wmav2: 'WMA',
  wmapro: 'WMA Pro',
  wmalossless: 'WMA Lossless',
};

/** A codec as the track list names it: "MP3", "WAV 16-bit", "Vorbis"; unknown ones upper-cased. */
export function codecLabel(codec: string): string {
  return CODEC_NAMES[codec] ?? codec.toUpperCase();
}

/** "mono", "stereo", "6 channels". */
export function channelWord(n: number): string {
  return n === 1 ? t('audio.mono') : n === 2 ? t('audio.stereo') : tn('audio.channels', n);
}

/** A length in words: "1.5 s" under a minute, then "2:05" or "1:02:05". */
export function formatLength(sec: number): string {
  const x = lengthText(sec);
  return typeof x === 'string' ? x : render(x);
}

/**
 * The same as data, for a sentence made where it cannot be put into words (the engine in
 * Chrome's offscreen document): written the person's way where it is shown. A clock ("2:05")
 * is the same in every language.
 */
export function lengthText(sec: number): string | Text {
  return sec < 60
    ? text('units.seconds', { fixed: Math.max(0, sec), decimals: 1 })
    : formatTime(sec);
}

/** "2.5 s" (to at most two decimals), as data. */
export function secondsText(sec: number): Text {
  return text('units.seconds', Math.max(0, sec));
}

/** "44.1 kHz", as data. */
export function khzText(rate: number): Text {
  return text('units.khz', rate / 1000);
}

/** "mono", "stereo", "6 channels", as data. */
export function channelText(n: number): Text {
  return n === 1 ? text('audio.mono') : n === 2 ? text('audio.stereo') : textN('audio.channels', n);
}

/** "1:02.25": a position to the hundredth (trims, the editor's lengths). */
export function formatPreciseTime(sec: number): string {
  return formatTime(Math.max(0, Number.isFinite(sec) ? sec : 0), 2);
}

/** "about 0:12 left", "less than 0:05 left" while a join runs. */
export function formatTimeLeft(sec: number): string {
  if (sec < 5) return t('time.leftUnder', formatTime(5));
  return t('time.leftAbout', formatTime(sec));
}

/** "about 8.9 MB", for sizes known only roughly. */
export function formatApproxBytes(bytes: number): string {
  return t('units.about', formatBytes(Math.max(0, bytes)));
}

/** "1 track", "5 tracks". */
export function countTracks(n: number): string {
  return tn('tracks.count', n);
}

/** "track 2", "tracks 2 and 3", "tracks 1, 2 and 4" (1-based numbers). */
export function trackList(ns: readonly number[]): string {
  return tn('tracks.numbers', ns.length, listOf(ns.map((n) => formatNumber(n))));
}

/** "a, b and c" in the person's language (Intl.ListFormat). */
export function listOf(items: readonly string[]): string {
  // Seam's English lists take no comma before "and", as British English writes them.
  const lang = locale().toLowerCase().startsWith('en') ? 'en-GB' : locale();
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
}

/** A calendar date written the person's way: "3/1/2026", "1.3.2026", "2026/3/1". */
export function formatDate(date: number | string): string {
  return new Intl.DateTimeFormat(locale()).format(new Date(date));
}

/** Files named in a sentence: "“a.mp3”", "“a.mp3” and “b.wav”", "these 5 files". */
export function fileNames(names: readonly string[]): Text {
  if (names.length > 2) return textN('files.these', names.length);
  if (names.length === 2) return text('files.two', names[0]!, names[1]!);
  return text('page.quoted', names[0] ?? '');
}
