/**
 * Samples /proc every 200 ms while the benchmark runs: the memory (RSS and PSS) of every Chromium
 * process this run started, per label (a row's join, its add + probe), and CPU time, to tell how
 * much of the machine other work took while native ffmpeg or Seam ran.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

const INTERVAL_MS = 200;
/** Clock ticks per second in /proc (USER_HZ). */
const USER_HZ = 100;

export interface MemoryPeak {
  /** The largest single Chromium process's RSS, KiB, and what that process was. */
  largestKb: number;
  largestType: string;
  /** All Chromium processes' RSS summed (shared pages counted once per process), KiB. */
  totalKb: number;
  /** All Chromium processes' PSS summed (shared pages shared out), KiB. */
  pssKb: number;
}

/**
 * CPU time in clock ticks: the whole machine's busy time (/proc/stat) and this process's own
 * plus its reaped children's (native ffmpeg, and Chromium once closed, with its own children).
 */
function cpuTicks(): { busy: number; self: number; at: number } {
  const all = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1);
  const n = (all ?? []).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const busy = n.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0);
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // Fields 14-17 of stat (utime stime cutime cstime) are 11-14 after the command name.
  const self = (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0);
  return { busy, self, at: performance.now() };
}

/** "browser", "extension renderer", "utility (...)", from the process's command line. */
function processType(pid: number): string {
  // Zygote-forked children rewrite their title: one string, arguments joined by spaces.
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]+/);
  const type = args.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return 'browser';
  if (type === 'renderer') {
    return args.includes('--extension-process') ? 'extension renderer' : 'renderer';
  }
  const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
  return sub ? `${type} (${sub})` : type;
}

export class Sampler {
  /** Peak memory per label, and over the whole run under "all". */
  readonly peaks = new Map<string, MemoryPeak>();
  /** Memory peaks go to this label (and to "all"). */
  private label: string | undefined;
  /** CPU time goes to this phase ("native", "seam"). */
  private phase: string | undefined;
  /**
   * Per phase, in clock ticks: the machine's busy time, and what this process, its reaped
   * children (native ffmpeg, ffprobe) and its live Chromium processes used; and seconds.
   */
  private readonly cpu = new Map<string, { busy: number; ours: number; seconds: number }>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = new Map<number, number>();
  private last: ReturnType<typeof cpuTicks> | undefined;

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Later samples count towards `label` (memory) and `phase` (CPU). */
  mark(label: string | undefined, phase = this.phase): void {
    this.sample();
    this.label = label;
    this.phase = phase;
  }

  /** Share of the machine's CPU that other processes used during `phase`. */
  othersShare(phase: string): number {
    const c = this.cpu.get(phase);
    if (!c || c.seconds <= 0) return 0;
    return Math.max(0, c.busy - c.ours) / USER_HZ / (c.seconds * os.cpus().length);
  }

  private sample(): void {
    const children = new Map<number, number[]>();
    const ticks = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ppid = Number(f[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(name));
        children.set(ppid, list);
        // utime + stime (fields 14 and 15)
        ticks.set(Number(name), Number(f[11]) + Number(f[12]));
      } catch {
        // gone meanwhile
      }
    }
    const now = cpuTicks();
    let totalKb = 0;
    let pssKb = 0;
    let largestKb = 0;
    let largestType = '';
    let chromeTicks = 0;
    const seen = new Map<number, number>();
    const todo = [...(children.get(process.pid) ?? [])];
    for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
      todo.push(...(children.get(pid) ?? []));
      try {
        if (!readlinkSync(`/proc/${pid}/exe`).includes('chrom')) continue;
        const t = ticks.get(pid) ?? 0;
        seen.set(pid, t);
        chromeTicks += t - (this.ticks.get(pid) ?? 0);
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        totalKb += kb;
        // PSS shares each shared page out among the processes that map it: a fair total.
        const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
        pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
        if (kb > largestKb) {
          largestKb = kb;
          largestType = processType(pid);
        }
      } catch {
        // gone meanwhile
      }
    }
    if (this.last && this.phase) {
      const c = this.cpu.get(this.phase) ?? { busy: 0, ours: 0, seconds: 0 };
      c.busy += now.busy - this.last.busy;
      c.ours += now.self - this.last.self + chromeTicks;
      c.seconds += (now.at - this.last.at) / 1000;
      this.cpu.set(this.phase, c);
    }
    this.last = now;
    this.ticks = seen;
    if (totalKb === 0) return;
    for (const key of ['all', this.label]) {
      if (!key) continue;
      const p = this.peaks.get(key) ?? { largestKb: 0, largestType: '', totalKb: 0, pssKb: 0 };
      if (largestKb > p.largestKb) Object.assign(p, { largestKb, largestType });
      p.totalKb = Math.max(p.totalKb, totalKb);
      p.pssKb = Math.max(p.pssKb, pssKb);
      this.peaks.set(key, p);
    }
  }
}
