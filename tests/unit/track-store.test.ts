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
  removeTracks,
  restoreTracks,
  setOrder,
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

  it('removes several tracks at once and puts them back where they were, with their audio', async () => {
    await addFiles([file('a.mp3'), file('b.mp3', 'bbb'), file('c.mp3'), file('d.mp3')]);
    const [, b, , d] = await listTracks();
    const removed = await removeTracks([b!.id, d!.id]);
    expect(await names()).toEqual(['a.mp3', 'c.mp3']);
    expect(await getAudio(b!.id)).toBeUndefined();
    // Something else happens meanwhile: a track is added and the rest reordered.
    await addFiles([file('e.mp3')]);
    const now = await listTracks();
    await setOrder([now[1]!.id, now[0]!.id, now[2]!.id]);
    await restoreTracks(removed);
    expect(await names()).toEqual(['c.mp3', 'b.mp3', 'a.mp3', 'd.mp3', 'e.mp3']);
    expect(await (await getAudio(b!.id))!.text()).toBe('bbb');
  });

  it('keeps a local file’s modification time, for sorting by date', async () => {
    await addFiles([new File(['x'], 'old.mp3', { lastModified: 1_000_000 })]);
    expect((await listTracks())[0]!.modifiedAt).toBe(1_000_000);
  });
});
