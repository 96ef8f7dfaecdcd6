/**
 * Every reason Seam gives for refusing a file or failing a join reads as words: swept over the
 * real error lines native ffmpeg printed for the corpus (tests/fixtures/corpus/verdicts.json),
 * through the decode check's verdict and the join's failure reading, as the UI shows them.
 */
import { render } from '@/lib/core/i18n';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeError, SeamError } from '@/lib/core/errors';
import { judgeDecode } from '@/lib/media/decode-check';
import { ffmpegFailure } from '@/lib/media/ffmpeg-log';
import { FIXTURES } from '../support/paths';

const verdicts = JSON.parse(
  readFileSync(join(FIXTURES, 'corpus', 'verdicts.json'), 'utf8'),
) as Record<string, { decodeErrors: { first: string[] }; probeErrors: { first: string[] } }>;

/** Every distinct error line native ffmpeg printed for a corpus file, with the file's name. */
const LINES = [
  ...new Map(
    Object.entries(verdicts).flatMap(([file, v]) =>
      [...v.decodeErrors.first, ...v.probeErrors.first].map((l) => [l, file] as const),
    ),
  ),
].map(([line, file]) => ({ line, name: file.split('/').pop()! }));

/** The line as ffmpeg.wasm prints it: "[flac @ 0x…] …" (verdicts.json has the pointers taken out). */
const asPrinted = (line: string, context = 'flac') =>
  // verdicts.json names the corpus file where ffmpeg.wasm names the engine's mounted input.
  (line = line.replace(/^[\w./-]+\/[\w.-]+: /, '/task-5f0c2e4e/input.bin: ')).startsWith('[')
    ? line.replace(/^\[([^\]]*)\]/, '[$1 @ 0x55d0c1a2b3c0]')
    : `[${context} @ 0x55d0c1a2b3c0] ${line}`;

/** What a person must never read: an object dump, a word whose first letter was lowered. */
function expectWords(text: string): void {
  expect(text).not.toMatch(/\[object \w+\]/);
  expect(text, 'no raw decoder casing such as "(cRC mismatch!)"').not.toMatch(/\b[a-z][A-Z]{2,}/);
  expect(text).not.toMatch(/@ 0x[0-9a-f]+/); // ffmpeg's pointers
  expect(text).toMatch(/[.!?…]$/);
}

describe('messages from the corpus’s ffmpeg lines', () => {
  it('has lines to sweep', () => {
    expect(LINES.length).toBeGreaterThan(30);
  });

  it.each(LINES)('a decode that fails with “$line”', ({ line, name }) => {
    const track = { id: name, name };
    // Nothing decoded, and the same line before the tail: both refusals quote it.
    for (const samples of [0, 8000]) {
      const log = [asPrinted(line)];
      try {
        judgeDecode(
          track,
          { sampleRate: 8000 },
          { full: { samples, log }, head: { samples, log } },
        );
      } catch (err) {
        expect(err).toBeInstanceOf(SeamError);
        const shown = describeError((err as SeamError).toData());
        expectWords(shown);
        expect(shown.startsWith(`${name}: `)).toBe(true);
      }
    }
  });

  it.each(LINES)('a join that fails with “$line”', ({ line }) => {
    const { reason } = ffmpegFailure([asPrinted(line, 'mp3')], []);
    expectWords(
      describeError({
        code: 'join-failed',
        message: render(reason),
        text: reason,
        trackName: 'a.mp3',
      }),
    );
  });
});
