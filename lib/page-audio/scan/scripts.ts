/** Patterns and bounds for reading addresses in inline scripts and JSON. */

// Script data: keys whose value is a recording's address even without an audio extension
// (`"mp3-128"`, `audioUrl`, `"audio_url"`, `streamUrl`), keys of pictures, videos and pages
// (never audio), and keys naming the page an object describes.
export const AUDIO_KEY =
  /^(mp3|m4a|aac|ogg|opus|flac|wav)([-_]?(v?\d+|hi|lo|hq|lq))?$|^(audio|sound|enclosure|stream|preview|episode|track|download)[-_]?(url|src|file|href)$|^audio(file)?$|^file[-_]?url$/i;

export const KEYED_URL =
  /["']?([A-Za-z_$][\w$-]{0,40})["']?\s*:\s*["'](https?:\/\/[^"'\s]{1,1000})["']/g;

export const TITLE_KEY = /["']?(title|headline)["']?\s*:\s*["']([^"'\\]{2,200})["']/g;

export const SCRIPT_MAX = 2_000_000;

export const SCRIPTS_TOTAL_MAX = 10_000_000;

export const PAIR = /["']?([A-Za-z_]{3,30})["']?\s*:\s*["']([^"'\s]{1,500})["']/g;
