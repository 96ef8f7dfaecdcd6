import { storage } from '#imports';
import { BITRATES, type Bitrate, type FormatId } from './formats';

/** The output choices. Defaults are the single source of truth for the type. */
export const defaultOutput = {
  format: 'mp3' as FormatId,
  /** kb/s for lossy formats. */
  bitrate: 192 as Bitrate,
};
export type OutputSettings = typeof defaultOutput;

export const outputSettings = storage.defineItem<OutputSettings>('local:output', {
  fallback: defaultOutput,
  version: 1,
});

export function isBitrate(n: number): n is Bitrate {
  return (BITRATES as readonly number[]).includes(n);
}
