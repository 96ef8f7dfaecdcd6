/**
 * The segment planner and the splicers' pure parts (tests/unit/segments-native.test.ts encodes
 * real segments with native ffmpeg).
 */
import { describe, expect, it } from 'vitest';
import { flacBlockSize, segmentCodec, type SegmentCodec } from '@/lib/segments/codecs';
import { engineCount, mergeSegments, planSegments } from '@/lib/segments/plan';
import { codeNumber, crc16, crc16Shift, crc8 } from '@/lib/containers/flac';
import { oggCrc, oggPage, readOgg } from '@/lib/containers/ogg';
import { opusPacketSamples } from '@/lib/containers/ogg-opus';
import { samplesAt } from '@/lib/plan/segment-runs';
import { loudnessGain, parseLoudness, planLoudnessTarget } from '@/lib/plan/loudness';
import { frameHeaderAt, readMainDataInfo } from '@/lib/containers/mp3';
import { fixtureBytes } from './support/files';
import { audioInfo } from './support/audio-info';
import { planJoin } from '@/lib/plan/planner';
import { parallelJoin } from '@/lib/plan/parallel';
import { defaultOutput, type OutputSettings } from '@/lib/core/settings';
import type { Track } from '@/lib/core/track';

const mp3 = segmentCodec('mp3', 44100)!;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('engineCount: one engine per 30 s of audio, at most one per core, at least one', () => {
  it.each([
    [10, 8, 1],
    [59, 8, 1],
    [60, 8, 2],
    [600, 2, 2],
    [600, 4, 4],
    [600, 1, 1],
    [600, 0, 1],
    [600, NaN, 1],
    [7200, 16, 16],
  ])('%s s on %s cores: %s', (sec, cores, n) => expect(engineCount(sec, cores)).toBe(n));
});

