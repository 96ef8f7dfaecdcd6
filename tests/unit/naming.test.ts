import { describe, expect, it } from 'vitest';
import {
  FALLBACK_NAME,
  MAX_NAME_BYTES,
  MAX_NAME_CHARS,
  outputFileName,
  sanitizeFileName,
  stripExtension,
} from '@/lib/core/naming';

/** What Chrome's downloads.download and Windows refuse in a name, checked on every output. */
function expectSafe(name: string): void {
  expect(name).not.toBe('');
  expect(name).not.toMatch(/["*/:<>?\\|~]/);
  expect(name).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  expect(name).not.toMatch(/^[\s.]|[\s.]$/);
  expect(name).not.toMatch(/ {2}/);
  expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
  expect(name.length).toBeLessThanOrEqual(MAX_NAME_CHARS);
  expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(MAX_NAME_BYTES + 6);
  // Well-formed UTF-16: no surrogate left without its partner.
  expect(name).not.toMatch(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
  );
}

describe('sanitizeFileName', () => {
  it.each([
    ['plain name', 'Episode 12.mp3', 'Episode 12.mp3'],
    ['unicode kept', 'Café — Ñandú 日本語.mp3', 'Café — Ñandú 日本語.mp3'],
    ['emoji kept', 'Mix 🎧.mp3', 'Mix 🎧.mp3'],
    ['NFD composed to NFC', 'Cafe\u0301.mp3', 'Café.mp3'],
    ['slashes', 'AC/DC\\Live.mp3', 'AC_DC_Live.mp3'],
    ['Windows reserved punctuation', 'a<b>c:d"e|f?g*h.mp3', 'a_b_c_d_e_f_g_h.mp3'],
    ['tilde (Chrome refuses it)', 'Song ~ Remix.mp3', 'Song - Remix.mp3'],
    ['path traversal', '../../etc/passwd', '_.._etc_passwd'],
    ['control characters go', 'a\u0000b\u0007c\u001bd.mp3', 'abcd.mp3'],
    ['tabs and new lines become spaces', 'Part\t1\r\nIntro.mp3', 'Part 1 Intro.mp3'],
    ['whitespace collapsed', 'a    b \u00a0  c.mp3', 'a b c.mp3'],
    ['bidi override (extension spoofing)', 'invoice\u202Eevil.mp3', 'invoiceevil.mp3'],
    ['zero-width and BOM', '\uFEFFzero\u200Bwidth.mp3', 'zerowidth.mp3'],
    ['leading dots (hidden file)', '...hidden.mp3', 'hidden.mp3'],
    ['trailing dots and spaces', 'name. . .', 'name'],
    ['trailing space before extension', 'Track .mp3', 'Track.mp3'],
    ['leading and trailing spaces', '   spaced   ', 'spaced'],
    ['only an extension', '.mp3', 'mp3'],
    ['reserved CON', 'CON', 'CON_'],
    ['reserved con.mp3', 'con.mp3', 'con_.mp3'],
    ['reserved Com1 with extension', 'Com1.mp3', 'Com1_.mp3'],
    ['reserved LPT9', 'lpt9', 'lpt9_'],
    ['reserved nul with two extensions', 'nul.tar.gz', 'nul_.tar.gz'],
    ['reserved with trailing space before dot', 'aux .mp3', 'aux_.mp3'],
    ['reserved superscript COM', 'COM¹.mp3', 'COM¹_.mp3'],
    ['CONSOLE is not reserved', 'CONSOLE.mp3', 'CONSOLE.mp3'],
    ['COM10 is not reserved', 'COM10', 'COM10'],
    ['lone high surrogate dropped', 'a\uD83Db.mp3', 'ab.mp3'],
    ['lone low surrogate dropped', 'a\uDFA7b', 'ab'],
    ['dot inside kept', 'Vol. 2', 'Vol. 2'],
  ])('%s', (_label, input, expected) => {
    const out = sanitizeFileName(input);
    expect(out).toBe(expected);
    expectSafe(out);
  });

  it.each([
    ['empty', ''],
    ['spaces', '    '],
    ['dots', '....'],
    ['controls only', '\u0000\u0001\u0002'],
    ['invisible only', '\u200B\u202E\uFEFF'],
    ['dots and spaces', ' . . . '],
  ])('falls back to "%s" → "Seam join"', (_label, input) => {
    expect(sanitizeFileName(input)).toBe(FALLBACK_NAME);
  });

  it('caps long names and keeps the extension', () => {
    const out = sanitizeFileName(`${'a'.repeat(300)}.mp3`);
    expect(out.length).toBe(MAX_NAME_CHARS);
    expect(out.endsWith('a.mp3')).toBe(true);
    expectSafe(out);
  });

  it('caps without splitting a surrogate pair', () => {
    // 🎧 is two UTF-16 units; an odd cap would split one if cutting by units.
    const out = sanitizeFileName(`x${'🎧'.repeat(100)}`);
    expectSafe(out);
    expect(Array.from(out).every((c) => c === 'x' || c === '🎧')).toBe(true);
  });

  it('caps without splitting an emoji sequence or a letter from its accent', () => {
    const flag = '🇫🇷'; // two regional indicators, one grapheme
    const out = sanitizeFileName(flag.repeat(80));
    expectSafe(out);
    expect(out.length % flag.length).toBe(0);
    const accented = 'e\u0302\u0323'.repeat(60); // e + two combining marks, no NFC single form
    const out2 = sanitizeFileName(accented);
    expectSafe(out2);
    expect(out2.normalize('NFD').length % 3).toBe(0);
  });

  it('caps by UTF-8 bytes for scripts with wide characters', () => {
    const out = sanitizeFileName('語'.repeat(150));
    expectSafe(out);
    expect(new TextEncoder().encode(out).length).toBeLessThanOrEqual(MAX_NAME_BYTES);
  });

  it('does not leave a trailing dot or space where the cap cuts', () => {
    const out = sanitizeFileName(`${'a'.repeat(MAX_NAME_CHARS - 1)} b`);
    expectSafe(out);
    expect(out).toBe('a'.repeat(MAX_NAME_CHARS - 1));
  });

  it('is idempotent', () => {
    for (const name of ['a/b', ' con.mp3 ', '..x..', 'é'.repeat(200), 'Song ~ 1.mp3']) {
      const once = sanitizeFileName(name);
      expect(sanitizeFileName(once)).toBe(once);
    }
  });
});

describe('stripExtension', () => {
  it.each([
    ['Chapter 1.mp3', 'Chapter 1'],
    ['song.M4A', 'song'],
    ['archive.tar.gz', 'archive.tar'],
    ['voice.opus', 'voice'],
    ['noext', 'noext'],
    ['Vol. 2', 'Vol. 2'],
    ['Take 1.5', 'Take 1.5'],
    ['Lecture 3.2024', 'Lecture 3.2024'],
    ['Mr. Smith goes', 'Mr. Smith goes'],
    ['.mp3', '.mp3'],
    ['..mp3', '..mp3'],
    ['name.toolongext', 'name.toolongext'],
    ['trailing.', 'trailing.'],
    ['a.b', 'a'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(stripExtension(input)).toBe(expected);
  });
});

describe('outputFileName', () => {
  const date = new Date(2024, 2, 5, 23, 59); // local 2024-03-05

  it.each([
    ['five tracks', 'First track.mp3', 5, 'mp3', undefined, 'First track + 4 more.mp3'],
    ['one track', 'First track.mp3', 1, 'mp3', undefined, 'First track.mp3'],
    ['two tracks', 'A.wav', 2, 'mp3', undefined, 'A + 1 more.mp3'],
    ['zero tracks', 'A.wav', 0, 'mp3', undefined, 'A.mp3'],
    ['extension with dot', 'A.flac', 3, '.flac', undefined, 'A + 2 more.flac'],
    ['no extension', 'A', 3, '', undefined, 'A + 2 more'],
    ['first name without extension', 'Intro', 2, 'm4b', undefined, 'Intro + 1 more.m4b'],
    ['unsafe first name', 'a/b:c?.mp3', 3, 'mp3', undefined, 'a_b_c_ + 2 more.mp3'],
    ['empty first name', '', 3, 'mp3', undefined, 'Seam join + 2 more.mp3'],
    ['reserved first name', 'CON.mp3', 1, 'mp3', undefined, 'CON_.mp3'],
    ['first name ending in a dot', 'Vol. 2.', 1, 'ogg', undefined, 'Vol. 2.ogg'],
    ['template {total}', 'A.mp3', 4, 'mp3', '{first} ({total} tracks)', 'A (4 tracks).mp3'],
    ['template {date}', 'A.mp3', 4, 'mp3', '{date} {first}', '2024-03-05 A.mp3'],
    [
      'template all',
      'A',
      3,
      'mp3',
      '{first}, {count} others, {total}, {date}',
      'A, 2 others, 3, 2024-03-05.mp3',
    ],
    ['placeholder case', 'A', 3, 'mp3', '{FIRST} + {Count} more', 'A + 2 more.mp3'],
    ['unknown placeholder kept', 'A', 2, 'mp3', '{first} {x}', 'A {x}.mp3'],
    [
      'braces in track name not expanded',
      '{count}.mp3',
      3,
      'mp3',
      undefined,
      '{count} + 2 more.mp3',
    ],
    ['1 track, "and N others"', 'A', 1, 'mp3', '{first} and {count} others', 'A.mp3'],
    ['1 track, "& N more tracks"', 'A', 1, 'mp3', '{first} & {count} more tracks', 'A.mp3'],
    ['1 track, brackets', 'A', 1, 'mp3', '{first} ({count} more)', 'A.mp3'],
    ['1 track, square brackets', 'A', 1, 'mp3', '{first} [+{count}]', 'A.mp3'],
    ['1 track, count first', 'A', 1, 'mp3', '{count} more + {first}', 'A.mp3'],
    [
      '1 track, with date after',
      'A',
      1,
      'mp3',
      '{first} + {count} more - {date}',
      'A - 2024-03-05.mp3',
    ],
    ['1 track, other language', 'A', 1, 'mp3', '{first} + {count} weitere', 'A.mp3'],
    ['empty template', 'A', 3, 'mp3', '', 'Seam join.mp3'],
    ['template of spaces and dots', 'A', 3, 'mp3', ' . ', 'Seam join.mp3'],
    ['template making a device name', 'A', 1, 'mp3', 'nul', 'nul_.mp3'],
    ['template with slashes', 'A', 2, 'mp3', '{first}/{count}', 'A_1.mp3'],
  ])('%s', (_label, first, count, ext, template, expected) => {
    const out = outputFileName(first, count, ext, template, date);
    expect(out).toBe(expected);
    expectSafe(out);
  });

  it('uses today when no date is given', () => {
    const today = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const iso = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
    expect(outputFileName('A', 1, 'mp3', '{first} {date}')).toBe(`A ${iso}.mp3`);
  });

  it('keeps the "+ N more" when the first name is very long', () => {
    const out = outputFileName(`${'Long name '.repeat(30)}.mp3`, 12, 'mp3');
    expectSafe(out);
    expect(out).toMatch(/ \+ 11 more\.mp3$/);
  });

  it('stays under the cap with a long template and keeps the extension', () => {
    const out = outputFileName('A', 2, 'mp3', 'x'.repeat(500));
    expectSafe(out);
    expect(out.endsWith('x.mp3')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(MAX_NAME_CHARS);
  });

  it.each([NaN, -3, Infinity])('treats a count of %s as no other tracks', (count) => {
    expect(outputFileName('A.mp3', count, 'mp3')).toBe('A.mp3');
  });
});

describe('outputFileName with a title', () => {
  const date = new Date(2024, 2, 5);
  it('names the file after the Title tag by default, else the first track and how many more', () => {
    expect(outputFileName('Part 1.mp3', 12, 'm4b', undefined, date, 'The Book')).toBe(
      'The Book.m4b',
    );
    expect(outputFileName('Part 1.mp3', 12, 'm4b', undefined, date, '  ')).toBe(
      'Part 1 + 11 more.m4b',
    );
    expect(outputFileName('Part 1.mp3', 1, 'm4b', '{title}', date)).toBe('Part 1.m4b');
    expect(outputFileName('A.mp3', 3, 'mp3', '{date} {title}', date, 'Show: 1/2')).toBe(
      '2024-03-05 Show_ 1_2.mp3',
    );
    expect(outputFileName('A.mp3', 3, 'mp3', '{title}', date, '{first}')).toBe('{first}.mp3');
  });

  it('cuts long names and titles between words', () => {
    const title = 'An interview with the mayor about the harbour, the bridge and the new ferries';
    const out = outputFileName('A.mp3', 2, 'mp3', '{title}', date, `${title} ${title}`);
    // 80 characters end right after a whole word ("An"); one more would cut "interview".
    expect(out).toBe(`${title} An.mp3`);
    const first = outputFileName(`${'Lecture notes '.repeat(10)}.mp3`, 2, 'mp3', undefined, date);
    expect(first).toMatch(/^(Lecture notes )+Lecture( notes)? \+ 1 more\.mp3$/);
  });
});

/**
 * Every code point, grouped by its Unicode general category, through the cleaner (issue 18,
 * defect 5: a title holding U+FDD0 made the saved file fail with "Invalid filename"). What Chrome
 * refuses in a download's name (base::i18n::IsFilenameLegal and net's portable-path check) never
 * survives: control and format characters (bidi controls among them), noncharacters, lone
 * surrogates, the reserved punctuation, and whitespace or dots at the ends.
 */
describe('every code point class', () => {
  const REFUSED =
    /[\p{Cc}\p{Cf}\p{Noncharacter_Code_Point}"*/:<>?\\|~]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
  const CATEGORIES = [
    ...['Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No'],
    ...['Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So'],
    ...['Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Cs', 'Co', 'Cn'],
  ];
  const TESTS = new Map(CATEGORIES.map((c) => [c, new RegExp(`^\\p{${c}}$`, 'u')]));
  /** The category of `ch`, trying `guess` (the previous code point's) first: runs are long. */
  const categoryOf = (ch: string, guess: string) =>
    TESTS.get(guess)?.test(ch) ? guess : (CATEGORIES.find((c) => TESTS.get(c)!.test(ch)) ?? 'Cn');

  /** All code points (surrogates as lone code units), in runs of one category. */
  function runsByCategory(): Map<string, string[]> {
    const byCat = new Map<string, string[]>(CATEGORIES.map((c) => [c, []]));
    let run = '';
    let runCat = '';
    const flush = () => {
      if (run) byCat.get(runCat)!.push(run);
      run = '';
    };
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      const cat = cp >= 0xd800 && cp <= 0xdfff ? 'Cs' : categoryOf(ch, runCat);
      if (cat !== runCat || run.length >= 40) {
        flush();
        runCat = cat;
      }
      run += ch;
    }
    flush();
    return byCat;
  }

  const runs = runsByCategory();

  it.each(CATEGORIES)('%s: nothing Chrome refuses survives, and a name always remains', (cat) => {
    const list = runs.get(cat)!;
    expect(list.length).toBeGreaterThan(0);
    for (const run of list) {
      const out = sanitizeFileName(`Ep ${run} one.mp3`);
      expect(
        out,
        `from ${[...run].map((c) => c.codePointAt(0)!.toString(16)).join(' ')}`,
      ).not.toMatch(REFUSED);
      expect(out).toMatch(/^Ep .*one\.mp3$|^Ep .*\.mp3$/s);
      expectSafe(out);
      const alone = sanitizeFileName(run);
      expect(alone).not.toMatch(REFUSED);
      expect(alone).not.toBe('');
    }
  });

  it('every noncharacter of every plane is removed', () => {
    const nonchars = [
      ...Array.from({ length: 32 }, (_, i) => 0xfdd0 + i),
      ...Array.from({ length: 17 }, (_, p) => [p * 0x10000 + 0xfffe, p * 0x10000 + 0xffff]).flat(),
    ];
    expect(nonchars).toHaveLength(66);
    for (const cp of nonchars) {
      expect(sanitizeFileName(`Ep ${String.fromCodePoint(cp)} one`)).toBe('Ep one');
    }
  });

  it('letters, digits, marks and symbols of every script are kept', () => {
    for (const name of [
      'Ep \u00e9t\u00e9 \u0661\u0662',
      'Ep \u05e9\u05dc\u05d5\u05dd',
      'Ep \u{1F3A7}\u{1D11E}',
      'Ep \uE000\u{F0000}',
    ]) {
      expect(sanitizeFileName(name)).toBe(name.normalize('NFC'));
    }
  });

  it('the joined file name and the chapter files of a hostile title are already clean', () => {
    const title = 'Ep \uFDD0 one \u202E\u{10FFFF}\uD800 CON ~ .';
    const name = outputFileName('a.mp3', 1, 'mp3', '{title}', new Date(2026, 0, 1), title);
    expect(name).toBe('Ep one CON -.mp3');
    expect(sanitizeFileName(name)).toBe(name);
  });
});
