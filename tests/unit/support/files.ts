import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { LosslessInput } from '@/lib/lossless';
import { fixture } from '../../support/paths';

export type Bytes = Uint8Array<ArrayBuffer>;

/** A fixture's bytes (`name` under tests/fixtures, e.g. "lossless/vbr-xing.mp3"). */
export function fixtureBytes(name: string): Bytes {
  return new Uint8Array(readFileSync(fixture(name)));
}

/** A file of tests/fixtures/lossless/ as the lossless joiner's input (its bytes, or `data`). */
export function losslessInput(
  name: string,
  data: BlobPart[] = [fixtureBytes(`lossless/${name}`)],
): LosslessInput {
  return { id: `id-${name}`, name, blob: new Blob(data) };
}

/**
 * A temporary folder for this test file, removed after its tests; `write` saves a Blob there
 * under a fresh name and returns its path.
 */
export function tempFolder(prefix: string): {
  dir: string;
  write(blob: Blob, ext: string): Promise<string>;
} {
  const dir = mkdtempSync(join(tmpdir(), `seam-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let written = 0;
  return {
    dir,
    async write(blob, ext) {
      const file = join(dir, `out-${written++}.${ext}`);
      writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
      return file;
    },
  };
}
