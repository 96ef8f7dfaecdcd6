import { launchSeam, inPage, resetSeam } from './tests/support/chromium';
import { PopupPage } from './tests/support/pages';
import { storedTracks } from './tests/support/queue';
import { readdirSync } from 'node:fs';
const dir = 'tests/bench/.data';
const files = readdirSync(dir).filter((f) => f.startsWith('short-')).map((f) => `${dir}/${f}`);
const seam = await launchSeam();
const page = await seam.openPopup();
await resetSeam(seam, page);
const ui = new PopupPage(page);
await ui.setFormat(process.argv[2] ?? 'M4A');
await new Promise((r) => setTimeout(r, 3000));
const t0 = Date.now();
await ui.addFiles(files);
while (!(await ui.joinButton.isEnabled())) await new Promise((r) => setTimeout(r, 20));
console.log('enabled', Date.now() - t0);
await ui.joinButton.click();
let last = '';
for (;;) {
  const bar = await ui.progressbar.count() ? (await ui.progressbar.getAttribute('aria-valuetext')) ?? '' : 'none';
  const st = (await storedTracks(inPage(page))).map((t) => (t.status === 'ready' ? (t.info?.decoded ? 'D' : 'r') : t.status[0])).join('');
  const s = `${bar.split(',')[0]} ${st}`;
  if (s !== last) { console.log(Date.now() - t0, s); last = s; }
  const job = await seam.ext.job();
  if (job && job.status !== 'running' && Date.now() - t0 > 1000) { console.log('job', job.status, Date.now() - t0); break; }
  await new Promise((r) => setTimeout(r, 50));
}
await seam.close();
