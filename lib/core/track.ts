/**
 * A queued track and what is known and decided about it: its probed audio (AudioInfo), its
 * edits (trims, the transition after it, its chapter title), its status. Pure types and
 * defaults; the track store (lib/store/tracks.ts) keeps them in IndexedDB.
 */
import type { SeamErrorData } from './errors';
import type { Text } from './i18n';

/** What a probe learns about one track. Produced by `parseProbe` from ffprobe's JSON. */
export interface AudioInfo {
  /** ffprobe's format_name, e.g. "mp3", "wav", "mov,mp4,m4a,3gp,3g2,mj2", "ogg". */
  container: string;
  /** Codec of the first audio stream, e.g. "mp3", "aac", "pcm_s16le", "vorbis", "opus", "flac". */
  codec: string;
  sampleRate: number;
  channels: number;
  /** e.g. "mono", "stereo", "5.1"; empty when ffprobe does not say. */
  channelLayout: string;
  /**
   * Seconds. Once `decoded`, the decoded length, exact to the sample (what trims, crossfades,
   * chapters and the output check are timed against); before that, the container's statement.
   */
  durationSec: number;
  /** The length the container (or stream header) announces; absent when it announces none. */
  statedSec?: number;
  /**
   * True once a full decode has measured `durationSec` and found the audio whole; false while
   * that check is still to run (long files are checked after they are listed, in the
   * background). Absent (tracks probed by an older version) counts as false.
   */
  decoded?: boolean;
  /**
   * True when the file's own tables hold exactly the length ffprobe stated, in one format (an
   * MP3's frames, a WAV's data chunk, FLAC's STREAMINFO, an unchained Ogg stream's last
   * granule, an MP4's one sample description): a re-encode may then start before the decode
   * check, planned on that length (lib/plan/decide.ts `startsBeforeChecks`). Set at probe time
   * (lib/lossless/check.ts `lengthHeld`); absent = not known to hold.
   */
  lengthHeld?: boolean;
  /**
   * With `lengthHeld`, the sample frames the tables say the file decodes to, exactly, when they
   * say it (not AAC's); `durationSec` is then this at `sampleRate`. What a re-encode in parts
   * counts on to leave out the tracks before its part, as it does with a checked `samples`.
   */
  heldSamples?: number;
  /**
   * ffprobe found the file cut short (an MP3 with fewer bytes than its header announces): the
   * decode check says how much of it plays, and refuses it unless the person keeps that.
   */
  cutShort?: boolean;
  /** The person kept what plays of a file cut short: its decoded and its announced length. */
  kept?: { decodedSec: number; statedSec: number };
  /** Sample frames the full decode gave (with `decoded`). */
  samples?: number;
  /** How ffmpeg decodes the samples: "s16", "s32", "flt", "dbl", "u8", "fltp"… (sample_fmt). */
  sampleFormat?: string;
  /** The codec's profile as ffprobe names it, e.g. "LC" or "HE-AAC" for AAC. */
  profile?: string;
  /** Bits per sample the source holds (bits_per_raw_sample, else bits_per_sample), when stated. */
  bitsPerSample?: number;
  /** Bits per second of the audio stream (or the file), 0 when unknown. */
  bitRate: number;
  /** Index of the audio stream ffmpeg should map ("0:a:0" is always the first audio stream). */
  audioStreamIndex: number;
  /** True when the file also carries a (non cover-art) video stream, e.g. an .mp4 recording. */
  hasVideo: boolean;
  /** True when the file carries an attached picture (cover art). */
  hasCover: boolean;
  /** Stream index of that picture (`disposition.attached_pic`), never a video track's. */
  coverStreamIndex?: number;
  /**
   * ffmpeg input options this file needs to be read right, placed before its `-i` (a
   * big-endian WAV, which ffmpeg 5.1 would read as little-endian noise, is read as raw PCM).
   */
  inputArgs?: string[];
  /**
   * What is worth saying about the file that does not stop a join, as phrases that follow the
   * track's name or number: "has a damaged tag, which is ignored".
   */
  notes?: (string | Text)[];
  /** Container and stream tags, keys lower-cased (title, artist, album, date, ...). */
  tags: Record<string, string>;
  /** The file's own chapters (MP4 chapter track or chpl, ID3 CHAP, a cue sheet), in its time. */
  chapters?: SourceChapter[];
  /**
   * Whether the zero-copy join may take this file unchanged (MP3 and WAV: `checkFastPath` in
   * lib/lossless): its frames or data chunk hold what it decodes to, in one stream. Absent =
   * not checked. `reason` follows the track's number: "changes sample rate … at 0:10"; a
   * sentence as data, made in the engine and put into words where shown (a string: words
   * already written, as older stored probes hold them).
   */
  fastPath?: { ok: true } | { ok: false; reason: string | Text; change?: boolean };
  /**
   * Whether "Match loudness" may move this AAC-LC file's gain in place (lib/lossless/gain/):
   * every frame walked to its end. `reason` names the frame and what stopped the walk. Absent =
   * not checked (not AAC-LC in MP4, or listed before the check ran).
   */
  aacGain?: { ok: true } | { ok: false; reason: string };
  /**
   * The decoded stream changes sample rate, channels or sample format midway (the decode
   * check; for an MP3 also its frame scan, which knows the time). Such a track is decoded on
   * its own first (lib/plan/predecode.ts): ffmpeg 5.1 loses audio when a join's filter graph
   * is set up again mid-stream.
   */
  formatChange?: FormatChange;
  /**
   * EBU R128 integrated loudness (LUFS) and true peak (dBTP), measured by the decode check on
   * its own decode (lib/media/ebur128.ts); absent before it ran, or for a stream that changes
   * format midway.
   */
  loudness?: { i: number; tp: number };
}

