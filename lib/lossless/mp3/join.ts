/** Joins MP3 inputs into one Blob of slices of the inputs behind a fresh Xing/Info frame. */
import { NothingToJoinError } from '@/lib/core/errors';
import { throwIfAborted } from '@/lib/core/bytes';
import type { LosslessInput, LosslessOptions } from '../types';
import { scanMp3, type Mp3Scan } from './scan';
import { buildXingFrame } from './xing';

/**
 * Joins MP3 inputs without re-encoding. Output: the first input's leading ID3v2 tag (verbatim),
 * a fresh Xing/Info frame for the whole stream (Layer III only), then every input's audio frames
 * as slices of its Blob. Every frame an input decodes to is carried: an input whose stream
 * changes midway throws NotUniformError instead of being cut short.
 */
export async function joinMp3(inputs: LosslessInput[], opts: LosslessOptions = {}): Promise<Blob> {
  if (inputs.length === 0) throw new NothingToJoinError();
  const total = inputs.reduce((sum, i) => sum + i.blob.size, 0) || 1;
  let done = 0;
  let reported = -1;
  const report = (bytes: number) => {
    const fraction = Math.min(1, (done + bytes) / total);
    if (fraction > reported) {
      reported = fraction;
      opts.onProgress?.(fraction);
    }
  };

  const scans: Mp3Scan[] = [];
  for (const input of inputs) {
    throwIfAborted(opts.signal);
    const scan = await scanMp3(input, {
      ...opts,
      ...(scans[0] ? { like: scans[0].header } : {}),
      onBytes: report,
    });
    scans.push(scan);
    done += input.blob.size;
  }
  throwIfAborted(opts.signal);

  const first = scans[0]!;
  const last = scans[scans.length - 1]!;
  const parts: BlobPart[] = [];
  if (first.id3v2End > 0) parts.push(inputs[0]!.blob.slice(0, first.id3v2End));
  if (first.header.layer === 3) {
    const uniform = scans.every((s) => s.uniformBitrate === first.uniformBitrate);
    const firstLame = first.vbrTag?.lame;
    parts.push(
      buildXingFrame({
        like: first.header,
        frames: scans.reduce((sum, s) => sum + s.frameCount, 0),
        audioBytes: scans.reduce((sum, s) => sum + s.byteCount, 0),
        uniformBitrate: uniform ? first.uniformBitrate : 0,
        frameSizes: scans.map((s) => s.frameSizes),
        quality: first.vbrTag?.quality ?? 0,
        ...(firstLame
          ? {
              lame: {
                tag: firstLame,
                delay: first.vbrTag?.delay ?? 0,
                padding: last.vbrTag?.lame ? (last.vbrTag.padding ?? 0) : 0,
              },
            }
          : {}),
      }),
    );
  }
  scans.forEach((scan, i) => {
    const blob = inputs[i]!.blob;
    for (const [start, stop] of scan.ranges) parts.push(blob.slice(start, stop));
    const cut = scan.cutFrame;
    if (cut) parts.push(blob.slice(cut.start, cut.end), new Uint8Array(cut.missing));
  });
  opts.onProgress?.(1);
  return new Blob(parts, { type: 'audio/mpeg' });
}
