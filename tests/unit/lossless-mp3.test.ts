import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  describeError,
  EmptyFileError,
  JoinCanceledError,
  NothingToJoinError,
  SeamError,
  UnsupportedAudioError,
} from '@/lib/core/errors';
import { joinMp3, lameTagCrc, scanMp3 } from '@/lib/lossless';
import { ffprobe, packets, requireNativeFfmpeg, sampleCount } from '../support/native-ffmpeg';
import { fixture } from '../support/paths';
import { fixtureBytes, losslessInput as input, tempFolder, type Bytes } from './support/files';

beforeAll(requireNativeFfmpeg);
// Each test runs native ffmpeg a few times: on two busy cores that can pass the 5 s default.
vi.setConfig({ testTimeout: 30_000 });
const bytes = (name: string) => fixtureBytes(`lossless/${name}`);
const temp = tempFolder('lossless-mp3');
const writeTemp = (blob: Blob, ext = 'mp3') => temp.write(blob, ext);

/** What ffmpeg says when it decodes the whole file; empty when it decodes cleanly. */
function decodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return `${r.status === 0 ? '' : `exit ${r.status} `}${r.stderr}`.trim();
}

const cases: Array<[string, string[], 'Info' | 'Xing' | undefined]> = [
  ['two CBR files', ['cbr-64k-44100-stereo.mp3', 'with-id3v1.mp3'], 'Info'],
  [
    'ID3v2 + cover first, then APEv2 and ID3v1 tagged',
    ['with-id3v2-and-cover.mp3', 'cbr-64k-44100-stereo.mp3', 'with-apev2-and-id3v1.mp3'],
    'Info',
  ],
  ['junk before the first frame', ['with-leading-junk.mp3', 'cbr-64k-44100-stereo.mp3'], 'Info'],
  ['VBR with and without a Xing frame', ['vbr-xing.mp3', 'vbr-no-xing.mp3'], 'Xing'],
  ['CBR then VBR', ['cbr-64k-44100-stereo.mp3', 'vbr-xing.mp3'], 'Xing'],
  ['MPEG-2 mono', ['mpeg2-22050-mono.mp3', 'mpeg2-22050-mono.mp3'], 'Info'],
  ['MPEG-2.5 at 8 kHz', ['mpeg25-8000-mono.mp3', 'mpeg25-8000-mono.mp3'], 'Info'],
  ['Layer II (no Xing frame)', ['layer2-44100-stereo.mp2', 'layer2-44100-stereo.mp2'], undefined],
];

