import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The offscreen document's life (lib/job/offscreen.ts) with Chrome's offscreen API stood in for:
 * an idle close never takes a document that a join uses. The idle event is sent by the engine
 * and read by the background later; a join can arrive in between.
 */

const busy = { value: false };
vi.mock('@/lib/protocol', () => ({
  offscreen: {
    sendMessage: vi.fn(async (type: string) => {
      if (!chromeFake.open) throw new Error('Could not establish connection.');
      return type === 'off:busy' ? busy.value : 'pong';
    }),
  },
}));

const chromeFake = {
  open: false,
  created: 0,
  closed: 0,
  /** Resolves the pending getContexts calls only when the test says so. */
  gate: undefined as Promise<void> | undefined,
};

beforeEach(() => {
  Object.assign(chromeFake, { open: false, created: 0, closed: 0, gate: undefined });
  busy.value = false;
  vi.stubGlobal('chrome', {
    runtime: {
      getContexts: async () => {
        if (chromeFake.gate) await chromeFake.gate;
        return chromeFake.open ? [{}] : [];
      },
    },
    offscreen: {
      createDocument: async () => {
        chromeFake.open = true;
        chromeFake.created++;
      },
      closeDocument: async () => {
        chromeFake.open = false;
        chromeFake.closed++;
      },
    },
  });
  vi.useFakeTimers();
  vi.resetModules();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const load = () => import('@/lib/job/offscreen');

describe('the offscreen document', () => {
  it('closes when its engine is idle', async () => {
    const doc = await load();
    await doc.ensureOffscreen();
    doc.closeOffscreenSoon(0);
    await vi.runAllTimersAsync();
    expect(chromeFake.closed).toBe(1);
    expect(await doc.hasDocument()).toBe(false);
  });

  it('stays open when its engine is busy (an idle event read after a join arrived)', async () => {
    const doc = await load();
    await doc.ensureOffscreen();
    busy.value = true;
    doc.closeOffscreenSoon(0);
    await vi.runAllTimersAsync();
    expect(chromeFake.closed).toBe(0);
    expect(await doc.hasDocument()).toBe(true);
  });

  it('a join that arrives while the close is being decided keeps the document', async () => {
    const doc = await load();
    await doc.ensureOffscreen();
    let release!: () => void;
    chromeFake.gate = new Promise((r) => (release = r));
    doc.closeOffscreenSoon(0);
    // The timer fires and the close waits on Chrome's answer; a join asks for the document.
    await vi.advanceTimersByTimeAsync(1);
    const joining = doc.ensureOffscreen();
    chromeFake.gate = undefined;
    release();
    await vi.runAllTimersAsync();
    await joining;
    expect(await doc.hasDocument()).toBe(true);
    expect(chromeFake.closed).toBe(0);
  });

  it('a join that arrives after the close began gets a new document', async () => {
    const doc = await load();
    await doc.ensureOffscreen();
    doc.closeOffscreenSoon(0);
    await vi.runAllTimersAsync();
    expect(chromeFake.open).toBe(false);
    await doc.ensureOffscreen();
    expect(chromeFake.created).toBe(2);
    expect(await doc.hasDocument()).toBe(true);
  });
});
