/**
 * Peaks for a track's waveform, in the options page only (the popup never imports this): the
 * track's Blob from IndexedDB, decoded by the page's own audio decoder (`decodeAudioData`),
 * reduced to PEAK_BUCKETS min/max pairs. Kept in memory and in a small IndexedDB database of
 * its own, so a reopened editor draws at once. One decode runs at a time.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { t } from '@/lib/core/i18n';
import { computePeaks, edgeLevels, PEAK_BUCKETS, type Peaks } from './peaks';
import type { EdgeLevels } from './silence';
import { envelopeOfPieces, levelEnvelope, type LevelEnvelope } from './pauses';
import { getAudio } from '@/lib/store/tracks';

interface PeaksDB extends DBSchema {
  peaks: { key: string; value: Peaks & { size: number } };
}

/** Why a waveform could not be drawn, said under the empty waveform. */
class WaveformUnavailableError extends Error {
  override name = 'WaveformUnavailableError';
}

/**
 * `decodeAudioData` holds the whole track as 32-bit floats at its own rate before resampling:
 * 48 minutes of 44.1 kHz stereo is 500 MB. Longer tracks are decoded in pieces (MP3, whose
 * frames resynchronise anywhere) or not drawn.
 */
const MAX_DECODED_BYTES = 512 * 1024 * 1024;
/** Byte size of each piece of a long MP3 (about 8 minutes at 128 kb/s). */
const MP3_PIECE_BYTES = 8 * 1024 * 1024;
/** Peaks need no more than this: 8 kHz keeps everything under 4 kHz, where speech and beats are. */
const DECODE_RATE = 8000;

const memory = new Map<string, Promise<Peaks>>();
let queue: Promise<unknown> = Promise.resolve();
let dbPromise: Promise<IDBPDatabase<PeaksDB>> | undefined;

function db(): Promise<IDBPDatabase<PeaksDB>> {
  dbPromise ??= openDB<PeaksDB>('seam-peaks', 1, {
    upgrade(d) {
      d.createObjectStore('peaks');
    },
  });
  return dbPromise;
}

export interface PeaksRequest {
  id: string;
  /** The Blob's size: a track whose audio changed (fetched again) gets new peaks. */
  size: number;
  codec: string;
  durationSec: number;
  sampleRate: number;
  channels: number;
}

/** The track's peaks, from memory, the peaks database, or a fresh decode (queued). */
export function loadPeaks(req: PeaksRequest): Promise<Peaks> {
  const key = `${req.id}:${req.size}`;
  let p = memory.get(key);
  if (!p) {
    p = fromCache(req).then((cached) => cached ?? enqueue(() => decodeAndStore(req)));
    memory.set(key, p);
    p.catch(() => memory.delete(key));
  }
  return p;
}

/** Drops stored peaks of tracks no longer queued. */
export async function forgetPeaksExcept(ids: readonly string[]): Promise<void> {
  const keep = new Set(ids);
  for (const key of memory.keys()) {
    if (!keep.has(key.slice(0, key.lastIndexOf(':')))) memory.delete(key);
  }
  try {
    const d = await db();
    const stored = await d.getAllKeys('peaks');
    const stale = stored.filter((k) => !keep.has(k));
    if (stale.length === 0) return;
    const tx = d.transaction('peaks', 'readwrite');
    await Promise.all(stale.map((k) => tx.store.delete(k)));
    await tx.done;
  } catch {
    // A cache that cannot be tidied costs a little disk, nothing more.
  }
}

async function fromCache(req: PeaksRequest): Promise<Peaks | undefined> {
  try {
    const hit = await (await db()).get('peaks', req.id);
    if (hit && hit.size === req.size) return hit;
  } catch {
    // No cache: decode.
  }
  return undefined;
}

function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

async function decodeAndStore(req: PeaksRequest): Promise<Peaks> {
  const blob = await getAudio(req.id);
  if (!blob) throw new WaveformUnavailableError(t('editor.notStored'));
  const decodedBytes = req.durationSec * req.sampleRate * Math.max(1, req.channels) * 4;
  let peaks: Peaks;
  if (decodedBytes <= MAX_DECODED_BYTES) {
    peaks = await decodePeaks(blob, PEAK_BUCKETS);
  } else if (req.codec === 'mp3') {
    peaks = await decodeMp3InPieces(blob, req.durationSec);
  } else {
    throw new WaveformUnavailableError(t('editor.tooLongToDraw'));
  }
  // The probe's duration is the one trims are measured against.
  if (req.durationSec > 0) peaks = { ...peaks, durationSec: req.durationSec };
  try {
    await (await db()).put('peaks', { ...peaks, size: req.size }, req.id);
  } catch {
    // Not cached: drawn again from scratch next time.
  }
  return peaks;
}