describe('joinMp3', () => {
  it.each(cases)('%s: frames and bytes add up in our own parser', async (_, names, kind) => {
    const inputs = names.map((n) => input(n));
    const scans = await Promise.all(inputs.map((i) => scanMp3(i)));
    const out = await joinMp3(inputs);
    const joined = await scanMp3({ id: 'out', name: 'out.mp3', blob: out });

    // Every frame, but for whole frames of encoder delay and padding at the joins (at most two
    // a join: the delay and padding of one encode are under two frames).
    const frames = scans.reduce((sum, s) => sum + s.frameCount, 0);
    expect(joined.frameCount).toBeLessThanOrEqual(frames);
    expect(joined.frameCount).toBeGreaterThanOrEqual(frames - 2 * (names.length - 1));
    expect(joined.ranges).toHaveLength(1);
    expect(joined.byteCount).toBe(joined.ranges[0]![1] - joined.ranges[0]![0]);
    expect(joined.audioEnd).toBe(out.size);
    expect(joined.vbrTag?.kind).toBe(kind);
    if (kind) {
      expect(joined.vbrTag?.frames).toBe(joined.frameCount);
      // The byte count covers the Xing frame and the audio, not the ID3v2 tag in front.
      expect(joined.vbrTag?.bytes).toBe(out.size - joined.id3v2End);
      const toc = joined.vbrTag?.toc;
      expect(toc?.[0]).toBe(0);
      expect([...(toc ?? [])]).toEqual([...(toc ?? [])].sort((a, b) => a - b));
    }
    expect(joined.id3v2End).toBe(scans[0]!.id3v2End);
  });

  it.each(cases)(
    '%s: ffmpeg sees the inputs’ packets in order, all but a few at each join as they were',
    async (_, names, kind) => {
      const inputs = names.map((n) => input(n));
      const out = await writeTemp(
        await joinMp3(inputs),
        names[0]!.endsWith('.mp2') ? 'mp2' : 'mp3',
      );
      const each = await Promise.all(names.map((n) => packets(fixture(`lossless/${n}`))));
      const got = await packets(out);
      // Each input's packets, in order, as a run: a few may be left out at its ends (delay and
      // padding) and the last kept one before a join rewritten (bit-reservoir bytes moved in).
      let at = 0;
      each.forEach((mine, k) => {
        const hashes = mine.map((p) => p.hash);
        let from = 0;
        while (from < hashes.length && hashes[from] !== got[at]?.hash) from++;
        expect(from, `input ${k + 1}'s first kept packet`).toBeLessThanOrEqual(2);
        let n = 0;
        while (from + n < hashes.length && got[at + n]?.hash === hashes[from + n]) n++;
        const rewritten = k + 1 < each.length ? 1 : 0;
        expect(from + n + rewritten + 2, `input ${k + 1}'s kept packets`).toBeGreaterThanOrEqual(
          hashes.length,
        );
        at += n + (from + n < hashes.length ? rewritten : 0);
        if (k + 1 < each.length) {
          // A rewritten frame sits before the next input's first kept packet, if any.
          while (at < got.length && !each[k + 1]!.some((p) => p.hash === got[at]!.hash)) at++;
        }
      });
      expect(at).toBe(got.length);
      expect(decodeErrors(out)).toBe('');
      if (kind) {
        // With a Xing frame ffmpeg takes the duration from its frame count: exact, no estimate.
        const scan = await scanMp3(inputs[0]!);
        const seconds = (got.length * scan.header.samplesPerFrame) / scan.header.sampleRate;
        expect(Number((await ffprobe(out)).format.duration)).toBeCloseTo(seconds, 3);
      }
    },
  );

  it('keeps the first input’s ID3v2 tag verbatim and drops the others’ tags', async () => {
    const first = bytes('with-id3v2-and-cover.mp3');
    const out = await joinMp3([
      input('with-id3v2-and-cover.mp3'),
      input('with-apev2-and-id3v1.mp3'),
      input('with-id3v2-and-cover.mp3'),
    ]);
    const scan = await scanMp3(input('with-id3v2-and-cover.mp3'));
    const head = new Uint8Array(await out.slice(0, scan.id3v2End).arrayBuffer());
    expect(head).toEqual(first.subarray(0, scan.id3v2End));
    const all = new Uint8Array(await out.arrayBuffer());
    const text = new TextDecoder('latin1').decode(all);
    expect(text.split('ID3').length - 1).toBe(1);
    expect(text).not.toContain('APETAGEX');
    expect(text).not.toContain('TAGId3v1');
  });

  it('the first input’s title and cover survive for ffprobe', async () => {
    const out = await writeTemp(
      await joinMp3([input('with-id3v2-and-cover.mp3'), input('with-id3v1.mp3')]),
    );
    const info = await ffprobe(out);
    expect(info.format.tags?.title).toBe('Seam Fixture Title');
    expect(info.streams.some((s) => s.disposition?.attached_pic === 1)).toBe(true);
  });

  it('carries the first input’s encoder delay and a padding that makes the inputs’ length', async () => {
    const names = ['vbr-xing.mp3', 'cbr-64k-44100-stereo.mp3'];
    const out = await joinMp3(names.map((n) => input(n)));
    const joined = await scanMp3({ id: 'o', name: 'o.mp3', blob: out });
    const first = await scanMp3(input('vbr-xing.mp3'));
    expect(joined.vbrTag?.delay).toBe(first.vbrTag?.delay);
    const counts = await Promise.all(names.map((n) => sampleCount(fixture(`lossless/${n}`))));
    const sum = counts.reduce((s, c) => s + c.samples, 0);
    const got = (await sampleCount(await writeTemp(out))).samples;
    expect(Math.abs(got - sum)).toBeLessThanOrEqual(first.header.samplesPerFrame / 2);
  });

  it('writes a LAME tag CRC that matches, computed like the encoder’s own', async () => {
    const check = async (blob: Blob) => {
      const scan = await scanMp3({ id: 'x', name: 'x.mp3', blob });
      const start = scan.id3v2End;
      const frame = new Uint8Array(await blob.slice(start, start + 192).arrayBuffer());
      // MPEG-1 stereo: LAME tag at 4 + 32 + 120; its CRC covers the 190 bytes before the CRC.
      const stored = (frame[190]! << 8) | frame[191]!;
      return { stored, computed: lameTagCrc(frame, 190) };
    };
    const original = await check(input('cbr-64k-44100-stereo.mp3').blob);
    expect(original.computed).toBe(original.stored);
    const joined = await check(
      await joinMp3([input('cbr-64k-44100-stereo.mp3'), input('vbr-xing.mp3')]),
    );
    expect(joined.computed).toBe(joined.stored);
  });

  it('reads big inputs in chunks and reports progress up to 1', async () => {
    const cbr = bytes('cbr-64k-44100-stereo.mp3');
    const single = await scanMp3(input('cbr-64k-44100-stereo.mp3'));
    // 300 copies of the audio frames (about 4.9 MB) spans several 2 MB reads.
    const frames = cbr.subarray(single.ranges[0]![0], single.ranges[0]![1]);
    const big = input(
      'big.mp3',
      Array.from({ length: 300 }, () => frames),
    );
    const progress: number[] = [];
    const out = await joinMp3([big, input('cbr-64k-44100-stereo.mp3')], {
      onProgress: (f) => progress.push(f),
    });
    const joined = await scanMp3({ id: 'o', name: 'o.mp3', blob: out });
    expect(joined.frameCount).toBe(301 * single.frameCount);
    expect(joined.vbrTag?.frames).toBe(301 * single.frameCount);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBe(1);
  });

  it('skips an ID3v2 tag between frames, as in files joined by plain concatenation', async () => {
    const tagged = bytes('with-id3v2-and-cover.mp3');
    const single = await scanMp3(input('with-id3v2-and-cover.mp3'));
    const scan = await scanMp3(input('cat.mp3', [tagged, tagged]));
    // The second copy's tag and Info frame are both left out.
    expect(scan.frameCount).toBe(2 * single.frameCount);
    expect(scan.ranges).toHaveLength(2);
    expect(scan.ranges[1]![0]).toBe(tagged.length + single.ranges[0]![0]);
  });

  it.each([
    ['Lyrics3 v2 + ID3v1', lyrics3v2(), true],
    ['Lyrics3 v1 + ID3v1', lyrics3v1(), true],
    ['APEv2 without header', apeFooterOnly(), false],
  ])('drops a trailing %s tag', async (_, tag, withId3v1) => {
    const audio = bytes('cbr-64k-44100-stereo.mp3');
    const id3v1 = bytes('with-id3v1.mp3').subarray(-128);
    const parts: BlobPart[] = [audio, tag, ...(withId3v1 ? [id3v1] : [])];
    const scan = await scanMp3(input('tagged.mp3', parts));
    expect(scan.audioEnd).toBe(audio.length);
    expect(scan.frameCount).toBe(78);
  });

  it('keeps a last frame cut short by a truncated download, filled out with zeros', async () => {
    // ffmpeg decodes such a frame to a whole frame of samples; the join keeps the length.
    const audio = bytes('cbr-64k-44100-stereo.mp3');
    const cut = input('cut.mp3', [audio.subarray(0, audio.length - 100)]);
    const scan = await scanMp3(cut);
    expect(scan.frameCount).toBe(78);
    expect(scan.cutFrame).toEqual({
      start: expect.any(Number),
      end: audio.length - 100,
      missing: 100,
    });
    expect(scan.ranges.at(-1)![1]).toBe(scan.cutFrame!.start);
    const out = await joinMp3([cut, input('cbr-64k-44100-stereo.mp3')]);
    const joined = await scanMp3({ id: 'o', name: 'o.mp3', blob: out });
    expect(joined.frameCount).toBe(2 * 78);
    expect(joined.cutFrame).toBeUndefined();
    const second = await scanMp3(input('cbr-64k-44100-stereo.mp3'));
    const tail = new Uint8Array(await out.slice(0, out.size - second.byteCount).arrayBuffer());
    expect([...tail.subarray(-100)]).toEqual(new Array<number>(100).fill(0));
  });
});

