import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Structural checks: the wiring the type system cannot see. */
const root = join(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/** Message names declared in a protocol interface, e.g. 'bg:startJoin'. */
function declared(prefix: string): string[] {
  return [...read('lib/protocol/index.ts').matchAll(new RegExp(`'(${prefix}:\\w+)'\\(`, 'g'))].map(
    (m) => m[1]!,
  );
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
    const main = read('entrypoints/offscreen/main.ts');
    expect(main).toMatch(/coreURL: chrome\.runtime\.getURL/);
    for (const dir of ['lib', 'entrypoints', 'components']) {
      for (const f of readdirSync(join(root, dir), { recursive: true }) as string[]) {
        if (!/\.(ts|tsx|html)$/.test(f)) continue;
        expect(read(`${dir}/${f}`), f).not.toMatch(/unpkg\.com|jsdelivr|toBlobURL/);
      }
    }
  });
});
