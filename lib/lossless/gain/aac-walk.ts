/**
 * Where the global_gain fields of an AAC-LC raw data block are (ISO/IEC 14496-3, 4.4.2). The
 * first sits 8 bits into a channel's individual_channel_stream; in a channel pair element the
 * second channel's comes after the whole of the first's (section data, scale factors, pulse and
 * TNS data, and its Huffman-coded spectral data), so the block is walked, element by element,
 * codeword by codeword, to its END element. A block the walk cannot account for to the bit (an
 * element this does not read, a tool AAC-LC does not use, a codeword no codebook holds, a length
 * past the block) is refused with the reason. Linear in the block's bits; every loop bounded by
 * the standard's counts. Pure.
 */
import {
  type HuffmanBook,
  SCALEFACTOR_BOOK,
  SPECTRAL_BOOKS,
  SWB_LONG,
  SWB_SHORT,
} from './aac-tables';

/** Why a block's gains cannot be found; the message says what was met. */
export class AacWalkError extends Error {
  override name = 'AacWalkError';
}

const ID_SCE = 0;
const ID_CPE = 1;
const ID_DSE = 4;
const ID_FIL = 6;
const ID_END = 7;
const EIGHT_SHORT = 2;
const ZERO_HCB = 0;
const NOISE_HCB = 13;
const RESERVED_HCB = 12;
const ESC_HCB = 11;
/** Elements one block may hold before its END: more is not a stream this reads. */
const MAX_ELEMENTS = 16;

