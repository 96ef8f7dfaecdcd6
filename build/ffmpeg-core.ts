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
}

export const FFMPEG_LIBRARIES: readonly CoreLibrary[] = [
  lib(
    'FFmpeg',
    'n5.1.4',
    'https://github.com/FFmpeg/FFmpeg',
    'GPL-2.0-or-later, built with --enable-gpl',
  ),
  lib('x264', '4-cores', 'https://github.com/ffmpegwasm/x264', 'GPL-2.0-or-later'),
  lib('x265', '3.4', 'https://github.com/ffmpegwasm/x265', 'GPL-2.0-or-later'),
  lib('libvpx', 'v1.13.1', 'https://github.com/ffmpegwasm/libvpx', 'BSD-3-Clause'),
  lib('LAME', 'master (3.100)', 'https://github.com/ffmpegwasm/lame', 'LGPL-2.0-or-later'),
  lib('libogg', 'v1.3.4', 'https://github.com/ffmpegwasm/Ogg', 'BSD-3-Clause'),
  lib('libtheora', 'v1.1.1', 'https://github.com/ffmpegwasm/theora', 'BSD-3-Clause'),
  lib('libopus', 'v1.3.1', 'https://github.com/ffmpegwasm/opus', 'BSD-3-Clause'),
  lib('libvorbis', 'v1.3.3', 'https://github.com/ffmpegwasm/vorbis', 'BSD-3-Clause'),
  lib('zlib', 'v1.2.11', 'https://github.com/ffmpegwasm/zlib', 'Zlib'),
  lib('libwebp', 'v1.3.2', 'https://github.com/ffmpegwasm/libwebp', 'BSD-3-Clause'),
  lib('FreeType', 'VER-2-10-4', 'https://github.com/ffmpegwasm/freetype2', 'FTL OR GPL-2.0'),
  lib('FriBidi', 'v1.0.9', 'https://github.com/fribidi/fribidi', 'LGPL-2.1-or-later'),
  lib('HarfBuzz', '5.2.0', 'https://github.com/harfbuzz/harfbuzz', 'MIT-Modern-Variant'),
  lib('libass', '0.15.0', 'https://github.com/libass/libass', 'ISC'),
  lib('zimg', 'release-3.0.5', 'https://github.com/sekrit-twc/zimg', 'WTFPL'),
];

function lib(name: string, ref: string, source: string, licence: string): CoreLibrary {
  return { name, ref, source, licence };
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
