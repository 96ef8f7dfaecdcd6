/** Waiting for things in tests and in the benchmark (no Vitest here: the benchmark runs alone). */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `check` until it returns without throwing and returns what it returned; after `timeout`
 * ms throws the last error (so a failed `expect` inside says what was wrong), as `vi.waitFor`.
 */
export async function until<T>(
  check: () => Promise<T> | T,
  timeout = 30_000,
  interval = 100,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown = new Error(`until: no attempt finished within ${timeout} ms`);
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw last;
    let timer: NodeJS.Timeout | undefined;
    try {
      // A check that hangs (a page that stopped answering) still ends at the deadline.
      return await Promise.race([
        Promise.resolve().then(check),
        new Promise<never>((_, fail) => {
          timer = setTimeout(() => fail(last), left);
        }),
      ]);
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      last = err;
    } finally {
      clearTimeout(timer);
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}
