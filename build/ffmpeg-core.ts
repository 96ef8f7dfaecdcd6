/**
 * The ffmpeg.wasm core Seam ships (@ffmpeg/core, copied into the extension by wxt.config.ts) and
 * where its exact source is: the GPL's source offer, printed in THIRD_PARTY_NOTICES.txt and in
 * the README (tests/unit/notices.test.ts checks both against this).
 *
 * Read from ffmpegwasm/ffmpeg.wasm at the commit that released @ffmpeg/core 0.12.10 (tag v12.15,
 * "RELEASE: @ffmpeg/core and @ffmpeg/core-mt v0.12.10"): its Dockerfile fetches each library at
 * the tag below and configures FFmpeg with --enable-gpl. The shipped wasm itself names FFmpeg
 * 5.1.4, libvpx v1.13.1, zlib 1.2.11 and LAME 3.100, and its configure line lists the same
 * --enable-lib* switches.
 */
export const FFMPEG_CORE = {
  package: '@ffmpeg/core',
  version: '0.12.10',
  licence: 'GPL-2.0-or-later',
  repository: 'https://github.com/ffmpegwasm/ffmpeg.wasm',
  tag: 'v12.15',
  commit: '71aa99d37c02a7b4c435275ca9ef50e612f6efa1',
  /** The build recipe at that commit: Dockerfile, build/*.sh, src/bind, src/fftools. */
  recipe: 'Dockerfile',
  emscripten: '3.1.40',
} as const;

export interface CoreLibrary {
  name: string;
  /** The git tag or branch the Dockerfile fetches. */
  ref: string;
  /** The repository the Dockerfile fetches it from. */
  source: string;
  /** The library's own licence (SPDX). */
  licence: string;
  /**
   * Its licence texts, as files in build/licenses/ (one file per distinct text, shared where
   * libraries share one), copied verbatim from the places named beside each library below.
   */
  texts: readonly string[];
  /** Its copyright lines, verbatim from the file named beside it. */
  copyright: readonly string[];
  /** Anything more the notice must say of it (a credit its licence asks for, a choice made). */
  note?: string;
}

/*
 * Where each text and copyright line came from. The GPL-2.0, LGPL-2.0 and LGPL-2.1 texts are
 * Debian's /usr/share/common-licenses/GPL-2, LGPL-2 and LGPL-2.1: each project's own COPYING is
 * the same licence, differing only in the FSF's postal address (x264, x265, LAME), x265's
 * closing line on its commercial licence, or two trailing blank lines (FriBidi). Every other
 * file is a verbatim copy of the named file at the named commit.
 */
