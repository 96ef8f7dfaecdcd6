/**
 * Probing on the engine: what a track is (ffprobe, a look at its header), how long it really is
 * and whether its audio is whole (the decode check, lib/media/decode-check.ts), and whether the
 * zero-copy join may take it (checkFastPath, lib/lossless). Offscreen document (Chrome),
 * background page (Firefox); everything it decides is in the pure modules it calls.
 *
 * Every track is listed as soon as ffprobe and its header say what it is, with `decoded: false`;
 * `checkTrack` runs after (in the background, on engines with nothing else to do, or at the
 * latest before a join uses it), so adding ten tracks does not wait for ten decodes. The
 * zero-copy join's own check of the file (`checkFastPath`) runs with the decode check.
 */
import type { AudioInfo, FormatChange, TrackRef } from '@/lib/core/track';
import { readRange } from '@/lib/core/bytes';
import {
  checkFastPath,
  lengthHeld,
  parseWav,
  rifxInput,
  type LosslessKind,
  type WavInfo,
} from '@/lib/lossless';
import {
  decodeCheckArgs,
  describeChange,
  formatsIn,
  judgeDecode,
  lastTimestampArgs,
  nextRun,
  progressSamples,
  progressSeconds,
  type DecodeRun,
  type DecodeRuns,
} from '@/lib/media/decode-check';
import { parseEbur128Summary } from '@/lib/media/ebur128';
import { aacGainRefusal } from '@/lib/lossless/gain/aac-gain';
import { parseProbe, probeArgs } from '@/lib/media/probe';
import { inspectHeader, SNIFF_WINDOW } from '@/lib/media/sniff';
import type { EngineTask, TaskRunner } from './task';

/**
 * The mounted file's name: "input" plus the file's own extension, which ffmpeg's format probing
 * weighs (a FLAC or ADTS file that starts with junk is found by its extension, as natively).
 */
function inputName(track: TrackRef): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(track.name)?.[1];
  return ext ? `input.${ext.toLowerCase()}` : 'input';
}

/** Reads a track: ffprobe, the header, the length when unstated; the decode check comes later. */
export async function probeTrack(
  runner: TaskRunner,
  track: TrackRef,
  blob: Blob,
): Promise<AudioInfo> {
  const header = inspectHeader(await readRange(blob, 0, SNIFF_WINDOW), blob.size);
  const raw = header.kind === 'rifx' ? await rifx(track, blob) : undefined;
  const input = inputName(track);
  const info = await runner.task([{ name: input, blob }], async (t) => {
    const out = t.scratch('probe.json');
    const { log } = await t.run('ffprobe', probeArgs(t.path(input), out));
    const json = (await t.readText(out)) ?? '';
    let probed = parseProbe(json, { ...track, size: blob.size }, log.join('\n'), header);
    if (raw) probed = { ...probed, ...raw };
    let length = probed.statedSec;
    if (length === undefined) {
      // No stated length: the last timestamp, read without decoding, says how long it is
      // about; the decode check makes it exact.
      const progress = t.scratch('length.progress');
      await t.run('ffmpeg', lastTimestampArgs(t.path(input), progress, probed.inputArgs));
      length = progressSeconds(await t.readText(progress)) ?? 0;
      probed = { ...probed, durationSec: length };
    }
    return { ...probed, decoded: false };
  });
  // Whether the zero-copy join may take it is asked with the decode check (only a decoded
  // length is exact enough to compare with). Whether a re-encode may start before that check
  // is asked now: the file's own tables against ffprobe's length (an MP3's frames read whole).
  const held = await lengthHeld({ ...track, blob }, info);
  if (!held) return info;
  if (held.samples === undefined) return { ...info, lengthHeld: true };
  return {
    ...info,
    lengthHeld: true,
    heldSamples: held.samples,
    durationSec: held.samples / info.sampleRate,
  };
}

/** The decode check of a track listed before it ran; its info comes back exact (or it throws). */
export async function checkTrack(
  runner: TaskRunner,
  track: TrackRef,
  blob: Blob,
  info: AudioInfo,
): Promise<AudioInfo> {
  const input = inputName(track);
  const { info: checked, change } = await runner.task([{ name: input, blob }], (t) =>
    decodeInTask(t, input, track, info),
  );
  const withCheck = await withAacGain(await withFastPath(checked, track, blob), track, blob);
  const rest: AudioInfo = { ...withCheck };
  delete rest.formatChange;
  if (!change) return rest;
  // An MP3's frame scan says when it changes: its words, with the time, stand for the change.
  const fp = withCheck.fastPath;
  return {
    ...rest,
    formatChange: fp && !fp.ok && fp.change ? { ...change, reason: fp.reason } : change,
  };
}

