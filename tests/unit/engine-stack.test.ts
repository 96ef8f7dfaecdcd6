import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enlargeStack, stackExportNames, STACK_BYTES } from '@/lib/engine/worker/stack';

/** The core Seam ships (wxt.config.ts copies the UMD build). */
const CORE = readFileSync(
  new URL('../../node_modules/@ffmpeg/core/dist/umd/ffmpeg-core.js', import.meta.url),
  'utf8',
);

describe("the core's stack (libopus at complexity 10 needs more than 64 KiB)", () => {
  it("finds stackSave and stackRestore among the shipped core's minified exports", () => {
    const names = stackExportNames(CORE);
    expect(names).toBeDefined();
    expect(names!.save).not.toBe(names!.restore);
  });

  it('moves the stack pointer to the 16-byte aligned end of a fresh heap block', () => {
    const calls: number[] = [];
    let sp = 65536;
    const core = {
      asm: { Da: () => sp, Ea: (v: number) => calls.push((sp = v)) },
      _malloc: (bytes: number) => (bytes === STACK_BYTES ? 1_000_004 : 0),
    };
    const source = 'var stackSave=Module["asm"]["Da"];var stackRestore=Module["asm"]["Ea"];';
    const stack = enlargeStack(core, source);
    expect(calls).toEqual([Math.floor((1_000_004 + STACK_BYTES) / 16) * 16]);
    expect(stack?.save()).toBe(calls[0]);
    stack?.restore(42);
    expect(sp).toBe(42);
  });

  it('leaves a core it does not recognise as it is', () => {
    const core = { asm: {}, _malloc: () => 8 };
    expect(enlargeStack(core, 'no such text')).toBeUndefined();
    expect(
      enlargeStack(core, 'stackSave=Module["asm"]["a"];stackRestore=Module["asm"]["b"]'),
    ).toBeUndefined();
  });
});