/**
 * The level at a track's two ends (./peaks.ts `edgeLevels`), for finding silence there: the
 * whole track decoded, or for a long MP3 only its first and last pieces. Not cached: it is
 * asked for on a click, and a decode of the ends is quick.
 */
export function loadEdgeLevels(req: PeaksRequest): Promise<EdgeLevels> {
  return enqueue(async () => {
    const blob = await getAudio(req.id);
    if (!blob) throw new WaveformUnavailableError(t('editor.notStored'));
    const decodedBytes = req.durationSec * req.sampleRate * Math.max(1, req.channels) * 4;
    let levels: EdgeLevels;
    if (decodedBytes <= MAX_DECODED_BYTES) {
      levels = edgeLevels(...(await decodeChannels(blob)));
    } else if (req.codec === 'mp3') {
      const head = edgeLevels(...(await decodeChannels(blob.slice(0, MP3_PIECE_BYTES))));
      const tail = edgeLevels(
        ...(await decodeChannels(blob.slice(Math.max(0, blob.size - MP3_PIECE_BYTES)))),
      );
      levels = { ...head, tail: tail.tail };
    } else {
      throw new WaveformUnavailableError(t('editor.tooLongToDecode'));
    }
    // Trims are measured against the probe's length.
    return req.durationSec > 0 ? { ...levels, durationSec: req.durationSec } : levels;
  });
}

/** A Blob decoded by the page's audio decoder at DECODE_RATE: its channels and rate. */
async function decodeChannels(
  blob: Blob,
  refusal = t('editor.cannotDecode'),
): Promise<[Float32Array[], number]> {
  const data = await blob.arrayBuffer();
  // decodeAudioData resamples to the context's rate; an offline context needs no user gesture.
  const ctx = new OfflineAudioContext(1, 1, DECODE_RATE);
  let audio: AudioBuffer;
  try {
    audio = await ctx.decodeAudioData(data);
  } catch {
    throw new WaveformUnavailableError(refusal);
  }
  const channels = Array.from({ length: audio.numberOfChannels }, (_, i) =>
    audio.getChannelData(i),
  );
  return [channels, audio.sampleRate];
}

async function decodePeaks(blob: Blob, buckets: number): Promise<Peaks> {
  const [channels, rate] = await decodeChannels(blob, t('editor.cannotDecodeWaveform'));
  return computePeaks(channels, rate, buckets);
}

/** Long MP3s: pieces decoded one by one, each given its share of the buckets by bytes. */
async function decodeMp3InPieces(blob: Blob, durationSec: number): Promise<Peaks> {
  const pieces = Math.ceil(blob.size / MP3_PIECE_BYTES);
  const min = new Float32Array(PEAK_BUCKETS);
  const max = new Float32Array(PEAK_BUCKETS);
  for (let p = 0; p < pieces; p++) {
    const from = Math.floor((p * PEAK_BUCKETS) / pieces);
    const to = Math.floor(((p + 1) * PEAK_BUCKETS) / pieces);
    const part = blob.slice(p * MP3_PIECE_BYTES, (p + 1) * MP3_PIECE_BYTES);
    const peaks = await decodePeaks(part, Math.max(1, to - from));
    min.set(peaks.min.subarray(0, to - from), from);
    max.set(peaks.max.subarray(0, to - from), from);
  }
  return { durationSec, min, max };
}

/**
 * The level through a whole track (./pauses.ts `levelEnvelope`), for "Find chapters": decoded
 * at once, or for a long MP3 piece by piece, the pieces' envelopes end to end. Not cached: it
 * is asked for on a click.
 */
export function loadLevelEnvelope(req: PeaksRequest): Promise<LevelEnvelope> {
  return enqueue(async () => {
    const blob = await getAudio(req.id);
    if (!blob) throw new WaveformUnavailableError(t('editor.notStored'));
    const decodedBytes = req.durationSec * req.sampleRate * Math.max(1, req.channels) * 4;
    let env: LevelEnvelope;
    if (decodedBytes <= MAX_DECODED_BYTES) {
      env = levelEnvelope(...(await decodeChannels(blob)));
    } else if (req.codec === 'mp3') {
      const parts: LevelEnvelope[] = [];
      for (let at = 0; at < blob.size; at += MP3_PIECE_BYTES) {
        parts.push(levelEnvelope(...(await decodeChannels(blob.slice(at, at + MP3_PIECE_BYTES)))));
      }
      env = envelopeOfPieces(parts, MP3_PIECE_BYTES, blob.size, req.durationSec);
    } else {
      throw new WaveformUnavailableError(t('editor.tooLongToDecode'));
    }
    return env;
  });
}
