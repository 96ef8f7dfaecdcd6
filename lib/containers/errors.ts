/**
 * A segment that is not what its engine should have written (not the codec, cut short, another
 * stream). The parallel join falls back to one engine on it, so it never reaches the person.
 */
export class SpliceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpliceError';
  }
}
