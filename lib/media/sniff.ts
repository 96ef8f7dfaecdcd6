/**
 * Looks at a file's first bytes, before and beside ffprobe, for two things ffprobe does not say:
 * what a non-audio file really is (so the message can say "looks like a PNG image" rather than
 * "invalid data"), and how many bytes the header announces (so a cut-short download is caught:
 * ffprobe reports a half WAV as a shorter, healthy WAV).
 *
 * Pure: give it the head of the file (64 KB is plenty) and the full size.
 */
import type { MessageKey, Text } from '@/lib/core/i18n';
import { ascii, startsWith, u32be, u32le } from '@/lib/core/bytes';
import { leadingId3Size } from '@/lib/containers/id3';
import { frameHeaderAt, readVbrTag, type FrameHeader } from '@/lib/containers/mp3';

export type SniffKind =
  // Audio (or audio-bearing) containers.
  | 'mp3-xing'
  | 'mp3-vbri'
  | 'mp3'
  | 'wav'
  /** Big-endian WAV. */
  | 'rifx'
  | 'flac'
  | 'ogg'
  | 'mp4'
  | 'matroska'
  | 'aiff'
  // Not audio.
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'pdf'
  | 'zip'
  | 'html'
  | 'xml'
  | 'playlist'
  | 'text'
  | 'unknown';

export interface HeaderCheck {
  kind: SniffKind;
  /**
   * The file size the header announces, in bytes, when it announces one: ID3v2 tags plus the
   * Xing/Info or VBRI byte count for MP3, the offset of the WAV data chunk plus its size, the end
   * of the last MP4 box whose header was seen. Larger than the real size means bytes are missing.
   */
  declaredBytes?: number;
  /** Where the bytes that `declaredBytes` counts begin (after leading tags and headers). */
  payloadOffset?: number;
  /** The duration the header announces (Xing/VBRI frame count, WAV data size / byte rate). */
  declaredDurationSec?: number;
}

/** The head of the file worth reading: ID3v2 tags with cover art can push the first frame far. */
export const SNIFF_WINDOW = 64 * 1024;

/** What each non-audio kind looks like, for "not an audio file (looks like …)". */
const NOT_AUDIO: Partial<Record<SniffKind, MessageKey>> = {
  png: 'kinds.png',
  jpeg: 'kinds.jpeg',
  gif: 'kinds.gif',
  webp: 'kinds.webp',
  pdf: 'kinds.pdf',
  zip: 'kinds.zip',
  html: 'kinds.html',
  xml: 'kinds.xml',
  playlist: 'kinds.playlist',
  text: 'kinds.text',
};

/**
 * "a PNG image", "text", … (as sentences in data) for kinds that are never audio; undefined for
 * everything else.
 */
export function notAudioDescription(kind: SniffKind | undefined): Text | undefined {
  const key = kind === undefined ? undefined : NOT_AUDIO[kind];
  return key ? { key } : undefined;
}

/** Sniffs `bytes` (the start of a file of `size` bytes). Never throws. */
export function inspectHeader(bytes: Uint8Array, size: number): HeaderCheck {
  const b = bytes.subarray(0, Math.min(bytes.length, size));
  if (b.length === 0) return { kind: 'unknown' };

  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'png' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { kind: 'jpeg' };
  if (ascii(b, 0, 4) === 'GIF8') return { kind: 'gif' };
  if (ascii(b, 0, 5) === '%PDF-') return { kind: 'pdf' };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]))
    return { kind: 'zip' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'webp' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return inspectWav(b);
  // RF64/BW64 (WAV over 4 GB) keep their sizes in a ds64 chunk; not worth reading for a check.
  if (/^(RF|BW)64$/.test(ascii(b, 0, 4)) && ascii(b, 8, 4) === 'WAVE') return { kind: 'wav' };
  if (ascii(b, 0, 4) === 'RIFX' && ascii(b, 8, 4) === 'WAVE') return { kind: 'rifx' };
  if (ascii(b, 0, 4) === 'fLaC') return { kind: 'flac' };
  if (ascii(b, 0, 4) === 'OggS') return { kind: 'ogg' };
  if (ascii(b, 0, 4) === 'FORM' && /^AIF[FC]$/.test(ascii(b, 8, 4))) return { kind: 'aiff' };
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'matroska' };
  if (ascii(b, 4, 4) === 'ftyp') return inspectMp4(b, size);

  const mp3 = inspectMp3(b);
  if (mp3) return mp3;

  const text = textKind(b);
  if (text) return { kind: text };
  return { kind: 'unknown' };
}

// --- WAV -------------------------------------------------------------------------------------