describe('planSegments', () => {
  const plan = (codec: SegmentCodec, sec: number, cores: number, extra = {}) =>
    planSegments(codec, { totalSamples: sec * 44100, rate: 44100, cores, ...extra });

  it('keeps a short job in one segment', () => {
    const p = plan(mp3, 40, 8);
    expect(p.segments).toEqual([
      {
        index: 0,
        keepStart: 0,
        keepEnd: 40 * 44100,
        encodeStart: 0,
        encodeEnd: 40 * 44100,
        firstFrame: 0,
      },
    ]);
    expect(p.splicePoints).toEqual([]);
  });

  it('splits a long job into contiguous segments of about equal length on the frame grid', () => {
    const total = 600 * 44100;
    const p = plan(mp3, 600, 4);
    expect(p.segments).toHaveLength(4);
    p.segments.forEach((s, i) => {
      expect(s.keepStart).toBe(i === 0 ? 0 : p.segments[i - 1]!.keepEnd);
      expect(s.keepStart % 1152).toBe(0);
      expect(s.encodeStart % 1152).toBe(0);
      expect(s.firstFrame).toBe(s.encodeStart / 1152);
      expect(Math.abs(s.keepEnd - s.keepStart - total / 4)).toBeLessThanOrEqual(1152);
      // The lead-in and the tail each encoder needs around its span.
      if (i > 0) expect(s.keepStart - s.encodeStart).toBe((mp3.warm + mp3.spread) * 1152);
      if (i < 3) expect(s.encodeEnd - s.keepEnd).toBe((mp3.cool + mp3.spread) * 1152);
    });
    expect(p.segments[3]!.keepEnd).toBe(total);
    expect(p.segments[3]!.encodeEnd).toBe(total);
    expect(p.splicePoints.map((j) => j.nominal * 1152)).toEqual(
      p.segments.slice(1).map((s) => s.keepStart),
    );
    for (const j of p.splicePoints) {
      expect(j.latest - j.earliest).toBe(2 * mp3.spread);
      // Every candidate keeps at least `warm` frames of the later encoder's lead-in away.
      const later = p.segments[j.segment]!;
      expect(j.earliest - later.firstFrame).toBeGreaterThanOrEqual(mp3.warm);
      const earlier = p.segments[j.segment - 1]!;
      expect(earlier.encodeEnd / 1152 - j.latest).toBeGreaterThanOrEqual(mp3.cool);
    }
  });

  it('uses one engine per core at most, and no boundary falls in a fade', () => {
    const p = plan(mp3, 120, 4, { fadeInSamples: 50 * 44100, fadeOutSamples: 50 * 44100 });
    for (const s of p.segments.slice(1)) {
      expect(s.encodeStart).toBeGreaterThanOrEqual(50 * 44100);
      expect(s.encodeStart).toBeLessThanOrEqual(70 * 44100);
    }
    // Fades over the whole job leave no room: one segment.
    expect(
      plan(mp3, 120, 4, { fadeInSamples: 60 * 44100, fadeOutSamples: 61 * 44100 }).segments,
    ).toHaveLength(1);
  });

  it('FLAC segments need no overlap: they meet on the block grid', () => {
    const flac = segmentCodec('flac', 44100)!;
    expect(flac.frame).toBe(4608);
    const p = plan(flac, 300, 2);
    expect(p.segments.map((s) => [s.encodeStart, s.encodeEnd])).toEqual(
      p.segments.map((s) => [s.keepStart, s.keepEnd]),
    );
    expect(p.segments[1]!.keepStart % 4608).toBe(0);
  });

  it.each([
    ['mp3', 44100, 1152],
    ['mp3', 48000, 1152],
    ['mp3', 22050, 576],
    ['m4a', 44100, 1024],
    ['m4b', 48000, 1024],
    ['opus', 48000, 960],
    ['flac', 96000, 8192],
    ['flac', 8000, 576],
  ] as const)('%s at %s Hz: frames of %s samples', (format, rate, frame) => {
    expect(segmentCodec(format, rate)?.frame).toBe(frame);
  });

  it.each(['ogg', 'wav'] as const)('%s stays in one engine', (format) => {
    expect(segmentCodec(format, 44100)).toBeUndefined();
  });

  it('flacBlockSize is ffmpeg’s largest standard block of at most 105 ms', () => {
    expect([8000, 16000, 22050, 32000, 44100, 48000, 88200, 96000].map(flacBlockSize)).toEqual([
      576, 1152, 2304, 2304, 4608, 4608, 8192, 8192,
    ]);
  });
});

describe('samplesAt rounds as ffmpeg filters do (µs, then to the nearest sample)', () => {
  it.each([
    [0.5, 44100, 22050],
    [0.37, 44100, 16317],
    [1 / 3, 48000, 16000],
    [12.345678, 44100, 544444],
  ])('%s s at %s Hz is %s samples', (sec, rate, n) => expect(samplesAt(sec, rate)).toBe(n));
});

describe('FLAC frame header fields', () => {
  it('CRC-8 and CRC-16 match the FLAC polynomials (check values of "123456789")', () => {
    expect(crc8(ascii('123456789'))).toBe(0xf4);
    expect(crc16(ascii('123456789'))).toBe(0xfee8);
  });

  it.each([
    [0, [0x00]],
    [0x7f, [0x7f]],
    [0x80, [0xc2, 0x80]],
    [0x7ff, [0xdf, 0xbf]],
    [0x800, [0xe0, 0xa0, 0x80]],
    [0xffff, [0xef, 0xbf, 0xbf]],
    [0x10000, [0xf0, 0x90, 0x80, 0x80]],
    [2 ** 31 - 1, [0xfd, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf]],
    [2 ** 36 - 1, [0xfe, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf]],
  ])('frame/sample number %s codes as UTF-8 does', (n, bytes) => {
    expect([...codeNumber(n)]).toEqual(bytes);
  });
});

