/**
 * What the UI tests (tests/e2e/ui-*.test.ts) share beyond tests/support: axe-core injected into
 * an extension page, many copies of a fixture under names a person would give them, a folder
 * dropped the way a file manager drops one, and "is this focused control hidden under the Join
 * bar".
 */
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Seam } from '../support/chromium';
import type { DoneJob } from '../support/extension';
import { fixture } from '../support/paths';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// axe-core

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string; html: string }[];
}

/**
 * Runs axe-core (every rule it runs by default: WCAG 2.x A and AA and best practices) on the
 * page and returns the violations. The extension's CSP refuses script tags and eval, so the
 * library goes in as an expression evaluated by the driver.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: AxeViolation[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target,
        html: n.html.slice(0, 160),
        ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}),
      })),
    }));
  });
}

/** Fails with every violation spelled out (rule, element, why) when axe finds any. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  const text = violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
  expect(violations, `${where}:\n${text}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// The queue

/**
 * Copies of a fixture under the given names in a fresh folder (a person's "Part 1.mp3" ...),
 * returning their paths. Names may hold subfolders ("Book/CD1/01.mp3").
 */
export async function copies(
  source: string,
  names: readonly string[],
  dir?: string,
): Promise<{ dir: string; paths: string[] }> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'seam-ui-')));
  const paths: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    await mkdir(join(path, '..'), { recursive: true });
    await copyFile(fixture(source), path);
    paths.push(path);
  }
  return { dir: root, paths };
}

/** Joins and waits for the download; returns the job and the saved file. */
export async function joinAndDownload(
  seam: Seam,
  page: Page,
): Promise<{ job: DoneJob; file: string }> {
  const { job, file } = await seam.ext.joinAndWait(() =>
    page.getByRole('button', { name: 'Join', exact: true }).click(),
  );
  return { job, file };
}

// ---------------------------------------------------------------------------------------------
// Dropping a folder

/** A folder as it is dropped: its name and files (paths below it, and the fixture each copies). */
export interface DroppedFolder {
  name: string;
  files: { path: string; fixture: string }[];
}

/**
 * Drops folders (and loose files) on the page as a file manager does: each DataTransfer item
 * answers webkitGetAsEntry() with a directory entry whose reader hands out its entries a few at
 * a time, as Chrome's does. Playwright cannot drag from the desktop, so the entries are built
 * in the page from the fixtures' bytes.
 */
export async function dropFolders(
  page: Page,
  folders: readonly DroppedFolder[],
  loose: readonly string[] = [],
): Promise<void> {
  const payload = {
    folders: folders.map((f) => ({
      name: f.name,
      files: f.files.map((x) => ({ path: x.path, bytes: [...readFileSync(fixture(x.fixture))] })),
    })),
    loose: loose.map((l) => ({ name: basename(l), bytes: [...readFileSync(fixture(l))] })),
  };
  await page.evaluate((p) => {
    type Node = { name: string; file?: File; children?: Map<string, Node> };
    const fileEntry = (name: string, file: File) => ({
      isFile: true,
      isDirectory: false,
      name,
      file: (ok: (f: File) => void) => ok(file),
    });
    const dirEntry = (node: Node): unknown => ({
      isFile: false,
      isDirectory: true,
      name: node.name,
      createReader() {
        const kids = [...node.children!.values()].map((k) =>
          k.children ? dirEntry(k) : fileEntry(k.name, k.file!),
        );
        let at = 0;
        // Two entries a call, so a reader that calls only once misses files.
        return {
          readEntries: (ok: (e: unknown[]) => void) => {
            ok(kids.slice(at, at + 2));
            at += 2;
          },
        };
      },
    });
    const items: unknown[] = [];
    for (const f of p.folders) {
      const root: Node = { name: f.name, children: new Map() };
      for (const x of f.files) {
        const parts = x.path.split('/');
        let node = root;
        for (const part of parts.slice(0, -1)) {
          if (!node.children!.has(part))
            node.children!.set(part, { name: part, children: new Map() });
          node = node.children!.get(part)!;
        }
        const name = parts.at(-1)!;
        node.children!.set(name, { name, file: new File([new Uint8Array(x.bytes)], name) });
      }
      items.push({ kind: 'file', webkitGetAsEntry: () => dirEntry(root), getAsFile: () => null });
    }
    for (const l of p.loose) {
      const file = new File([new Uint8Array(l.bytes)], l.name, { type: 'audio/mpeg' });
      items.push({
        kind: 'file',
        webkitGetAsEntry: () => fileEntry(l.name, file),
        getAsFile: () => file,
      });
    }
    const dataTransfer = { types: ['Files'], items, files: [] };
    const target = document.querySelector('.drop-zone')!;
    for (const type of ['dragover', 'drop']) {
      const e = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(e, 'dataTransfer', { value: dataTransfer });
      target.dispatchEvent(e);
    }
  }, payload);
}

// ---------------------------------------------------------------------------------------------
// Layout

/**
 * For the focused element: whether any of it is covered by the fixed Join bar (or out of the
 * viewport), and a name for messages. The bar itself and what is in it are never "hidden".
 */
export function focusedCoverage(page: Page): Promise<{ name: string; hidden: boolean } | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const bar = document.querySelector<HTMLElement>('section.join');
    const name = `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}"`;
    if (bar?.contains(el)) return { name, hidden: false };
    const r = el.getBoundingClientRect();
    // A visually hidden input (Add files) is focused through its visible label.
    const box = r.width <= 1 && el.parentElement ? el.parentElement.getBoundingClientRect() : r;
    const barTop = bar ? bar.getBoundingClientRect().top : innerHeight;
    const hidden = box.bottom > Math.min(barTop, innerHeight) + 0.5 || box.top < -0.5;
    return { name, hidden };
  });
}

/** The page's widths: whether it scrolls sideways. */
export function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(
    () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
  );
}
