/**
 * Lossless WAV join over Blobs: a fresh header (lib/containers/wav.ts: RIFF, or RF64 past 4 GiB)
 * followed by slices of each input's data chunk. Only chunk headers are read, so the cost does
 * not depend on the length of the audio.
 */
import { NothingToJoinError, UnsupportedAudioError } from '@/lib/core/errors';
import { text, textN, type Text } from '@/lib/core/i18n';
import { throwIfAborted } from '@/lib/core/bytes';
import {
  joinedFmt,
  parseWav,
  wavHeader,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_MULAW,
  type WavFormat,
  type WavInfo,
} from '@/lib/containers/wav';
import type { LosslessInput, LosslessOptions } from './types';

function describe(f: WavFormat): Text {
  const kind =
    f.codecTag === WAVE_FORMAT_IEEE_FLOAT
      ? 'float'
      : f.codecTag === WAVE_FORMAT_ALAW
        ? 'A-law'
        : f.codecTag === WAVE_FORMAT_MULAW
          ? 'µ-law'
          : 'PCM';
  const bits = f.validBitsPerSample ?? f.bitsPerSample;
  return textN('refusals.wavFormat', f.channels, String(bits), kind, String(f.sampleRate));
}

function sameFormat(a: WavFormat, b: WavFormat): boolean {
  return (
    a.codecTag === b.codecTag &&
    a.channels === b.channels &&
    a.sampleRate === b.sampleRate &&
    a.bitsPerSample === b.bitsPerSample &&
    a.blockAlign === b.blockAlign &&
    (a.validBitsPerSample ?? a.bitsPerSample) === (b.validBitsPerSample ?? b.bitsPerSample)
  );
}

/**
 * Joins WAV inputs without touching the samples. All inputs must share sample format, channel
 * count and rate; the output's header follows the first input's fmt chunk.
 */
export async function joinWav(inputs: LosslessInput[], opts: LosslessOptions = {}): Promise<Blob> {
  if (inputs.length === 0) throw new NothingToJoinError();
  const infos: WavInfo[] = [];
  for (const [i, input] of inputs.entries()) {
    throwIfAborted(opts.signal);
    const info = await parseWav(input);
    throwIfAborted(opts.signal);
    if (info.container === 'RIFX') {
      throw new UnsupportedAudioError(text('refusals.wavRifx'), { id: input.id, name: input.name });
    }
    const first = infos[0];
    if (first && !sameFormat(first.format, info.format)) {
      throw new UnsupportedAudioError(
        text('refusals.wavMismatch', describe(info.format), describe(first.format)),
        { id: input.id, name: input.name },
      );
    }
    infos.push(info);
    opts.onProgress?.((i + 1) / inputs.length);
  }

  const dataSize = infos.reduce((sum, info) => sum + info.dataSize, 0);
  const parts: BlobPart[] = [wavHeader(joinedFmt(infos[0]!), dataSize)];
  infos.forEach((info, i) => {
    if (info.dataSize > 0) {
      parts.push(inputs[i]!.blob.slice(info.dataOffset, info.dataOffset + info.dataSize));
    }
  });
  // RIFF chunks are word-aligned: an odd-sized data chunk is followed by a pad byte.
  if (dataSize & 1) parts.push(new Uint8Array(1));
  return new Blob(parts, { type: 'audio/wav' });
}