describe('Ogg pages', () => {
  it('a page written reads back with its packets and granule, and its CRC checks', () => {
    const packets = [new Uint8Array(300).fill(7), new Uint8Array(255).fill(9), Uint8Array.of(1)];
    const page = oggPage(packets, { serial: 42, sequence: 3, granule: 96000, eos: true });
    const read = readOgg(page);
    expect(read.serial).toBe(42);
    expect(read.packets.map((p) => [...p.data])).toEqual(packets.map((p) => [...p]));
    expect(read.packets.map((p) => p.granule)).toEqual([-1, -1, 96000]);
    const zeroed = page.slice();
    zeroed.fill(0, 22, 26);
    expect(new DataView(page.buffer).getUint32(22, true)).toBe(oggCrc(zeroed));
  });

  it.each([
    [0xfc, 960], // CELT 20 ms, one frame
    [0xf8, 960],
    [0xfd, 1920], // two frames
    [0x78, 960], // hybrid 20 ms
    [0x08, 960], // SILK 20 ms
  ])('an Opus packet with TOC %s holds %s samples', (toc, n) => {
    expect(opusPacketSamples(Uint8Array.of(toc, 0))).toBe(n);
  });
});

describe('readMainDataInfo', () => {
  it('every frame of a real MP3 has its main data within the reservoir and its frame', () => {
    const bytes = fixtureBytes('tone-440-2s-44100-stereo.mp3');
    let p = 0;
    while (!frameHeaderAt(bytes, p)) p++;
    p += frameHeaderAt(bytes, p)!.frameLength; // the Info frame
    let frames = 0;
    let stream = 0;
    let usedEnd = 0;
    for (let h = frameHeaderAt(bytes, p); h; h = frameHeaderAt(bytes, p)) {
      const info = readMainDataInfo(bytes.subarray(p), h);
      expect(info.begin).toBeLessThanOrEqual(511);
      expect(info.dataOffset).toBe(4 + 32);
      // Main data starts after the previous frame's and ends within this frame's data area.
      const start = stream - info.begin;
      expect(start).toBeGreaterThanOrEqual(usedEnd);
      stream += h.frameLength - info.dataOffset;
      usedEnd = start + Math.ceil(info.bits / 8);
      expect(usedEnd).toBeLessThanOrEqual(stream);
      p += h.frameLength;
      frames++;
    }
    expect(frames).toBeGreaterThan(70);
  });
});

describe('mergeSegments', () => {
  it('joins a segment to the one before it; the other splicePoints keep their places', () => {
    const p = planSegments(mp3, { totalSamples: 600 * 44100, rate: 44100, cores: 4 });
    const m = mergeSegments(p, 2);
    expect(m.segments).toHaveLength(3);
    expect(m.segments[1]).toEqual({
      ...p.segments[1]!,
      keepEnd: p.segments[2]!.keepEnd,
      encodeEnd: p.segments[2]!.encodeEnd,
    });
    expect(m.segments[2]).toEqual({ ...p.segments[3]!, index: 2 });
    expect(m.splicePoints).toEqual([p.splicePoints[0], { ...p.splicePoints[2]!, segment: 2 }]);
    // Merging every splice point away leaves the single pass.
    expect(mergeSegments(mergeSegments(m, 2), 1).segments).toEqual([
      { ...p.segments[0]!, keepEnd: 600 * 44100, encodeEnd: 600 * 44100 },
    ]);
  });
});

describe('loudness for segments', () => {
  const log = `[Parsed_loudnorm_0 @ 0x1] \n{\n\t"input_i" : "-23.45",\n\t"input_tp" : "-5.12",\n\t"input_lra" : "6.30",\n\t"input_thresh" : "-33.80",\n\t"output_i" : "-16.02"\n}\n`;

  it('reads loudnorm’s analysis from the log', () => {
    expect(parseLoudness(`size=0kB\n${log}`)).toEqual({ i: -23.45, tp: -5.12, lra: 6.3 });
    expect(parseLoudness('no analysis')).toBeUndefined();
  });

  it('gains to the target, lowered to keep the true peak under -1.5 dBTP, and leaves silence', () => {
    expect(loudnessGain({ i: -23.45, tp: -5.12, lra: 6 }, -20)).toBeCloseTo(3.45);
    expect(loudnessGain({ i: -23.45, tp: -5.12, lra: 6 }, -16)).toBeCloseTo(3.62);
    expect(loudnessGain({ i: -70, tp: -70, lra: 0 }, -16)).toBe(0);
  });

  it('finds the target in a plan’s graph', () => {
    expect(planLoudnessTarget(['-filter_complex', '[a0]loudnorm=I=-14:TP=-1.5[out]'])).toBe(-14);
    expect(planLoudnessTarget(['-filter_complex', '[a0]anull[out]'])).toBeUndefined();
  });
});