export const FFMPEG_LIBRARIES: readonly CoreLibrary[] = [
  // Copyright: the banner the shipped core prints for `-version` (fftools' show_banner):
  // "ffmpeg version 5.1.4 Copyright (c) 2000-2023 the FFmpeg developers".
  // FFmpeg-IJG.txt: libavcodec/jfdctfst.c lines 2-37, comment markers removed, in
  // ffmpegwasm/FFmpeg at 8f39fb6c8a07faada0b7fc6fa7a80267754347a7 (the file's last change there
  // is 5d3d39c72e57dca76c508a1c28036f8a2c1d8ad8, 2013); jfdctint_template.c and jrevdct.c carry
  // the same IJG terms, and FFmpeg's LICENSE.md asks binaries to credit the IJG. FFmpeg/FFmpeg
  // itself was too large to fetch, and the fork's snapshot predates n5.1.4.
  lib(
    'FFmpeg',
    'n5.1.4',
    'https://github.com/FFmpeg/FFmpeg',
    'GPL-2.0-or-later, built with --enable-gpl',
    ['GPL-2.0.txt', 'FFmpeg-IJG.txt'],
    ['Copyright (c) 2000-2023 the FFmpeg developers'],
    'This software is based in part on the work of the Independent JPEG Group.',
  ),
  // ffmpegwasm/x264 branch 4-cores at 33cac6b77d5b9259c552156013a817ab23119612: x264.h.
  lib(
    'x264',
    '4-cores',
    'https://github.com/ffmpegwasm/x264',
    'GPL-2.0-or-later',
    ['GPL-2.0.txt'],
    ['Copyright (C) 2003-2022 x264 project'],
  ),
  // ffmpegwasm/x265 tag 3.4 (2bb5520e9596f361bf0ed81b3b8da0d7fd999069): source/x265.h.
  lib(
    'x265',
    '3.4',
    'https://github.com/ffmpegwasm/x265',
    'GPL-2.0-or-later',
    ['GPL-2.0.txt'],
    ['Copyright (C) 2013-2020 MulticoreWare, Inc'],
  ),
  // ffmpegwasm/libvpx tag v1.13.1 (10b9492dcf05b652e2e4b370e205bd605d421972): LICENSE and
  // PATENTS (the latter byte for byte the same as libwebp's).
  lib(
    'libvpx',
    'v1.13.1',
    'https://github.com/ffmpegwasm/libvpx',
    'BSD-3-Clause',
    ['libvpx-LICENSE.txt', 'WebM-PATENTS.txt'],
    ['Copyright (c) 2010, The WebM Project authors. All rights reserved.'],
  ),
  // ffmpegwasm/lame branch master (2badea1974ae36cb8312afe99cff1e6b3b5decee): README.
  lib(
    'LAME',
    'master (3.100)',
    'https://github.com/ffmpegwasm/lame',
    'LGPL-2.0-or-later',
    ['LGPL-2.0.txt'],
    [
      'Copyrights (c) 1999-2011 by The LAME Project',
      'Copyrights (c) 1999,2000,2001 by Mark Taylor',
      'Copyrights (c) 1998 by Michael Cheng',
      'Copyrights (c) 1995,1996,1997 by Michael Hipp: mpglib',
    ],
  ),
  // ffmpegwasm/Ogg tag v1.3.4 (bada45718453ac27b56773ae663f7e65112f6a6e): COPYING.
  lib(
    'libogg',
    'v1.3.4',
    'https://github.com/ffmpegwasm/Ogg',
    'BSD-3-Clause',
    ['libogg-COPYING.txt'],
    ['Copyright (c) 2002, Xiph.org Foundation'],
  ),
  // ffmpegwasm/theora tag v1.1.1 (7ffd8b2ecfc2d93ae5e16028e7528e609266bfbf): COPYING and
  // LICENSE (On2's patent statement).
  lib(
    'libtheora',
    'v1.1.1',
    'https://github.com/ffmpegwasm/theora',
    'BSD-3-Clause',
    ['libtheora-COPYING.txt', 'libtheora-LICENSE.txt'],
    ['Copyright (C) 2002-2009 Xiph.org Foundation'],
  ),
  // ffmpegwasm/opus tag v1.3.1 (e85ed7726db5d677c9c0677298ea0cb9c65bdd23): COPYING.
  lib(
    'libopus',
    'v1.3.1',
    'https://github.com/ffmpegwasm/opus',
    'BSD-3-Clause',
    ['libopus-COPYING.txt'],
    [
      'Copyright 2001-2011 Xiph.Org, Skype Limited, Octasic,',
      'Jean-Marc Valin, Timothy B. Terriberry,',
      'CSIRO, Gregory Maxwell, Mark Borgerding,',
      'Erik de Castro Lopo',
    ],
  ),
  // ffmpegwasm/vorbis tag v1.3.3 (7798164043197d7e33f02de4353ce2aa5b248225): COPYING.
  lib(
    'libvorbis',
    'v1.3.3',
    'https://github.com/ffmpegwasm/vorbis',
    'BSD-3-Clause',
    ['libvorbis-COPYING.txt'],
    ['Copyright (c) 2002-2008 Xiph.org Foundation'],
  ),
  // ffmpegwasm/zlib tag v1.2.11 (cacf7f1d4e3d44d871b605da3b647f07d718623f): zlib.h lines 4-23,
  // the licence notice (1.2.11 has no LICENSE file; its README repeats the same notice).
  lib(
    'zlib',
    'v1.2.11',
    'https://github.com/ffmpegwasm/zlib',
    'Zlib',
    ['zlib-notice.txt'],
    ['Copyright (C) 1995-2017 Jean-loup Gailly and Mark Adler'],
  ),
  // webmproject/libwebp tag v1.3.2 (ca332209cb5567c9b249c86788cb2dbf8847e760): COPYING and
  // PATENTS (the ffmpegwasm fork's snapshot has no v1.3.2 tag; the fork builds that tag).
  lib(
    'libwebp',
    'v1.3.2',
    'https://github.com/ffmpegwasm/libwebp',
    'BSD-3-Clause',
    ['libwebp-COPYING.txt', 'WebM-PATENTS.txt'],
    ['Copyright (c) 2010, Google Inc. All rights reserved.'],
  ),
  // ffmpegwasm/freetype2 tag VER-2-10-4 (6a2b3e4007e794bfc6c91030d0ed987f925164a8):
  // docs/LICENSE.TXT and docs/FTL.TXT; the copyright lines from README; the BDF and PCF
  // drivers' X11-style licences from the "License" sections of src/bdf/README and
  // src/pcf/README; its gzip module's zlib copy (src/gzip/zlib.h) is under the zlib licence.
  lib(
    'FreeType',
    'VER-2-10-4',
    'https://github.com/ffmpegwasm/freetype2',
    'FTL OR GPL-2.0',
    [
      'FreeType-LICENSE.txt',
      'FreeType-FTL.txt',
      'GPL-2.0.txt',
      'FreeType-bdf-license.txt',
      'FreeType-pcf-license.txt',
      'zlib-notice.txt',
    ],
    [
      'Copyright (C) 2006-2020 by',
      'David Turner, Robert Wilhelm, and Werner Lemberg.',
      'Copyright 2000 Computing Research Labs, New Mexico State University',
      'Copyright 2001-2002, 2011 Francesco Zappa Nardelli',
      'Copyright (C) 2000 by Francesco Zappa Nardelli',
      'Copyright (C) 1995-2002 Jean-loup Gailly and Mark Adler',
    ],
    'Within this GPL-licensed core FreeType is used under the GPL v2 (FreeType-LICENSE.txt).',
  ),
  // fribidi/fribidi tag v1.0.9 (f9e8e71a6fbf4a4619481284c9f484d10e559995): lib/fribidi.c,
  // the copyright lines of fribidi_version_info.
  lib(
    'FriBidi',
    'v1.0.9',
    'https://github.com/fribidi/fribidi',
    'LGPL-2.1-or-later',
    ['LGPL-2.1.txt'],
    [
      'Copyright (C) 2004  Sharif FarsiWeb, Inc.',
      'Copyright (C) 2001, 2002, 2004, 2005  Behdad Esfahbod',
      'Copyright (C) 1999, 2000, 2017, 2018, 2019  Dov Grobgeld',
    ],
  ),
  // harfbuzz/harfbuzz tag 5.2.0 (4a1d891c6317d2c83e5f3c2607ec5f5ccedffcde): COPYING, and
  // src/ms-use/COPYING (the Microsoft data its USE shaper tables are generated from).
  lib(
    'HarfBuzz',
    '5.2.0',
    'https://github.com/harfbuzz/harfbuzz',
    'MIT-Modern-Variant',
    ['HarfBuzz-COPYING.txt', 'HarfBuzz-ms-use-COPYING.txt'],
    [
      'Copyright © 2010,2011,2012,2013,2014,2015,2016,2017,2018,2019,2020  Google, Inc.',
      'Copyright (c) Microsoft Corporation.',
    ],
  ),
  // libass/libass tag 0.15.0 (d149636f502f5774ae1a8fb4c554b122674393b2): COPYING.
  lib(
    'libass',
    '0.15.0',
    'https://github.com/libass/libass',
    'ISC',
    ['libass-COPYING.txt'],
    ['Copyright (C) 2006-2016 libass contributors'],
  ),
  // ffmpegwasm/ffmpeg.wasm tag v12.15 (71aa99d37c02a7b4c435275ca9ef50e612f6efa1): LICENSE, which
  // covers its bindings (src/bind, src/fftools) compiled into ffmpeg-core.js.
  lib(
    'ffmpeg.wasm bindings',
    'v12.15',
    'https://github.com/ffmpegwasm/ffmpeg.wasm',
    'MIT',
    ['ffmpeg.wasm-LICENSE.txt'],
    ['Copyright (c) 2019 Jerome Wu'],
  ),
  // sekrit-twc/zimg tag release-3.0.5 (e5b0de6bebbcbc66732ed5afaafef6b2c7dfef87): COPYING.
  lib(
    'zimg',
    'release-3.0.5',
    'https://github.com/sekrit-twc/zimg',
    'WTFPL',
    ['zimg-COPYING.txt'],
    [],
    "zimg's sources at release-3.0.5 carry no copyright line; its COPYING is the WTFPL.",
  ),
];

function lib(
  name: string,
  ref: string,
  source: string,
  licence: string,
  texts: readonly string[],
  copyright: readonly string[],
  note?: string,
): CoreLibrary {
  return { name, ref, source, licence, texts, copyright, ...(note ? { note } : {}) };
}

/** The source offer, as plain text lines (the notice file and the README say the same). */
export function ffmpegSourceOffer(): string {
  const c = FFMPEG_CORE;
  return [
    `Seam ships ffmpeg.wasm's core, ${c.package} ${c.version} (ffmpeg/ffmpeg-core.js and`,
    `ffmpeg/ffmpeg-core.wasm), licensed ${c.licence}. Its complete corresponding source is`,
    `${c.repository} at tag ${c.tag}`,
    `(commit ${c.commit}), whose ${c.recipe} builds it`,
    `with Emscripten ${c.emscripten} from these sources:`,
    '',
    ...FFMPEG_LIBRARIES.map((l) => `  ${l.name} ${l.ref} (${l.licence}): ${l.source}`),
    '',
    `The same files are in the npm package ${c.package}@${c.version}. If any of these sources`,
    "cannot be had where named, ask in Seam's source repository and we will provide a copy.",
  ].join('\n');
}
