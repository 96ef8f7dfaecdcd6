/** Short texts the editor shows. */

/** "1.9 s", "0.25 s", "12 s": seconds to at most two decimals. */
export function formatSeconds(sec: number): string {
  return `${Number(Math.max(0, sec).toFixed(2))} s`;
}
