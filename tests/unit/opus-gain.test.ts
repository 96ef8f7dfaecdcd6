/**
 * "Match loudness" on a lossless Opus join (issue 23 item 1): one output gain in the OpusHead
 * for the whole file, when one gain brings every track within 0.75 dB of the target; the
 * file's audio pages untouched, its decode the input's times the gain (native ffmpeg).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { firstPageLength, withOutputGain } from '@/lib/containers/opus-head-gain';
import { oggCrc } from '@/lib/containers/ogg';
import { SpliceError } from '@/lib/containers/errors';
import { planJoin } from '@/lib/plan/planner';
import { defaultOutput } from '@/lib/core/settings';
import { requireNativeFfmpeg } from '../support/native-ffmpeg';
import { tempFolder } from './support/files';

beforeAll(requireNativeFfmpeg);
vi.setConfig({ testTimeout: 30_000 });
const temp = tempFolder('opus-gain');

function decodeF32(file: string): Float32Array {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-'], {
    maxBuffer: 1 << 28,
  });
  const b = r.stdout;
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

describe('withOutputGain', () => {
  it('moves the OpusHead output gain: the decode is the input’s times the gain, the rest the same bytes', async () => {
    const file = `${temp.dir}/voice.opus`;
    const r = spawnSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=c=pink:seed=2:a=0.05:d=3'],
      ...['-ac', '2', '-c:a', 'libopus', '-b:a', '96k', file],
    ]);
    expect(r.status).toBe(0);
    const bytes = new Uint8Array(readFileSync(file));
    const len = firstPageLength(bytes);
    const page = withOutputGain(bytes.subarray(0, len), 6.0206);
    expect(page.length).toBe(len);
    // The page's CRC holds: computed over the page with its CRC field zeroed.
    const zeroed = page.slice();
    zeroed.set([0, 0, 0, 0], 22);
    expect(new DataView(page.buffer).getUint32(22, true)).toBe(oggCrc(zeroed));
    // Only the gain (2 bytes) and the CRC (4) differ.
    const differ = [...page].flatMap((b, i) => (b !== bytes[i] ? [i] : []));
    expect(
      differ.every(
        (i) => (i >= 22 && i < 26) || i === 27 + bytes[26]! + 16 || i === 27 + bytes[26]! + 17,
      ),
    ).toBe(true);
    const out = await temp.write(new Blob([page, bytes.subarray(len)]), 'opus');
    const a = decodeF32(file);
    const b = decodeF32(out);
    expect(b.length).toBe(a.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(b[i]! - a[i]! * 2));
    // 6.0206 dB is 2.0 to a 1/256 dB step: the decoder's gain, to float rounding.
    expect(worst).toBeLessThan(2e-3);
  });
  it('refuses a file that is not Ogg, or whose first page holds no OpusHead', () => {
    expect(() =>
      firstPageLength(new TextEncoder().encode('ID3 not ogg at all, no page here')),
    ).toThrow(SpliceError);
    const page = new Uint8Array(27 + 1 + 19);
    page.set(new TextEncoder().encode('OggS'));
    page[26] = 1;
    page[27] = 19;
    page.set(new TextEncoder().encode('OpusTags'), 28);
    expect(() => withOutputGain(page, 3)).toThrow(SpliceError);
  });
});

describe('the plan', () => {
  const info = (i: number, tp: number) => ({
    container: 'ogg',
    codec: 'opus',
    sampleRate: 48000,
    channels: 2,
    channelLayout: 'stereo',
    durationSec: 4,
    decoded: true,
    bitRate: 96000,
    audioStreamIndex: 0,
    hasVideo: false,
    hasCover: false,
    tags: {},
    loudness: { i, tp },
  });
  const output = { ...defaultOutput, format: 'opus' as const, matchLoudness: true };
  it('keeps Opus lossless with one output gain when it brings every track within 0.75 dB', () => {
    const plan = planJoin(
      [
        { id: 'a', name: 'a.opus', info: info(-24, -12) },
        { id: 'b', name: 'b.opus', info: info(-23, -10) },
      ],
      output,
    );
    expect(plan.lossless).toBe(true);
    expect(plan.summary).toContain('Lossless, loudness matched to -16 LUFS within 0.75 dB.');
    const step = plan.steps.post.find((s) => s.kind === 'opus-gain');
    expect(step).toEqual({ kind: 'opus-gain', gainDb: 7.5 });
  });
  it('encodes again with each track’s own gain when the tracks are too far apart for one', () => {
    const plan = planJoin(
      [
        { id: 'a', name: 'a.opus', info: info(-30, -20) },
        { id: 'b', name: 'b.opus', info: info(-20, -10) },
      ],
      output,
    );
    expect(plan.lossless).toBe(false);
    expect(plan.steps.post.some((s) => s.kind === 'opus-gain')).toBe(false);
    expect(plan.kind === 'ffmpeg' && plan.args.join(' ')).toMatch(/volume=14dB.*volume=4dB/);
  });
});
