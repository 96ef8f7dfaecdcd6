/** What the lossless joiners take: an input Blob with the track it belongs to, and options. */

export interface LosslessInput {
  id: string;
  name: string;
  blob: Blob;
}

export interface LosslessOptions {
  signal?: AbortSignal;
  /** Called with 0..1 as the inputs are scanned. */
  onProgress?: (fraction: number) => void;
}

/** The zero-copy joins there are. */
export type LosslessKind = 'mp3' | 'wav';
