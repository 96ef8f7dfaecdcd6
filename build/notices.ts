/**
 * THIRD_PARTY_NOTICES.txt, written into every build from the licences of what the build ships:
 * the npm packages whose modules end up in Seam's bundles (seen by a Vite plugin in each of the
 * build's bundles, so a dependency that is no longer bundled drops out) and the ffmpeg.wasm core,
 * which is copied in whole. Build-time code: runs in Node, from wxt.config.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { FFMPEG_CORE, ffmpegSourceOffer } from './ffmpeg-core';

export const NOTICES_FILE = 'THIRD_PARTY_NOTICES.txt';

const LICENCES_DIR = resolve(import.meta.dirname, 'licenses');
const LICENCE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/** The npm package a module belongs to, from its path (the last node_modules/ in it). */
export function packageOf(moduleId: string): string | undefined {
  if (moduleId.startsWith('\0')) return undefined;
  const path = moduleId.split('?')[0]!.replaceAll('\\', '/');
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = path.slice(at + '/node_modules/'.length).split('/');
  const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return name || undefined;
}

/**
 * Collects the packages of every module in the bundles it sees. WXT runs one Vite build per
 * group of entrypoints with the same plugins, so one collector spans a whole `wxt build`;
 * `reset()` starts the next (the build:before hook).
 */
export function bundledPackages(): { plugin: Plugin; names: () => string[]; reset: () => void } {
  const seen = new Set<string>();
  const plugin: Plugin = {
    name: 'seam:bundled-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of output.moduleIds) {
          const name = packageOf(id);
          if (name) seen.add(name);
        }
      }
    },
  };
  return { plugin, names: () => [...seen].sort(), reset: () => seen.clear() };
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  author?: string | { name?: string };
  homepage?: string;
  repository?: string | { url?: string };
}

/** One package's entry: name, version, licence, source, and its licence text. */
function packageNotice(name: string, root: string): string {
  const dir = join(root, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
  const file = readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f))
    .sort()[0];
  const text = file
    ? readFileSync(join(dir, file), 'utf8').trim()
    : standardText(pkg.license, `${name} ships no licence file; its package.json says`);
  return [
    heading(`${pkg.name} ${pkg.version}`),
    `Licence: ${pkg.license ?? 'not stated'}`,
    ...(author ? [`Author: ${author}`] : []),
    ...(repo || pkg.homepage ? [`Source: ${cleanUrl(repo ?? pkg.homepage!)}`] : []),
    '',
    text,
  ].join('\n');
}

/** The licence's standard text, for a package that names its licence but ships no file. */
function standardText(spdx: string | undefined, why: string): string {
  const path = join(LICENCES_DIR, `${spdx}.txt`);
  if (!spdx || !existsSync(path)) {
    throw new Error(`${why} "${spdx}", and build/licenses/ has no text for it`);
  }
  return `(${why} ${spdx}; the standard ${spdx} terms follow.)\n\n${readFileSync(path, 'utf8').trim()}`;
}

const cleanUrl = (url: string) => url.replace(/^git\+/, '').replace(/\.git$/, '');
const heading = (title: string) => `${'='.repeat(78)}\n${title}\n${'='.repeat(78)}`;

/** The whole notice file for the given bundled packages (sorted, so builds are identical). */
export function thirdPartyNotices(packages: readonly string[], root: string): string {
  const core = [
    heading(`${FFMPEG_CORE.package} ${FFMPEG_CORE.version} (FFmpeg, compiled to WebAssembly)`),
    `Licence: ${FFMPEG_CORE.licence}`,
    `Source: ${FFMPEG_CORE.repository}`,
    '',
    ffmpegSourceOffer(),
    '',
    'The GNU General Public License, version 2, follows.',
    '',
    readFileSync(join(LICENCES_DIR, 'GPL-2.0.txt'), 'utf8').trim(),
  ].join('\n');
  const intro = [
    'Third-party software in Seam',
    '',
    'Seam is free software under the GNU General Public License, version 3 or later (LICENSE in',
    'its source). It includes the following software by others, under these licences. This file',
    'is generated when Seam is built, from the packages the build ships.',
  ].join('\n');
  const rest = [...packages].sort().map((p) => packageNotice(p, root));
  return `${[intro, core, ...rest].join('\n\n\n')}\n`;
}