/** How a track's decoded stream changes midway. */
export interface FormatChange {
  /**
   * A verb phrase that follows the track's number: "changes sample rate from 44.1 kHz to
   * 48 kHz at 0:10", "changes channels midway (mono, then stereo, then 5.1)". A sentence as
   * data, made in the engine and put into words where shown (a string: words already written).
   */
  reason: string | Text;
  /** The channel counts it takes on, in order (each change once). */
  channels: number[];
  /** The sample rates it takes on, in order (each change once). */
  sampleRates: number[];
}

/** A chapter a file already has, in seconds of that file. */
export interface SourceChapter {
  title: string;
  /**
   * The chapter's own title inside its track's, when its title is flattened ("Episode 2:
   * Opening" of "Opening"): a format that nests chapters (ID3 CTOC) puts it under the track.
   */
  inner?: string;
  /** Its image (a JSON chapter's `img`), kept in lib/store/chapter-images.ts under this key. */
  imageId?: string;
  startSec: number;
  endSec: number;
}

/* Per-track edits made in the editor. Defaults mean "as recorded, no transition". */

export type CrossfadeCurve = 'linear' | 'equal-power' | 'logarithmic';

/** What happens at the junction after a track (the last track's is ignored). */
export type Transition =
  | { kind: 'none' }
  | { kind: 'gap'; seconds: number }
  | { kind: 'crossfade'; seconds: number; curve: CrossfadeCurve };

export interface TrackEdit {
  /** Seconds cut from the start (0 = none), to 0.01 s. */
  startSec: number;
  /** Where the track ends, in seconds of the source; undefined = at its end. */
  endSec?: number;
  transitionAfter: Transition;
  /** Chapter title; undefined = the file name without its extension. */
  chapterTitle?: string;
  /**
   * Chapters the person marked in the track ("Find chapters": lib/editor/pauses.ts), in the
   * track's own seconds, the first at 0; they stand for the file's own chapters everywhere.
   */
  chapters?: { startSec: number; title: string; inner?: string; imageId?: string }[];
}

export const NO_TRANSITION: Transition = { kind: 'none' };
export const DEFAULT_EDIT: TrackEdit = { startSec: 0, transitionAfter: NO_TRANSITION };

/**
 * Where a track's audio came from. Page audio keeps its link, the page it was found on, and,
 * once downloaded, the URL the download ended at after redirects (tracking prefixes, CDNs).
 */
export type TrackSource =
  { kind: 'file' } | { kind: 'url'; url: string; pageUrl?: string; finalUrl?: string };

/**
 * - fetching: the audio is being downloaded into the store (page audio);
 * - probing: stored, ffmpeg is reading its format;
 * - ready: probed, can be joined;
 * - error: see `error`; the rest of the queue is untouched.
 */
type TrackStatus = 'fetching' | 'probing' | 'ready' | 'error';

/** One queued track's metadata. Its audio Blob lives beside it, in the `audio` store. */
export interface Track {
  id: string;
  name: string;
  size: number;
  mime: string;
  addedAt: number;
  /** A local file's last modification (File.lastModified), for sorting by date. */
  modifiedAt?: number;
  /** Sort key of the queue; lower comes first. */
  position: number;
  source: TrackSource;
  status: TrackStatus;
  info?: AudioInfo;
  error?: SeamErrorData;
  /** 0..1 while fetching. */
  progress?: number;
  /**
   * What its header says (lib/media/headers.ts), read in JavaScript when it was added or
   * arrived: shown while ffprobe has not yet run, whose `info` then stands for it.
   */
  header?: { codec: string; sampleRate: number; channels: number; durationSec?: number };
  /** Trims, the transition after it, its chapter title; absent = none. */
  edit?: TrackEdit;
  /**
   * Chapters a cue sheet added with the file gives it (a CD-image rip: one file, a TRACK per
   * chapter), in the file's seconds; the probe makes them the file's own (`AudioInfo.chapters`).
   */
  cueChapters?: { title: string; startSec: number }[];
}

/** How errors, progress and the engine name a track: its id and the name the person sees. */
export interface TrackRef {
  id: string;
  name: string;
}

export function trackRef(t: TrackRef): TrackRef {
  return { id: t.id, name: t.name };
}