describe('joinMp3 errors', () => {
  it('refuses a PNG renamed to .mp3, naming the file', async () => {
    const err = await joinMp3([input('cbr-64k-44100-stereo.mp3'), input('png-renamed.mp3')]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnsupportedAudioError);
    const seam = err as SeamError;
    expect(seam.trackName).toBe('png-renamed.mp3');
    expect(seam.trackId).toBe('id-png-renamed.mp3');
    expect(describeError(seam.toData())).toMatch(/^png-renamed\.mp3: .*not an MP3/);
  });

  it.each([
    ['sample rate', 'cbr-64k-48000-stereo.mp3', /48000 Hz.*44100 Hz/],
    ['MPEG version and channels', 'mpeg2-22050-mono.mp3', /MPEG-2 Layer III, 22050 Hz, mono/],
    ['layer', 'layer2-44100-stereo.mp2', /Layer II,/],
  ])('refuses inputs that differ in %s', async (_, other, message) => {
    const err = await joinMp3([input('cbr-64k-44100-stereo.mp3'), input(other)]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnsupportedAudioError);
    expect((err as SeamError).trackName).toBe(other);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses an empty file and an empty list', async () => {
    await expect(joinMp3([input('empty.mp3', [])])).rejects.toBeInstanceOf(EmptyFileError);
    await expect(joinMp3([])).rejects.toBeInstanceOf(NothingToJoinError);
  });

  it('throws JoinCanceledError when aborted before or during the scan', async () => {
    const before = new AbortController();
    before.abort();
    await expect(
      joinMp3([input('cbr-64k-44100-stereo.mp3')], { signal: before.signal }),
    ).rejects.toBeInstanceOf(JoinCanceledError);

    const during = new AbortController();
    const inputs = [input('cbr-64k-44100-stereo.mp3'), input('vbr-xing.mp3')];
    await expect(
      joinMp3(inputs, { signal: during.signal, onProgress: () => during.abort() }),
    ).rejects.toBeInstanceOf(JoinCanceledError);
  });
});

function latin1(s: string): Bytes {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function lyrics3v2(): Bytes {
  const body = 'LYRICSBEGININD0000211LYR00011Hello world';
  return latin1(`${body}${String(body.length).padStart(6, '0')}LYRICS200`);
}

function lyrics3v1(): Bytes {
  return latin1('LYRICSBEGINHello world, in version one.LYRICSEND');
}

function apeFooterOnly(): Bytes {
  const item = [...latin1('\x03\x00\x00\x00\x00\x00\x00\x00Title\x00Ape')];
  const footer = [...latin1('APETAGEX'), 0xd0, 0x07, 0, 0, 17 + 32, 0, 0, 0, 1, 0, 0, 0];
  return Uint8Array.from([...item, ...footer, ...new Array<number>(12).fill(0)]);
}
