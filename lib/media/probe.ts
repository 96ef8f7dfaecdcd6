/**
 * Turns ffprobe's JSON (plus its log and a look at the file's header) into an AudioInfo, or into
 * the named error that says in a few words why the file cannot be joined. Pure: the engine runs
 * ffprobe and hands over its output.
 */
import type { AudioInfo } from '@/lib/core/track';
import {
  CorruptAudioError,
  EmptyFileError,
  NoAudioStreamError,
  TruncatedAudioError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { notAudioDescription, type HeaderCheck } from './sniff';
import { lengthText } from '@/lib/core/text';
import { text, type MessageKey, type Text } from '@/lib/core/i18n';

/**
 * Arguments for ffmpeg.wasm's `ffprobe` (and native ffprobe, which has `-o` since ffmpeg 5.0):
 * JSON of the container, every stream and the file's chapters (an M4B's chapter track or
 * `chpl`, an MP3's ID3 CHAP frames, Matroska and Ogg chapters), written to `outputPath` because ffmpeg.wasm has no
 * stdout to read. `-v error` keeps the log to real errors, which `parseProbe` reads.
 */
export function probeArgs(inputPath: string, outputPath: string): string[] {
  return [
    ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters'],
    inputPath,
    ...['-o', outputPath],
  ];
}

/** The parts of ffprobe's JSON that Seam reads. Numbers arrive as strings. */
interface ProbeJson {
  format?: {
    format_name?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    tags?: Record<string, string>;
  };
  streams?: ProbeStream[];
  chapters?: ProbeChapter[];
}

interface ProbeChapter {
  start_time?: string;
  end_time?: string;
  tags?: Record<string, string>;
}

interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  sample_fmt?: string;
  /** e.g. "LC", "HE-AAC", "HE-AACv2" (AAC). */
  profile?: string;
  bits_per_raw_sample?: string;
  bits_per_sample?: number;
  channels?: number;
  channel_layout?: string;
  duration?: string;
  bit_rate?: string;
  disposition?: { attached_pic?: number };
  width?: number;
  height?: number;
  tags?: Record<string, string>;
}

type FileRef = { id: string; name: string; size: number };

/**
 * A cut-short file is one whose header announces more than 1% more bytes than it has; below
 * that, rounding in encoders and trailing-tag quirks are not worth refusing a file over.
 */
const HEADER_TOLERANCE = 0.01;
/**
 * Without a header check, an MP3's byte count is compared with bit rate x duration. ffmpeg's own
 * mp3 demuxer allows 1/16 before it warns "filesize and duration do not match"; so do we.
 */
const MP3_SIZE_TOLERANCE = 1 / 16;

/**
 * Reads ffprobe's JSON for one file. `stderr` is ffprobe's log (only the few lines that mean a
 * cut file count: damage is judged by the decode check, ./decode-check.ts, which sees all of
 * the audio and knows tag trouble from damage). `headerCheck` is `inspectHeader` of the file's
 * first bytes: it names non-audio files and catches cut-short WAV and MP3 files, which ffprobe
 * alone reports as healthy (a half WAV probes as a shorter WAV).
 *
 * A file that announces no length (a Chrome MediaRecorder WebM, a streamed FLAC, Musepack SV8)
 * is not refused: `statedSec` is left out and `durationSec` is 0 until the engine measures it.
 *
 * @throws EmptyFileError, UnsupportedAudioError, NoAudioStreamError, TruncatedAudioError,
 *   CorruptAudioError
 */
