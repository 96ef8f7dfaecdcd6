import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addFiles,
  clearTracks,
  getAudio,
  listTracks,
  moveTrack,
  onTracksChanged,
  removeTrack,
  updateTrack,
} from '@/lib/store/tracks';

const file = (name: string, body = name) => new File([body], name, { type: 'audio/mpeg' });
const names = async () => (await listTracks()).map((t) => t.name);

describe('track store', () => {
  beforeEach(() => clearTracks());

  it('keeps files in the order they were added, with their audio', async () => {
    await addFiles([file('a.mp3'), file('b.mp3')]);
    await addFiles([file('c.mp3', 'ccc')]);
    expect(await names()).toEqual(['a.mp3', 'b.mp3', 'c.mp3']);
    const c = (await listTracks())[2]!;
    expect(c.status).toBe('probing');
    expect(c.size).toBe(3);
    expect(await (await getAudio(c.id))!.text()).toBe('ccc');
  });

  it('moves tracks up and down, clamped at the ends', async () => {
    const [a, , c] = await addFiles([file('a'), file('b'), file('c')]);
    await moveTrack(c!.id, -1);
    expect(await names()).toEqual(['a', 'c', 'b']);
    await moveTrack(a!.id, -1);
    expect(await names()).toEqual(['a', 'c', 'b']);
    await moveTrack(a!.id, +1);
    expect(await names()).toEqual(['c', 'a', 'b']);
  });

  it('removes a track and its audio, leaving the rest', async () => {
    const [a, b] = await addFiles([file('a'), file('b')]);
    await removeTrack(a!.id);
    expect(await names()).toEqual(['b']);
    expect(await getAudio(a!.id)).toBeUndefined();
    expect(await getAudio(b!.id)).toBeDefined();
  });

  it('updates a track, and ignores one removed meanwhile', async () => {
    const [a] = await addFiles([file('a')]);
    await updateTrack(a!.id, { status: 'ready' });
    expect((await listTracks())[0]!.status).toBe('ready');
    await removeTrack(a!.id);
    await updateTrack(a!.id, { status: 'error' });
    expect(await listTracks()).toEqual([]);
  });

  it('announces changes to other contexts', async () => {
    let heard = 0;
    const off = onTracksChanged(() => heard++);
    await addFiles([file('a')]);
    await new Promise((r) => setTimeout(r, 20));
    off();
    expect(heard).toBeGreaterThan(0);
  });
});