async function decodeInTask(
  t: EngineTask,
  input: string,
  track: TrackRef,
  info: AudioInfo,
): Promise<{ info: AudioInfo; change: FormatChange | undefined }> {
  const runs: DecodeRuns = { full: await decodeRun(t, input, info, 'full') };
  for (let next = nextRun(runs, info.sampleRate); next; next = nextRun(runs, info.sampleRate))
    runs[next.name] = await decodeRun(t, input, info, next.name, next.seconds);
  const verdict = judgeDecode(track, info, runs);
  const change = describeChange(formatsIn(runs.full.log));
  // A stream that changes format sets the filters up again midway, the meter's count with
  // them: its loudness is not measured (Match loudness says so).
  const loudness = change ? undefined : parseEbur128Summary(runs.full.log);
  // Notes are sentences as data: the same note twice is the same JSON.
  const seen = new Set<string>();
  const notes = [...(info.notes ?? []), ...verdict.notes].filter((n) => {
    const key = JSON.stringify(n);
    return !seen.has(key) && !!seen.add(key);
  });
  return {
    info: {
      ...info,
      durationSec: verdict.durationSec,
      samples: verdict.samples,
      decoded: true,
      ...(notes.length > 0 ? { notes } : {}),
      ...(loudness ? { loudness } : {}),
    },
    change,
  };
}

async function decodeRun(
  t: EngineTask,
  input: string,
  info: AudioInfo,
  name: string,
  limitSec?: number,
): Promise<DecodeRun> {
  const run = async (loudness: boolean): Promise<DecodeRun> => {
    const progress = t.scratch(`${name}.progress`);
    const { log } = await t.run(
      'ffmpeg',
      decodeCheckArgs(t.path(input), progress, {
        sampleRate: info.sampleRate,
        ...(limitSec !== undefined ? { limitSec } : loudness ? { loudness: true } : {}),
        ...(info.inputArgs ? { inputArgs: info.inputArgs } : {}),
      }),
    );
    return { samples: progressSamples(await t.readText(progress)) ?? 0, log };
  };
  const measured = await run(limitSec === undefined);
  // A stream whose format changes midway (Speex in Ogg) makes ffmpeg 5.1 stop when it sets up
  // the loudness meter's filter graph again ("Error reinitializing filters"): the audio itself
  // decodes. Such a check runs again without the meter, and its loudness is not measured.
  if (
    limitSec === undefined &&
    (measured.samples <= 0 || REINIT_FAILED.test(measured.log.join('\n')))
  )
    return run(false);
  return measured;
}

/** ffmpeg's words when a filter graph cannot be set up again for a stream's new format. */
const REINIT_FAILED = /Error reinitializing filters|Failed to inject frame into filter network/;

/**
 * What a join that copies the audio as it is needs of a track not yet decode-checked: for MP3
 * and WAV the zero-copy join's own check of the file (its frame scan or data chunk), without a
 * decoded length to compare with. The decode check runs beside or after such a join.
 */
export function copyInfo(track: TrackRef, blob: Blob, info: AudioInfo): Promise<AudioInfo> {
  // The probe's `lengthHeld` read the same file whole with a stricter test (its frames or data
  // chunk, in the stated format, holding the stated length): the check without a length holds.
  if (info.lengthHeld && fastPathKind(info))
    return Promise.resolve({ ...info, fastPath: { ok: true } });
  return withFastPath(info, track, blob);
}

/** The zero-copy join that may take a track: MP3 in an MP3 file, PCM in a WAV file. */
function fastPathKind(info: AudioInfo): LosslessKind | undefined {
  if (info.container === 'mp3' && info.codec === 'mp3') return 'mp3';
  if (info.container === 'wav' && info.codec.startsWith('pcm_') && !info.inputArgs) return 'wav';
  return undefined;
}

/** MP3 in an MP3 file and PCM in a WAV file may take the zero-copy join: can this one? */
async function withFastPath(info: AudioInfo, track: TrackRef, blob: Blob): Promise<AudioInfo> {
  const kind = fastPathKind(info);
  if (!kind) return info;
  const fastPath = await checkFastPath(
    kind,
    { ...track, blob },
    {
      sampleRate: info.sampleRate,
      channels: info.channels,
      // Only a decoded length is exact enough to compare with what the frames hold.
      ...(info.decoded ? { durationSec: info.durationSec } : {}),
    },
  );
  return { ...info, fastPath };
}

/**
 * AAC-LC in MP4, mono or stereo: can every frame's gain move in place ("Match loudness" kept
 * lossless, lib/lossless/gain/aac-gain.ts)? The walk reads the whole file once.
 */
async function withAacGain(info: AudioInfo, track: TrackRef, blob: Blob): Promise<AudioInfo> {
  const mp4 = info.container.includes('mp4') || info.container.includes('mov');
  if (info.codec !== 'aac' || !mp4 || info.profile !== 'LC' || info.channels > 2) return info;
  try {
    const reason = await aacGainRefusal({ ...track, blob });
    return { ...info, aacGain: reason === undefined ? { ok: true } : { ok: false, reason } };
  } catch (e) {
    return { ...info, aacGain: { ok: false, reason: (e as Error).message } };
  }
}

/** A big-endian WAV, which ffmpeg 5.1 reads as little-endian noise: read it as raw PCM. */
async function rifx(track: TrackRef, blob: Blob): Promise<Partial<AudioInfo> | undefined> {
  let wav: WavInfo;
  try {
    wav = await parseWav({ ...track, blob });
  } catch {
    return undefined; // Not one Seam can read as raw PCM: ffprobe's verdict stands.
  }
  return rifxInput(wav);
}
