import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_COMMANDS, JOB_EVENTS } from '@/lib/protocol/contract';

/** Structural checks: the wiring the type system cannot see. */
const root = join(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/**
 * Message names of a receiving context: those its protocol declares by name (e.g.
 * 'bg:startJoin') and those derived from the engine/job contract (e.g. 'bg:done').
 */
function declared(prefix: string): string[] {
  const named = [
    ...read('lib/protocol/index.ts').matchAll(new RegExp(`'(${prefix}:\\w+)'\\(`, 'g')),
  ];
  const derived = prefix === 'bg' ? JOB_EVENTS : ENGINE_COMMANDS;
  return [...named.map((m) => m[1]!), ...derived.map((n) => `${prefix}:${n}`)];
}

describe('every message has exactly one handler in its receiving context', () => {
  it.each([
    ['bg', 'entrypoints/background.ts'],
    ['off', 'entrypoints/offscreen/main.ts'],
  ])('%s messages are handled in %s', (prefix, file) => {
    const names = declared(prefix);
    expect(names.length).toBeGreaterThan(3);
    const source = read(file);
    for (const name of names) {
      expect(source.split(`onMessage('${name}'`).length - 1, name).toBe(1);
    }
  });
});

describe('architecture', () => {
  it('components draw: no browser, storage or network APIs in components/', () => {
    for (const f of readdirSync(join(root, 'components'))) {
      if (!f.endsWith('.tsx') && !f.endsWith('.ts')) continue;
      const code = read(`components/${f}`).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/\b(browser|chrome)\.\w|indexedDB|\bfetch\(|localStorage/);
    }
  });

  it('entrypoints only wire: short files that call into lib/', () => {
    for (const f of ['entrypoints/background.ts', 'entrypoints/offscreen/main.ts']) {
      expect(read(f).split('\n').length, f).toBeLessThan(60);
    }
  });

  it('no remote code: the engine loads its core from the extension, never a CDN', () => {
    const setup = read('lib/engine/setup.ts');
    expect(setup).toMatch(/coreURL: url\('\/ffmpeg\/ffmpeg-core\.js'\)/);
    for (const dir of ['lib', 'entrypoints', 'components']) {
      for (const f of readdirSync(join(root, dir), { recursive: true }) as string[]) {
        if (!/\.(ts|tsx|html)$/.test(f)) continue;
        expect(read(`${dir}/${f}`), f).not.toMatch(/unpkg\.com|jsdelivr|toBlobURL/);
      }
    }
  });
});
