/** Short human text for the track list. */

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '–';
  const total = Math.round(sec);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** "1.9 s", "0.25 s", "12 s": seconds to at most two decimals. */
export function formatSeconds(sec: number): string {
  return `${Number(Math.max(0, sec).toFixed(2))} s`;
}

/** "44.1 kHz", "22.05 kHz", "8 kHz". */
export function khz(rate: number): string {
  return `${Number((rate / 1000).toFixed(2))} kHz`;
}

/** "MP3 · 44.1 kHz · stereo" from a probe. */
export function formatAudio(codec: string, sampleRate: number, channels: number): string {
  const name = CODEC_NAMES[codec] ?? codec.toUpperCase();
  const rate = khz(sampleRate);
  const ch = channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} ch`;
  return `${name} · ${rate} · ${ch}`;
}

const CODEC_NAMES: Record<string, string> = {
  mp3: 'MP3',
  aac: 'AAC',
  alac: 'ALAC',
  flac: 'FLAC',
  vorbis: 'Vorbis',
  opus: 'Opus',
  pcm_s16le: 'WAV 16-bit',
  pcm_s24le: 'WAV 24-bit',
  pcm_s32le: 'WAV 32-bit',
  pcm_f32le: 'WAV float',
  pcm_u8: 'WAV 8-bit',
};