export function parseProbe(
  json: string,
  file: FileRef,
  stderr = '',
  headerCheck?: HeaderCheck,
): AudioInfo {
  const track = { id: file.id, name: file.name };
  if (file.size === 0) throw new EmptyFileError(track);

  // Magic bytes are surer than ffprobe about what a file is not: a text file can even be a valid
  // ffconcat or HLS "media" file to ffprobe.
  const sniffed = notAudioDescription(headerCheck?.kind);
  if (sniffed) throw new UnsupportedAudioError(text('errors.looksLike', sniffed), track);

  const probe = parseJson(json);
  if (!probe) {
    // An MP4/M4A whose index (moov) was to come after the audio, as ffmpeg and most recorders
    // write it, cannot be opened at all once cut.
    if (/moov atom not found/i.test(stderr))
      throw new TruncatedAudioError(text('errors.noMoov'), track);
    const cut = headerTruncation(headerCheck, file.size);
    if (cut) throw new TruncatedAudioError(cut, track);
    throw new UnsupportedAudioError(NOT_READABLE, track);
  }

  const format = probe.format ?? {};
  const container = format.format_name ?? '';
  const streams = probe.streams ?? [];
  const lookalike = nonAudioFormat(container);
  if (lookalike) throw new UnsupportedAudioError(text('errors.looksLike', lookalike), track);

  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!audio) throw new NoAudioStreamError(track);
  if (!audio.codec_name || audio.codec_name === 'none')
    throw new UnsupportedAudioError(text('errors.codecUnknown'), track);

  const sampleRate = int(audio.sample_rate);
  const channels = int(audio.channels);
  if (!(sampleRate > 0) || !(channels > 0))
    throw new CorruptAudioError(text('errors.noRateOrChannels'), track);

  // The audio stream's own length first: a recording's video may run longer than its sound.
  const statedSec = positive(num(audio.duration)) ?? positive(num(format.duration));

  const cut =
    headerTruncation(headerCheck, file.size) ??
    (statedSec !== undefined
      ? mp3SizeTruncation(container, audio, format, statedSec)
      : undefined) ??
    (/filesize and duration do not match/i.test(stderr) ? text('errors.cutShort') : undefined);
  // An MP3 that opens and announces its length is decoded before it is judged: the decode check
  // says how much of it plays (the person may keep that); anything else cut is refused here.
  const decodeFirst = cut !== undefined && container === 'mp3' && statedSec !== undefined;
  if (cut && !decodeFirst) throw new TruncatedAudioError(cut, track);

  const pictures = streams.filter(
    (s) => s.codec_type === 'video' && s.disposition?.attached_pic === 1,
  );
  // A picture whose size ffprobe cannot read (a broken JPEG in an ID3 tag) cannot be written
  // into any output: no muxer takes a picture of no dimensions. It is no cover, and said so.
  const readable = (s: ProbeStream) => (s.width ?? 1) > 0 && (s.height ?? 1) > 0;
  const cover = pictures.find(readable);
  const coverNotes = pictures.length > 0 && !cover ? [text('notes.coverUnreadable')] : [];
  const bits = positive(int(audio.bits_per_raw_sample)) ?? positive(int(audio.bits_per_sample));
  return {
    container,
    codec: audio.codec_name,
    sampleRate,
    channels,
    channelLayout: audio.channel_layout ?? '',
    durationSec: statedSec ?? 0,
    ...(statedSec !== undefined ? { statedSec } : {}),
    ...(audio.sample_fmt ? { sampleFormat: audio.sample_fmt } : {}),
    ...(audio.profile ? { profile: audio.profile } : {}),
    ...(bits !== undefined ? { bitsPerSample: bits } : {}),
    bitRate: positive(num(audio.bit_rate)) ?? positive(num(format.bit_rate)) ?? 0,
    audioStreamIndex: audio.index ?? 0,
    hasVideo: streams.some((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1),
    hasCover: cover !== undefined,
    ...(cover?.index !== undefined ? { coverStreamIndex: cover.index } : {}),
    tags: collectTags(format.tags, audio.tags),
    ...chaptersOf(probe.chapters),
    ...(coverNotes.length > 0 ? { notes: coverNotes } : {}),
    ...(decodeFirst ? { cutShort: true } : {}),
  };
}

/**
 * The file's own chapters, in its time, when it has any: untitled ones keep an empty title
 * (lib/plan/chapters.ts names them after the track), and ones whose times cannot be read are
 * left out.
 */
function chaptersOf(raw: ProbeChapter[] | undefined): Pick<AudioInfo, 'chapters'> {
  const chapters = (raw ?? []).flatMap((c) => {
    const startSec = num(c.start_time);
    const endSec = num(c.end_time);
    if (!Number.isFinite(startSec) || startSec < 0) return [];
    const title = Object.entries(c.tags ?? {}).find(([k]) => k.toLowerCase() === 'title')?.[1];
    return [
      {
        title: (title ?? '').trim(),
        startSec,
        endSec: Number.isFinite(endSec) && endSec >= startSec ? endSec : startSec,
      },
    ];
  });
  return chapters.length > 0 ? { chapters } : {};
}

/**
 * Seconds from an ffmpeg log line such as `size=  512kB time=00:01:02.34 bitrate=...`, or
 * undefined when it has no time (`time=N/A` before the first packet). With several (progress
 * lines joined by carriage returns) the last wins. Negative times (ffmpeg prints them for
 * priming samples) count as 0.
 */
export function parseFfmpegTime(line: string): number | undefined {
  const re = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g;
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(line); m; m = re.exec(line)) last = m;
  if (!last) return undefined;
  const [, sign, h, m, s] = last;
  if (sign === '-') return 0;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

// --- Helpers ---------------------------------------------------------------------------------

function parseJson(json: string): ProbeJson | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const probe = value as ProbeJson;
  // ffprobe writes "{}" when it could not open the input at all.
  if (!probe.format && !probe.streams?.length) return undefined;
  return probe;
}

