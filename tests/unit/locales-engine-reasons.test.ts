/**
 * Sentences made in the engine (Chrome's offscreen document, which has no `browser.i18n`): the
 * fast-path check's reasons, the decode check's format change, ffmpeg's exit, the MP3 join
 * coder's failures. They travel as data (`Text`) and are put into words where shown: in the
 * person's language in the UI (German here, every substitution filled), and as English
 * sentences, never keys, where the offscreen document's English reader reads them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorReason, errorText } from '@/lib/core/errors';
import { render, text, setLanguage, type Text } from '@/lib/core/i18n';
import { englishReader } from '@/lib/core/i18n-english';
import { lengthText } from '@/lib/core/text';
import { checkFastPath, type FastPathCheck } from '@/lib/lossless';
import { describeChange, type StreamFormat } from '@/lib/media/decode-check';
import { wavLabel } from '@/lib/plan/layout';
import { planJoin } from '@/lib/plan/planner';
import { defaultOutput } from '@/lib/core/settings';
import { audioInfo } from './support/audio-info';
import { installLanguage } from '../support/language';
import { FIXTURES, ROOT } from '../support/paths';

const file = (name: string) => {
  const blob = new Blob([readFileSync(join(FIXTURES, 'lossless', name))]);
  return { id: name, name, blob };
};
const reason = (check: FastPathCheck): Text => {
  if (check.ok) throw new Error('expected a refusal');
  return check.reason as Text;
};
const f = (channels: number, layout: string, sampleFormat: string, sampleRate: number) =>
  ({ channels, layout, sampleFormat, sampleRate }) satisfies StreamFormat;

/** Every new sentence as data, made as the engine makes it. */
async function sentences(): Promise<Record<string, Text>> {
  const mp3 = file('cbr-64k-44100-stereo.mp3');
  const wav = file('s16-8000-mono.wav');
  return {
    framesRate: reason(await checkFastPath('mp3', mp3, { sampleRate: 48000, channels: 2 })),
    framesChannels: reason(await checkFastPath('mp3', mp3, { sampleRate: 44100, channels: 1 })),
    framesHold: reason(
      await checkFastPath('mp3', mp3, { sampleRate: 44100, channels: 2, durationSec: 60 }),
    ),
    headerRate: reason(await checkFastPath('wav', wav, { sampleRate: 44100, channels: 1 })),
    headerChannels: reason(await checkFastPath('wav', wav, { sampleRate: 8000, channels: 6 })),
    dataHolds: reason(
      await checkFastPath('wav', wav, { sampleRate: 8000, channels: 1, durationSec: 60 }),
    ),
    unreadable: reason(
      await checkFastPath('mp3', file('png-renamed.mp3'), { sampleRate: 44100, channels: 2 }),
    ),
    change: describeChange([f(1, 'mono', 's16', 44100), f(2, 'stereo', 'flt', 48000)])!
      .reason as Text,
    layout: describeChange([f(6, '5.1', 's16', 48000), f(6, '5.1(side)', 's16', 48000)])!
      .reason as Text,
    exit: errorReason({ status: 1 }) as Text,
    nothing: errorReason({}) as Text,
    coder: { key: 'engine.joinDecodeSaid', subs: ['Header missing'] },
    length: text('errors.cutShortHolds', lengthText(1.25), lengthText(75)),
  };
}

describe('sentences made in the engine, rendered where shown', () => {
  afterEach(() => installLanguage('en'));

  it('English reads as before', async () => {
    installLanguage('en');
    const s = await sentences();
    expect(render(s.framesRate!)).toBe('has frames at 44.1 kHz but decodes at 48 kHz');
    expect(render(s.framesChannels!)).toBe('has stereo frames but decodes to mono');
    expect(render(s.dataHolds!)).toMatch(/^holds [\d.]+ s in its data chunk but decodes to 60 s$/);
    expect(render(s.change!)).toBe(
      'changes sample rate, channels and sample format midway ' +
        '(44.1 kHz, then 48 kHz; mono, then stereo; 16-bit, then 32-bit float)',
    );
    expect(render(s.exit!)).toBe('ffmpeg exited with code 1');
    expect(errorText({})).toBe('no reason given');
    expect(wavLabel(24)).toBe('WAV (24-bit PCM)');
  });

  it('German differs from English and leaves no substitution unfilled', async () => {
    installLanguage('en');
    const s = await sentences();
    const en = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, render(v)]));
    installLanguage('de');
    for (const [k, v] of Object.entries(s)) {
      const de = render(v);
      expect(de, k).not.toBe(en[k]);
      expect(de, k).not.toMatch(/\$[1-9]|\b(fastPath|formatChange|errors|engine|units|audio)\./);
    }
    expect(render(s.framesRate!)).toBe('hat Frames mit 44,1 kHz, wird aber mit 48 kHz dekodiert');
    expect(render(s.change!)).toBe(
      'ändert mittendrin die Abtastrate, die Kanäle und das Sampleformat ' +
        '(44,1 kHz, dann 48 kHz; Mono, dann Stereo; 16 Bit, dann 32-Bit-Gleitkomma)',
    );
    expect(render(s.length!)).toContain('1,3 s');
    expect(wavLabel(32, true)).toBe('WAV (32-Bit-Gleitkomma)');
  });

  it('the plan says an unfit track in the person’s language', async () => {
    const s = await sentences();
    const tracks = ['a', 'b'].map((id) => ({ id, name: `${id}.mp3`, info: audioInfo({}) }));
    tracks[1]!.info = { ...tracks[1]!.info, fastPath: { ok: false, reason: s.framesHold! } };
    installLanguage('de');
    const plan = planJoin(tracks, { ...defaultOutput, format: 'mp3' });
    expect(plan.kind === 'ffmpeg' && plan.reencodeReasons).toEqual([
      expect.stringMatching(
        /^Titel 2 enthält in seinen Frames [\d,]+ s, ergibt dekodiert aber 60 s$/,
      ),
    ]);
  });
});

describe('a fast-path reason made with the English reader, as in the offscreen document', () => {
  let messages: Record<string, { message?: string }>;
  beforeAll(() => {
    messages = JSON.parse(
      readFileSync(join(ROOT, '.output/chrome-mv3/_locales/en/messages.json'), 'utf8'),
    ) as Record<string, { message?: string }>;
  });
  afterEach(() => installLanguage('en'));

  it('is an English sentence there, not a key; the same data is German in the UI', async () => {
    setLanguage(englishReader(messages), 'en');
    const check = await checkFastPath('mp3', file('cbr-64k-44100-stereo.mp3'), {
      sampleRate: 48000,
      channels: 2,
    });
    const said = reason(check);
    expect(render(said)).toBe('has frames at 44.1 kHz but decodes at 48 kHz');
    const change = describeChange([f(2, 'stereo', 'fltp', 44100), f(2, 'stereo', 'fltp', 48000)])!;
    expect(render(change.reason as Text)).toBe(
      'changes sample rate midway (44.1 kHz, then 48 kHz)',
    );
    expect(errorText({ status: 3 })).toBe('ffmpeg exited with code 3');
    // It crosses to the UI as JSON, and is put into words there.
    const crossed = JSON.parse(JSON.stringify(check)) as FastPathCheck;
    installLanguage('de');
    expect(render(reason(crossed))).toBe('hat Frames mit 44,1 kHz, wird aber mit 48 kHz dekodiert');
  });
});