class Bits {
  at = 0;
  constructor(
    readonly b: Uint8Array,
    readonly end = b.length * 8,
  ) {}
  /** The next `n` (at most 24) bits, zeros past the end, without moving. */
  peek(n: number): number {
    const i = this.at >> 3;
    const b = this.b;
    const word =
      (((b[i] ?? 0) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>>
      0;
    return ((word << (this.at & 7)) >>> 0) >>> (32 - n);
  }
  read(n: number): number {
    const v = this.peek(n);
    this.skip(n);
    return v;
  }
  skip(n: number): void {
    if (this.at + n > this.end) throw new AacWalkError('a field runs past the frame');
    this.at += n;
  }
}

/**
 * A codebook as a table over its longest codeword's bits: each entry index * 32 + length, -1
 * where no codeword starts. Built once per codebook (the longest, the scale factors', 2^19).
 */
interface HuffmanTable {
  bits: number;
  entries: Int32Array;
}
const tables = new Map<HuffmanBook, HuffmanTable>();

function tableOf(book: HuffmanBook): HuffmanTable {
  let t = tables.get(book);
  if (!t) {
    const lengths = Array.from(book.lengths, (c) => parseInt(c, 36));
    const bits = Math.max(...lengths);
    const entries = new Int32Array(1 << bits).fill(-1);
    lengths.forEach((len, i) => {
      const from = book.codes[i]! << (bits - len);
      entries.fill(i * 32 + len, from, from + (1 << (bits - len)));
    });
    t = { bits, entries };
    tables.set(book, t);
  }
  return t;
}

/** One codeword of `book`: its index. */
function huffman(r: Bits, book: HuffmanBook): number {
  const t = tableOf(book);
  const e = t.entries[r.peek(t.bits)]!;
  if (e < 0) throw new AacWalkError('a codeword is in no codebook');
  r.skip(e & 31);
  return e >> 5;
}

interface IcsInfo {
  short: boolean;
  maxSfb: number;
  /** Window group lengths (one group of 1 for a long window). */
  groups: number[];
  swb: readonly number[];
}

function icsInfo(r: Bits, freqIndex: number): IcsInfo {
  if (r.read(1)) throw new AacWalkError('a reserved bit is set');
  const short = r.read(2) === EIGHT_SHORT;
  r.skip(1); // window_shape
  const swb = (short ? SWB_SHORT : SWB_LONG)[freqIndex];
  if (!swb) throw new AacWalkError('the sampling frequency has no band table');
  const groups = [1];
  let maxSfb: number;
  if (short) {
    maxSfb = r.read(4);
    for (let i = 0; i < 7; i++) {
      if (r.read(1)) groups[groups.length - 1]!++;
      else groups.push(1);
    }
  } else {
    maxSfb = r.read(6);
    if (r.read(1)) throw new AacWalkError('it uses prediction (not AAC-LC)');
  }
  if (maxSfb > swb.length - 1) throw new AacWalkError('max_sfb is past the band table');
  return { short, maxSfb, groups, swb };
}

interface Section {
  group: number;
  cb: number;
  start: number;
  end: number;
}

function sectionData(r: Bits, info: IcsInfo): Section[] {
  const bits = info.short ? 3 : 5;
  const esc = (1 << bits) - 1;
  const sections: Section[] = [];
  info.groups.forEach((_, group) => {
    for (let k = 0; k < info.maxSfb;) {
      const cb = r.read(4);
      if (cb === RESERVED_HCB) throw new AacWalkError('a section uses the reserved codebook');
      let len = 0;
      let incr = r.read(bits);
      while (incr === esc && len <= info.maxSfb) {
        len += esc;
        incr = r.read(bits);
      }
      len += incr;
      if (len === 0 || k + len > info.maxSfb) throw new AacWalkError('a section is out of range');
      sections.push({ group, cb, start: k, end: k + len });
      k += len;
    }
  });
  return sections;
}

function scaleFactorData(r: Bits, sections: readonly Section[]): void {
  let firstNoise = true;
  for (const s of sections) {
    if (s.cb === ZERO_HCB) continue;
    for (let sfb = s.start; sfb < s.end; sfb++) {
      if (s.cb === NOISE_HCB && firstNoise) {
        firstNoise = false;
        r.skip(9);
      } else huffman(r, SCALEFACTOR_BOOK);
    }
  }
}

/** Pulse, TNS and gain control data (4.4.2.7), as far as AAC-LC allows them. */
function toolData(r: Bits, info: IcsInfo): void {
  if (r.read(1)) {
    if (info.short) throw new AacWalkError('pulse data in a short window');
    const pulses = r.read(2) + 1;
    r.skip(6 + pulses * 9);
  }
  if (r.read(1)) {
    for (let w = 0; w < (info.short ? 8 : 1); w++) {
      const filters = r.read(info.short ? 1 : 2);
      if (filters === 0) continue;
      const coefRes = r.read(1);
      for (let f = 0; f < filters; f++) {
        r.skip(info.short ? 4 : 6);
        const order = r.read(info.short ? 3 : 5);
        if (order === 0) continue;
        r.skip(1);
        const compress = r.read(1);
        r.skip(order * (3 + coefRes - compress));
      }
    }
  }
  if (r.read(1)) throw new AacWalkError('it has gain control data (AAC SSR, not LC)');
}

/** The codebooks' value ranges: dimension, values per dimension, signed. */
const SHAPES: readonly { dim: number; mod: number; signed: boolean }[] = [
  { dim: 4, mod: 3, signed: true },
  { dim: 4, mod: 3, signed: true },
  { dim: 4, mod: 3, signed: false },
  { dim: 4, mod: 3, signed: false },
  { dim: 2, mod: 9, signed: true },
  { dim: 2, mod: 9, signed: true },
  { dim: 2, mod: 8, signed: false },
  { dim: 2, mod: 8, signed: false },
  { dim: 2, mod: 13, signed: false },
  { dim: 2, mod: 13, signed: false },
  { dim: 2, mod: 17, signed: false },
];

/** One codeword of spectral data with its sign bits and escapes. */
function spectralWord(r: Bits, cb: number): void {
  const shape = SHAPES[cb - 1]!;
  let index = huffman(r, SPECTRAL_BOOKS[cb - 1]!);
  if (shape.signed) return;
  let signs = 0;
  let escapes = 0;
  for (let d = 0; d < shape.dim; d++, index = Math.floor(index / shape.mod)) {
    const v = index % shape.mod;
    if (v !== 0) signs++;
    if (cb === ESC_HCB && v === 16) escapes++;
  }
  r.skip(signs);
  for (let e = 0; e < escapes; e++) {
    let n = 0;
    while (r.read(1)) if (++n > 8) throw new AacWalkError('an escape is too long');
    r.skip(n + 4);
  }
}

function spectralData(r: Bits, info: IcsInfo, sections: readonly Section[]): void {
  for (const s of sections) {
    if (s.cb === ZERO_HCB || s.cb > ESC_HCB) continue;
    const lines = (info.swb[s.end]! - info.swb[s.start]!) * info.groups[s.group]!;
    const per = SHAPES[s.cb - 1]!.dim;
    for (let k = 0; k < lines; k += per) spectralWord(r, s.cb);
  }
}

/** One individual_channel_stream; returns where its global_gain is. */
function channelStream(r: Bits, freqIndex: number, common: IcsInfo | undefined): number {
  const gainAt = r.at;
  r.skip(8);
  const info = common ?? icsInfo(r, freqIndex);
  const sections = sectionData(r, info);
  scaleFactorData(r, sections);
  toolData(r, info);
  spectralData(r, info, sections);
  return gainAt;
}

function channelPair(r: Bits, freqIndex: number): number[] {
  r.skip(4); // element_instance_tag
  let common: IcsInfo | undefined;
  if (r.read(1)) {
    common = icsInfo(r, freqIndex);
    const ms = r.read(2);
    if (ms === 3) throw new AacWalkError('ms_mask_present is reserved');
    if (ms === 1) r.skip(common.groups.length * common.maxSfb);
  }
  return [channelStream(r, freqIndex, common), channelStream(r, freqIndex, common)];
}

function fillOrData(r: Bits, id: number): void {
  if (id === ID_FIL) {
    let count = r.read(4);
    if (count === 15) count += r.read(8) - 1;
    r.skip(8 * count);
    return;
  }
  r.skip(4);
  const align = r.read(1);
  let count = r.read(8);
  if (count === 255) count += r.read(8);
  if (align) r.at = (r.at + 7) & ~7;
  r.skip(8 * count);
}

/**
 * The bit offsets of every global_gain in one raw data block of AAC-LC (single channel and
 * channel pair elements, with fill and data stream elements around them), at the sampling
 * frequency index `freqIndex`.
 *
 * @throws AacWalkError when the block cannot be accounted for to its END element.
 */
export function aacGainOffsets(block: Uint8Array, freqIndex: number): number[] {
  const r = new Bits(block);
  const gains: number[] = [];
  for (let k = 0; k < MAX_ELEMENTS; k++) {
    const id = r.read(3);
    if (id === ID_END) {
      if (r.end - r.at >= 8) throw new AacWalkError('bytes follow the END element');
      if (gains.length === 0) throw new AacWalkError('a frame holds no audio element');
      return gains;
    }
    if (id === ID_SCE) {
      r.skip(4);
      gains.push(channelStream(r, freqIndex, undefined));
    } else if (id === ID_CPE) gains.push(...channelPair(r, freqIndex));
    else if (id === ID_FIL || id === ID_DSE) fillOrData(r, id);
    else throw new AacWalkError(`a frame holds an element this does not read (${id})`);
  }
  throw new AacWalkError('a frame holds too many elements');
}
