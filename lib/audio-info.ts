/** What a probe learns about one track. Produced by `parseProbe` from ffprobe's JSON. */
export interface AudioInfo {
  /** ffprobe's format_name, e.g. "mp3", "wav", "mov,mp4,m4a,3gp,3g2,mj2", "ogg". */
  container: string;
  /** Codec of the first audio stream, e.g. "mp3", "aac", "pcm_s16le", "vorbis", "opus", "flac". */
  codec: string;
  sampleRate: number;
  channels: number;
  /** e.g. "mono", "stereo", "5.1"; empty when ffprobe does not say. */
  channelLayout: string;
  /** Seconds, from the container or the stream, whichever is known. */
  durationSec: number;
  /** Bits per second of the audio stream (or the file), 0 when unknown. */
  bitRate: number;
  /** Index of the audio stream ffmpeg should map ("0:a:0" is always the first audio stream). */
  audioStreamIndex: number;
  /** True when the file also carries a (non cover-art) video stream, e.g. an .mp4 recording. */
  hasVideo: boolean;
  /** True when the file carries an attached picture (cover art). */
  hasCover: boolean;
  /** Container and stream tags, keys lower-cased (title, artist, album, date, ...). */
  tags: Record<string, string>;
}
