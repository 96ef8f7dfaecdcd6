import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AudioInfo } from '@/lib/core/track';
import { parseProbe, probeArgs } from '@/lib/media/probe';
import { fixture } from '../../support/paths';

/** Seconds a full decode yields, as the extension's probe measures it (`-progress`). */
export function decodedSec(file: string): number {
  const progress = execFileSync('ffmpeg', [
    ...['-v', 'error', '-i', file, '-map', '0:a:0', '-progress', 'pipe:1', '-f', 'null', '-'],
  ]).toString();
  const us = [...progress.matchAll(/^out_time_us=(\d+)$/gm)].pop()?.[1];
  return Number(us) / 1e6;
}

/**
 * What the extension's probe learns of a fixture (`name` under tests/fixtures), with native
 * tools: ffprobe's JSON with the extension's arguments, parsed by its parser, and the decoded
 * length.
 */
export function probeFixture(name: string): AudioInfo {
  const path = fixture(name);
  // probeArgs ends with "-o OUTPUT" (ffmpeg.wasm writes a file); here stdout will do.
  const out = execFileSync('ffprobe', probeArgs(path, '-').slice(0, -2)).toString();
  const info = parseProbe(out, { id: name, name, size: readFileSync(path).length });
  const sec = decodedSec(path);
  return Number.isFinite(sec) ? { ...info, durationSec: sec } : info;
}
