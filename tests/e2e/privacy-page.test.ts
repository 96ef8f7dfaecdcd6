/**
 * The privacy policy is an extension page, reached from the options page's link, and says what
 * store/privacy.md says (the page is built from that file: build/privacy.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchSeam, type Seam } from '../support/chromium';
import { ROOT } from '../support/paths';

let seam: Seam;
beforeAll(async () => {
  seam = await launchSeam();
});
afterAll(async () => {
  await seam?.close();
});

/** The policy's visible text, block by block: markdown markup dropped, spaces collapsed. */
function policyBlocks(): string[] {
  const md = readFileSync(join(ROOT, 'store/privacy.md'), 'utf8');
  return md
    .split(/\n\s*\n|\n(?=- )/)
    .map((b) =>
      b
        .replace(/^#+ |^- /gm, '')
        .replace(/\*\*|_/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

test('"Privacy policy" on the options page opens the policy, word for word as store/privacy.md', async () => {
  const options = await seam.openOptions();
  const link = options.getByRole('link', { name: 'Privacy policy' });
  const [policy] = await Promise.all([seam.context.waitForEvent('page'), link.click()]);
  await policy.waitForLoadState();
  expect(new URL(policy.url()).pathname).toBe('/privacy.html');
  await expect
    .poll(() => policy.getByRole('heading', { level: 1 }).textContent())
    .toBe("Seam's privacy policy");
  const text = (await policy.locator('main').innerText()).replace(/\s+/g, ' ');
  const blocks = policyBlocks();
  expect(blocks.length).toBeGreaterThan(10);
  for (const block of blocks) expect(text).toContain(block);

  // The licences link beside it opens the generated notices.
  const [notices] = await Promise.all([
    seam.context.waitForEvent('page'),
    options.getByRole('link', { name: 'Licences' }).click(),
  ]);
  await notices.waitForLoadState();
  expect(await notices.locator('body').innerText()).toContain('@ffmpeg/core 0.12.10');
  await Promise.all([policy.close(), notices.close(), options.close()]);
});