/** ffprobe's image demuxers, by format_name, and what to call them (locales/: kinds). */
const IMAGE_FORMATS: Record<string, MessageKey> = {
  png_pipe: 'kinds.png',
  apng: 'kinds.png',
  jpeg_pipe: 'kinds.jpeg',
  jpegls_pipe: 'kinds.jpeg',
  jpegxl_pipe: 'kinds.jpegxl',
  gif: 'kinds.gif',
  webp_pipe: 'kinds.webp',
  bmp_pipe: 'kinds.bmp',
  tiff_pipe: 'kinds.tiff',
  svg_pipe: 'kinds.svg',
  ico: 'kinds.icon',
  image2: 'kinds.image',
};
/** Demuxers that read text: subtitles, ANSI art, playlists. */
const TEXT_FORMATS: Record<string, MessageKey> = {
  tty: 'kinds.text',
  srt: 'kinds.subtitles',
  ass: 'kinds.subtitles',
  webvtt: 'kinds.subtitles',
  subviewer: 'kinds.subtitles',
  microdvd: 'kinds.subtitles',
  lrc: 'kinds.lyrics',
  concat: 'kinds.playlist',
  hls: 'kinds.playlist',
};

/** "a PNG image" and the like (as data) when ffprobe read the file with a non-audio demuxer. */
function nonAudioFormat(formatName: string): Text | undefined {
  const name = formatName.split(',')[0] ?? '';
  const key =
    (Object.hasOwn(IMAGE_FORMATS, name) ? IMAGE_FORMATS[name] : undefined) ??
    (Object.hasOwn(TEXT_FORMATS, name) ? TEXT_FORMATS[name] : undefined) ??
    // Every image demuxer ffmpeg has is named "<codec>_pipe".
    (name.endsWith('_pipe') ? 'kinds.image' : undefined);
  return key ? { key } : undefined;
}

/** The truncation message from a header that announces more bytes than the file has. */
function headerTruncation(check: HeaderCheck | undefined, size: number): Text | undefined {
  const declared = check?.declaredBytes;
  if (declared === undefined || declared <= size * (1 + HEADER_TOLERANCE)) return undefined;
  const offset = check?.payloadOffset ?? 0;
  const heldFraction = Math.max(0, size - offset) / Math.max(1, declared - offset);
  return cutMessage(heldFraction, check?.declaredDurationSec);
}

/**
 * An MP3 whose Xing/Info header announces a length gets that length from ffprobe, and a bit
 * rate from the header's byte count: fewer bytes than bit rate x duration means a cut file.
 * Files without such a header get a duration estimated from their size, so they always agree.
 */
function mp3SizeTruncation(
  container: string,
  audio: ProbeStream,
  format: NonNullable<ProbeJson['format']>,
  durationSec: number,
): Text | undefined {
  if (container !== 'mp3') return undefined;
  const bitRate = positive(num(audio.bit_rate));
  const size = positive(num(format.size));
  if (bitRate === undefined || size === undefined) return undefined;
  const expected = (bitRate * durationSec) / 8;
  if (size >= expected * (1 - MP3_SIZE_TOLERANCE)) return undefined;
  return cutMessage(size / expected, durationSec);
}

function cutMessage(heldFraction: number, declaredSec: number | undefined): Text {
  if (declaredSec === undefined || !(declaredSec > 0)) {
    return text('errors.cutShortPercent', Math.round(heldFraction * 100));
  }
  const held = lengthText(declaredSec * heldFraction);
  return text('errors.cutShortHolds', held, lengthText(declaredSec));
}

/** Why a file ffprobe cannot open is refused. */
const NOT_READABLE = text('errors.notReadable');

/**
 * Tags that describe how the file was made rather than what it is, and would be wrong on a
 * joined file (ffmpeg writes its own encoder; iTunes gapless and loudness data is per file).
 */
const TECHNICAL_TAGS = new Set([
  'encoder',
  'handler_name',
  'vendor_id',
  'major_brand',
  'minor_version',
  'compatible_brands',
  'creation_time',
  'itunsmpb',
  'itunnorm',
]);

/** Container tags over stream tags (Ogg keeps Vorbis comments on the stream), keys lower-cased. */
function collectTags(
  formatTags: Record<string, string> | undefined,
  streamTags: Record<string, string> | undefined,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const source of [streamTags, formatTags]) {
    for (const [key, value] of Object.entries(source ?? {})) {
      const k = key.toLowerCase();
      if (TECHNICAL_TAGS.has(k) || (k === 'language' && value === 'und')) continue;
      if (typeof value === 'string' && value.trim() !== '') tags[k] = value;
    }
  }
  return tags;
}

function num(v: string | number | undefined): number {
  return typeof v === 'number' ? v : v === undefined ? NaN : Number.parseFloat(v);
}

function int(v: string | number | undefined): number {
  return Math.trunc(num(v));
}

function positive(n: number): number | undefined {
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
