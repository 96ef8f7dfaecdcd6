/**
 * A larger stack for ffmpeg.wasm's core. The core (@ffmpeg/core 0.12.10, Emscripten 3.1.40)
 * keeps C's stack in the wasm memory with Emscripten's default size (64 KiB), which libopus
 * overflows above complexity 4 (its variable-length arrays live there; ffmpeg.wasm issues #591,
 * #867): "memory access out of bounds". The stack pointer is the core's own, set through its
 * `stackRestore` export, so the worker moves it to a block of 8 MiB of the core's heap once
 * loaded, and puts it back after each run (a run that ends in ffmpeg's exit() leaves it where
 * it was, and many such runs would creep down the stack). Runs in the ffmpeg worker.
 */

/** The stack Seam gives the core: libopus at complexity 10 needs well over 64 KiB. */
export const STACK_BYTES = 8 * 1024 * 1024;

/** The core's stack pointer, through its minified exports. */
export interface CoreStack {
  save(): number;
  restore(sp: number): void;
}

/**
 * The names of `stackSave` and `stackRestore` among the core's minified wasm exports, read from
 * the core's own source (`var stackSave=function(){return(stackSave=Module["asm"]["Da"])…`).
 * Undefined when the core is not written that way (another build): it then keeps its stack.
 */
export function stackExportNames(source: string): { save: string; restore: string } | undefined {
  const save = /stackSave=Module\["asm"\]\["(\w+)"\]/.exec(source)?.[1];
  const restore = /stackRestore=Module\["asm"\]\["(\w+)"\]/.exec(source)?.[1];
  return save && restore ? { save, restore } : undefined;
}

interface CoreExports {
  asm?: Record<string, unknown>;
  _malloc?: (bytes: number) => number;
}

/**
 * Moves the core's stack to a fresh block of `bytes` on its heap; returns its pointer's
 * functions, or undefined (nothing changed) when the core does not offer them.
 */
export function enlargeStack(
  core: CoreExports,
  source: string,
  bytes = STACK_BYTES,
): CoreStack | undefined {
  const names = stackExportNames(source);
  const save = names && core.asm?.[names.save];
  const restore = names && core.asm?.[names.restore];
  if (typeof save !== 'function' || typeof restore !== 'function' || !core._malloc)
    return undefined;
  const base = core._malloc(bytes);
  if (!base) return undefined;
  // The stack grows down from the block's end, 16-byte aligned as the wasm ABI wants.
  restore(Math.floor((base + bytes) / 16) * 16);
  return { save: () => save() as number, restore: (sp) => void restore(sp) };
}