describe('parallelJoin: when the engines encode in parts', () => {
  const tracks = (n: number, sec = 60): Track[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `t${i}`,
      name: `t${i}.mp3`,
      size: 1,
      mime: 'audio/mpeg',
      addedAt: 0,
      position: i,
      source: { kind: 'file' },
      status: 'ready',
      info: audioInfo({ durationSec: sec }),
    }));
  const out = (o: Partial<OutputSettings>): OutputSettings => ({ ...defaultOutput, ...o });

  const parts = (list: Track[], output: OutputSettings, cores: number) => {
    const planTracks = list.map((t) => ({ id: t.id, name: t.name, info: t.info!, edit: t.edit }));
    const plan = planJoin(planTracks, output);
    return parallelJoin(plan, planTracks, output, cores)?.segments.segments.length ?? 1;
  };

  it.each<[string, Track[], Partial<OutputSettings>, number, number]>([
    ['10 x 60 s to Opus on 2 cores', tracks(10), { format: 'opus' }, 2, 2],
    ['10 x 60 s to FLAC on 4 cores', tracks(10), { format: 'flac' }, 4, 4],
    ['to MP3 at 48 kHz on 2 cores', tracks(10), { sampleRate: 48000 }, 2, 2],
  ])('%s', (_name, list, o, cores, want) => {
    expect(parts(list, out(o), cores)).toBe(want);
  });

  it.each<[string, Track[], Partial<OutputSettings>, number]>([
    ['a lossless join', tracks(10), {}, 8],
    ['one core', tracks(10), { format: 'opus' }, 1],
    ['a short job', tracks(2, 20), { format: 'opus' }, 8],
    ['Vorbis', tracks(10), { format: 'ogg' }, 8],
  ])('not for %s', (_name, list, o, cores) => {
    expect(parts(list, out(o), cores)).toBe(1);
  });
});

describe('FLAC CRC-16 eight bytes at a time', () => {
  /** The CRC bit by bit, from its definition (polynomial 0x8005, init 0, MSB first). */
  const bitwise = (b: Uint8Array, crc = 0) => {
    let c = crc;
    for (const byte of b) {
      c ^= byte << 8;
      for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
    }
    return c;
  };

  it('equals the bitwise CRC over any range, and continues from a CRC taken before', () => {
    const b = new Uint8Array(1000);
    let x = 12345;
    for (let i = 0; i < b.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      b[i] = x >>> 24;
    }
    for (const [start, end] of [
      [0, 0],
      [0, 7],
      [3, 11],
      [5, 1000],
      [17, 530],
    ] as const) {
      expect(crc16(b, start, end)).toBe(bitwise(b.subarray(start, end)));
    }
    const head = crc16(b, 0, 333);
    expect(crc16(b, 333, 1000, head)).toBe(bitwise(b));
  });
});

describe('FLAC CRC-16 of a changed header without the rest', () => {
  it('crc16Shift gives the CRC of a new header followed by the same bytes', () => {
    const body = Uint8Array.from({ length: 777 }, (_, i) => (i * 37 + 11) & 0xff);
    const join = (h: number[]) => Uint8Array.from([...h, ...body]);
    const oldHead = [0xff, 0xf8, 0x69, 0x18, 0x05, 0x2a];
    const newHead = [0xff, 0xf8, 0x69, 0x18, 0xe1, 0x82, 0x80, 0x7c];
    const change = crc16(Uint8Array.from(oldHead)) ^ crc16(Uint8Array.from(newHead));
    expect(crc16(join(oldHead)) ^ crc16Shift(change, body.length)).toBe(crc16(join(newHead)));
    expect(crc16Shift(0x1234, 0)).toBe(0x1234);
  });
});
