import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Deliberate violations of the architecture's boundaries: each must fail `npm run check`. */
const eslint = new ESLint({ cwd: join(import.meta.dirname, '../..') });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint keeps the rooms apart', { timeout: 60_000 }, () => {
  it.each([
    ['lib/core/x.ts', "import { browser } from '#imports';\nexport const a = browser;\n"],
    ['lib/media/x.ts', 'export const id = chrome.runtime.id;\n'],
    [
      'lib/plan/x.ts',
      "import { preferences } from '@/lib/store/settings';\nexport { preferences };\n",
    ],
    ['lib/lossless/x.ts', "import { h } from 'preact';\nexport { h };\n"],
    // The same crossings by relative path, and in the folders made pure since.
    [
      'lib/plan/x.ts',
      "import { preferences } from '../store/settings';\nexport { preferences };\n",
    ],
    [
      'lib/lossless/mp3/x.ts',
      "import { engineLink } from '../../job/link';\nexport { engineLink };\n",
    ],
    ['lib/containers/x.ts', 'export const id = chrome.runtime.id;\n'],
    ['lib/editor/x.ts', "import { browser } from '#imports';\nexport const a = browser;\n"],
    ['lib/editor/x.ts', "import { editTrack } from '../queue/actions';\nexport { editTrack };\n"],
    ['lib/job/x.ts', "import { App } from '@/components/App';\nexport { App };\n"],
    ['components/X.tsx', 'export const MAX_FADE_SEC = 60;\n'],
    ['components/X.tsx', 'export const open = () => browser.tabs.create({});\n'],
  ])('%s: %s is refused', async (file, code) => {
    expect(await problems(file, code)).not.toEqual([]);
  });

  it('the same code where it belongs passes', async () => {
    expect(
      await problems(
        'lib/store/x.ts',
        "import { storage } from '#imports';\nexport { storage };\n",
      ),
    ).toEqual([]);
    expect(
      await problems('lib/core/x.ts', "import { khz } from './text';\nexport { khz };\n"),
    ).toEqual([]);
    // The editor's files that play and draw audio in extension pages (lib/README.md).
    expect(
      await problems(
        'lib/editor/player.ts',
        "import { browser } from '#imports';\nexport const a = browser;\n",
      ),
    ).toEqual([]);
  });
});
