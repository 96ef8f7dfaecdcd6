import { spawnSync } from 'node:child_process';

/**
 * Tests that check outputs with Debian's ffmpeg/ffprobe fail loudly without them rather than
 * skip: a skipped check is a check that silently stopped running. `.ci/run` installs them.
 */
export function requireNativeFfmpeg(): void {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    if (spawnSync(tool, ['-version']).status !== 0) {
      throw new Error(`${tool} not found: install Debian's ffmpeg (apt-get install -y ffmpeg)`);
    }
  }
}
