/**
 * Import cycles between lib/'s folders (issue 19 item 4): lib/README.md orders the folders by
 * what they may use, so a folder that imports one that imports it back (plan ↔ segments) is a
 * fault even where no two files form a cycle (eslint's import-x/no-cycle sees files only).
 * Reads every import of every lib/ file (`@/lib/…` and relative, type-only ones too), folds
 * them into a graph of folders and prints each cycle with one import that makes each of its
 * edges. Exit code 1 when there is one. Run by `npm run check`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const LIB = join(ROOT, 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The lib/ folder a file belongs to ("plan" for lib/plan/steps.ts), or undefined. */
function folderOf(path: string): string | undefined {
  const rel = relative(LIB, path);
  if (rel.startsWith('..')) return undefined;
  const [first, second] = rel.split('/');
  return second === undefined ? undefined : first;
}

/** Where an import specifier of `from` points, as a path (without extension), if inside lib/. */
function target(from: string, spec: string): string | undefined {
  if (spec.startsWith('@/lib/')) return join(LIB, spec.slice('@/lib/'.length));
  if (spec === '@/lib') return LIB;
  if (spec.startsWith('.')) return resolve(dirname(from), spec);
  return undefined;
}

/** Edges between folders, each with one import that makes it. */
export function folderGraph(files: readonly string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = folderOf(file);
    if (!from) continue;
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      const path = target(file, ref.fileName);
      const to = path && folderOf(path.endsWith('.ts') ? path : `${path}.ts`);
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${relative(ROOT, file)} imports ${ref.fileName}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Strongly connected groups of more than one folder (Tarjan), each a cycle or several. */
export function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop())
        group.push(w);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const graph = folderGraph(sources(LIB));
const found = cycles(graph);
for (const group of found) {
  console.error(`lib/ folders import each other in a circle: ${group.join(', ')}`);
  for (const from of group)
    for (const [to, why] of graph.get(from) ?? [])
      if (group.includes(to)) console.error(`  ${from} → ${to}: ${why}`);
}
if (found.length > 0) process.exit(1);
console.log(`No import cycle between lib/'s ${new Set(graph.keys()).size} folders.`);