/**
 * Walks the RIFF chunks to `data`. Its size field is what a cut-short WAV still claims; ffprobe
 * instead reports the duration of the bytes that are there, so it cannot tell.
 */
function inspectWav(b: Uint8Array): HeaderCheck {
  let byteRate = 0;
  let offset = 12; // "RIFF", the RIFF size, "WAVE"
  while (offset + 8 <= b.length) {
    const id = ascii(b, offset, 4);
    const chunkSize = u32le(b, offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 12 <= b.length) byteRate = u32le(b, body + 8);
    if (id === 'data') {
      // 0 and 0xFFFFFFFF are what streaming writers (ffmpeg to a pipe, recorders) leave when they
      // cannot seek back to fill the size in: they announce nothing.
      if (chunkSize === 0 || chunkSize === 0xffffffff) return { kind: 'wav' };
      return {
        kind: 'wav',
        declaredBytes: body + chunkSize,
        payloadOffset: body,
        ...(byteRate > 0 ? { declaredDurationSec: chunkSize / byteRate } : {}),
      };
    }
    // Chunks are padded to an even size (RIFF spec).
    offset = body + chunkSize + (chunkSize % 2);
  }
  return { kind: 'wav' };
}

// --- MP4 -------------------------------------------------------------------------------------

/**
 * Walks the top-level boxes whose headers fall inside the head. A box that ends past the end of
 * the file (usually `mdat`, with `moov` after it) means the file was cut; the real size is then
 * at least that box's end.
 */
function inspectMp4(b: Uint8Array, size: number): HeaderCheck {
  let offset = 0;
  while (offset + 8 <= b.length) {
    let boxSize = u32be(b, offset);
    if (boxSize === 1) {
      if (offset + 16 > b.length) break;
      // 64-bit size; above 2^53 no file is real, so the float is exact enough.
      boxSize = u32be(b, offset + 8) * 2 ** 32 + u32be(b, offset + 12);
    }
    // Size 0 means "to the end of the file"; below 8 the header is nonsense: stop trusting it.
    if (boxSize < 8) break;
    const end = offset + boxSize;
    if (end > size) return { kind: 'mp4', declaredBytes: end, payloadOffset: 0 };
    offset = end;
  }
  return { kind: 'mp4' };
}

// --- MP3 -------------------------------------------------------------------------------------

/**
 * Skips ID3v2 tags, finds the first MPEG audio frame and reads a Xing/Info or VBRI header from
 * it. Those headers count the bytes and frames of the whole stream as the encoder wrote it,
 * which is what a cut-short file still claims.
 */
function inspectMp3(b: Uint8Array): HeaderCheck | undefined {
  const offset = leadingId3Size(b);
  const tagged = offset > 0;
  // Some taggers leave zero padding after the tag; allow a little before giving up on a frame.
  const searchEnd = Math.min(b.length, offset + 4096);
  let at = offset;
  let frame: FrameHeader | undefined;
  for (; at < searchEnd && !frame; at++) frame = frameHeaderAt(b, at);
  if (!frame) return tagged ? { kind: 'mp3' } : undefined;
  const payloadOffset = at - 1;
  const tag = readVbrTag(b.subarray(payloadOffset), frame);
  if (!tag) return { kind: 'mp3' };
  const kind = tag.kind === 'VBRI' ? 'mp3-vbri' : 'mp3-xing';
  return {
    kind,
    ...(tag.bytes ? { declaredBytes: payloadOffset + tag.bytes, payloadOffset } : {}),
    ...(tag.frames
      ? { declaredDurationSec: (tag.frames * frame.samplesPerFrame) / frame.sampleRate }
      : {}),
  };
}

// --- Text ------------------------------------------------------------------------------------

/** Enough text to be sure: any binary format has a control byte or invalid UTF-8 by then. */
const TEXT_SAMPLE = 1024;

/** 'html', 'xml', 'playlist' or 'text' when the head is clean UTF-8 text; undefined otherwise. */
function textKind(b: Uint8Array): 'html' | 'xml' | 'playlist' | 'text' | undefined {
  const sample = b.subarray(0, TEXT_SAMPLE);
  let text: string;
  try {
    // stream: true tolerates a character cut at the end of the sample.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return undefined;
  }
  // Tab, line feed, vertical tab, form feed and carriage return are text; other controls are not.
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return undefined;
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 256)
    .toLowerCase();
  if (/^<!doctype html|^<html|^<head|^<body|^<!--/.test(head)) return 'html';
  if (head.startsWith('<?xml') || head.startsWith('<svg') || head.startsWith('<rss')) return 'xml';
  if (head.startsWith('#extm3u') || head.startsWith('[playlist]')) return 'playlist';
  return 'text';
}
